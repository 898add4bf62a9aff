"""Matching roster names with the names clerks type on their cover sheet.

A county roster often lists the place (“城关镇”, “东城街道”) while the workbook's
cover gives the organ (“城关镇人民政府”, “东城街道办事处”), or the other way round.
The same unit must not show up twice as 未报送 (roster) and 名册外 (workbook);
different units (城关镇 and 城关街道, a county government and its office) must
never be taken for one another.
"""

from __future__ import annotations

import random

import openpyxl
import pytest

import gxexcel.consolidation as gc
from gxexcel.consolidation.roster import NAME_RULE, read_roster, unit_key
from gxexcel.errors import GxError
from gxexcel.reader import read_workbook
from gxexcel.sample import sample_report
from gxexcel.writer import write_workbook

#: (name on the cover, unit type, name in the roster)
UNITS = [
    ("城关镇人民政府", "乡镇人民政府", "城关镇"),
    ("石门镇人民政府", "乡镇人民政府", "石门镇政府"),
    ("东城街道办事处", "街道办事处", "东城街道"),
    ("西城街道办事处", "街道办事处", "西城街道办"),
    ("大坪乡", "乡镇人民政府", "大坪乡人民政府"),
    ("云溪县人民政府", "县级人民政府", "云溪县政府"),
    ("云溪县教育局(县语委办)", "县级政府部门", "云溪县教育局（县语委办）"),
]


def _write(folder, name, unit_type, seed):
    report = sample_report(random.Random(seed), unit_name=name, unit_type=unit_type, parent="云溪县", year=2021)
    return write_workbook(report, folder / f"{seed:02d}.xlsx")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    root = tmp_path_factory.mktemp("roster_names")
    src = root / "报表"
    src.mkdir()
    for i, (name, unit_type, _) in enumerate(UNITS):
        _write(src, name, unit_type, i)
    roster = root / "名册.csv"
    roster.write_text("单位名称,单位类型,单位代码\n" + "".join(
        f"{listed},{unit_type},{100 + i}\n" for i, (_, unit_type, listed) in enumerate(UNITS)), encoding="utf-8")
    return root, src, roster


def test_place_and_organ_names_are_the_same_unit(county):
    root, src, roster = county
    result = gc.consolidate([src], roster=roster)
    rows = [(s.unit_name, s.status, s.counted, s.code) for s in result.statuses]
    assert rows == [(listed, "已报送", True, str(100 + i)) for i, (_, _, listed) in enumerate(UNITS)]
    # the clerk is told which name the workbook gives when it is not the roster's
    for s, (cover, _, listed) in zip(result.statuses, UNITS):
        if "教育局" in cover:  # only full-width brackets differ: nothing to tell
            assert "单位名称" not in s.note, s.note
        else:
            assert f"报表填写的单位名称为“{cover}”，与名册“{listed}”按同一单位处理" in s.note, s.note
    out = result.to_excel(root / "汇总.xlsx")
    ws = openpyxl.load_workbook(out)["报送情况"]
    statuses = [row[3] for row in ws.iter_rows(min_row=2, values_only=True) if row[3]]
    assert statuses == ["已报送"] * len(UNITS)
    summary = {row[0]: row[3] for row in openpyxl.load_workbook(out)["汇总"].iter_rows(max_col=4, values_only=True) if row[0]}
    assert NAME_RULE in summary["计入规则"]


@pytest.mark.parametrize("a, b", [
    ("城关镇", "城关街道"),
    ("城关镇", "城关乡"),
    ("城关镇人民政府", "城关街道办事处"),
    ("云溪县人民政府", "云溪县人民政府办公室"),
    ("云溪县政府", "云溪县政府办"),
    ("云溪县", "云溪县教育局"),
    ("东城街道", "东城社区"),
])
def test_different_units_never_match(a, b):
    assert unit_key(a) != unit_key(b)


@pytest.mark.parametrize("a, b", [
    ("城关镇", "城关镇人民政府"),
    ("城关镇政府", "城关镇人民政府"),
    ("东城街道", "东城街道办事处"),
    ("东城街道办", "东城街道办事处"),
    ("东城 街道办事处", "东城街道"),
    ("云溪县", "云溪县人民政府"),
    ("云溪县人民政府办公室", "云溪县政府办公室"),
    ("云溪县教育局（县语委办）", "云溪县教育局(县语委办)"),
])
def test_same_unit_matches(a, b):
    assert unit_key(a) == unit_key(b)


def test_roster_listing_one_unit_twice_under_two_names_is_refused(tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称\n城关镇\n石门镇\n城关镇人民政府\n", encoding="utf-8")
    with pytest.raises(GxError, match="城关镇人民政府.*城关镇|城关镇.*城关镇人民政府") as info:
        read_roster(roster)
    assert "第 2 行" in info.value.message and "第 4 行" in info.value.message


def test_two_files_under_place_and_organ_names_are_one_units_duplicates(tmp_path):
    _write(tmp_path, "城关镇人民政府", "乡镇人民政府", 1)
    _write(tmp_path, "城关镇", "乡镇人民政府", 2)
    result = gc.consolidate([tmp_path])
    assert sorted(s.status for s in result.statuses) == ["重复报送", "重复报送"]
    assert sum(s.counted for s in result.statuses) == 1


def _county(folder, county, count, seed):
    from gxexcel.sample import write_samples

    write_samples(folder, count, seed=seed, county=county)
    for name in ("manifest.json", "manifest.csv"):
        (folder / name).unlink()
    return gc.consolidate([folder])


def test_a_city_keeps_same_named_townships_of_different_counties_apart(tmp_path):
    """Two counties both have a 城关镇人民政府 (as hundreds of Chinese counties do): a city
    merging their consolidations plus one loose township counts every unit once, and
    nothing is 重复报送; a unit with the same name in one county is still one unit."""
    a = _county(tmp_path / "云溪县", "云溪县", 5, 1)
    b = _county(tmp_path / "石桥县", "石桥县", 3, 2)
    city = tmp_path / "市"
    city.mkdir()
    a.to_excel(city / "云溪县汇总.xlsx")
    b.to_excel(city / "石桥县汇总.xlsx")
    _write(city, "白塔镇人民政府", "乡镇人民政府", 40)
    result = gc.consolidate([city])
    assert [s.status for s in result.statuses] == ["已报送"] * (5 + 3 + 1)
    assert len(result.counted) == 9
    cid = "t3.new.total"
    assert result.total.cells[cid] == sum(u.number(cid) for u in a.counted + b.counted) + read_one(city, cid)
    both = [s for s in result.statuses if s.unit_name == "城关镇人民政府"]
    assert sorted(s.unit.parent for s in both) == ["云溪县", "石桥县"]
    # the consolidation is not titled after one of its counties
    assert result.title == "" and "云溪县" not in result.total.title_text
    ws = openpyxl.load_workbook(result.to_excel(tmp_path / "市汇总.xlsx"))["汇总"]
    assert ws["A1"].value == "2021年政府信息公开工作年度报告汇总"
    assert a.title == "云溪县" and b.title == "石桥县"
    # the same again in another order gives the same workbook
    again = gc.consolidate(sorted(city.iterdir(), reverse=True))
    assert [(s.unit_name, s.file, s.counted) for s in again.statuses] == [
        (s.unit_name, s.file, s.counted) for s in result.statuses]


def read_one(folder, cid):
    from gxexcel.reader import read_workbook

    return read_workbook(folder / "40.xlsx").number(cid)


def test_one_unit_with_and_without_its_county_on_the_cover_is_still_one_unit(tmp_path):
    """Within a county, a resubmission whose 所属县 is blank is the same unit's second file."""
    report = sample_report(random.Random(3), unit_name="城关镇人民政府", unit_type="乡镇人民政府", parent="云溪县", year=2021)
    write_workbook(report, tmp_path / "a.xlsx")
    report.parent = ""
    write_workbook(report, tmp_path / "b.xlsx")
    result = gc.consolidate([tmp_path])
    assert [s.status for s in result.statuses] == ["重复报送", "重复报送"]


def test_last_year_of_a_city_is_matched_by_county_too(tmp_path):
    """--previous in a city: each county's 城关镇 is compared with its own last year's."""
    from gxexcel.consolidation.submissions import last_year
    from gxexcel.consolidation.units import Unit

    now = [Unit("a", unit_name="城关镇人民政府", parent="云溪县"), Unit("b", unit_name="城关镇", parent="石桥县"),
           Unit("c", unit_name="城关镇人民政府", parent="白塔区")]
    before = [Unit("x", unit_name="城关镇人民政府", parent="石桥县"), Unit("y", unit_name="城关镇人民政府", parent="云溪")]
    find = last_year(now, before)
    assert [find(u).file if find(u) else None for u in now] == ["y", "x", None]
    # within a county the 所属县 may be left blank one year
    assert last_year(now, [Unit("z", unit_name="城关镇人民政府")])(now[0]).file == "z"


def test_city_findings_stay_with_their_unit_when_counties_used_the_same_file_names(tmp_path, monkeypatch):
    """Both counties ran the merge on 各乡镇报表/ with the same file names: in the city's merge
    the consolidation's own findings (META-DUP) of one county's 城关镇 are not also listed
    under the other county's file of the same name."""
    from gxexcel.sample import write_samples

    copied = "本镇存在的主要问题是政务公开工作人员力量不足，公开内容不够全面，解读回应不够及时，" * 2
    results = {}
    for county, seed in (("云溪县", 1), ("石桥县", 2)):
        home = tmp_path / county
        write_samples(home / "各乡镇报表", 4, seed=seed, county=county)
        for name in ("manifest.json", "manifest.csv"):
            (home / "各乡镇报表" / name).unlink()
        for path in sorted((home / "各乡镇报表").glob("*.xlsx")):  # every township copied the same text
            report = read_workbook(path)
            report.narrative["s5"] = copied
            write_workbook(report, path)
        monkeypatch.chdir(home)
        results[county] = gc.consolidate(["各乡镇报表"])
    monkeypatch.chdir(tmp_path)
    files = {c: {u.file for u in r.counted} for c, r in results.items()}
    assert files["云溪县"] & files["石桥县"]  # the same relative file names in both counties
    city = tmp_path / "市"
    city.mkdir()
    for county, r in results.items():
        r.to_excel(city / f"{county}汇总.xlsx")
    merged = gc.consolidate([city])
    rows = merged.findings
    by_consolidation = rows[rows["发现环节"] == "汇总比对"]
    assert len(by_consolidation)  # the sample townships' texts are alike: META-DUP for each unit
    assert len(merged.counted) == 8
    # one META-DUP per unit for the copied part, not two for the units whose file names coincide
    dup = by_consolidation[by_consolidation["规则"] == "META-DUP"]
    assert len(dup) == 8
    assert sorted(dup.groupby(["来源文件", "单位名称"]).size().tolist()) == [1] * 4 + [2] * 2 or len(
        {(u.via, u.file) for u in merged.counted}) == 8
    per_unit = [sum(f.rule == "META-DUP" for f in merged.extra_findings.get(u.ref, [])) for u in merged.counted]
    assert per_unit == [1] * 8
