"""``gxexcel merge -o`` never destroys a submission.

QA merged a city's folder of county consolidations with ``-o`` naming one of them
(各县汇总/云溪县汇总.xlsx): the file was quietly left out as an input and overwritten
with a merge of the others, and the county's consolidation was lost. An output that
would be one of the inputs is now replaced only when it is an earlier result of the
same merge (a gxexcel consolidation whose every unit is read again in this run, from
the same place); anything else is refused before anything is written (exit 2).
"""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

import gxexcel.consolidation as gc
from gxexcel.cli import cli
from gxexcel.errors import GxError
from gxexcel.reader import read_workbook
from gxexcel.sample import write_samples
from gxexcel.writer import write_workbook

WHY = "它是本次汇总的输入之一"
LOSS = "覆盖会丢失其中的数据"
WHAT_TO_DO = "请为汇总结果另取文件名"


def _townships(folder, county, count, seed):
    write_samples(folder, count, seed=seed, county=county, year=2022)
    for name in ("manifest.json", "manifest.csv"):
        (folder / name).unlink()


def _merge(*args, cache):
    runner = CliRunner(env={"GXEXCEL_CACHE": str(cache)})
    return runner.invoke(cli, ["merge", *map(str, args)])


@pytest.fixture()
def county(tmp_path, monkeypatch):
    """A county office's folder of township workbooks, merged from the folder above it
    (file names in the consolidation are relative, as a clerk runs it)."""
    home = tmp_path / "云溪县"
    _townships(home / "各乡镇报表", "云溪县", 3, 11)
    monkeypatch.chdir(home)
    return home


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A city's folder holding two counties' consolidations, as they were sent."""
    tmp = tmp_path_factory.mktemp("city")
    folder = tmp / "各县汇总"
    folder.mkdir()
    for county, seed in (("云溪县", 21), ("石桥县", 22)):
        _townships(tmp / county / "各乡镇报表", county, 3, seed)
        gc.consolidate([tmp / county / "各乡镇报表"]).to_excel(folder / f"{county}汇总.xlsx")
    return tmp, folder


def test_merging_a_county_folder_twice_in_place_replaces_the_earlier_result(county, tmp_path):
    fresh = _merge("各乡镇报表", "-o", tmp_path / "fresh" / "云溪县汇总.xlsx", cache=tmp_path / "cache")
    assert fresh.exit_code == 0, fresh.output
    out = county / "各乡镇报表" / "云溪县汇总.xlsx"
    first = _merge("各乡镇报表", "-o", out.relative_to(county), cache=tmp_path / "cache")
    assert first.exit_code == 0, first.output
    assert "替换" not in first.output  # nothing was there to replace
    second = _merge("各乡镇报表", "-o", out.relative_to(county), cache=tmp_path / "cache")
    assert second.exit_code == 0, second.output
    lines = [line for line in second.output.splitlines() if "替换以前的汇总结果" in line]
    assert len(lines) == 1 and "各乡镇报表/云溪县汇总.xlsx" in lines[0], second.output
    assert "计入汇总 3 个单位" in second.output  # the earlier result is not read as an input
    assert out.read_bytes() == (tmp_path / "fresh" / "云溪县汇总.xlsx").read_bytes()
    third = _merge("各乡镇报表", "-o", out.relative_to(county), "--json", cache=tmp_path / "cache")
    assert third.exit_code == 0, third.output
    data = json.loads(third.stdout)
    assert data["written"] is True and data["replaced_earlier_result"] is True and data["units_counted"] == 3


def test_a_township_file_replaced_by_its_corrected_version_still_lets_the_merge_run_again(county, tmp_path):
    """The usual second run: 城关镇 sent a corrected workbook, the clerk saved it over the old one
    and merges again into the same file: the earlier result is regenerable from the folder."""
    out = county / "各乡镇报表" / "云溪县汇总.xlsx"
    assert _merge("各乡镇报表", "-o", out, cache=tmp_path / "cache").exit_code == 0
    town = next((county / "各乡镇报表").glob("01_*.xlsx"))
    report = read_workbook(town)
    report.contact = "李明"
    write_workbook(report, town)
    again = _merge("各乡镇报表", "-o", out, cache=tmp_path / "cache")
    assert again.exit_code == 0, again.output
    assert "替换以前的汇总结果" in again.output
    assert [u.contact for u in gc.consolidate([out]).units if u.file == str(town.relative_to(county))] == ["李明"]


def test_an_earlier_result_holding_a_unit_no_longer_in_the_folder_is_kept(county, tmp_path):
    """A township's workbook was moved out of the folder: the earlier result holds the only
    copy this merge would drop, so it is refused and kept."""
    out = county / "各乡镇报表" / "云溪县汇总.xlsx"
    assert _merge("各乡镇报表", "-o", out, cache=tmp_path / "cache").exit_code == 0
    before = out.read_bytes()
    gone = next((county / "各乡镇报表").glob("02_*.xlsx"))
    shutil.move(gone, tmp_path / gone.name)
    again = _merge("各乡镇报表", "-o", out, cache=tmp_path / "cache")
    assert again.exit_code == 2, again.output
    assert out.read_bytes() == before
    assert WHY in again.output and LOSS in again.output and gone.name in again.output


def test_output_naming_a_county_consolidation_in_the_city_folder_is_refused(city, tmp_path):
    tmp, folder = city
    target = folder / "云溪县汇总.xlsx"
    before = target.read_bytes()
    result = _merge(folder, "-o", target, cache=tmp_path / "cache")
    assert result.exit_code == 2, result.output
    assert target.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["云溪县汇总.xlsx", "石桥县汇总.xlsx"]  # nothing written
    message = " ".join(result.output.split())
    assert "云溪县汇总.xlsx" in message and WHY in message and LOSS in message
    assert WHAT_TO_DO in message and "移出输入文件夹" in message
    assert "Traceback" not in result.output


def test_a_county_consolidation_whose_units_also_come_through_a_copy_is_still_refused(city, tmp_path):
    """Every unit of 云溪县汇总.xlsx is also read in this run, through the copy the county sent
    again: its data would survive, but the county's file is a submission, not this merge's result."""
    tmp, folder = city
    copy_folder = tmp_path / "各县汇总"
    shutil.copytree(folder, copy_folder)
    shutil.copy(copy_folder / "云溪县汇总.xlsx", copy_folder / "云溪县汇总（重发）.xlsx")
    target = copy_folder / "云溪县汇总.xlsx"
    before = target.read_bytes()
    result = _merge(copy_folder, "-o", target, cache=tmp_path / "cache")
    assert result.exit_code == 2, result.output
    assert target.read_bytes() == before and LOSS in result.output


def test_output_naming_a_township_workbook_in_the_input_folder_is_refused(county, tmp_path):
    target = next((county / "各乡镇报表").glob("01_*.xlsx"))
    before = target.read_bytes()
    result = _merge("各乡镇报表", "-o", target, cache=tmp_path / "cache")
    assert result.exit_code == 2, result.output
    assert target.read_bytes() == before
    message = " ".join(result.output.split())
    assert target.name in message and WHY in message and LOSS in message and WHAT_TO_DO in message


def test_output_naming_an_input_file_given_explicitly_is_refused(county, tmp_path):
    files = sorted((county / "各乡镇报表").glob("*.xlsx"))
    before = files[0].read_bytes()
    result = _merge(*files, "-o", files[0], cache=tmp_path / "cache")
    assert result.exit_code == 2, result.output
    assert files[0].read_bytes() == before
    assert WHY in " ".join(result.output.split())


def test_json_output_carries_the_refusal_in_chinese(city, tmp_path):
    _, folder = city
    target = folder / "石桥县汇总.xlsx"
    before = target.read_bytes()
    runner = CliRunner(env={"GXEXCEL_CACHE": str(tmp_path / "cache")})
    result = runner.invoke(cli, ["merge", str(folder), "-o", str(target), "--json"])
    assert result.exit_code == 2, result.output
    data = json.loads(result.stdout)
    assert data["output"] == str(target) and data["written"] is False
    assert "石桥县汇总.xlsx" in data["error"] and WHY in data["error"] and LOSS in data["error"]
    assert target.read_bytes() == before


def test_api_refuses_the_same_and_never_writes_over_an_input(city, tmp_path):
    _, folder = city
    target = folder / "云溪县汇总.xlsx"
    before = target.read_bytes()
    with pytest.raises(GxError, match=LOSS):
        gc.consolidate([folder], exclude=[target])
    merged = gc.consolidate([folder])  # read as an input: writing the result over it is refused
    with pytest.raises(GxError, match=WHY):
        merged.to_excel(target)
    assert target.read_bytes() == before


@pytest.mark.parametrize("option", ["--roster", "--previous"])
def test_the_output_is_never_the_roster_or_last_years_consolidation(tmp_path, option):
    """`--previous 汇总.xlsx -o 汇总.xlsx` (or the roster named as the output) overwrote last
    year's consolidation (or the roster) with this year's: refused before anything is read."""
    _townships(tmp_path / "各乡镇报表", "云溪县", 3, 5)
    target = tmp_path / "汇总.xlsx"
    gc.consolidate([tmp_path / "各乡镇报表"]).to_excel(target)
    before = target.read_bytes()
    result = _merge(tmp_path / "各乡镇报表", "-o", target, option, target, "--json", cache=tmp_path / "cache")
    assert result.exit_code == 2, result.output
    what = "本次汇总的名册（--roster）" if option == "--roster" else "上年的汇总结果（--previous）"
    assert f"它是{what}，{LOSS}" in result.output and WHAT_TO_DO in result.output
    assert json.loads(result.stdout)["written"] is False
    assert target.read_bytes() == before


def test_an_existing_workbook_outside_the_inputs_is_not_overwritten(tmp_path):
    """`-o 城关镇.xlsx` naming a township's workbook kept elsewhere: it is not a consolidation,
    so it is refused (exit 2) and left as it was; an earlier consolidation there is replaced."""
    _townships(tmp_path / "各乡镇报表", "云溪县", 3, 6)
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    township = elsewhere / "城关镇.xlsx"
    shutil.copy(next((tmp_path / "各乡镇报表").glob("*.xlsx")), township)
    before = township.read_bytes()
    result = _merge(tmp_path / "各乡镇报表", "-o", township, cache=tmp_path / "cache")
    assert result.exit_code == 2, result.output
    assert "文件已存在，且不是 gxexcel 汇总生成的汇总结果" in result.output and "另取文件名" in result.output
    assert township.read_bytes() == before
    earlier = elsewhere / "全县汇总.xlsx"
    assert _merge(tmp_path / "各乡镇报表", "-o", earlier, cache=tmp_path / "cache").exit_code in (0, 1)
    again = _merge(tmp_path / "各乡镇报表", "-o", earlier, cache=tmp_path / "cache")
    assert again.exit_code in (0, 1), again.output
