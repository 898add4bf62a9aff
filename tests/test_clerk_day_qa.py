"""A township clerk's day outside Excel: template → typing → validate → narrate → edit → validate → report.

Every workbook here is the one ``gxexcel template`` writes, filled in with openpyxl the way a
clerk types (numbers, “无”, “12件”, full-width digits, pasted spaces, blanks)."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from gxexcel import layout
from gxexcel.cli import cli


def gx(*args):
    return CliRunner().invoke(cli, [*map(str, args)])


def put(path, values: dict[str, object]) -> None:
    """Type ``values`` (cell id or 封面/正文 coordinate → value) into the workbook, as a clerk does."""
    wb = openpyxl.load_workbook(path)
    for key, value in values.items():
        if "!" in key:
            sheet, coord = key.split("!")
            wb[sheet][coord] = value
        else:
            p = layout.cell_positions()[key]
            wb[p.sheet].cell(p.row, p.col).value = value
    wb.save(path)


@pytest.fixture()
def filled(tmp_path):
    """The template with the cover filled in and every table cell typed as 0."""
    path = tmp_path / "青石镇.xlsx"
    assert gx("template", "-o", path).exit_code == 0
    zeros = {cid: 0 for cid, cell in _data_cells()}
    put(path, {"封面!B3": "青石镇人民政府", "封面!B4": "乡镇人民政府", "封面!B5": "云溪县", "封面!B6": 2023, **zeros})
    return path


def _data_cells():
    from gxexcel import form

    return [(cid, cell) for cid, cell in form.CELLS.items() if cell.role != "total"]


def findings(path) -> list[dict]:
    return json.loads(gx("validate", "--json", path).output)


def test_a_figure_typed_as_text_is_not_also_read_as_0_by_t2_made_le_and_t3_carry_le(filled):
    # the clerk typed 现行有效 “１２” (full-width) and 本年新收 “5件”: CELL-INT names each; the
    # plausibility rules must not report 现行有效件数0 / 本年新收与上年结转之和0, figures nobody typed
    put(
        filled,
        {
            "t2.normative.issued": 3,
            "t2.normative.in_force": "１２",
            "t3.new.natural": "5件",
            "t3.open.natural": 4,
            "t3.carry_forward.natural": 1,
        },
    )
    found = findings(filled)
    assert {(f["sheet"], f["cell"]) for f in found if f["rule"] == "CELL-INT"} == {("表二", "D5"), ("表三", "D5")}
    assert [f["message"] for f in found if f["rule"] in ("T2-MADE-LE", "T3-CARRY-LE")] == []


def test_t2_made_le_and_t3_carry_le_still_report_typed_figures(filled):
    put(filled, {"t2.normative.issued": 3, "t2.normative.in_force": 1, "t3.carry_forward.natural": 1})
    messages = {(f["rule"], f["message"]) for f in findings(filled)}
    assert ("T2-MADE-LE", "表二 行政规范性文件：本年制发件数3，超过现行有效件数1与本年废止件数0之和1") in messages
    assert ("T3-CARRY-LE", "表三 自然人列：结转下年度继续办理1，超过本年新收与上年结转之和0") in messages
