"""--help reads as Chinese: no stray space where a docstring line was broken inside a sentence
(click joins the lines with a space: “刷新这些段落， 但人工…”, “六个工作表。 有错误…”), and
merge's help gives the exit codes the README gives (2: input, roster or previous summary unusable)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from gxexcel.cli import cli

COMMANDS = ["spec", "template", "sample", "demo", "validate", "import", "narrate", "report", "merge", "addin"]
CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_no_space_between_chinese_characters(command):
    result = CliRunner().invoke(cli, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    flat = re.sub(r"\n\s*", "", result.output)  # the terminal's own wrapping is not the text's
    stray = re.findall(f".{{0,8}}{CJK} {CJK}.{{0,8}}", flat)
    assert not stray, stray


def test_merge_help_gives_every_exit_code():
    result = CliRunner().invoke(cli, ["merge", "--help"], terminal_width=200)
    flat = " ".join(result.output.split())
    assert "退出码" in flat and "0" in flat and "2" in flat.split("退出码", 1)[1], flat


def test_demo_help_names_every_step_it_runs():
    """The demo also merges the county (step 5) and checks the copied text; its help said
    only that it generates and validates."""
    result = CliRunner().invoke(cli, ["demo", "--help"], terminal_width=200)
    flat = "".join(result.output.split())
    assert all(step in flat for step in ("生成模板", "示例报表", "校验", "汇总")), flat
