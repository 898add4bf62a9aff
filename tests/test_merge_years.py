"""A submission of another report year (last year's workbook sent by mistake) is listed
and checked, but not summed into this year's totals."""

from __future__ import annotations

import gxexcel
from gxexcel.consolidation.submissions import YEAR_RULE
from gxexcel.model import Report


def write(folder, name, year, new):
    r = Report.zeros(unit_name=name, unit_type="乡镇人民政府", parent="示例县", year=year)
    r.cells["t3.new.natural"] = new
    r.cells["t3.open.natural"] = new
    return gxexcel.write_workbook(r.fill_totals(), folder / f"{name}.xlsx")


def test_other_year_is_listed_but_not_counted(tmp_path):
    folder = tmp_path / "报表"
    write(folder, "甲镇人民政府", 2024, 1)
    write(folder, "乙镇人民政府", 2024, 2)
    write(folder, "丙镇人民政府", 2023, 40)  # last year's workbook sent by mistake
    c = gxexcel.consolidate([folder])
    rows = c.submissions.set_index("单位名称")
    assert rows.loc["丙镇人民政府", "计入汇总"] == "否"
    assert rows.loc["丙镇人民政府", "说明"].startswith("报告年度为2023年，与本次汇总的2024年度不符，未计入汇总")
    assert (rows.loc[["甲镇人民政府", "乙镇人民政府"], "计入汇总"] == "是").all()
    totals = c.summary.set_index("单元格编号")["汇总值"]
    assert totals["t3.new.natural"] == 3 and totals["t3.total.total"] == 3
    assert c.year == 2024
    assert set(c.detail["unit_name"]) == {"甲镇人民政府", "乙镇人民政府", "丙镇人民政府"}


def test_the_rule_is_written_on_the_summary_sheet(tmp_path):
    from python_calamine import CalamineWorkbook

    folder = tmp_path / "报表"
    write(folder, "甲镇人民政府", 2024, 1)
    out = gxexcel.consolidate([folder]).to_excel(tmp_path / "汇总.xlsx")
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("汇总").to_python()
    assert any(YEAR_RULE in str(cell) for row in rows for cell in row)


def test_last_years_file_sent_later_does_not_push_out_this_years(tmp_path):
    # 丙镇 sends this year's report, then (later, by mistake) last year's: this year's counts
    import os

    folder = tmp_path / "报表"
    write(folder, "甲镇人民政府", 2024, 1)
    this_year = write(folder, "丙镇人民政府", 2024, 5)
    last_year = write(folder / "补报", "丙镇人民政府", 2023, 40)
    os.utime(this_year, (1_700_000_000, 1_700_000_000))
    os.utime(last_year, (1_700_100_000, 1_700_100_000))
    c = gxexcel.consolidate([folder])
    rows = {(r["单位名称"], r["来源文件"]): r for r in c.submissions.to_dict("records")}
    assert rows[("丙镇人民政府", str(this_year))]["计入汇总"] == "是"
    old = rows[("丙镇人民政府", str(last_year))]
    assert old["计入汇总"] == "否" and "本份不计入汇总" in old["说明"] and "已计入" not in old["说明"]
    totals = c.summary.set_index("单元格编号")["汇总值"]
    assert totals["t3.new.natural"] == 6



def test_a_workbook_without_a_unit_name_does_not_choose_the_year(tmp_path):
    """A workbook whose 单位名称 is blank is 无法读取 (no unit to count), yet its year was counted
    when choosing the consolidation's year: here it made 2024 the year of two units against
    two (the earlier year on a tie), counting 丙镇 and 丁镇 instead of 甲镇 and 乙镇; merging the
    county's consolidation (where it is only a 无法读取 row) then chose 2023, so the city's
    totals were not the county's."""
    folder = tmp_path / "报表"
    write(folder, "甲镇人民政府", 2023, 1)
    write(folder, "乙镇人民政府", 2023, 2)
    write(folder, "丙镇人民政府", 2024, 40)
    write(folder, "丁镇人民政府", 2024, 30)
    nameless = Report.zeros(unit_name="", unit_type="乡镇人民政府", parent="示例县", year=2024)
    gxexcel.write_workbook(nameless.fill_totals(), folder / "未填名称.xlsx")
    c = gxexcel.consolidate([folder])
    assert [s.note for s in c.statuses if s.status == "无法读取"] == ["封面未填写单位名称，无法确定是哪个单位的报表"]
    assert c.year == 2023
    assert sorted(u.unit_name for u in c.counted) == ["乙镇人民政府", "甲镇人民政府"]
    again = gxexcel.consolidate([c.to_excel(tmp_path / "县汇总.xlsx")])
    assert again.year == 2023 and again.total.cells == c.total.cells
