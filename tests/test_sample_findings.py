"""The validator finds every injected error at its place, and nothing in clean samples."""

from __future__ import annotations

import random

from gxexcel.reader import read_workbook
from gxexcel.rules.engine import validate
from gxexcel.sample import ERROR_KINDS, SAMPLE_UNITS, sample_report, write_samples


def test_every_injected_error_is_found_where_the_manifest_says(tmp_path):
    manifest = write_samples(tmp_path, 2 * len(ERROR_KINDS), seed=9, errors=True)
    for wb in manifest.workbooks:
        findings = validate(read_workbook(tmp_path / wb.file))
        if not wb.errors:
            assert findings == [], (wb.file, [(f.rule, f.message) for f in findings])
            continue
        for e in wb.errors:
            hits = [f for f in findings if f.rule == e.rule]
            assert hits, (wb.file, e.code, [(f.rule, f.message) for f in findings])
            located = [f for f in hits if f.sheet == e.sheet and (not f.cell or f.cell == e.cell)]
            assert located, (wb.file, e.code, e.sheet, e.cell, [(f.sheet, f.cell) for f in hits])


def test_clean_sample_reports_raise_no_finding():
    rng = random.Random(2024)
    for i in range(150):
        name, kind = SAMPLE_UNITS[i % len(SAMPLE_UNITS)]
        report = sample_report(random.Random(rng.getrandbits(32)), unit_name=name, unit_type=kind)
        findings = validate(report)
        assert findings == [], (name, [(f.rule, f.message) for f in findings])
