"""``gxexcel import``: exit codes, JSON on stdout, workbooks that keep blanks blank."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from gxexcel import form
from gxexcel.cli import cli
from gxexcel.reader import read_workbook

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def test_truncated_report_exit_code_and_workbook(tmp_path):
    src = FIXTURES / "truncated.txt"
    before = src.read_bytes()
    out = tmp_path / "truncated.xlsx"
    result = CliRunner().invoke(cli, ["import", str(src), "-o", str(out)])
    assert result.exit_code == 1  # findings with errors (missing sections and rows)
    assert "IMP-MISSING" in result.output and "STRUCT-SECTIONS" in result.output
    back = read_workbook(out)
    expected = json.loads((FIXTURES / "expected_cells.json").read_text(encoding="utf-8"))
    for row in form.T3.rows[:8]:
        cid = f"t3.{row.id}.natural"
        assert back.cells[cid] == expected[cid]
    # rows that were not in the file stay blank in the workbook: nothing is made up
    inputs = [c for c in form.INPUT_CELLS if c.startswith(("t3.unable", "t4."))]
    assert inputs and all(back.cells[c] is None for c in inputs)
    assert src.read_bytes() == before


def test_json_goes_to_stdout_alone():
    result = CliRunner().invoke(cli, ["import", str(FIXTURES / "html_spans.html"), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["source"]["kind"] == "html" and data["cells"]["t4.review.other"] is None
    assert [f["rule"] for f in data["source"]["findings"]] == ["IMP-CELL-BLANK"]


def test_output_must_be_a_workbook(tmp_path):
    result = CliRunner().invoke(cli, ["import", str(FIXTURES / "pipe_quirks.txt"), "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "输出文件应为 .xlsx 工作簿" in result.output
    assert not (tmp_path / "x.csv").exists()


def test_missing_file(tmp_path):
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "没有.txt")])
    assert result.exit_code == 2 and "文件不存在" in result.output and "Traceback" not in result.output


def test_a_part_too_long_for_one_cell_is_refused_not_cut(tmp_path):
    """Excel holds 32,767 characters in a cell and openpyxl would silently cut the rest:
    ``import -o`` refuses with a message naming the part and the cell, and writes nothing;
    the same text is still checked by ``validate``."""
    from gxexcel import layout

    seed = (FIXTURES / "pipe_quirks.txt").read_text(encoding="utf-8")
    marker = "一、总体情况"
    assert marker in seed
    long_text = seed.replace(marker, marker + "\n" + "本机关持续深化政务公开，" * 3000, 1)
    src = tmp_path / "long.txt"
    src.write_text(long_text, encoding="utf-8")
    out = tmp_path / "long.xlsx"
    result = CliRunner().invoke(cli, ["import", str(src), "-o", str(out)])
    assert result.exit_code == 2, result.output
    pos = layout.text_positions()["s1.intro"]
    assert "32767" in result.output and "总体情况" in result.output
    assert pos.sheet in result.output and pos.coordinate in result.output
    assert not out.exists() and "Traceback" not in result.output
    checked = CliRunner().invoke(cli, ["validate", str(src), "--json"])
    assert checked.exit_code in (0, 1) and json.loads(checked.stdout)
