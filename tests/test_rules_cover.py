"""META-COVER: a workbook whose cover lacks a required field (单位名称, 单位类型, 所属县, 报告年度)
is reported on the cover cell, so the clerk learns it before the county's merge refuses the file."""

from __future__ import annotations

import json
import random

import openpyxl
import pytest
from click.testing import CliRunner

from gxexcel import form, layout
from gxexcel.cli import cli
from gxexcel.reader import read_workbook
from gxexcel.rules.engine import validate
from gxexcel.sample import sample_report
from gxexcel.writer import write_workbook

REQUIRED = [f for f in form.META_FIELDS if f.required]


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    report = sample_report(random.Random(3), unit_name="石门镇人民政府", unit_type="乡镇人民政府", year=2021)
    return write_workbook(report, tmp_path_factory.mktemp("cover") / "石门镇.xlsx")


def cleared(filled, tmp_path, *field_ids: str):
    wb = openpyxl.load_workbook(filled)
    for field_id in field_ids:
        pos = layout.cover_positions()[field_id]
        wb[pos.sheet].cell(pos.row, pos.col).value = None
    path = tmp_path / "封面未填.xlsx"
    wb.save(path)
    return path


def test_a_complete_cover_gives_no_finding(filled):
    assert [f for f in validate(read_workbook(filled)) if f.rule == "META-COVER"] == []


@pytest.mark.parametrize("field", REQUIRED, ids=lambda f: f.id)
def test_each_blank_required_field_is_an_error_on_its_cover_cell(filled, tmp_path, field):
    findings = [f for f in validate(read_workbook(cleared(filled, tmp_path, field.id))) if f.rule == "META-COVER"]
    pos = layout.cover_positions()[field.id]
    assert [(f.severity, f.sheet, f.cell, f.message) for f in findings] == [
        ("error", pos.sheet, pos.coordinate, f"封面“{field.label}”未填写（必填项）")
    ]


def test_blank_unit_name_is_not_blamed_on_copying_and_cli_exits_with_findings(filled, tmp_path):
    path = cleared(filled, tmp_path, "unit_name", "year")
    result = CliRunner().invoke(cli, ["validate", "--json", str(path)])
    assert result.exit_code == 1, result.output
    rules = [f["rule"] for f in json.loads(result.stdout)]
    assert rules.count("META-COVER") == 2
    # the narrative names the unit's own town; with the cover blank that is not “another unit's” name
    assert "META-UNIT-NAME" not in rules


def with_year(filled, tmp_path, value):
    wb = openpyxl.load_workbook(filled)
    pos = layout.cover_positions()["year"]
    wb[pos.sheet].cell(pos.row, pos.col).value = value
    path = tmp_path / "报告年度.xlsx"
    wb.save(path)
    return path


@pytest.mark.parametrize("value, shown", [
    ("2021年度", "2021年度"), ("二〇二一", "二〇二一"), (2021.5, "2021.5"), (21, "21"), (99999, "99999"),
])
def test_a_year_that_is_filled_but_not_a_year_is_named_not_called_blank(filled, tmp_path, value, shown):
    """A clerk who typed 2021年度, the year in Chinese numerals or a two-digit 21 filled the cell: the
    message says what is in it and what is wanted, and the text is not checked against year 21."""
    result = CliRunner().invoke(cli, ["validate", "--json", str(with_year(filled, tmp_path, value))])
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)
    pos = layout.cover_positions()["year"]
    assert [(f["rule"], f["sheet"], f["cell"], f["message"]) for f in findings] == [
        ("META-COVER", pos.sheet, pos.coordinate, f"封面“报告年度”填写的是“{shown}”，应为四位数字的年份（如2021）")
    ]


@pytest.mark.parametrize("value", [2021, "2021", "2021年", " 2021 "])
def test_a_year_written_as_text_or_with_nian_is_read(filled, tmp_path, value):
    report = read_workbook(with_year(filled, tmp_path, value))
    assert report.year == 2021
    assert [f for f in validate(report) if f.rule in ("META-COVER", "META-YEAR")] == []


@pytest.mark.parametrize("value", ["镇人民政府", "镇政府", "乡政府"])
def test_a_unit_type_not_in_the_list_is_named_instead_of_silently_skipping_checks(filled, tmp_path, value):
    """A unit type pasted over the drop-down (镇人民政府) gave no finding at all, and the checks that
    depend on it (T2-REGS-LEVEL: a 乡镇 may not make 规章) were silently skipped."""
    wb = openpyxl.load_workbook(filled)
    pos = layout.cover_positions()["unit_type"]
    wb[pos.sheet].cell(pos.row, pos.col).value = value
    regs = layout.cell_positions()["t2.regs.issued"]
    wb[regs.sheet][regs.coordinate] = 1
    path = tmp_path / "单位类型.xlsx"
    wb.save(path)
    findings = [f for f in validate(read_workbook(path)) if f.rule == "META-COVER"]
    assert [(f.severity, f.sheet, f.cell) for f in findings] == [("error", pos.sheet, pos.coordinate)]
    assert findings[0].message.startswith(f"封面“单位类型”填写的是“{value}”，不是规定的单位类型，请从下拉列表中选择（乡镇人民政府、")


def test_a_listed_unit_type_with_spaces_is_accepted(filled, tmp_path):
    wb = openpyxl.load_workbook(filled)
    pos = layout.cover_positions()["unit_type"]
    wb[pos.sheet].cell(pos.row, pos.col).value = " 乡镇人民政府 "
    path = tmp_path / "单位类型.xlsx"
    wb.save(path)
    assert [f for f in validate(read_workbook(path)) if f.rule == "META-COVER"] == []
