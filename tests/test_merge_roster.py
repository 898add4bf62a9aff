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
    status = [c.value for c in ws[1]].index("报送状态")
    statuses = [row[status] for row in ws.iter_rows(min_row=2, values_only=True) if row[status]]
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


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """Two counties' consolidations in a city's folder: both have a 城关镇人民政府, a
    石门镇人民政府 and a 云溪镇人民政府 (the sample townships); 云溪县's consolidation also
    lists a file it could not read."""
    tmp = tmp_path_factory.mktemp("city")
    a = tmp / "云溪县"
    a.mkdir()
    (a / "坏文件.xlsx").write_bytes(b"not a workbook")
    a = _county(a, "云溪县", 5, 1)
    b = _county(tmp / "石桥县", "石桥县", 3, 2)
    folder = tmp / "市"
    folder.mkdir()
    a.to_excel(folder / "云溪县汇总.xlsx")
    b.to_excel(folder / "石桥县汇总.xlsx")
    return tmp, folder


def _rows(path, sheet):
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_city_submissions_sheet_names_each_units_county(city):
    """报送情况 of a city's merge tells the two counties' 城关镇人民政府 apart by a 所属县 column
    (as 明细 has it), not only by file."""
    tmp, folder = city
    out = gc.consolidate([folder]).to_excel(tmp / "市汇总.xlsx")
    header = [c.value for c in openpyxl.load_workbook(out)["报送情况"][1]]
    assert header == ["单位名称", "单位类型", "所属县（市、区）", "单位代码", "报送状态", "计入汇总", "来源文件",
                      "经由汇总文件", "错误数", "警告数", "说明"]
    rows = _rows(out, "报送情况")
    assert sorted((r["单位名称"], r["所属县（市、区）"]) for r in rows if r["单位名称"] == "城关镇人民政府") == [
        ("城关镇人民政府", "云溪县"), ("城关镇人民政府", "石桥县")]
    unreadable = [r for r in rows if r["报送状态"] == "无法读取"]
    assert len(unreadable) == 1 and unreadable[0]["所属县（市、区）"] is None
    detail = {(r["unit_name"], r["file"], r["via"]): r["parent"] for r in _rows(out, "明细")[1:]}
    assert {(r["单位名称"], r["来源文件"], r["经由汇总文件"]): r["所属县（市、区）"] for r in rows
            if r["报送状态"] != "无法读取"} == detail


def test_a_consolidation_without_the_county_column_is_still_read(city):
    """A consolidation written before 报送情况 had its 所属县 column (same version 1.0: the
    read-back finds 报送情况's columns by their header) still gives its units and its
    无法读取 files."""
    tmp, folder = city
    old = tmp / "旧版"
    old.mkdir()
    for path in folder.iterdir():
        wb = openpyxl.load_workbook(path)
        ws = wb["报送情况"]
        assert ws["C1"].value == "所属县（市、区）"
        ws.delete_cols(3)
        wb.save(old / path.name)
    new, before = gc.consolidate([folder]), gc.consolidate([old])
    assert [(s.status, s.unit_name, s.unit.parent if s.unit else "", s.counted) for s in before.statuses] == [
        (s.status, s.unit_name, s.unit.parent if s.unit else "", s.counted) for s in new.statuses]
    assert [s.note for s in before.statuses if s.status == "无法读取"] == [
        s.note for s in new.statuses if s.status == "无法读取"] and any(s.status == "无法读取" for s in new.statuses)


def test_city_chart_labels_name_the_county_only_when_names_collide(city):
    tmp, folder = city
    out = gc.consolidate([folder]).to_excel(tmp / "市汇总图表.xlsx")
    ws = openpyxl.load_workbook(out)["图表"]
    labels = [r[0] for r in ws.iter_rows(min_row=2, max_col=1, values_only=True) if r[0]]
    assert labels == [
        "云溪镇人民政府（云溪县）", "云溪镇人民政府（石桥县）", "城关镇人民政府（云溪县）", "城关镇人民政府（石桥县）",
        "桃源镇人民政府", "石门镇人民政府（云溪县）", "石门镇人民政府（石桥县）", "龙泉镇人民政府",
    ]
    assert len(set(labels)) == len(labels)
    # one county alone: plain names
    one = gc.consolidate([tmp / "石桥县"]).to_excel(tmp / "石桥县图表.xlsx")
    ws = openpyxl.load_workbook(one)["图表"]
    assert [r[0] for r in ws.iter_rows(min_row=2, max_col=1, values_only=True) if r[0]] == [
        "云溪镇人民政府", "城关镇人民政府", "石门镇人民政府"]


def test_city_roster_line_without_county_matching_several_counties_is_told(city):
    """A city roster line “城关镇” matches both counties' 城关镇: both are listed and taken as
    that roster unit (nothing merged, nothing dropped), and each row says the line lacks
    its county; “云溪县城关镇” matches only 云溪县's."""
    tmp, folder = city
    roster = tmp / "市名册.csv"
    roster.write_text("单位名称\n城关镇\n云溪县石门镇\n石桥县石门镇\n云溪镇人民政府\n桃源镇\n龙泉镇\n", encoding="utf-8")
    result = gc.consolidate([folder], roster=roster)
    rows = [(s.status, s.unit_name, s.unit.parent if s.unit else "", s.counted) for s in result.statuses]
    assert rows == [
        ("已报送", "城关镇", "云溪县", True), ("已报送", "城关镇", "石桥县", True),
        ("已报送", "云溪县石门镇", "云溪县", True), ("已报送", "石桥县石门镇", "石桥县", True),
        ("已报送", "云溪镇人民政府", "云溪县", True), ("已报送", "云溪镇人民政府", "石桥县", True),
        ("已报送", "桃源镇", "云溪县", True), ("已报送", "龙泉镇", "云溪县", True),
        ("无法读取", "", "", False),
    ]
    told = "名册第 2 行“城关镇”未写所属县（市、区），与云溪县、石桥县的2个同名单位都相符，这些单位各自列出、均按名册单位处理；" \
           "如名册只指其中一个，请写明所属县（如“云溪县城关镇”），各县的同名单位分行列出"
    notes = [s.note for s in result.statuses]
    assert all(n.endswith(told) for n in notes[:2]), notes[:2]
    assert "名册第 5 行“云溪镇人民政府”未写所属县" in notes[4] and "名册第 5 行" in notes[5]
    assert not any("未写所属县" in n for n in notes[2:4] + notes[6:])
    # the same in 报送情况
    out = result.to_excel(tmp / "市名册汇总.xlsx")
    assert [r["说明"] for r in _rows(out, "报送情况")][:2] == notes[:2]


def test_city_roster_listing_a_name_twice_is_told_to_add_the_county(tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称\n城关镇\n石门镇\n城关镇\n", encoding="utf-8")
    with pytest.raises(GxError) as info:
        read_roster(roster)
    assert info.value.message == ("单位“城关镇”在名册中出现两次（第 2 行和第 4 行）。"
                                  "如是不同县（市、区）的同名单位，请在名称前写明所属县（市、区），如“云溪县城关镇”。")


def test_roster_county_prefix_matches_a_cover_that_writes_the_county_short(tmp_path):
    """The cover says 所属县 “云溪” (or “云溪县”), the city roster “云溪县城关镇” (or “云溪城关镇”):
    one unit, 已报送, not 未报送 plus 名册外."""
    for i, parent in enumerate(("云溪", "云溪县")):
        report = sample_report(random.Random(i), unit_name="城关镇人民政府", unit_type="乡镇人民政府", parent=parent, year=2021)
        folder = tmp_path / str(i)
        folder.mkdir()
        write_workbook(report, folder / "a.xlsx")
        for line in ("云溪县城关镇", "云溪城关镇"):
            roster = folder / "名册.csv"
            roster.write_text(f"单位名称\n{line}\n", encoding="utf-8")
            result = gc.consolidate([folder / "a.xlsx"], roster=roster)
            assert [(s.status, s.unit_name, s.counted) for s in result.statuses] == [("已报送", line, True)], (parent, line)
