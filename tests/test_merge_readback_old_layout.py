"""Reading back a consolidation written before 校验情况 had its 经由汇总文件 column.

The city's consolidation of two versions of 云溪县's consolidation (the fixture of
test_merge_city_qa) lists every township twice: same name, same source file
各乡镇报表/0N_….xlsx, each through its own county consolidation. Without the column, a
province merging it gave each of the two the findings of both.
"""

from __future__ import annotations

from collections import Counter

import openpyxl
from test_merge_city_qa import TOWN, corrected  # noqa: F401  (the fixture)

import gxexcel.consolidation as gc


def _own_findings(c) -> Counter:
    return Counter((r["单位名称"], r["来源文件"], r["级别"], r["规则"], r["工作表"], r["单元格"], r["问题"])
                   for r in c.findings.to_dict("records") if r["发现环节"] == "单位校验")


def test_each_finding_once_when_units_share_name_and_source_file(corrected, tmp_path):  # noqa: F811
    merged, out, _, _ = corrected
    wb = openpyxl.load_workbook(out)
    ws = wb["校验情况"]
    assert [c.value for c in ws[1]][:3] == ["单位名称", "来源文件", "经由汇总文件"]
    ws.delete_cols(3)
    older = tmp_path / "市汇总（旧版）.xlsx"
    wb.save(older)
    shared = Counter((u.unit_name, u.file) for u in merged.units if u.readable)
    assert shared[(TOWN, "各乡镇报表/01_城关镇.xlsx")] == 2 and all(n == 2 for n in shared.values())
    assert sum(u.errors for u in merged.units) >= 3  # the uncorrected townships' broken balances

    again = gc.consolidate([older])
    key = lambda u: (u.unit_name, u.file, u.sha256)  # noqa: E731
    assert sorted((key(u), u.findings) for u in again.units if u.readable) == \
        sorted((key(u), u.findings) for u in merged.units if u.readable)
    assert _own_findings(again) == _own_findings(merged)
    assert all(len(set(u.findings)) == len(u.findings) for u in again.units)  # none of a unit's twice
    # 明细 and 报送情况 count them once too
    assert again.detail["errors"].sum() == merged.detail["errors"].sum()
    assert again.submissions["警告数"].sum() == merged.submissions["警告数"].sum()
