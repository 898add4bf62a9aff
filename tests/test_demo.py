"""``gxexcel demo``: the README's main-job command, end to end on real files."""

from __future__ import annotations

import json

from click.testing import CliRunner

from gxexcel.cli import cli
from gxexcel.cli.demo import REPORTS_DIR, TEMPLATE_NAME, TOWNSHIPS
from gxexcel.reader import read_workbook
from gxexcel.sample import ERROR_KINDS, MANIFEST_CSV, MANIFEST_JSON


def test_demo_builds_checks_and_reports(tmp_path):
    out = tmp_path / "演示"
    result = CliRunner().invoke(cli, ["demo", str(out)])
    assert result.exit_code == 0, result.output
    text = result.output
    for step in ("1. 已生成加锁的填报模板", "2. 已生成云溪县 19 个乡镇", "3. 已导入随附的南定镇", "4. 已逐一校验 20 个报表"):
        assert step in text, text
    assert f"注入的 {len(ERROR_KINDS)} 个错误中发现 {len(ERROR_KINDS)} 个" in text

    assert (out / TEMPLATE_NAME).is_file()
    workbooks = sorted((out / REPORTS_DIR).glob("*.xlsx"))
    assert len(workbooks) == TOWNSHIPS
    assert (out / MANIFEST_JSON).is_file() and (out / MANIFEST_CSV).is_file()
    assert not list((out / REPORTS_DIR).glob("manifest.*"))  # the reports folder holds reports only
    manifest = json.loads((out / MANIFEST_JSON).read_text(encoding="utf-8"))
    assert len(manifest["workbooks"]) == TOWNSHIPS - 1

    seed = read_workbook(workbooks[-1])
    assert seed.unit_name == "南定镇人民政府" and seed.year == 2021
    assert seed.cells["t2.license.decisions"] == 805  # the seed's figures
    assert "金山镇" in seed.narrative["s1.request"]  # and its real copy-paste error
    assert "南定镇人民政府" in text

    names = {read_workbook(p).unit_name for p in workbooks}
    assert len(names) == TOWNSHIPS  # twenty different units


    # running again over its own output gives the same county (same seed, same content)
    before = {p.name: read_workbook(p) for p in workbooks}
    manifest_bytes = (out / MANIFEST_JSON).read_bytes()
    again = CliRunner().invoke(cli, ["demo", str(out)])
    assert again.exit_code == 0, again.output
    after = sorted((out / REPORTS_DIR).glob("*.xlsx"))
    assert [p.name for p in after] == list(before)
    for p in after:
        assert read_workbook(p).same_content(before[p.name])
    assert (out / MANIFEST_JSON).read_bytes() == manifest_bytes
