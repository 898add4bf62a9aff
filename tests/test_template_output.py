"""gxexcel template -o never replaces a filled workbook or a file that is not a template: a
clerk typing ``gxexcel template -o 南定镇.xlsx`` over the report she filled lost all of it
silently. An existing blank template (of this or an earlier version: regenerating
workbook_templates/gxexcel-template.xlsx after a layout change) is still replaced."""

from __future__ import annotations

import hashlib
import random

import openpyxl
import pytest
from click.testing import CliRunner

from gxexcel import layout
from gxexcel.cli import cli
from gxexcel.sample import sample_report
from gxexcel.writer import write_workbook


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_filled_workbook_is_not_replaced(tmp_path):
    book = tmp_path / "南定镇.xlsx"
    write_workbook(sample_report(random.Random(3), unit_name="南定镇人民政府"), book)
    before = digest(book)
    result = run("template", "-o", book)
    assert result.exit_code == 2, result.output
    assert "南定镇.xlsx" in result.output and "南定镇人民政府" in result.output, result.output
    assert digest(book) == before


def test_a_workbook_that_is_not_a_template_is_not_replaced(tmp_path):
    roster = tmp_path / "名册.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["单位名称", "单位类型"])
    wb.active.append(["城关镇", "乡镇人民政府"])
    wb.save(roster)
    before = digest(roster)
    result = run("template", "-o", roster)
    assert result.exit_code == 2, result.output
    assert digest(roster) == before


def test_a_blank_template_is_replaced(tmp_path):
    out = tmp_path / "模板.xlsx"
    assert run("template", "-o", out).exit_code == 0
    assert run("template", "-o", out).exit_code == 0


def test_a_blank_template_of_an_earlier_version_is_replaced(tmp_path):
    out = tmp_path / "模板.xlsx"
    assert run("template", "-o", out).exit_code == 0
    wb = openpyxl.load_workbook(out)
    wb[layout.SHEET_COVER][layout.cover_positions()["template_version"].coordinate] = "0.9"
    wb.save(out)
    result = run("template", "-o", out)
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out)[layout.SHEET_COVER][
        layout.cover_positions()["template_version"].coordinate].value == layout.TEMPLATE_VERSION


def test_a_filled_workbook_of_an_earlier_version_is_not_replaced(tmp_path):
    book = tmp_path / "南定镇2020.xlsx"
    write_workbook(sample_report(random.Random(4), unit_name="南定镇人民政府"), book)
    wb = openpyxl.load_workbook(book)
    wb[layout.SHEET_COVER][layout.cover_positions()["template_version"].coordinate] = "0.9"
    wb.save(book)
    before = digest(book)
    result = run("template", "-o", book)
    assert result.exit_code == 2, result.output
    assert digest(book) == before
