"""``gxexcel report`` from a filled workbook (and from a published report) to Word, HTML and text."""

from __future__ import annotations

import hashlib
import random

from bs4 import BeautifulSoup
from click.testing import CliRunner

from gxexcel import form
from gxexcel.cli import cli
from gxexcel.importer import import_report
from gxexcel.reader import read_workbook
from gxexcel.sample import sample_report
from gxexcel.writer import write_workbook


def _run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def test_report_exports_a_narrated_workbook_in_every_format(tmp_path):
    book = tmp_path / "石门镇.xlsx"
    report = sample_report(random.Random(9), unit_name="石门镇人民政府")
    write_workbook(report, book)
    assert _run("narrate", book).exit_code == 0
    before = hashlib.sha256(book.read_bytes()).digest()
    model = read_workbook(book)
    for name in ("报告.docx", "报告.html", "报告.txt", "报告.md"):
        result = _run("report", book, "-o", tmp_path / name)
        assert result.exit_code == 0, result.output
        assert "已生成" in result.output and (tmp_path / name).exists()
    assert hashlib.sha256(book.read_bytes()).digest() == before
    for name in ("报告.docx", "报告.html"):
        back = import_report(tmp_path / name)
        assert back.cells == model.cells and back.fees == model.fees and back.markers == model.markers
        assert {k: v for k, v in back.narrative.items() if v} == {k: v for k, v in model.narrative.items() if v}
    soup = BeautifulSoup((tmp_path / "报告.html").read_text(encoding="utf-8"), "lxml")
    assert soup.h1.text == model.title_text
    text = (tmp_path / "报告.txt").read_text(encoding="utf-8").splitlines()
    assert text[0] == model.title_text and form.SECTIONS[5].heading in text
    assert "|---|" in (tmp_path / "报告.md").read_text(encoding="utf-8")


def test_report_of_a_published_report_with_errors_is_written_but_flagged(tmp_path, seed_path):
    out = tmp_path / "南定镇.docx"
    result = _run("report", seed_path, "-o", out)
    assert out.exists()
    assert result.exit_code == 1 and "个错误" in result.output  # 金山镇 (META-UNIT-NAME) is an error


def test_report_refuses_unknown_formats_and_unusable_files(tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    result = _run("report", bad, "-o", tmp_path / "x.docx")
    assert result.exit_code == 2 and "坏.xlsx" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.docx").exists()
    book = tmp_path / "b.xlsx"
    write_workbook(sample_report(random.Random(1), unit_name="石门镇人民政府"), book)
    result = _run("report", book, "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2 and "--format" in result.output
