"""``--previous``: last year's consolidation gives XY-T3-CARRY per unit and for the total,
and flags narrative that barely changed (META-DUP against last year)."""

from __future__ import annotations


import pytest

import gxexcel.consolidation as gc
from gxexcel import form
from gxexcel.errors import GxError
from gxexcel.consolidation.similarity import COMPARED_PARTS, MIN_CHARS, PREVIOUS, TOTAL_NAME
from gxexcel.reader import read_workbook
from gxexcel.sample import write_samples
from gxexcel.writer import write_workbook


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    root = tmp_path_factory.mktemp("years")
    now = root / "2021"
    write_samples(now, 5, seed=21)
    files = sorted(now.glob("*.xlsx"))
    before = root / "2020"
    before.mkdir()
    reports = []
    for i, path in enumerate(files):
        report = read_workbook(path)
        old = read_workbook(path)
        old.year = 2020
        for col in form.T3.columns:
            if col.id != "total":
                old.cells[f"t3.carry_forward.{col.id}"] = report.cells[f"t3.carried.{col.id}"]
        if i == 0:  # last year's unit 0 carried one more application forward than this year says
            old.cells["t3.carry_forward.natural"] = int(old.number("t3.carry_forward.natural")) + 1
        if i == 1:  # unit 1 rewrote section 五 completely
            old.narrative["s5"] = "（一）存在的主要问题。" + "去年的问题是人员不足、培训不够、栏目更新慢，" * 4
        write_workbook(old, before / path.name)
        reports.append(report)
    gc.consolidate(before).to_excel(root / "2020汇总.xlsx")
    return root, now, files, reports


def test_carry_over_per_unit_and_for_the_total(years):
    root, now, files, reports = years
    result = gc.consolidate(now, previous=root / "2020汇总.xlsx")
    rows = [(c.unit, c.finding.severity, c.finding.message) for c in result.carry]
    unit0 = reports[0].unit_name
    carried = int(reports[0].number("t3.carried.natural"))
    total = int(reports[0].number("t3.carried.total"))
    assert (unit0, "warning", f"表三 自然人列：上年结转{carried}，与上年报告的结转下年度继续办理{carried + 1}不一致") in rows
    assert (unit0, "error", f"表三 总计列：上年结转{total}，与上年报告的结转下年度继续办理{total + 1}不一致") in rows
    county_carried = int(sum(r.number("t3.carried.total") for r in reports))
    assert (TOTAL_NAME, "error",
            f"表三 总计列：上年结转{county_carried}，与上年报告的结转下年度继续办理{county_carried + 1}不一致") in rows
    assert {r[0] for r in rows} == {unit0, TOTAL_NAME}
    assert len(rows) == 4
    sheet = result.similar
    carry_rows = sheet[sheet["类型"].str.startswith("上年结转核对")]
    assert list(carry_rows["单位"]) == [r[0] for r in rows]
    found = result.findings
    assert set(found[found["规则"] == "XY-T3-CARRY"]["单位名称"]) == {unit0, TOTAL_NAME}


def test_unchanged_text_is_flagged_against_last_year(years):
    root, now, files, reports = years
    result = gc.consolidate(now, previous=root / "2020汇总.xlsx")
    got = {(p.unit, p.part) for p in result.previous_pairs}
    expected = {
        (r.unit_name, part)
        for i, r in enumerate(reports)
        for part in COMPARED_PARTS
        if len("".join((r.narrative.get(part) or "").split())) >= MIN_CHARS and not (i == 1 and part == "s5")
    }
    assert got == expected
    assert all(p.kind == PREVIOUS and p.similarity == 100 for p in result.previous_pairs)


def test_total_carry_is_a_warning_when_the_unit_set_changed(years):
    root, now, files, reports = years
    result = gc.consolidate(files[:-1], previous=root / "2020汇总.xlsx")
    total_rows = [c for c in result.carry if c.unit == TOTAL_NAME]
    assert total_rows and all(c.finding.severity == "warning" for c in total_rows)


def test_previous_must_be_a_consolidation(years, tmp_path):
    root, now, files, reports = years
    with pytest.raises(GxError) as err:
        gc.consolidate(now, previous=files[0])
    assert "不是 gxexcel 汇总生成的汇总工作簿" in str(err.value)
    assert str(files[0]) in str(err.value)


def test_previous_of_the_same_year_is_refused(years):
    """This year's own consolidation given as last year's (the clerk picked the wrong file)
    is refused with a message naming both years, instead of every unit's text being
    reported as copied from last year and the carry-over compared with itself."""
    root, now, files, reports = years
    same = root / "2021汇总.xlsx"
    gc.consolidate(now).to_excel(same)
    with pytest.raises(GxError) as err:
        gc.consolidate(now, previous=same)
    message = str(err.value)
    assert "2021年" in message and "2020年" in message and str(same) in message


def test_merge_cli_exits_2_for_a_previous_consolidation_of_the_wrong_year(years, tmp_path):
    from click.testing import CliRunner
    from gxexcel.cli import cli

    root, now, files, reports = years
    out = CliRunner().invoke(cli, ["merge", str(root / "2020"), "-o", str(tmp_path / "o.xlsx"),
                                   "--previous", str(root / "2020汇总.xlsx")])
    assert out.exit_code == 2, out.output
    assert "2019年" in out.output and "Traceback" not in out.output
    assert not (tmp_path / "o.xlsx").exists()


def test_merge_cli_reports_carry_over_errors_on_screen_and_in_the_exit_code(years, tmp_path):
    """A unit whose 上年结转 总计 differs from last year's 结转下年度继续办理 has an error in
    校验情况: the run says so and exits 1 (README: 0 only when there is no problem)."""
    from click.testing import CliRunner
    from gxexcel.cli import cli

    root, now, files, reports = years
    out = CliRunner().invoke(cli, ["merge", str(now), "-o", str(tmp_path / "o.xlsx"),
                                   "--previous", str(root / "2020汇总.xlsx")])
    assert "上年结转核对：2 个错误，2 个警告" in out.output, out.output
    assert out.exit_code == 1
    clean = CliRunner().invoke(cli, ["merge", *map(str, files[1:]), "-o", str(tmp_path / "p.xlsx")])
    assert clean.exit_code == 0 and "上年结转核对" not in clean.output


def test_missing_previous_is_reported_before_any_file_is_read(years, monkeypatch):
    """A county of 1,000 files is not read (minutes on a slow PC) only to be told that
    the --previous file does not exist."""
    import gxexcel.consolidation.api as api

    root, now, files, reports = years

    def never(*args, **kwargs):
        raise AssertionError("inputs read before the previous consolidation was checked")

    monkeypatch.setattr(api, "read_all", never)
    with pytest.raises(GxError) as err:
        gc.consolidate(now, previous=root / "没有这个文件.xlsx")
    assert "上年汇总文件不存在" in str(err.value)
