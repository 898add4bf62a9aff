"""An output file that is open in Excel, WPS, Word or LibreOffice (its owner/lock file lies
beside it) is not replaced: merge -o, report -o, validate --write-back and import -o say so in
Chinese with exit code 2, as narrate already did. On macOS and Linux nothing stops the
replacement at the file-system level, and the clerk's next save from Excel would silently
overwrite gxexcel's output (README: 文件正被 Excel 打开时给出写明文件的中文提示，退出码 2)."""

from __future__ import annotations

import hashlib
import random

import pytest
from click.testing import CliRunner

from gxexcel.cli import cli
from gxexcel.sample import sample_report
from gxexcel.writer import write_workbook


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def unit(tmp_path):
    folder = tmp_path / "报表"
    folder.mkdir()
    write_workbook(sample_report(random.Random(5), unit_name="石门镇人民政府"), folder / "石门镇.xlsx")
    return folder


@pytest.mark.parametrize("lock", ["~$全县汇总.xlsx", ".~lock.全县汇总.xlsx#"])
def test_merge_does_not_replace_a_summary_open_in_excel(unit, tmp_path, lock):
    out = tmp_path / "全县汇总.xlsx"
    assert run("merge", unit, "-o", out).exit_code in (0, 1)
    before = digest(out)
    (tmp_path / lock).write_bytes(b"owner")
    result = run("merge", unit, "-o", out)
    assert result.exit_code == 2, result.output
    assert "全县汇总.xlsx" in result.output and "打开" in result.output, result.output
    assert digest(out) == before


def test_report_does_not_replace_a_document_open_in_word(unit, tmp_path):
    out = tmp_path / "石门镇2021年报.docx"
    assert run("report", unit / "石门镇.xlsx", "-o", out).exit_code in (0, 1)
    before = digest(out)
    (tmp_path / "~$门镇2021年报.docx").write_bytes(b"owner")  # Word drops the first two characters
    result = run("report", unit / "石门镇.xlsx", "-o", out)
    assert result.exit_code == 2, result.output
    assert "打开" in result.output and digest(out) == before


def test_write_back_does_not_replace_a_checked_copy_open_in_excel(unit):
    book = unit / "石门镇.xlsx"
    run("validate", book, "--write-back")
    checked = unit / "石门镇_校验.xlsx"
    before = digest(checked)
    (unit / "~$石门镇_校验.xlsx").write_bytes(b"owner")
    result = run("validate", book, "--write-back")
    assert result.exit_code == 2, result.output
    assert "打开" in result.output and digest(checked) == before


def test_a_lock_file_of_a_new_output_does_not_block(unit, tmp_path):
    """A leftover owner file beside an output that does not exist yet blocks nothing."""
    (tmp_path / "~$新汇总.xlsx").write_bytes(b"owner")
    assert run("merge", unit, "-o", tmp_path / "新汇总.xlsx").exit_code in (0, 1)
