"""The bundled seed report (南定镇 2021, one cell per line) imports exactly (issue 4 acceptance)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from gxexcel import form
from gxexcel.cli import cli
from gxexcel.importer import import_report
from gxexcel.reader import read_workbook


@pytest.fixture(scope="module")
def seed_report(seed_path):
    return import_report(seed_path)


@pytest.fixture(scope="module")
def seed_lines(seed_path):
    return [line.strip() for line in seed_path.read_text(encoding="utf-8").splitlines()]


def _between(lines: list[str], start: str, stop: str) -> str:
    """The non-blank lines strictly between the line ``start`` and the line ``stop``."""
    i, j = lines.index(start), lines.index(stop)
    return "\n".join(x for x in lines[i + 1 : j] if x)


def test_seed_identity(seed_report):
    assert seed_report.unit_name == "南定镇人民政府"
    assert seed_report.unit_type == "乡镇人民政府"
    assert seed_report.year == 2021
    assert seed_report.title == ""  # the title is exactly the official one, so it is not stored
    assert seed_report.title_text == "南定镇人民政府2021年政府信息公开工作年度报告"
    assert seed_report.source.kind == "text"
    assert len(seed_report.source.sha256) == 64


def test_seed_all_cells_exact(seed_report):
    assert len(seed_report.cells) == 10 + 175 + 15
    expected = {cid: 0 for cid in form.CELLS} | {"t2.license.decisions": 805}
    assert seed_report.cells == expected
    assert all(type(v) is int for v in seed_report.cells.values())


def test_seed_every_section_text(seed_report, seed_lines):
    n = seed_report.narrative
    assert set(n) == {p.id for p in form.NARRATIVE_PARTS}
    assert n["preamble"] == ""
    assert n["s1.intro"] == _between(seed_lines, "一、总体情况", "（一）主动公开政府信息情况")
    assert n["s1.active"] == _between(seed_lines, "（一）主动公开政府信息情况", "（二）依申请公开政府信息和不予公开政府信息的情况")
    assert n["s1.request"] == _between(seed_lines, "（二）依申请公开政府信息和不予公开政府信息的情况", "（三）政府信息管理情况")
    assert "金山镇" in n["s1.request"]  # the copied place name is kept verbatim for META-UNIT-NAME
    assert n["s1.management"] == _between(seed_lines, "（三）政府信息管理情况", "（四）政府信息公开平台建设情况")
    assert n["s1.platform"] == _between(seed_lines, "（四）政府信息公开平台建设情况", "（五）监督保障情况")
    assert n["s1.supervision"] == _between(seed_lines, "（五）监督保障情况", "二、主动公开政府信息情况")
    assert n["s5"] == _between(seed_lines, "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
    assert n["s5"].startswith("（一）主要问题\n一是部分信息公开时效性差。")
    assert n["s6"] == "无。"
    assert n["s2.note"] == n["s3.note"] == n["s4.note"] == ""
    # section 六 states no fee figures: nothing is made up
    assert seed_report.fees == {f.id: None for f in form.FEE_FIELDS}


def test_seed_findings(seed_report):
    got = sorted((f.rule, f.severity, f.message) for f in seed_report.source.findings)
    labels = [
        ("（二）部分公开（区分处理的，只记这一情形，不计其他情形）", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
        ("1.属于国家机密", "1.属于国家秘密"),
        (
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其他政府公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
    ]
    expected = sorted(
        [("TPL-LABEL-EXACT", "warning", f"表三的标签“{a}”与规定格式“{b}”不一致") for a, b in labels]
        + [("TPL-PRE2019", "warning", "出现2019年以前的旧标题“依申请公开政府信息和不予公开政府信息的情况”，疑似照抄旧报告")]
    )
    assert got == expected


def test_seed_import_is_deterministic(seed_path, seed_report):
    again = import_report(seed_path)
    assert again.to_json() == seed_report.to_json()


def test_cli_seed_to_workbook_and_back(seed_path, seed_report, tmp_path):
    out = tmp_path / "南定镇.xlsx"
    result = CliRunner().invoke(cli, ["import", str(seed_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "南定镇人民政府" in result.output and "200 / 200" in result.output
    assert "TPL-LABEL-EXACT" in result.output
    back = read_workbook(out)
    assert back.cells == seed_report.cells
    assert back.unit_name == "南定镇人民政府" and back.year == 2021
    for pid, text in seed_report.narrative.items():
        assert (back.narrative.get(pid) or "") == text, pid


def test_cli_json_cells_keyed_by_spec_ids(seed_path):
    spec = json.loads(
        subprocess.run(
            [sys.executable, "-m", "gxexcel", "spec", "--json"], capture_output=True, text=True, check=True
        ).stdout
    )
    spec_ids = {c["id"] for t in spec["tables"] for c in t["cells"]}
    run = subprocess.run(
        [sys.executable, "-m", "gxexcel", "import", str(seed_path), "--json"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert set(data["cells"]) == spec_ids
    assert data["cells"]["t2.license.decisions"] == 805
    assert data["unit_name"] == "南定镇人民政府" and data["year"] == 2021
    assert [f["rule"] for f in data["source"]["findings"]].count("TPL-LABEL-EXACT") == 3
