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


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """石桥县's 3 sample townships merged with a roster of 城关镇, 石门镇 and 河口镇 (云溪镇 名册外,
    河口镇 未报送), and merged without a roster."""
    tmp = tmp_path_factory.mktemp("edited")
    townships = tmp / "石桥县" / "各乡镇报表"
    write_samples(townships, 3, seed=2, county="石桥县", manifest_dir=tmp / "石桥县")
    roster = tmp / "石桥县" / "名册.csv"
    roster.write_text("单位名称\n城关镇\n石门镇\n河口镇\n", encoding="utf-8")
    with_roster = gc.consolidate([townships], roster=roster).to_excel(tmp / "石桥县汇总.xlsx")
    plain = gc.consolidate([townships]).to_excel(tmp / "石桥县汇总（无名册）.xlsx")
    return tmp, with_roster, plain


def _edited(source, target, edit):
    book = openpyxl.load_workbook(source)
    edit(book)
    book.save(target)
    return target


def test_a_consolidation_whose_submissions_sheet_was_deleted_is_not_silently_read(county):
    """石桥县汇总.xlsx with its 报送情况 sheet deleted: the city's merge counted 云溪镇 (名册外 there)
    and dropped 河口镇's 未报送 without a word. It is now 无法读取, naming the sheet; one without a
    roster and nothing 未报送, 名册外 or 无法读取 loses nothing and is read."""
    tmp, with_roster, plain = county
    city = tmp / "市_删表"
    city.mkdir()
    edited = _edited(with_roster, city / "石桥县汇总.xlsx", lambda b: b.remove(b["报送情况"]))
    result = gc.consolidate([city])
    assert [(s.status, s.file) for s in result.statuses] == [("无法读取", str(edited))]
    note = result.statuses[0].note
    assert "“报送情况”" in note and "该表列出的 1 个未报送单位无法沿用" in note, note
    assert result.counted == []
    other = tmp / "市_无名册删表"
    other.mkdir()
    _edited(plain, other / "石桥县汇总.xlsx", lambda b: b.remove(b["报送情况"]))
    again = gc.consolidate([other])
    assert [s.status for s in again.statuses] == ["已报送"] * 3 and len(again.counted) == 3


def test_a_detail_row_whose_unit_name_was_cleared_is_listed(county):
    """A 明细 row whose 单位名称 was cleared by hand was skipped on read-back: the city counted one
    township fewer and said nothing. It is now 无法读取, naming the consolidation, sheet and row."""
    tmp, _, plain = county
    city = tmp / "市_清名"
    city.mkdir()
    rows = _rows(plain, "明细")
    file = rows[1]["file"]  # row 3 of the sheet (two header rows)

    def clear(book):
        sheet = book["明细"]
        column = [c.value for c in sheet[1]].index("unit_name") + 1
        sheet.cell(row=3, column=column).value = None

    edited = _edited(plain, city / "石桥县汇总.xlsx", clear)
    result = gc.consolidate([city])
    unreadable = [s for s in result.statuses if s.status == "无法读取"]
    assert len(unreadable) == 1 and unreadable[0].file == file
    assert unreadable[0].unit.via == str(edited)
    assert "“明细”工作表第 3 行" in unreadable[0].note and "单位名称" in unreadable[0].note
    assert len(result.counted) == 2


def test_last_years_consolidation_without_its_submissions_sheet_is_still_compared(county, tmp_path):
    """--previous needs last year's figures and text only: a 报送情况 sheet deleted there is no loss."""
    tmp, with_roster, _ = county
    last = _edited(with_roster, tmp_path / "上年汇总.xlsx", lambda b: b.remove(b["报送情况"]))
    book = openpyxl.load_workbook(last)
    for row in book["明细"].iter_rows(min_row=3):
        for cell in row:
            if cell.value == 2021:
                cell.value = 2020
    book.save(last)
    result = gc.consolidate([tmp / "石桥县" / "各乡镇报表"], previous=last)
    assert result.previous is not None and len(result.previous.counted) == 2


def _findings(result):
    frame = result.findings
    frame = frame[frame["发现环节"] == "单位校验"]
    return sorted(zip(frame["单位名称"], frame["来源文件"], frame["级别"], frame["规则"], frame["工作表"], frame["单元格"]))


def test_the_same_township_file_through_two_consolidations_has_its_findings_once(tmp_path):
    """Two copies of 石桥县's consolidation given to the city: each township file is counted once
    (the second row 重复报送, 不重复计入), but 校验情况 listed its errors twice and --json "errors"
    doubled them. Its findings are now listed and counted once, as in the direct merge of the files;
    the repeated rows stay in 报送情况 and 明细 (with the file's own 错误数)."""
    from click.testing import CliRunner

    from gxexcel.cli import cli

    townships = tmp_path / "石桥县" / "各乡镇报表"
    write_samples(townships, 3, seed=3, county="石桥县", errors=True, manifest_dir=tmp_path / "石桥县")
    city = tmp_path / "市"
    city.mkdir()
    direct = gc.consolidate([townships])
    direct.to_excel(city / "石桥县汇总.xlsx")
    shutil.copy(city / "石桥县汇总.xlsx", city / "石桥县汇总（副本）.xlsx")
    twice = gc.consolidate([city])
    assert sum(u.errors for u in direct.units) > 0
    assert sorted(s.status for s in twice.statuses) == ["已报送"] * 3 + ["重复报送"] * 3
    assert _findings(twice) == _findings(direct)
    assert sheets_error_rows(twice) == sheets_error_rows(direct)

    def json_errors(*inputs):
        out = CliRunner(env={"GXEXCEL_CACHE": str(tmp_path / "cache")}).invoke(
            cli, ["merge", *map(str, inputs), "-o", str(tmp_path / "out" / f"{len(inputs)}.xlsx"), "--json"])
        import json
        return json.loads(out.output)["errors"]

    assert json_errors(city) == json_errors(townships) == sum(u.errors for u in direct.units)
    # the workbook says the same, and a province reading it back does not double them either
    out = twice.to_excel(tmp_path / "省" / "市汇总.xlsx")
    rows = _rows(out, "校验情况")
    assert len([r for r in rows if r["发现环节"] == "单位校验"]) == len(_findings(direct))
    repeated = [r for r in _rows(out, "报送情况") if r["报送状态"] == "重复报送"]
    assert all("同一份文件" in r["说明"] for r in repeated) and len(repeated) == 3
    province = gc.consolidate([tmp_path / "省"])
    assert sorted(f[2:] for f in _findings(province)) == sorted(f[2:] for f in _findings(direct))


def sheets_error_rows(result):
    from gxexcel.consolidation.sheets import error_rows

    return sorted(map(tuple, error_rows(result)))


def test_a_province_reads_the_repeated_rows_with_their_files_counts(tmp_path):
    """The city's 明细 gives the repeated row its file's 错误数 (校验情况 lists them once, under the
    row that counts): read back by a province, that row still has them (it had 0)."""
    townships = tmp_path / "石桥县" / "各乡镇报表"
    write_samples(townships, 2, seed=4, county="石桥县", errors=True, manifest_dir=tmp_path / "石桥县")
    city = tmp_path / "市"
    city.mkdir()
    gc.consolidate([townships]).to_excel(city / "石桥县汇总.xlsx")
    shutil.copy(city / "石桥县汇总.xlsx", city / "石桥县汇总（副本）.xlsx")
    out = gc.consolidate([city]).to_excel(tmp_path / "省" / "市汇总.xlsx")
    counts = lambda rows: sorted((r["来源文件"], r["经由汇总文件"], r["报送状态"], r["错误数"], r["警告数"])  # noqa: E731
                                 for r in rows if r["来源文件"])
    province = gc.consolidate([tmp_path / "省"])
    read = [(s.file, s.unit.via if s.unit else "", s.status, s.unit.errors, s.unit.warnings) for s in province.statuses]
    city_rows = counts(_rows(out, "报送情况"))
    assert sum(r[3] for r in city_rows if r[2] == "重复报送") > 0
    assert sorted((r[3], r[4]) for r in city_rows) == sorted((e, w) for *_, e, w in read)
    # and still once in the province's 校验情况
    assert len(province.findings) == len(gc.consolidate([townships]).findings)


def test_validate_names_a_roster_for_what_it_is(tmp_path):
    """gxexcel validate of a folder holding the roster beside the reports (or of the roster) said
    of it “这不是 gxexcel 年报填报模板（没有“封面”工作表）…”; it now says it is a roster, for what it
    is used (merge --roster), with the text merge gives; exit code 2 as before."""
    from click.testing import CliRunner

    from gxexcel.cli import cli
    from gxexcel.cli.inputs import ROSTER_GIVEN
    from gxexcel.consolidation.roster import ROSTER_NOT_REPORT

    roster = _roster(tmp_path / "名册.xlsx", ("城关镇", "云溪镇"))
    assert ROSTER_GIVEN.startswith(ROSTER_NOT_REPORT) and ROSTER_AMONG_INPUTS.startswith(ROSTER_NOT_REPORT)
    for args in (["validate", str(roster)], ["report", str(roster), "-o", str(tmp_path / "x.docx")]):
        out = CliRunner().invoke(cli, args)
        text = "".join(out.output.split())
        assert out.exit_code == 2, out.output
        assert "".join(ROSTER_GIVEN.split()) in text and "封面" not in text, out.output
