"""A city merges county consolidations whose 城关镇 both left 所属县（市、区） blank on the
cover: each county consolidation knows its county, so the two 城关镇 stay two units; loose
township files with a blank 所属县 (not via a consolidation) cannot be told apart."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

import gxexcel.consolidation as gc
from gxexcel.reader import read_workbook
from gxexcel.sample import write_samples
from gxexcel.writer import write_workbook

COUNTS = {"云溪县": 5, "石桥县": 3}


def _townships(tmp, county, seed):
    folder = tmp / county / "各乡镇报表"
    write_samples(folder, COUNTS[county], seed=seed, county=county, manifest_dir=tmp / county)
    return folder


def _rows(path, sheet):
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]

@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    """Both counties' 城关镇 left 所属县（市、区） blank on the cover."""
    tmp = tmp_path_factory.mktemp("city_blank")
    folder = tmp / "市"
    folder.mkdir()
    loose = tmp / "散报"
    loose.mkdir()
    for county, seed in (("云溪县", 1), ("石桥县", 2)):
        townships = _townships(tmp, county, seed)
        path = townships / "01_城关镇.xlsx"
        report = read_workbook(path)
        assert report.unit_name == "城关镇人民政府"
        report.parent = ""
        write_workbook(report, path)
        shutil.copy(path, loose / f"{county}城关镇.xlsx")
        gc.consolidate([townships]).to_excel(folder / f"{county}汇总.xlsx")
    return tmp, folder, loose


def test_blank_county_townships_of_two_county_consolidations_stay_two_units(blank):
    tmp, folder, _ = blank
    result = gc.consolidate([folder])
    assert [s.status for s in result.statuses] == ["已报送"] * 8
    assert len(result.counted) == 8
    out = result.to_excel(tmp / "市汇总.xlsx")
    rows = [r for r in _rows(out, "报送情况") if r["单位名称"] == "城关镇人民政府"]
    assert sorted((r["所属县（市、区）"], r["计入汇总"]) for r in rows) == [("云溪县", "是"), ("石桥县", "是")]
    for r in rows:
        # (the blank 所属县 is the cover's error META-COVER: 有 1 个错误，已计入汇总)
        assert r["说明"] == (f"有 1 个错误，已计入汇总；封面未填写所属县（市、区），按汇总文件“{r['经由汇总文件']}”所属的"
                             f"{r['所属县（市、区）']}区分同名单位")
    # 明细 keeps the cover as it is
    assert [r["parent"] for r in _rows(out, "明细")[1:] if r["unit_name"] == "城关镇人民政府"] == [None, None]
    chart = [r[0] for r in openpyxl.load_workbook(out)["图表"].iter_rows(min_row=2, max_col=1, values_only=True) if r[0]]
    assert "城关镇人民政府（云溪县）" in chart and "城关镇人民政府（石桥县）" in chart
    # a province merging the city's consolidation still tells them apart
    province = tmp / "省"
    province.mkdir()
    shutil.copy(out, province / "市汇总.xlsx")
    again = gc.consolidate([province])
    assert [s.status for s in again.statuses] == ["已报送"] * 8 and len(again.counted) == 8


def test_blank_county_loose_township_files_are_still_one_unit(blank):
    """Loose files with blank 所属县: nothing tells them apart (as before)."""
    _, _, loose = blank
    result = gc.consolidate([loose])
    assert [s.status for s in result.statuses] == ["重复报送", "重复报送"]
    assert len(result.counted) == 1
