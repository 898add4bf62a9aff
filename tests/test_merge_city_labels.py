"""A city's merge names same-named units of different counties with their county.

Two counties each have a 城关镇人民政府: wherever the consolidated workbook (and the
DataFrames of ``gxexcel.consolidate()``) names a unit in one column, as 相似文本,
校验情况 and 图表 do, such a unit is written ``城关镇人民政府（云溪县）``, so a county
leader can tell which 城关镇 copied which; a name only one county has stays plain.
"""

from __future__ import annotations

import shutil

import openpyxl
import pytest

import gxexcel.consolidation as gc
from gxexcel.reader import read_workbook
from gxexcel.sample import write_samples
from gxexcel.writer import write_workbook

COPIED = "本镇存在的主要问题是政务公开工作人员力量不足，公开内容不够全面，解读回应不够及时，" * 2
TOWN = "城关镇人民政府"
#: names both counties' samples have (云溪县 has 4 townships, 石桥县 3)
SHARED = ("城关镇人民政府", "石门镇人民政府", "云溪镇人民政府")


def _county(folder, county, count, seed, year):
    """A county's consolidation of the sample townships; its 城关镇 copied section 五 (the
    same text in both counties and both years); this year 云溪县's 城关镇 also has a broken
    balance in 表三 (a finding of its own validation)."""
    write_samples(folder, count, seed=seed, county=county, year=year)
    for name in ("manifest.json", "manifest.csv"):
        (folder / name).unlink()
    for path in sorted(folder.glob("*.xlsx")):
        report = read_workbook(path)
        if report.unit_name != TOWN:
            continue
        report.narrative["s5"] = COPIED
        if county == "云溪县" and year == 2022:
            report.cells["t3.carry_forward.natural"] = report.number("t3.carry_forward.natural") + 2
        write_workbook(report, path)
    return gc.consolidate([folder])


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("city_labels")
    for year in (2021, 2022):
        folder = tmp / str(year)
        folder.mkdir()
        for county, count, seed in (("云溪县", 4, 1), ("石桥县", 3, 2)):
            _county(tmp / f"{county}{year}", county, count, seed + year, year).to_excel(folder / f"{county}汇总.xlsx")
    previous = gc.consolidate([tmp / "2021"]).to_excel(tmp / "市2021汇总.xlsx")
    result = gc.consolidate([tmp / "2022"], previous=previous)
    return tmp, result, result.to_excel(tmp / "市2022汇总.xlsx")


def _rows(path, sheet):
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def _labelled(name, county):
    return f"{name}（{county}）" if name in SHARED else name


def test_similar_text_names_each_county_of_same_named_units(city):
    tmp, result, out = city
    rows = _rows(out, "相似文本")
    pairs = [(r["单位"], r["对比对象"]) for r in rows if r["类型"] == "单位间雷同" and r["正文部分"].startswith("五、")]
    assert (f"{TOWN}（云溪县）", f"{TOWN}（石桥县）") in pairs, pairs
    previous = sorted((r["单位"], r["对比对象"]) for r in rows if r["类型"] == "与上年雷同" and TOWN in r["单位"])
    assert previous == [(f"{TOWN}（云溪县）", f"上年{TOWN}（云溪县）"), (f"{TOWN}（石桥县）", f"上年{TOWN}（石桥县）")]
    carry = [(r["单位"], r["对比对象"]) for r in rows if r["类型"].startswith("上年结转核对")]
    units = {(u.unit_name, u.parent) for u in result.counted}
    assert len(carry) > 1 and {u for u, _ in carry} - {"汇总"} <= {_labelled(n, c) for n, c in units}
    assert all(other == "上年" + unit for unit, other in carry)
    assert any("（石桥县）" in u for u, _ in carry) and any(u == "桃源镇人民政府" for u, _ in carry)
    # the notebook sees the same
    assert result.similar["单位"].tolist() == [r["单位"] for r in rows]


def test_findings_and_charts_name_each_county_of_same_named_units(city):
    tmp, result, out = city
    rows = _rows(out, "校验情况")
    dup = sorted((r["单位名称"], r["问题"]) for r in rows if r["规则"] == "META-DUP" and "上年" not in r["问题"])
    assert [u for u, _ in dup] == [f"{TOWN}（云溪县）", f"{TOWN}（石桥县）"], dup
    assert dup[0][1] == f"正文“五、存在的主要问题及改进情况”与{TOWN}（石桥县）的相似度为100%，内容雷同", dup[0][1]
    assert dup[1][1] == f"正文“五、存在的主要问题及改进情况”与{TOWN}（云溪县）的相似度为100%，内容雷同", dup[1][1]
    previous = sorted(r["问题"] for r in rows if r["规则"] == "META-DUP" and "上年" in r["问题"])
    assert previous == ["正文“五、存在的主要问题及改进情况”与本单位上年报告的相似度为100%，内容雷同"] * 2, previous
    own = {r["单位名称"] for r in rows if r["发现环节"] == "单位校验"}
    assert f"{TOWN}（云溪县）" in own and TOWN not in own
    assert {r["单位名称"] for r in rows} <= {_labelled(u.unit_name, u.parent) for u in result.units} | {"汇总"}
    assert result.findings["单位名称"].tolist() == [r["单位名称"] for r in rows]
    # 图表's error bars name the county, as its application bars do
    chart = list(openpyxl.load_workbook(out)["图表"].iter_rows(min_row=2, values_only=True))
    errors = [r[6] for r in chart if r[6]]
    assert f"{TOWN}（云溪县）" in errors and f"{TOWN}（石桥县）" in errors
    assert sorted(r[0] for r in chart if r[0]) == sorted(_labelled(u.unit_name, u.parent) for u in result.counted)


def test_a_province_merging_the_city_keeps_each_units_own_findings(city):
    """The labelled 校验情况 is read back: the findings of 云溪县's 城关镇 stay with it."""
    tmp, result, out = city
    province = tmp / "省"
    province.mkdir()
    shutil.copy(out, province / "市汇总.xlsx")
    again = gc.consolidate([province])
    before = {(u.unit_name, u.parent): u.findings for u in result.counted}
    after = {(u.unit_name, u.parent): u.findings for u in again.counted}
    assert after == before and any(after[(TOWN, "云溪县")])
    assert not any(f[0] == "META-DUP" for f in after[(TOWN, "石桥县")])
    # a consolidation written before the labels (校验情况 gives the name alone) reads as before
    wb = openpyxl.load_workbook(province / "市汇总.xlsx")
    for (cell,) in wb["校验情况"].iter_rows(min_row=2, max_col=1):
        cell.value = cell.value.replace("（云溪县）", "").replace("（石桥县）", "")
    wb.save(province / "市汇总.xlsx")
    old = gc.consolidate([province])
    assert {(u.unit_name, u.parent): u.findings for u in old.counted}[(TOWN, "云溪县")] == before[(TOWN, "云溪县")]
