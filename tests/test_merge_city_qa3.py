"""A QA round on the merge across levels (issue 6): what a roster among the submissions, an
identical township file reached through two consolidations and a consolidation edited by hand
are listed as.
"""

from __future__ import annotations

import shutil

import openpyxl
import pytest

import gxexcel.consolidation as gc
from gxexcel.consolidation.roster import ROSTER_AMONG_INPUTS
from gxexcel.sample import write_samples


def _rows(path, sheet):
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def _roster(path, names):
    book = openpyxl.Workbook()
    book.active.append(["单位名称", "单位类型"])
    for name in names:
        book.active.append([name, "乡镇人民政府"])
    book.save(path)
    return path


def test_a_copy_of_the_roster_among_the_submissions_is_named_a_roster(tmp_path):
    """名册（副本）.xlsx left in the folder of reports (the real roster given with --roster) was
    无法读取 “这不是 gxexcel 年报填报模板（没有“封面”工作表）…”; it is still 无法读取 (every file is
    accounted for), and says it is a roster, as a .csv copy and one inside a county's .zip do."""
    folder = tmp_path / "各乡镇报表"
    write_samples(folder, 3, seed=1, county="云溪县", manifest_dir=tmp_path)
    roster = _roster(tmp_path / "名册.xlsx", ("城关镇", "云溪镇", "石门镇"))
    shutil.copy(roster, folder / "名册（副本）.xlsx")
    (folder / "名册.csv").write_text("单位名称,单位类型\n城关镇,乡镇人民政府\n", encoding="utf-8")
    shutil.make_archive(str(tmp_path / "补报"), "zip", tmp_path, "名册.xlsx")
    stranger = openpyxl.Workbook()
    stranger.active.append(["姓名", "电话"])
    stranger.save(folder / "通讯录.xlsx")
    result = gc.consolidate([folder, tmp_path / "补报.zip"], roster=roster)
    by_file = {s.file.rsplit("/", 1)[-1]: s for s in result.statuses if s.file}
    for name in ("名册（副本）.xlsx", "名册.csv", "名册.xlsx"):
        assert (by_file[name].status, by_file[name].note) == ("无法读取", ROSTER_AMONG_INPUTS), name
    assert ROSTER_AMONG_INPUTS.startswith("这是名册，不是单位的报表")
    assert "年报填报模板" in by_file["通讯录.xlsx"].note  # a stranger's workbook is not a roster
    assert len(result.counted) == 3
    out = result.to_excel(tmp_path / "汇总.xlsx")
    notes = {r["来源文件"].rsplit("/", 1)[-1]: r["说明"] for r in _rows(out, "报送情况") if r["来源文件"]}
    assert notes["名册（副本）.xlsx"] == ROSTER_AMONG_INPUTS
