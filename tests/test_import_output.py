"""gxexcel import -o never replaces another unit's workbook or a file that is not a template
(import 石门镇年报.html -o 城关镇.xlsx replaced 城关镇's filled report silently, as narrate -o
did before it was fixed); the same unit's earlier import is still replaced."""

from __future__ import annotations

import hashlib
import random

import openpyxl
from click.testing import CliRunner

from gxexcel.cli import cli
from gxexcel.publish.html import render_html
from gxexcel.sample import sample_report
from gxexcel.writer import write_workbook


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def published(tmp_path, unit="石门镇人民政府"):
    page = tmp_path / "石门镇年报.html"
    page.write_text(render_html(sample_report(random.Random(8), unit_name=unit)), encoding="utf-8")
    return page


def test_another_units_workbook_is_not_replaced(tmp_path):
    other = tmp_path / "城关镇.xlsx"
    write_workbook(sample_report(random.Random(9), unit_name="城关镇人民政府"), other)
    before = digest(other)
    result = run("import", published(tmp_path), "-o", other)
    assert result.exit_code == 2, result.output
    assert "城关镇人民政府" in result.output and "城关镇.xlsx" in result.output, result.output
    assert digest(other) == before


def test_a_file_that_is_not_a_template_is_not_replaced(tmp_path):
    roster = tmp_path / "名册.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["单位名称"])
    wb.save(roster)
    before = digest(roster)
    result = run("import", published(tmp_path), "-o", roster)
    assert result.exit_code == 2, result.output
    assert digest(roster) == before


def test_the_same_units_earlier_import_and_a_blank_template_are_replaced(tmp_path):
    page = published(tmp_path)
    out = tmp_path / "石门镇.xlsx"
    assert run("import", page, "-o", out).exit_code in (0, 1)
    assert run("import", page, "-o", out).exit_code in (0, 1)
    blank = tmp_path / "模板.xlsx"
    assert run("template", "-o", blank).exit_code == 0
    assert run("import", page, "-o", blank).exit_code in (0, 1)
    assert openpyxl.load_workbook(blank)["封面"]["B3"].value == "石门镇人民政府"
