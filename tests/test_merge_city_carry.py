"""A city merges county consolidations that were made with rosters: the counties' roster
decisions (未报送, 名册外) are carried up, and same-named townships of two counties whose
covers leave 所属县（市、区） blank stay two units.

石桥县 (3 sample townships: 城关镇, 云溪镇, 石门镇) merged with a roster listing 城关镇, 石门镇
and 河口镇: 云溪镇 is 名册外, 河口镇 未报送. 云溪县 (5 townships) merged with a roster listing
its 5 townships and 白沙镇: 白沙镇 未报送.
"""

from __future__ import annotations

import json
import random

import openpyxl
import pytest
from click.testing import CliRunner

import gxexcel.consolidation as gc
from gxexcel.cli import cli
from gxexcel.consolidation.roster import unit_key
from gxexcel.consolidation.submissions import CARRIED_RULE
from gxexcel.sample import sample_report, write_samples
from gxexcel.writer import write_workbook

ROSTERS = {
    "云溪县": ("城关镇", "云溪镇", "石门镇", "桃源镇", "龙泉镇", "白沙镇"),
    "石桥县": ("城关镇", "石门镇", "河口镇"),
}
COUNTS = {"云溪县": 5, "石桥县": 3}


def _townships(tmp, county, seed):
    folder = tmp / county / "各乡镇报表"
    write_samples(folder, COUNTS[county], seed=seed, county=county, manifest_dir=tmp / county)
    return folder


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("city_carry")
    folder = tmp / "市"
    folder.mkdir()
    for county, seed in (("云溪县", 1), ("石桥县", 2)):
        townships = _townships(tmp, county, seed)
        roster = tmp / county / "名册.csv"
        roster.write_text("单位名称\n" + "\n".join(ROSTERS[county]) + "\n", encoding="utf-8")
        gc.consolidate([townships], roster=roster).to_excel(folder / f"{county}汇总.xlsx")
    return tmp, folder


def _rows(path, sheet):
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def _info(path):
    return {r[0]: r[3] for r in openpyxl.load_workbook(path)["汇总"].iter_rows(max_col=4, values_only=True) if r[0]}


def _merge(tmp, *args):
    return CliRunner(env={"GXEXCEL_CACHE": str(tmp / "cache")}).invoke(cli, ["merge", *map(str, args)])


def test_a_city_merge_lists_each_countys_missing_and_unlisted_townships(city):
    tmp, folder = city
    result = gc.consolidate([folder])
    out = result.to_excel(tmp / "市汇总.xlsx")
    rows = _rows(out, "报送情况")
    by = {(r["单位名称"], r["所属县（市、区）"]): r for r in rows}
    assert len(rows) == 5 + 3 + 2
    missing = [(r["单位名称"], r["所属县（市、区）"], r["计入汇总"], r["经由汇总文件"], r["来源文件"])
               for r in rows if r["报送状态"] == "未报送"]
    assert sorted(missing) == [("河口镇", "石桥县", "否", str(folder / "石桥县汇总.xlsx"), None),
                               ("白沙镇", "云溪县", "否", str(folder / "云溪县汇总.xlsx"), None)]
    assert by[("河口镇", "石桥县")]["说明"] == (
        f"汇总文件“{folder / '石桥县汇总.xlsx'}”依其名册列为未报送：名册中有此单位，但未找到其报表文件")
    unlisted = by[("云溪镇人民政府", "石桥县")]
    assert (unlisted["报送状态"], unlisted["计入汇总"]) == ("名册外", "否")
    assert unlisted["说明"] == f"汇总文件“{folder / '石桥县汇总.xlsx'}”依其名册列为名册外，未计入汇总"
    assert by[("云溪镇人民政府", "云溪县")]["报送状态"] == "已报送"
    assert sorted(r["报送状态"] for r in rows) == ["名册外"] + ["已报送"] * 7 + ["未报送"] * 2
    # 明细 holds the files only (the 名册外 one too), 汇总 counts as 报送情况 lists
    assert len(_rows(out, "明细")) - 1 == 8
    info = _info(out)
    assert (info["计入汇总的单位数"], info["未报送单位数"], info["名册外文件数"]) == (7, 2, 1)
    assert CARRIED_RULE in info["计入规则"]
    # the totals leave out the county's 名册外 township
    counted = [u for u in result.units if not (u.unit_name == "云溪镇人民政府" and u.parent == "石桥县")]
    assert result.total.cells["t3.new.total"] == sum(u.number("t3.new.total") for u in counted)
    # the notebook sees the same rows
    frame = result.submissions
    assert frame["报送状态"].tolist() == [r["报送状态"] for r in rows]
    assert frame["所属县（市、区）"].fillna("").tolist() == [r["所属县（市、区）"] or "" for r in rows]


def test_the_cli_counts_and_json_carry_the_county_decisions(city):
    tmp, folder = city
    result = _merge(tmp, folder, "-o", tmp / "屏幕" / "市汇总.xlsx")
    assert result.exit_code == 0, result.output
    lines = [line.strip("│ ") for line in result.output.splitlines()]
    assert any(line.startswith("未报送") and line.rstrip(" │").endswith("2") for line in lines), lines
    assert any(line.startswith("名册外") and line.rstrip(" │").endswith("1") for line in lines), lines
    assert "计入汇总 7 个单位" in result.output
    data = json.loads(_merge(tmp, folder, "-o", tmp / "json" / "市汇总.xlsx", "--json").output)
    assert data["statuses"] == {"已报送": 7, "重复报送": 0, "名册外": 1, "无法读取": 0, "未报送": 2}
    assert data["units_counted"] == 7


def test_a_missing_townships_file_given_to_the_city_is_submitted(city):
    tmp, folder = city
    late = tmp / "补报"
    late.mkdir()
    report = sample_report(random.Random(7), unit_name="河口镇人民政府", unit_type="乡镇人民政府", parent="石桥县", year=2021)
    write_workbook(report, late / "石桥县河口镇.xlsx")
    result = gc.consolidate([folder, late])
    rows = [(s.status, s.unit_name, s.counted) for s in result.statuses if unit_key(s.unit_name) == "河口镇"]
    assert rows == [("已报送", "河口镇人民政府", True)]
    note = next(s.note for s in result.statuses if s.unit_name == "河口镇人民政府")
    assert note == f"汇总文件“{folder / '石桥县汇总.xlsx'}”依其名册列为未报送，本次收到了该单位的报表"
    assert [s.unit_name for s in result.statuses if s.status == "未报送"] == ["白沙镇"]
    assert len(result.counted) == 8
    # a 河口镇 of another county does not answer for 石桥县's
    other = tmp / "他县"
    other.mkdir()
    report.parent = "云溪县"
    write_workbook(report, other / "云溪县河口镇.xlsx")
    again = gc.consolidate([folder, other])
    assert sorted((s.status, s.unit.parent if s.unit else "") for s in again.statuses
                  if unit_key(s.unit_name) == "河口镇") == [("已报送", "云溪县"), ("未报送", "")]
    assert sorted(s.parent for s in again.statuses if s.status == "未报送") == ["云溪县", "石桥县"]


def test_a_city_roster_decides_and_each_row_says_on_what(city):
    tmp, folder = city
    roster = tmp / "市名册.csv"
    roster.write_text("单位名称\n" + "\n".join(
        ("云溪县城关镇", "石桥县城关镇", "云溪县云溪镇", "石桥县云溪镇", "云溪县石门镇", "石桥县石门镇",
         "桃源镇", "龙泉镇", "河口镇")) + "\n", encoding="utf-8")
    result = gc.consolidate([folder], roster=roster)
    out = result.to_excel(tmp / "市名册汇总.xlsx")
    rows = _rows(out, "报送情况")
    by = {r["单位名称"]: r for r in rows}
    # 石桥县 left its 云溪镇 out, the city's roster lists it: counted, and the row says both
    assert (by["石桥县云溪镇"]["报送状态"], by["石桥县云溪镇"]["计入汇总"]) == ("已报送", "是")
    assert by["石桥县云溪镇"]["说明"] == (
        "报表填写的单位名称为“云溪镇人民政府”，与名册“石桥县云溪镇”按同一单位处理；"
        f"汇总文件“{folder / '石桥县汇总.xlsx'}”依其名册列为名册外，本次名册列有该单位")
    # 河口镇 is missing by the city's roster (and 石桥县 said so too); 白沙镇 is not on it: not listed
    assert by["河口镇"]["报送状态"] == "未报送"
    assert by["河口镇"]["说明"] == (
        f"名册中有此单位，但未找到其报表文件；汇总文件“{folder / '石桥县汇总.xlsx'}”亦列为未报送")
    assert "白沙镇" not in by
    assert sorted(r["报送状态"] for r in rows) == ["已报送"] * 8 + ["未报送"]
    info = _info(out)
    assert (info["计入汇总的单位数"], info["未报送单位数"], info["名册外文件数"]) == (8, 1, 0)


def test_the_city_merge_agrees_with_a_direct_merge_under_the_county_rosters(city):
    """Every township file merged at once with the county rosters (their lines written with
    the county, as a city roster does) gives the statuses the merge of the consolidations gives."""
    tmp, folder = city
    roster = tmp / "两县名册.csv"
    roster.write_text("单位名称\n" + "\n".join(c + n for c, names in ROSTERS.items() for n in names) + "\n",
                      encoding="utf-8")
    direct = gc.consolidate([tmp / c / "各乡镇报表" for c in ROSTERS], roster=roster)
    nested = gc.consolidate([folder])

    def seen(c, named_by_roster):
        out = []
        for s in c.statuses:
            county = s.unit.parent if s.unit else s.parent
            name = unit_key(s.unit_name) if named_by_roster and s.status != "名册外" else county + unit_key(s.unit_name)
            out.append((s.status, s.counted, name))
        return sorted(out)

    assert seen(nested, False) == seen(direct, True)
    assert nested.total.cells == direct.total.cells and nested.total.fees == direct.total.fees


def test_a_province_merging_the_city_keeps_the_county_decisions(city):
    tmp, folder = city
    province = tmp / "省"
    province.mkdir()
    gc.consolidate([folder]).to_excel(province / "市汇总.xlsx")
    result = gc.consolidate([province])
    rows = sorted((s.status, s.unit_name, s.unit.county if s.unit else s.parent, s.counted) for s in result.statuses
                  if s.status != "已报送")
    assert rows == [("名册外", "云溪镇人民政府", "石桥县", False),
                    ("未报送", "河口镇", "石桥县", False), ("未报送", "白沙镇", "云溪县", False)]
    assert len(result.counted) == 7


def test_a_province_names_the_county_consolidation_whose_roster_decided(city):
    """The city had no roster: its 未报送 and 名册外 rows carry the counties' decisions, and a
    province merging the city's consolidation says whose roster it was, not the city's."""
    tmp, folder = city
    province = tmp / "省2"
    province.mkdir()
    gc.consolidate([folder]).to_excel(province / "市汇总.xlsx")
    roster = tmp / "市名册2.csv"
    roster.write_text("单位名称\n" + "\n".join(c + n for c, names in ROSTERS.items() for n in names
                                                 if n != "云溪镇" or c == "云溪县") + "\n", encoding="utf-8")
    gc.consolidate([folder], roster=roster).to_excel(province / "市名册汇总.xlsx")
    city_file, county = province / "市汇总.xlsx", folder / "石桥县汇总.xlsx"
    notes = {(s.unit_name, s.status): s.note for s in gc.consolidate([city_file]).statuses}
    came = f"汇总文件“{county}”（经汇总文件“{city_file}”汇入）"
    assert notes[("河口镇", "未报送")] == f"{came}依其名册列为未报送：名册中有此单位，但未找到其报表文件"
    assert notes[("云溪镇人民政府", "名册外")] == f"{came}依其名册列为名册外，未计入汇总"
    # a city that had its own roster decided itself: its consolidation is named alone
    with_roster = province / "市名册汇总.xlsx"
    notes = {(s.unit_name, s.status): s.note for s in gc.consolidate([with_roster]).statuses}
    assert notes[("石桥县河口镇", "未报送")] == (
        f"汇总文件“{with_roster}”依其名册列为未报送：名册中有此单位，但未找到其报表文件")
    assert notes[("云溪镇人民政府", "名册外")] == f"汇总文件“{with_roster}”依其名册列为名册外，未计入汇总"
