"""Validation rules, declared as data (:mod:`.catalog`) and run by one engine."""
