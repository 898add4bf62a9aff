"""A city office's second look at the merge across levels (county → city → province).

Found while merging sample counties with rosters, loose township files given to the city,
a corrected township file and ``--exclude-errors``: what 报送情况's notes say of the file that
is chosen among several for one unit when that unit is not counted at all.
"""

from __future__ import annotations

import os
import re
import random

import openpyxl
import pytest

import gxexcel.consolidation as gc
from gxexcel.sample import sample_report, write_samples
from gxexcel.writer import write_workbook


def _rows(path, sheet):
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def _two_versions(folder, unit_name="龙泉镇人民政府", county="石桥县", seed=5):
    """A township's report and, sent later, its second version (a newer file)."""
    folder.mkdir(parents=True, exist_ok=True)
    first, second = folder / "05_龙泉镇.xlsx", folder / "05_龙泉镇（第二版）.xlsx"
    write_workbook(sample_report(random.Random(seed), unit_name=unit_name, parent=county), first)
    write_workbook(sample_report(random.Random(seed + 1), unit_name=unit_name, parent=county), second)
    os.utime(first, (1_700_000_000, 1_700_000_000))
    os.utime(second, (1_700_000_600, 1_700_000_600))
    return first, second


def test_the_chosen_file_of_a_unit_outside_the_roster_is_not_said_to_count(tmp_path):
    """Two files of a unit the roster does not list: both rows are 名册外 and 计入汇总 否, so the
    newer one's note must not say 本份…计入汇总 (it said “不在名册中，未计入汇总；共 2 份文件，
    本份（修改时间 …）计入汇总”); it says which file the unit would be taken from."""
    first, second = _two_versions(tmp_path / "各乡镇报表")
    write_samples(tmp_path / "各乡镇报表", 2, seed=3, county="石桥县", manifest_dir=tmp_path)
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称\n城关镇\n云溪镇\n", encoding="utf-8")
    out = gc.consolidate([tmp_path / "各乡镇报表"], roster=roster).to_excel(tmp_path / "汇总.xlsx")
    rows = [r for r in _rows(out, "报送情况") if r["单位名称"] == "龙泉镇人民政府"]
    assert [(r["报送状态"], r["计入汇总"]) for r in rows] == [("名册外", "否")] * 2, rows
    newer = next(r for r in rows if r["来源文件"].endswith("（第二版）.xlsx"))
    older = next(r for r in rows if r is not newer)
    assert "计入汇总" not in newer["说明"].replace("未计入汇总", ""), newer["说明"]
    assert newer["说明"].startswith("不在名册中，未计入汇总；共 2 份文件，以本份（修改时间 "), newer["说明"]
    assert newer["说明"].endswith("）为准"), newer["说明"]
    assert "本份不计入汇总" in older["说明"] and "第二版" in older["说明"], older["说明"]


def test_the_chosen_file_with_errors_under_exclude_errors_is_not_said_to_count(tmp_path):
    """--exclude-errors: two files of one unit, the newer one with errors. Its row is 计入汇总 否,
    and its note said both “本份…计入汇总” and “有 N 个错误，未计入汇总”."""
    first, second = _two_versions(tmp_path / "各乡镇报表")
    from gxexcel.reader import read_workbook
    report = read_workbook(second)
    report.cells["t3.carry_forward.natural"] = report.number("t3.carry_forward.natural") + 3
    write_workbook(report, second)
    os.utime(second, (1_700_000_600, 1_700_000_600))
    out = gc.consolidate([tmp_path / "各乡镇报表"], include_errors=False).to_excel(tmp_path / "汇总.xlsx")
    rows = _rows(out, "报送情况")
    newer = next(r for r in rows if r["来源文件"].endswith("（第二版）.xlsx"))
    assert newer["计入汇总"] == "否" and newer["错误数"] > 0, newer
    assert newer["说明"].startswith("共 2 份文件，以本份（修改时间 "), newer["说明"]
    assert "个错误，未计入汇总" in newer["说明"] and "）计入汇总" not in newer["说明"], newer["说明"]


@pytest.fixture(scope="module")
def county_as_xls(tmp_path_factory):
    """石桥县's consolidation (3 townships, a roster that leaves out 石门镇 and lists 河口镇, not
    sent), as the county office sent it to the city: renamed 石桥县汇总.xls (it is an .xlsx)."""
    tmp = tmp_path_factory.mktemp("county_xls")
    write_samples(tmp / "石桥县" / "各乡镇报表", 3, seed=8, county="石桥县", manifest_dir=tmp / "石桥县")
    roster = tmp / "石桥县" / "名册.csv"
    roster.write_text("单位名称\n城关镇\n云溪镇\n河口镇\n", encoding="utf-8")
    city = tmp / "市"
    city.mkdir()
    out = gc.consolidate([tmp / "石桥县" / "各乡镇报表"], roster=roster).to_excel(tmp / "石桥县汇总.xlsx")
    (city / "石桥县汇总.xls").write_bytes(out.read_bytes())
    return tmp, city, out


def test_a_county_consolidation_saved_as_xls_is_read_as_a_consolidation(county_as_xls):
    """A county consolidation named .xls (really an .xlsx, as merge judges files by content) was
    无法读取 “这不是 gxexcel 年报填报模板（没有“封面”工作表）” in the city's merge: its units,
    its 未报送 and 名册外 decisions were lost. It is now read as the .xlsx is, with the same rows."""
    tmp, city, xlsx = county_as_xls
    merged = gc.consolidate([city])
    as_xlsx = gc.consolidate([xlsx])
    via = lambda s: (s.via or (s.unit.via if s.unit else "")).rsplit("/", 1)[-1]  # noqa: E731
    got = [(s.status, s.unit_name, s.counted, via(s)) for s in merged.statuses]
    want = [(s.status, s.unit_name, s.counted, via(s).replace(".xlsx", ".xls")) for s in as_xlsx.statuses]
    assert got == want, got
    assert [s.status for s in merged.statuses].count("无法读取") == 0
    assert {"名册外", "未报送"} <= {s.status for s in merged.statuses}
    assert len(merged.counted) == 2


def test_last_years_consolidation_saved_as_xls_is_accepted_as_previous(county_as_xls, tmp_path):
    """--previous 上年汇总.xls (an .xlsx renamed) was refused as not a consolidation."""
    tmp, _, xlsx = county_as_xls
    last = tmp_path / "上年"
    write_samples(last, 3, seed=9, county="石桥县", year=2020, manifest_dir=tmp_path)
    previous = gc.consolidate([last]).to_excel(tmp_path / "上年汇总.xlsx")
    renamed = tmp_path / "上年汇总.xls"
    renamed.write_bytes(previous.read_bytes())
    with_xlsx = gc.consolidate([tmp / "石桥县" / "各乡镇报表"], previous=previous)
    with_xls = gc.consolidate([tmp / "石桥县" / "各乡镇报表"], previous=renamed)
    assert len(with_xls.previous.units) == 3
    assert [c.finding.message for c in with_xls.carry] == [c.finding.message for c in with_xlsx.carry]


def test_a_roster_saved_as_xls_is_read_by_content(tmp_path):
    """名册.xls that is an .xlsx (renamed, or saved so by WPS) stopped the merge with
    “名册无法读取（Cfb error: Invalid OLE (signature \\x50\\x4b…) invalid, not an office document?）”,
    a message no clerk can act on; it is now read as the .xlsx it is."""
    from gxexcel.consolidation.roster import read_roster

    book = openpyxl.Workbook()
    book.active.append(["单位名称", "单位类型"])
    for name in ("云溪县城关镇", "石桥县河口镇"):
        book.active.append([name, "乡镇人民政府"])
    book.save(tmp_path / "名册.xlsx")
    (tmp_path / "名册.xls").write_bytes((tmp_path / "名册.xlsx").read_bytes())
    assert read_roster(tmp_path / "名册.xls") == read_roster(tmp_path / "名册.xlsx")
    assert [u.name for u in read_roster(tmp_path / "名册.xls")] == ["云溪县城关镇", "石桥县河口镇"]


@pytest.fixture(scope="module")
def two_counties(tmp_path_factory):
    """云溪县 (城关镇, 云溪镇, 石门镇, 桃源镇) and 石桥县 (城关镇, 云溪镇, 石门镇) each merged their
    townships (covers filled) into a consolidation for the city."""
    tmp = tmp_path_factory.mktemp("two_counties")
    city = tmp / "市"
    city.mkdir()
    for county, count, seed in (("云溪县", 4, 1), ("石桥县", 3, 2)):
        folder = tmp / county / "各乡镇报表"
        write_samples(folder, count, seed=seed, county=county, manifest_dir=tmp / county)
        gc.consolidate([folder]).to_excel(city / f"{county}汇总.xlsx")
    return tmp, city


def _blank_cover(source, target, **changes):
    from gxexcel.reader import read_workbook
    report = read_workbook(source)
    report.parent = ""
    for key, value in changes.items():
        setattr(report, key, value)
    write_workbook(report, target)


def test_a_loose_file_with_a_blank_county_says_it_could_not_be_placed(two_counties, tmp_path):
    """A township sends the city its corrected report directly, its cover without 所属县: it
    cannot be told from 云溪县's or 石桥县's 城关镇, so it is listed as a unit of its own and
    counted — the city total then has 城关镇 once more, and its row said nothing of it. Its
    note now tells the city office why and what to do."""
    tmp, city = two_counties
    loose = tmp_path / "直报"
    loose.mkdir()
    _blank_cover(tmp / "云溪县" / "各乡镇报表" / "01_城关镇.xlsx", loose / "城关镇（更正）.xlsx", contact="王更正")
    result = gc.consolidate([city, loose])
    row = next(s for s in result.statuses if s.file == "直报/城关镇（更正）.xlsx" or s.file.endswith("城关镇（更正）.xlsx"))
    assert row.status == "已报送" and row.counted
    assert ("封面未填写所属县（市、区），无法确定是云溪县、石桥县中哪个县的同名单位，按单独的单位列出；"
            "如是其中某县的报表，请在封面填写所属县后重新汇总，以免重复计入") in row.note, row.note
    others = [s for s in result.statuses if s.unit is not None and s.unit.parent and s.unit_name == row.unit_name]
    assert len(others) == 2 and all("封面未填写" not in s.note for s in others)


def test_a_county_consolidation_whose_covers_all_leave_the_county_blank_is_told(two_counties, tmp_path):
    """青山县's townships all left 所属县 blank, so its consolidation gives no county. Its 城关镇
    (a name of two other counties) is a unit of its own, as a loose file is; its 桃源镇 (a name
    only 云溪县 also has) is taken as 云溪县's and both were listed as 重复报送 without a word — one
    township lost from the city's total. Each such row now says so and what to do."""
    tmp, city = two_counties
    folder = tmp_path / "青山县" / "各乡镇报表"
    write_samples(folder, 4, seed=3, county="青山县", manifest_dir=tmp_path / "青山县")
    for path in folder.glob("*.xlsx"):
        _blank_cover(path, path)
    (tmp_path / "市").mkdir()
    for f in city.glob("*.xlsx"):
        (tmp_path / "市" / f.name).write_bytes(f.read_bytes())
    gc.consolidate([folder]).to_excel(tmp_path / "市" / "青山县汇总.xlsx")
    merged = gc.consolidate([tmp_path / "市"])
    mine = {s.unit_name: s for s in merged.statuses if s.unit is not None and s.unit.via.endswith("青山县汇总.xlsx")}
    assert ("封面未填写所属县（市、区），无法确定是云溪县、石桥县中哪个县的同名单位，按单独的单位列出；"
            "如是其中某县的报表，请在封面填写所属县后重新汇总，以免重复计入") in mine["城关镇人民政府"].note
    town = mine["桃源镇人民政府"]
    assert town.status == "重复报送", town
    assert ("封面未填写所属县（市、区），与云溪县的同名单位按同一单位处理；"
            "如不是同一单位，请在封面填写所属县后重新汇总") in town.note, town.note
    theirs = next(s for s in merged.statuses if s.unit_name == "桃源镇人民政府" and s is not town)
    assert "封面未填写" not in theirs.note, theirs.note


def test_last_years_consolidation_left_in_the_folder_is_told_on_screen(tmp_path):
    """The city keeps last year's consolidation (3 townships, 2020) in the folder with this
    year's county consolidation (2 townships, 2021) and forgets --previous: last year's units
    outvote this year's, so the merge totals 2020 and leaves every 2021 report out — and the
    screen said only “计入汇总 3 个单位”. It now says how many reports are of another year than
    the one merged, and, since newer reports were left out, to move last year's consolidation
    out of the folder or give it with --previous. --json gives the count."""
    import json

    from click.testing import CliRunner

    from gxexcel.cli import cli

    city = tmp_path / "市"
    write_samples(tmp_path / "云溪县", 2, seed=4, county="云溪县", year=2021, manifest_dir=tmp_path)
    write_samples(tmp_path / "上年", 3, seed=5, county="云溪县", year=2020, manifest_dir=tmp_path / "m")
    city.mkdir()
    gc.consolidate([tmp_path / "云溪县"]).to_excel(city / "云溪县汇总.xlsx")
    gc.consolidate([tmp_path / "上年"]).to_excel(city / "上年汇总.xlsx")
    runner = CliRunner(env={"GXEXCEL_CACHE": str(tmp_path / "cache")})
    out = runner.invoke(cli, ["merge", str(city), "-o", str(tmp_path / "市汇总.xlsx")])
    assert out.exit_code in (0, 1), out.output
    text = " ".join(out.output.split())
    assert "报告年度不符：2 份报表的报告年度不是本次汇总的2020年度" in text, out.output
    assert "如输入中有上年的汇总结果或上年的报表，请把它移出输入文件夹，或用 --previous 指定为上年汇总" in text, out.output
    data = json.loads(runner.invoke(cli, ["merge", str(city), "-o", str(tmp_path / "市汇总.xlsx"), "--json"]).output)
    assert data["year"] == 2020 and data["files_of_other_years"] == 2


def test_a_stray_report_of_last_year_is_counted_on_screen_without_the_previous_hint(tmp_path):
    """One township sent last year's report by mistake: the screen says 1 份 is of another year;
    the merged year is the newest, so there is no hint about last year's consolidation."""
    import json

    from click.testing import CliRunner

    from gxexcel.cli import cli

    write_samples(tmp_path / "各乡镇报表", 3, seed=4, county="云溪县", year=2021, manifest_dir=tmp_path)
    write_workbook(sample_report(random.Random(3), unit_name="河口镇人民政府", parent="云溪县", year=2020),
                   tmp_path / "各乡镇报表" / "04_河口镇.xlsx")
    runner = CliRunner(env={"GXEXCEL_CACHE": str(tmp_path / "cache")})
    out = runner.invoke(cli, ["merge", str(tmp_path / "各乡镇报表"), "-o", str(tmp_path / "汇总.xlsx")])
    text = " ".join(out.output.split())
    assert "报告年度不符：1 份报表的报告年度不是本次汇总的2021年度" in text, out.output
    assert "--previous" not in text, out.output
    data = json.loads(runner.invoke(cli, ["merge", str(tmp_path / "各乡镇报表"), "-o", str(tmp_path / "汇总.xlsx"),
                                          "--json"]).output)
    assert data["files_of_other_years"] == 1


def test_a_note_names_a_county_consolidation_once(county_as_xls, tmp_path):
    """A township's older file sent straight to the city, its newer one in 石桥县's consolidation
    that left it out (名册外): the loose row's note named the consolidation twice, “汇总文件“市/石桥县汇总.xls”
    依其名册列为名册外，未计入汇总；共 2 份文件，以汇总文件“市/石桥县汇总.xls”中的“…”为准…”. The
    second mention is now 该汇总文件."""
    tmp, city, _ = county_as_xls
    loose = tmp_path / "直报"
    loose.mkdir()
    path = loose / "石桥县石门镇.xlsx"
    write_workbook(sample_report(random.Random(77), unit_name="石门镇人民政府", parent="石桥县"), path)
    os.utime(path, (1_600_000_000, 1_600_000_000))
    result = gc.consolidate([city, loose])
    row = next(s for s in result.statuses if s.file.endswith("石桥县石门镇.xlsx"))
    other = next(s.unit for s in result.statuses if s.unit is not None and s.unit.via and s.unit_name == row.unit_name)
    assert row.status == "名册外" and not row.counted
    assert row.note == (f"汇总文件“{other.via}”依其名册列为名册外，未计入汇总；共 2 份文件，以该汇总文件中的"
                        f"“{other.file}”为准，本份不计入汇总"), row.note
    for s in result.statuses:
        for name in set(re.findall(r"汇总文件“([^”]+)”", s.note)):
            assert s.note.count(f"汇总文件“{name}”") == 1, s.note


def test_a_damaged_archive_note_says_why_once_without_nested_brackets(county_as_xls, tmp_path):
    """A county's consolidation sent as .7z or .zip and cut short in transit: 报送情况 said
    “压缩文件已损坏或加密，或不安全，无法打开（文件已损坏（7z 压缩包的目录无法读取，可能下载或拷贝未完成）：
    invalid header data）” — damaged said twice, brackets in brackets, py7zr's English at the end.
    It now says “压缩包无法打开：文件已损坏（…，可能下载或拷贝未完成）。”"""
    import zipfile

    import py7zr

    _, _, xlsx = county_as_xls
    folder = tmp_path / "市"
    folder.mkdir()
    with py7zr.SevenZipFile(tmp_path / "a.7z", "w") as archive:
        archive.write(xlsx, "石桥县汇总.xlsx")
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as archive:
        archive.write(xlsx, "石桥县汇总.xlsx")
    for name in ("a.7z", "a.zip"):
        data = (tmp_path / name).read_bytes()
        (folder / f"石桥县汇总{name[1:]}").write_bytes(data[: len(data) // 2])
    notes = {s.file.rsplit("/", 1)[-1]: s.note for s in gc.consolidate([folder]).statuses}
    assert notes == {
        "石桥县汇总.7z": "压缩包无法打开：文件已损坏（7z 压缩包的目录无法读取，可能下载或拷贝未完成）。",
        "石桥县汇总.zip": "压缩包无法打开：文件已损坏（压缩结构不完整，可能下载或拷贝未完成）。",
    }, notes


def test_an_empty_archive_is_listed_not_dropped(tmp_path):
    """A county's .zip or .7z holding no file at all (packed from an empty folder, or only folders)
    was not listed anywhere: 报送情况 had no row for it and the city office could not tell it had
    come. It is now 无法读取 “压缩包中没有文件…”."""
    import zipfile

    import py7zr

    folder = tmp_path / "市"
    folder.mkdir()
    with zipfile.ZipFile(folder / "石桥县.zip", "w") as archive:
        archive.writestr("石桥县/", "")
    with py7zr.SevenZipFile(folder / "青山县.7z", "w"):
        pass
    with zipfile.ZipFile(folder / "云溪县.zip", "w"):
        pass
    result = gc.consolidate([folder])
    rows = {s.file.rsplit("/", 1)[-1]: (s.status, s.note) for s in result.statuses}
    empty = ("无法读取", "压缩包中没有文件，请报送单位重新打包发送（应包含 .xlsx 报表或汇总结果）")
    assert rows == {"石桥县.zip": empty, "云溪县.zip": empty, "青山县.7z": empty}, rows


def test_validate_names_a_county_consolidation_for_what_it_is(county_as_xls):
    """The city office runs gxexcel validate on a county's consolidation (.xlsx, or renamed .xls):
    it said “这不是 gxexcel 年报填报模板（没有“封面”工作表）。请使用 gxexcel template 生成的模板填报。”,
    as of a stranger's workbook. It now says it is a consolidation, where its units' findings are,
    and how a city merges it; exit code 2 as for any file validate cannot use."""
    from click.testing import CliRunner

    from gxexcel.cli import cli

    _, city, xlsx = county_as_xls
    for path in (xlsx, city / "石桥县汇总.xls"):
        out = CliRunner().invoke(cli, ["validate", str(path)])
        text = " ".join(out.output.split())
        assert out.exit_code == 2, out.output
        assert "这是 gxexcel 汇总生成的汇总结果，不是单位的年度报表" in text, out.output
        assert "“校验情况”工作表" in text and "gxexcel merge" in text and "封面" not in text, out.output


@pytest.fixture(scope="module")
def corrected_after_damage(tmp_path_factory):
    """云溪县's 石门镇 first arrived damaged (cut short): the county's consolidation lists it 无法读取.
    The township sent it again, and the county sent the city a corrected consolidation. 石桥县's
    own 03_石门镇.xlsx (the same file name) is damaged in its only consolidation."""
    tmp = tmp_path_factory.mktemp("damaged_then_corrected")
    city = tmp / "市"
    city.mkdir()
    cwd = os.getcwd()
    try:
        for county, seed in (("云溪县", 51), ("石桥县", 52)):
            home = tmp / county
            write_samples(home / "各乡镇报表", 3, seed=seed, county=county, manifest_dir=home)
            town = home / "各乡镇报表" / "03_石门镇.xlsx"
            good = town.read_bytes()
            town.write_bytes(good[:3000])
            os.chdir(home)  # each county merges its own folder: the same relative file names
            gc.consolidate(["各乡镇报表"]).to_excel(city / f"{county}汇总.xlsx")
            if county == "云溪县":
                town.write_bytes(good)
                gc.consolidate(["各乡镇报表"]).to_excel(city / f"{county}汇总（更正）.xlsx")
    finally:
        os.chdir(cwd)
    return tmp, city


def test_an_earlier_consolidations_unreadable_file_read_in_its_correction_is_not_listed(corrected_after_damage):
    """The city merges both versions of 云溪县's consolidation: the first one's 无法读取 row for
    各乡镇报表/03_石门镇.xlsx stayed (无法读取 1, exit code 1) though the corrected one read that file.
    It is now left out, as it is when the file is given directly; 石桥县's damaged file of the
    same name (no correction) is still 无法读取."""
    tmp, city = corrected_after_damage
    result = gc.consolidate([city])
    unreadable = [s for s in result.statuses if s.status == "无法读取"]
    assert [(s.file, s.unit.via.rsplit("/", 1)[-1]) for s in unreadable] == [("各乡镇报表/03_石门镇.xlsx", "石桥县汇总.xlsx")]
    towns = [s for s in result.statuses if s.unit_name == "石门镇人民政府"]
    assert [(s.status, s.counted, s.unit.via.rsplit("/", 1)[-1]) for s in towns] == [("已报送", True, "云溪县汇总（更正）.xlsx")]


def test_the_screen_names_the_consolidation_an_unreadable_file_came_through(corrected_after_damage):
    """gxexcel merge printed “无法读取：各乡镇报表/03_石门镇.xlsx：文件已损坏…” — a path that is in no
    folder of the city's; the line now names the county consolidation it came through."""
    from click.testing import CliRunner

    from gxexcel.cli import cli

    tmp, city = corrected_after_damage
    out = CliRunner(env={"GXEXCEL_CACHE": str(tmp / "cache")}).invoke(
        cli, ["merge", str(city), "-o", str(tmp / "市汇总.xlsx")])
    text = " ".join(out.output.split())
    assert out.exit_code == 1, out.output
    assert "无法读取：各乡镇报表/03_石门镇.xlsx（经由汇总文件“" in text and "石桥县汇总.xlsx”）：文件已损坏" in text, out.output


def test_a_city_roster_with_a_county_column_is_read(two_counties, tmp_path):
    """A city office's roster lists each township with its county in a column of its own, as
    报送情况 itself does (所属县（市、区） | 单位名称): it was refused, “单位“城关镇”在名册中出现两次
    （第 2 行和第 3 行）。如是不同县（市、区）的同名单位，请在名称前写明所属县…”, though the county is
    right there. The county column now qualifies the name, as “云溪县城关镇” in the name does."""
    from gxexcel.consolidation.roster import read_roster

    _, city = two_counties
    column = tmp_path / "市名册.csv"
    column.write_text("序号,所属县（市、区）,单位名称,单位类型\n1,云溪县,城关镇,乡镇人民政府\n2,石桥县,城关镇,乡镇人民政府\n"
                      "3,云溪县,河口镇,乡镇人民政府\n4,石桥县,石桥县云溪镇,乡镇人民政府\n5,云溪县,云溪镇,\n", encoding="utf-8")
    joined = tmp_path / "合并名册.csv"
    joined.write_text("单位名称,单位类型\n云溪县城关镇,乡镇人民政府\n石桥县城关镇,乡镇人民政府\n"
                      "云溪县河口镇,乡镇人民政府\n石桥县云溪镇,乡镇人民政府\n云溪县云溪镇,\n", encoding="utf-8")
    assert [(u.key, u.name, u.county, u.row) for u in read_roster(column)] == [
        ("云溪县城关镇", "城关镇", "云溪县", 2), ("石桥县城关镇", "城关镇", "石桥县", 3),
        ("云溪县河口镇", "河口镇", "云溪县", 4), ("石桥县云溪镇", "石桥县云溪镇", "石桥县", 5), ("云溪县云溪镇", "云溪镇", "云溪县", 6)]
    by_column = gc.consolidate([city], roster=column)
    by_name = gc.consolidate([city], roster=joined)
    assert [(s.status, s.counted, s.file, s.unit.county if s.unit else "") for s in by_column.statuses] == \
        [(s.status, s.counted, s.file, s.unit.county if s.unit else "") for s in by_name.statuses]
    assert len(by_column.counted) == 4 and not by_column.roster_lines_without_county
    # 报送情况 names each unit as the roster writes it, its county in its own column
    town = next(s for s in by_column.statuses if s.unit is not None and s.unit.county == "石桥县" and s.counted
                and s.unit.unit_name == "城关镇人民政府")
    assert town.unit_name == "城关镇" and "与名册“城关镇”按同一单位处理" in town.note, town


def test_a_city_rosters_unit_without_a_file_gives_its_county(county_as_xls, two_counties, tmp_path):
    """未报送 rows of a city's roster left 所属县（市、区） blank, though the roster's county column
    gave it, or the county's consolidation had listed that unit 未报送 too: sorted by county, the
    city office found them apart from their county. The county is now filled in."""
    _, city, _ = county_as_xls
    roster = tmp_path / "市名册.csv"
    roster.write_text("单位名称\n城关镇\n河口镇\n", encoding="utf-8")
    row = next(s for s in gc.consolidate([city], roster=roster).statuses if s.unit_name == "河口镇")
    assert (row.status, row.parent) == ("未报送", "石桥县"), row
    _, two = two_counties
    roster = tmp_path / "县列名册.csv"
    roster.write_text("所属县（市、区）,单位名称\n云溪县,城关镇\n云溪县,大坪乡\n", encoding="utf-8")
    out = gc.consolidate([two], roster=roster).to_excel(tmp_path / "市汇总.xlsx")
    rows = {r["单位名称"]: r for r in _rows(out, "报送情况")}
    assert (rows["大坪乡"]["报送状态"], rows["大坪乡"]["所属县（市、区）"]) == ("未报送", "云溪县")


def test_last_years_consolidation_sent_as_an_archive_is_told_to_be_unpacked(county_as_xls, tmp_path):
    """--previous 上年汇总.zip (last year's consolidation as the city had kept it) said “这不是 gxexcel
    汇总生成的汇总工作簿”, which the office knows to be wrong; it now says it is an archive to unpack."""
    import zipfile

    from gxexcel.errors import GxError

    tmp, _, xlsx = county_as_xls
    with zipfile.ZipFile(tmp_path / "上年汇总.zip", "w") as archive:
        archive.write(xlsx, "上年汇总.xlsx")
    with pytest.raises(GxError) as caught:
        gc.consolidate([tmp / "石桥县" / "各乡镇报表"], previous=tmp_path / "上年汇总.zip")
    assert caught.value.message == ("这是 zip 压缩包；--previous 需要上年的汇总结果工作簿（.xlsx），"
                                    "请先解压，再用 --previous 指定其中的汇总结果。"), caught.value.message


def test_a_note_says_which_consolidation_after_naming_two():
    """After “汇总文件“A”、“B”依其名册列为名册外” (two versions of a county's consolidation), a
    following “以汇总文件“A”中的…为准” must keep the name: 该汇总文件 would not say which of the two."""
    from gxexcel.consolidation.submissions import _named_once

    two = "汇总文件“市/A.xlsx”、“市/B.xlsx”依其名册列为名册外，未计入汇总；共 2 份文件，以汇总文件“市/A.xlsx”中的“x.xlsx”为准"
    assert _named_once(two) == two
    one = "汇总文件“市/A.xlsx”依其名册列为名册外，未计入汇总；共 2 份文件，以汇总文件“市/A.xlsx”中的“x.xlsx”为准"
    assert _named_once(one) == "汇总文件“市/A.xlsx”依其名册列为名册外，未计入汇总；共 2 份文件，以该汇总文件中的“x.xlsx”为准"
