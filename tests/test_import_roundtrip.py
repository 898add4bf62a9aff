"""Round trip: sample reports → every publication rendering → import → the identical model.

The renderings are gxexcel's own publication export (:mod:`gxexcel.publish`): text with one
cell per line (the seed's layout), pipe tables, the HTML page and the Word document.
Text and pipe text carry what a reader sees (title, text, tables); the HTML page and the
Word document also keep the fields a page does not print (county, contact, markers), so
for them the whole report must come back.
"""

from __future__ import annotations

import random

import pytest

from gxexcel import sample
from gxexcel.importer import import_report, import_text
from gxexcel.publish import render
from gxexcel.publish.docx import write_docx

#: What a published text or pipe rendering carries.
PRINTED = ("unit_name", "unit_type", "year", "title", "narrative", "cells", "fees")
FORMATS = ("text", "pipe", "html", "docx")
#: Errors that exist in the report (not only in a workbook file), injected one per report.
MODEL_ERRORS = [k for k in sample.ERROR_KINDS if not k.typed_total]


def printed(report) -> dict:
    return {name: getattr(report, name) for name in PRINTED}


def make(seed: int):
    name, unit_type = sample.SAMPLE_UNITS[(seed * 7) % len(sample.SAMPLE_UNITS)]
    return sample.sample_report(random.Random(seed), unit_name=name, unit_type=unit_type)


def roundtrip(report, fmt: str, tmp_path):
    if fmt == "docx":
        path = tmp_path / f"{report.unit_name}.docx"
        write_docx(report, path)
        return import_report(path)
    if fmt == "html":
        path = tmp_path / f"{report.unit_name}.html"
        path.write_text(render(report, "html"), encoding="utf-8")
        return import_report(path)
    return import_text(render(report, fmt))


# gxexcel's Word export takes a few seconds per document: Word round trips use fewer reports.
CASES = [(seed, fmt) for seed in range(6) for fmt in ("text", "pipe", "html")] + [(0, "docx"), (5, "docx")]


@pytest.mark.parametrize("seed, fmt", CASES)
def test_sample_reports_come_back_identical(seed, fmt, tmp_path):
    report = make(seed)
    back = roundtrip(report, fmt, tmp_path)
    assert printed(back) == printed(report)
    assert back.source.findings == []
    if fmt in ("html", "docx"):
        assert back.same_content(report)


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_with_every_injected_error_comes_back_identical(fmt, tmp_path):
    """Text in a count cell, a negative, a decimal, a blank, 元 for 万元, a broken balance,
    another unit's name, no fee statement, a wrong period …: all imported as published,
    so that the validator finds them."""
    report = make(7)
    rng = random.Random(7)
    others = [u for u, _ in sample.SAMPLE_UNITS if u != report.unit_name]
    for kind in MODEL_ERRORS:
        kind.apply(report, rng, others)
    assert isinstance(report.cells["t2.penalty.decisions"], str) and report.cells["t3.carried.business"] is None
    back = roundtrip(report, fmt, tmp_path)
    assert printed(back) == printed(report)
    if fmt in ("html", "docx"):
        assert back.same_content(report)
    assert [(f.rule, f.cells) for f in back.source.findings] == [("IMP-CELL-BLANK", ["t3.carried.business"])]


def test_import_is_deterministic(tmp_path):
    report = make(3)
    path = tmp_path / "r.docx"
    write_docx(report, path)
    sources = {fmt: render(report, fmt) for fmt in ("text", "pipe", "html")}
    for fmt, text in sources.items():
        kind = "html" if fmt == "html" else "text"
        assert import_text(text, kind=kind).to_json() == import_text(text, kind=kind).to_json()
    assert import_report(path).to_json() == import_report(path).to_json()
