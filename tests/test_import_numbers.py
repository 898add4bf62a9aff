"""Figures written irregularly in a published table are imported and reported (IMP-NUMBER),
never taken silently: thousands separators, full-width digits, digits split by spaces.
Text in a number cell stays text (the validator's CELL-INT reports it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gxexcel.importer import import_text
from gxexcel.rules.engine import validate

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "pipe_quirks.txt"
ROW = "| 行政许可 | 7 |"


def licence(cell: str):
    text = FIXTURE.read_text(encoding="utf-8")
    assert text.count(ROW) == 1
    return import_text(text.replace(ROW, f"| 行政许可 | {cell} |"))


@pytest.mark.parametrize(
    "cell, value",
    [("1,234", 1234), ("1，234", 1234), ("１２", 12), ("1 234", 1234), ("8 05", 805)],
)
def test_irregular_figures_are_read_and_reported(cell, value):
    report = licence(cell)
    assert report.cells["t2.license.decisions"] == value
    found = [f for f in report.source.findings if f.rule == "IMP-NUMBER"]
    assert len(found) == 1 and found[0].cells == ["t2.license.decisions"]
    assert f"“{cell}”" in found[0].message and str(value) in found[0].message


@pytest.mark.parametrize("cell", ["805", " 805 "])
def test_regular_figures_are_not_reported(cell):
    report = licence(cell)
    assert report.cells["t2.license.decisions"] == 805
    assert "IMP-NUMBER" not in {f.rule for f in report.source.findings}


@pytest.mark.parametrize("cell", ["12件", "约5"])
def test_text_in_a_number_cell_stays_text_and_is_an_error(cell):
    report = licence(cell)
    assert report.cells["t2.license.decisions"] == cell
    assert "CELL-INT" in {f.rule for f in validate(report) if f.severity == "error"}


def test_full_width_row_is_one_finding_per_row_naming_every_figure():
    """A portal that prints every figure in full-width digits gets one IMP-NUMBER per table
    row, not one per cell (200 warnings would drown the real problems)."""
    text = FIXTURE.read_text(encoding="utf-8")
    row = "|  | （七）总计 |  | 261 | 262 | 263 | 264 | 265 | 266 | 267 |"
    assert text.count(row) == 1
    wide = row.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    report = import_text(text.replace(row, wide))
    assert [report.cells[f"t3.total.{c}"] for c in ("natural", "other", "total")] == [261, 266, 267]
    found = [f for f in report.source.findings if f.rule == "IMP-NUMBER"]
    assert len(found) == 1
    (f,) = found
    assert len(f.cells) == 7 and f.cells[0] == "t3.total.natural"
    assert "“２６１”" in f.message and "“２６７”" in f.message and "267" in f.message


def test_a_short_or_blank_table_four_row_is_named_without_repeating_the_table():
    """表四 has one unnamed data row: the messages read “表四“表四数据行”一行应有15个数值…”."""
    seed = (Path(__file__).parents[1] / "src" / "gxexcel" / "data" / "seed_nanding_2021.txt").read_text(encoding="utf-8")
    lines = seed.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("四、政府信息公开行政复议"))
    zeros = [i for i in range(start, len(lines)) if lines[i] == "\t0"][:15]
    assert len(zeros) == 15
    short = import_text("\n".join(line for i, line in enumerate(lines) if i not in zeros[-5:]))
    blank = import_text("\n".join("\t/" if i == zeros[3] else line for i, line in enumerate(lines)))
    (row_short,) = [f for f in short.source.findings if f.rule == "IMP-ROW-SHORT"]
    (cell_blank,) = [f for f in blank.source.findings if f.rule == "IMP-CELL-BLANK"]
    assert row_short.message.startswith("表四“数据行”一行应有15个数值，实际读到10个"), row_short.message
    assert cell_blank.message.startswith("表四“数据行”的行政复议 尚未审结为空白"), cell_blank.message
