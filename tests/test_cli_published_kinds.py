"""Every message and help text that tells the clerk which published reports gxexcel reads names
the kinds the README lists and import really reads: .shtml and .mht pages and .doc files
included (they used to say only .txt/.html/.docx, so a county office holding a portal's .shtml
page or a “下载 Word 版” .doc was told it could not be used)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from gxexcel.cli import cli

KINDS = (".txt", ".html", ".shtml", ".mht", ".docx", ".doc")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def names_every_kind(text: str) -> None:
    flat = " ".join(text.split())
    for kind in KINDS:
        assert re.search(re.escape(kind) + r"(?![a-z])", flat), (kind, flat)


@pytest.mark.parametrize("command", ["validate", "import", "merge"])
def test_help_names_every_published_kind(command):
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    names_every_kind(result.output)


def test_validate_of_an_unsupported_file_names_every_kind(tmp_path):
    odd = tmp_path / "城关镇.et"
    odd.write_bytes(b"not a report")
    result = run("validate", odd)
    assert result.exit_code == 2, result.output
    assert "城关镇.et" in result.output
    names_every_kind(result.output)


def test_validate_of_a_folder_without_reports_names_every_kind(tmp_path):
    (tmp_path / "空").mkdir()
    result = run("validate", tmp_path / "空")
    assert result.exit_code == 2, result.output
    names_every_kind(result.output)


def test_import_of_an_unsupported_file_names_every_kind(tmp_path):
    odd = tmp_path / "城关镇.rtf"
    odd.write_bytes(b"{\\rtf1 not read}")
    result = run("import", odd)
    assert result.exit_code == 2, result.output
    names_every_kind(result.output)


def test_merge_of_an_unsupported_file_names_every_kind(tmp_path):
    odd = tmp_path / "城关镇.et"
    odd.write_bytes(b"not a report")
    result = run("merge", odd, "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code in (1, 2), result.output
    from openpyxl import load_workbook

    rows = list(load_workbook(tmp_path / "汇总.xlsx")["报送情况"].iter_rows(values_only=True))
    note = " ".join(str(v) for row in rows for v in row if v)
    assert "城关镇.et" in note
    names_every_kind(note)
