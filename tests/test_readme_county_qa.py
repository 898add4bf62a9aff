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


def test_a_damaged_worksheet_is_named_in_chinese_only(tmp_path, monkeypatch):
    """The README promises a Chinese answer and no program error text; a worksheet whose cell
    reference names no cell (r="abc") said “文件已损坏或不是 Excel 工作簿（.xlsx），无法读取（Range is
    missing the expected row component.）”: the English text of the spreadsheet library. It now
    says the file is damaged and what to do, in Chinese, in validate and in merge's 报送情况."""
    import re
    import zipfile

    import openpyxl

    from gxexcel.sample import write_samples

    write_samples(tmp_path / "src", 1, seed=2, county="云溪县", manifest_dir=tmp_path)
    good = next((tmp_path / "src").glob("*.xlsx"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "报表").mkdir()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile("报表/损坏.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
        changed = 0
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/") and b'<c r="B5"' in data and not changed:
                data, changed = data.replace(b'<c r="B5"', b'<c r="abc"', 1), 1
            out.writestr(info, data)
    assert changed
    out = CliRunner().invoke(cli, ["validate", "报表/损坏.xlsx"])
    assert out.exit_code == 2, out.output
    assert "文件已损坏" in out.output and not re.search(r"[A-Za-z]{3,}", re.sub(r"Excel|WPS|\.xlsx", "", out.output)), out.output
    merged = CliRunner().invoke(cli, ["merge", "报表", "-o", "汇总.xlsx"])
    assert merged.exit_code == 1, merged.output
    rows = list(openpyxl.load_workbook("汇总.xlsx")["报送情况"].iter_rows(values_only=True))
    note = [dict(zip(rows[0], r)) for r in rows[1:]][0]["说明"]
    assert "文件已损坏" in note and not re.search(r"[A-Za-z]{3,}", re.sub(r"Excel|WPS|\.xlsx", "", note)), note


def test_exclude_errors_says_how_many_units_were_left_out(tmp_path, monkeypatch):
    """With --exclude-errors the screen said “计入汇总 1 个单位，其中 0 个有错误（未计入）”: always 0,
    since units with errors are not counted, and nothing said how many were left out. It now
    says how many units with errors were not counted; without the option the line is as before."""
    from gxexcel.sample import write_samples

    monkeypatch.chdir(tmp_path)
    write_samples(tmp_path / "报表", 13, seed=0, county="云溪县", errors=True, manifest_dir=tmp_path)
    out = CliRunner().invoke(cli, ["merge", "报表", "-o", "汇总.xlsx", "--exclude-errors", "--no-cache"])
    assert out.exit_code == 1, out.output
    import openpyxl

    rows = list(openpyxl.load_workbook("汇总.xlsx")["报送情况"].iter_rows(values_only=True))
    rows = [dict(zip(rows[0], r)) for r in rows[1:]]
    left_out = sum(1 for r in rows if r["计入汇总"] == "否" and (r["错误数"] or 0) > 0)
    counted = sum(1 for r in rows if r["计入汇总"] == "是")
    assert left_out > 0 and counted > 0
    text = "".join(out.output.split())
    assert f"计入汇总{counted}个单位" in text and "其中0个有错误" not in text, out.output
    assert f"另有{left_out}个有错误的单位未计入汇总（--exclude-errors）" in text, out.output
    plain = CliRunner().invoke(cli, ["merge", "报表", "-o", "汇总2.xlsx", "--no-cache"])
    assert f"计入汇总{counted + left_out}个单位，其中{left_out}个有错误（已计入）" in "".join(plain.output.split())


def test_a_damaged_roster_is_answered_in_chinese_only(tmp_path, monkeypatch):
    """A roster .xlsx cut short in copying (or not a workbook at all) said “名册无法读取（Cannot
    detect file format）”: the library's English text. It now says in Chinese that the roster is
    damaged and what to do; exit code 2, nothing written, as before."""
    import re

    from gxexcel.sample import write_samples

    monkeypatch.chdir(tmp_path)
    write_samples(tmp_path / "报表", 2, seed=0, county="云溪县", manifest_dir=tmp_path)
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["单位名称"])
    book.active.append(["城关镇"])
    book.save("完整名册.xlsx")
    data = (tmp_path / "完整名册.xlsx").read_bytes()
    (tmp_path / "名册.xlsx").write_bytes(data[: len(data) // 2])
    (tmp_path / "名册2.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    for roster in ("名册.xlsx", "名册2.xlsx"):
        out = CliRunner().invoke(cli, ["merge", "报表", "-o", "汇总.xlsx", "--roster", roster])
        assert out.exit_code == 2, out.output
        assert "名册无法读取" in out.output, out.output
        assert not re.search(r"[A-Za-z]{3,}", re.sub(r"Excel|WPS|\.xlsx|\.csv", "", out.output)), out.output
        assert not (tmp_path / "汇总.xlsx").exists()


def test_merge_help_lists_the_exit_codes_the_readme_gives():
    """The README lists merge's exit codes 0/1/2/130/143; gxexcel merge --help stopped at 2, so a
    county office scripting the merge could not tell an interrupted run (130, 143) from others."""
    out = CliRunner().invoke(cli, ["merge", "--help"])
    text = "".join(out.output.split())
    assert out.exit_code == 0
    for code in ("0没有问题", "1有单位存在错误", "2输入、名册或上年汇总无法使用", "130", "143"):
        assert code in text, out.output


def test_a_pipe_in_an_input_folder_is_listed_not_left_out(tmp_path):
    """The README says pipes and device files are 无法读取 with the reason; a named pipe called
    like a report (管道.xlsx) inside an input folder was silently left out of 报送情况 (only one
    given directly was listed). It is now listed as 无法读取 “这不是普通文件（可能是设备或管道）…”,
    and the merge does not wait on it."""
    import os

    import gxexcel.consolidation as gc
    from gxexcel.consolidation.submissions import UNREADABLE
    from gxexcel.sample import write_samples

    inbox = tmp_path / "各乡镇报表"
    write_samples(inbox, 2, seed=3, county="云溪县", manifest_dir=tmp_path)
    os.mkfifo(inbox / "管道.xlsx")
    os.mkfifo(inbox / "说明.txt.fifo")  # not named like a report: not a submission, as before
    for workers in (1, None):
        result = gc.consolidate([inbox], workers=workers)
        rows = {os.path.basename(s.file): s for s in result.statuses if s.file}
        assert "管道.xlsx" in rows, sorted(rows)
        assert rows["管道.xlsx"].status == UNREADABLE and "不是普通文件" in rows["管道.xlsx"].note
        assert "说明.txt.fifo" not in rows and len(result.counted) == 2
