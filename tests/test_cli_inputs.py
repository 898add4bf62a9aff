"""Every command that takes "a report" (validate, validate --previous, report) reads it the
same way: a template workbook, a report saved as JSON, or a published report; anything
else gets a Chinese message naming the file and exit code 2, never a traceback."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from gxexcel.cli import cli
from gxexcel.sample import sample_report
from gxexcel.writer import write_workbook


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    d = tmp_path_factory.mktemp("inputs")
    report = sample_report(random.Random(11), unit_name="石门镇人民政府")
    (d / "石门镇.json").write_text(report.to_json(), encoding="utf-8")
    write_workbook(report, d / "石门镇.xlsx")
    return d


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_saved_json_validates_like_its_workbook(saved):
    from_json = run("validate", saved / "石门镇.json", "--json")
    from_book = run("validate", saved / "石门镇.xlsx", "--json")
    assert from_json.exit_code == from_book.exit_code, from_json.output
    key = lambda f: (f["rule"], f["severity"], f["message"])  # noqa: E731
    assert sorted(map(key, json.loads(from_json.stdout))) == sorted(map(key, json.loads(from_book.stdout)))


def test_a_saved_json_exports(saved, tmp_path):
    result = run("report", saved / "石门镇.json", "-o", tmp_path / "石门镇.html")
    assert result.exit_code in (0, 1), result.output
    assert "石门镇人民政府" in (tmp_path / "石门镇.html").read_text(encoding="utf-8")


BAD_JSON = {
    "not_json.json": "{bad",
    "wrong_shape.json": json.dumps({"cells": 5}),
    "a_list.json": json.dumps([1, 2, 3]),
    "unknown_field.json": json.dumps({"单位": "甲镇"}, ensure_ascii=False),
}


@pytest.mark.parametrize("name", sorted(BAD_JSON))
@pytest.mark.parametrize("command", ["validate", "report", "previous"])
def test_json_that_is_not_a_report_is_refused_in_chinese(tmp_path, saved, name, command):
    bad = tmp_path / name
    bad.write_text(BAD_JSON[name], encoding="utf-8")
    args = {
        "validate": ("validate", bad),
        "report": ("report", bad, "-o", tmp_path / "out.docx"),
        "previous": ("validate", saved / "石门镇.xlsx", "--previous", bad),
    }[command]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert name in result.output and "不是 gxexcel 保存的报告数据（JSON）" in result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.parametrize("command", ["validate", "report"])
def test_unsupported_format_names_what_is_accepted(tmp_path, command):
    bad = tmp_path / "年报.png"  # a photo of the report (a PDF gets the importer's own advice)
    bad.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    args = ("validate", bad) if command == "validate" else ("report", bad, "-o", tmp_path / "o.docx")
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "年报.png" in result.output and "不支持的输入格式" in result.output and ".xlsx" in result.output


@pytest.mark.parametrize("command", [
    ("template",), ("report", "{book}"), ("narrate", "{book}"), ("merge", "{folder}"), ("import", "{txt}"),
])
def test_output_in_a_folder_that_is_a_file_gets_a_chinese_message(saved, tmp_path, seed_path, command):
    # -o 石门镇.xlsx/输出.xlsx: the "folder" is an existing file (a slip when typing the path)
    blocker = tmp_path / "汇总"
    blocker.write_bytes(b"not a folder")
    ext = {"report": ".docx", "import": ".xlsx"}.get(command[0], ".xlsx")
    fill = {"book": saved / "石门镇.xlsx", "folder": saved, "txt": seed_path}
    args = [a.format(**fill) for a in command]
    result = run(*args, "-o", blocker / "子目录" / f"输出{ext}")
    assert result.exit_code == 2, result.output
    assert "内部错误" not in result.output and "Error" not in result.output
    assert "汇总" in result.output and "不是文件夹" in result.output
    assert blocker.read_bytes() == b"not a folder"


def test_unwritable_merge_output_leaves_no_traceback_noise(saved, tmp_path):
    # the consolidated workbook is half-built (openpyxl write-only sheets) when the output
    # turns out to be unwritable: no "Exception ignored … Traceback" after the message
    import subprocess
    import sys

    (tmp_path / "汇总").write_bytes(b"not a folder")
    proc = subprocess.run(
        [sys.executable, "-m", "gxexcel", "merge", str(saved), "-o", str(tmp_path / "汇总" / "x.xlsx"), "--no-cache"],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2, proc.stderr
    assert "不是文件夹" in proc.stderr and "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr


@pytest.mark.parametrize("command", [
    ("template",), ("merge", "{folder}", "--no-cache"), ("import", "{txt}"), ("report", "{book}"),
])
def test_a_read_only_output_is_not_replaced(saved, tmp_path, seed_path, command):
    """The previous output marked read-only (to keep it) is refused like Excel does, with a
    Chinese message naming it, instead of being silently replaced."""
    import os
    import stat

    ext = ".docx" if command[0] == "report" else ".xlsx"
    target = tmp_path / f"上次{ext}"
    if command[0] == "merge":  # the county's earlier consolidation (merge replaces nothing else)
        import gxexcel

        gxexcel.consolidate([saved]).to_excel(target)
    else:
        target.write_bytes(b"kept")
    kept = target.read_bytes()
    os.chmod(target, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    fill = {"book": saved / "石门镇.xlsx", "folder": saved, "txt": seed_path}
    result = run(*[a.format(**fill) for a in command], "-o", target)
    assert result.exit_code == 2, result.output
    assert "只读" in result.output and "上次" in result.output and "内部错误" not in result.output
    assert target.read_bytes() == kept


@pytest.mark.parametrize("command", ["validate", "merge"])
def test_a_folder_holding_an_entry_that_cannot_be_looked_up_is_still_checked(saved, tmp_path, command):
    """A link into a place this user may not enter (on a USB stick: a shortcut into a locked folder)."""
    import shutil

    folder = tmp_path / "各乡镇"
    folder.mkdir()
    shutil.copy(saved / "石门镇.xlsx", folder / "石门镇.xlsx")
    link = folder / "快捷方式"
    link.symlink_to("/proc/1/cwd")
    try:
        link.is_file()
        pytest.skip("no entry this process may not look up")
    except PermissionError:
        pass
    args = [command, folder] + (["-o", tmp_path / "汇总.xlsx"] if command == "merge" else [])
    result = run(*args)
    assert "内部错误" not in result.output and result.exit_code in (0, 1), result.output
    assert ("石门镇" if command == "validate" else "计入汇总 1 个单位") in result.output
