"""find_figures skips a keyword pattern when a text lacks the words every match of it
contains (``required_words``). Skipping must never change what is found."""

from __future__ import annotations

import random
import re
from importlib import resources

import pytest

from gxexcel import textfigures
from gxexcel.sample import sample_report, sample_units
from gxexcel.textfigures import find_figures, required_words


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"上一?年(?:度)?结转(?:的)?(?:申请)?", "结转"),
        (r"(?:本年|全年|年内)?新收(?:到)?(?:各类)?", "新收"),
        (r"(?:收到|受理)申请", "申请"),
        (r"(?:行政复议|复议)案件", "案件"),
        (r"(?:甲|乙)", ""),  # alternatives promise nothing
        (r"(?:结转)?", ""),  # nor does an optional part
        (r"(?:办结){2}", "办结"),
        (r"(?<!不)予以公开", "予以公开"),
        (r"[甲乙]丙丁", "丙丁"),
    ],
)
def test_required_words(pattern, words):
    assert required_words(pattern) == words
    for text in ("上年结转申请", "新收", "收到申请", "复议案件", "甲", "", "办结办结", "予以公开", "乙丙丁"):
        if re.search(pattern, text):
            assert words in text


def test_most_keywords_are_skipped_when_their_words_are_absent():
    with_words = [w for _, _, w in textfigures._patterns() if w]
    assert len(with_words) >= 0.9 * len(textfigures._KEYWORDS)


def _texts() -> list[str]:
    seed = resources.files("gxexcel.data").joinpath("seed_nanding_2021.txt").read_text(encoding="utf-8")
    texts = [seed, *seed.splitlines()]
    for i, (name, kind) in enumerate(sample_units(150)):
        report = sample_report(random.Random(i), unit_name=name, unit_type=kind)
        texts.extend(t for t in report.narrative.values() if t)
    rng = random.Random(7)
    sentences = [s + "。" for t in texts for s in t.split("。") if s.strip()]
    texts.extend("".join(rng.sample(sentences, 6)) for _ in range(300))  # sentences next to new neighbours
    return texts


def test_skipping_changes_nothing(monkeypatch):
    texts = _texts()
    filtered = [find_figures(t, "s1") for t in texts]
    assert sum(map(len, filtered)) > 1000  # the corpus quotes many figures
    monkeypatch.setattr(textfigures, "required_words", lambda pattern: "")
    textfigures._patterns.cache_clear()
    textfigures._zero_patterns.cache_clear()
    try:
        unfiltered = [find_figures(t, "s1") for t in texts]
    finally:
        textfigures._patterns.cache_clear()
        textfigures._zero_patterns.cache_clear()
    assert filtered == unfiltered
