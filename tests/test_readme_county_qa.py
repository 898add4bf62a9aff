"""The README's county-office sections checked against the tool (QA from a fresh clone)."""

from __future__ import annotations

from click.testing import CliRunner

from gxexcel.cli import cli
from gxexcel.cli.inputs import ROSTER_GIVEN


def test_validate_names_a_csv_roster_a_roster(tmp_path):
    """The README says gxexcel validate of the roster says it is a roster; for the roster as .csv
    (UTF-8 or GBK, as the README allows) it said “不支持的输入格式；请使用填报模板（.xlsx）…”.
    It now gives the roster text, as for 名册.xlsx; exit code 2 as before."""
    utf8 = tmp_path / "名册.csv"
    utf8.write_text("单位名称,单位类型\n城关镇,乡镇人民政府\n云溪镇,乡镇人民政府\n", encoding="utf-8")
    gbk = tmp_path / "名册GBK.csv"
    gbk.write_bytes("单位类型,单位名称\n乡镇人民政府,城关镇\n".encode("gbk"))
    for roster in (utf8, gbk):
        for args in (["validate", str(roster)], ["report", str(roster), "-o", str(tmp_path / "x.docx")]):
            out = CliRunner().invoke(cli, args)
            text = "".join(out.output.split())
            assert out.exit_code == 2, out.output
            assert "".join(ROSTER_GIVEN.split()) in text and "不支持的输入格式" not in text, out.output


def test_validate_of_another_csv_is_still_unsupported(tmp_path):
    """A .csv that is not a roster keeps the unsupported-format text."""
    other = tmp_path / "数据.csv"
    other.write_text("项目,数量\n申请,3\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["validate", str(other)])
    assert out.exit_code == 2 and "不支持的输入格式" in out.output, out.output
