"""Click's own words (help headings, usage errors) appear in Chinese."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TEMPLATE = Path(__file__).resolve().parents[1] / "workbook_templates" / "gxexcel-template.xlsx"
ENGLISH = ("Usage:", "Options", "Commands", "Show this message", "Error:", "Missing argument", "No such command", "Try '")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gxexcel", *args], capture_output=True, text=True)


@pytest.mark.parametrize("args", [["--help"], ["validate", "--help"], ["merge", "-h"], ["addin", "--help"]])
def test_help_is_chinese(args):
    result = run(*args)
    assert result.returncode == 0
    assert "用法：" in result.stdout and "选项" in result.stdout and "显示本帮助并退出。" in result.stdout
    assert not any(word in result.stdout for word in ENGLISH), result.stdout


@pytest.mark.parametrize(
    "args, expected",
    [
        (["nosuch"], "错误：没有“nosuch”这个命令。"),
        (["merge"], "错误：缺少参数"),
        (["validate", "--bogus", "x.xlsx"], "错误：没有“--bogus”这个选项。"),
        (["sample", "out", "--count", "many"], "“many”不是有效的数值。"),
    ],
)
def test_usage_errors_are_chinese(args, expected):
    result = run(*args)
    assert result.returncode == 2
    assert expected in result.stderr, result.stderr
    assert "查看帮助" in result.stderr
    assert not any(word in result.stderr for word in ENGLISH), result.stderr


@pytest.mark.parametrize(
    "args, expected",
    [
        (["validate"], "错误：缺少参数“FILES...”。"),
        (["merge", "x", "-o", "m.txt"], "错误：“--output”、“-o”的值无效：输出文件“m.txt”应为 .xlsx 工作簿"),
        (["report", str(TEMPLATE), "-o", "x.pdf"], "错误：“-o”的值无效："),
    ],
)
def test_parameter_names_are_in_chinese_quotation_marks(args, expected):
    """Click quoted names itself: 缺少参数 'FILES...'. and '--output' / '-o' 的值无效."""
    result = run(*args)
    assert result.returncode == 2
    assert expected in result.stderr, result.stderr
    assert "'" not in result.stderr and " / " not in result.stderr, result.stderr
