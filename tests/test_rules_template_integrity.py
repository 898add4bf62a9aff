"""Template integrity on real workbooks: labels, typed totals, sheets, version stamp, recalculated caches."""

from __future__ import annotations

import random

import openpyxl
import pytest

from gxexcel import form, layout
from gxexcel.errors import NotOurTemplateError
from gxexcel.libreoffice import recalculate
from gxexcel.reader import read_workbook
from gxexcel.rules.engine import validate
from gxexcel.sample import sample_report, type_over_totals
from gxexcel.writer import write_workbook


def _tpl(findings):
    return [f for f in findings if f.rule.startswith("TPL-WB")]


@pytest.fixture()
def clean(tmp_path):
    report = sample_report(random.Random(5), unit_name="云溪镇人民政府")
    return write_workbook(report, tmp_path / "云溪镇.xlsx")


def test_clean_workbook_has_no_template_finding(clean):
    assert _tpl(validate(read_workbook(clean))) == []


def test_total_typed_over_is_found_at_its_cell(clean):
    type_over_totals(clean, {"t3.new.total": 99})
    findings = validate(read_workbook(clean))
    (f,) = [f for f in findings if f.rule == "TPL-WB-FORMULA"]
    pos = layout.cell_positions()["t3.new.total"]
    assert (f.sheet, f.cell, f.severity) == (pos.sheet, pos.coordinate, "error")
    assert "99" in f.message and "手填" in f.message
    assert "T3-ROW-TOTAL" in {x.rule for x in findings}  # and the sum no longer holds


def test_changed_label_is_found_with_the_official_text(clean):
    wb = openpyxl.load_workbook(clean)
    merge = next(m for m in layout.table_layouts()["t3"].header if m.text == "1.属于国家秘密")
    wb[merge.sheet].cell(row=merge.first_row, column=merge.first_col).value = "1.属于国家机密"
    wb.save(clean)
    (f,) = _tpl(validate(read_workbook(clean)))
    assert f.rule == "TPL-WB-LABEL"
    assert (f.sheet, f.cell) == (merge.sheet, layout.addr(merge.first_col, merge.first_row))
    assert "“1.属于国家机密”" in f.message and "“1.属于国家秘密”" in f.message


def test_sheet_added_and_sheet_removed(clean):
    wb = openpyxl.load_workbook(clean)
    wb.create_sheet("我的草稿")
    del wb[layout.SHEET_GUIDE]
    wb.save(clean)
    found = {(f.rule, f.sheet) for f in validate(read_workbook(clean))}
    assert ("TPL-WB-SHEETS", "我的草稿") in found
    assert ("TPL-WB-SHEETS", layout.SHEET_GUIDE) in found


def test_renamed_table_sheet_is_one_finding_not_a_blank_per_cell(clean):
    """A clerk renamed 表三: TPL-WB-SHEETS names the missing and the added sheet; its 175
    cells are not each reported blank, and no blank figure is compared with the text."""
    wb = openpyxl.load_workbook(clean)
    wb[layout.cell_positions()["t3.new.natural"].sheet].title = "表三（改）"
    wb.save(clean)
    findings = validate(read_workbook(clean))
    t3_sheet = layout.cell_positions()["t3.new.natural"].sheet
    assert ("TPL-WB-SHEETS", t3_sheet) in {(f.rule, f.sheet) for f in findings}
    assert ("TPL-WB-SHEETS", "表三（改）") in {(f.rule, f.sheet) for f in findings}
    assert not [f for f in findings if f.rule == "CELL-BLANK"]
    assert not [f for f in findings if f.rule.startswith("X-TEXT")]
    assert any(f.severity == "error" for f in findings)  # the workbook still does not pass


def test_findings_sheet_is_not_an_added_sheet(clean):
    wb = openpyxl.load_workbook(clean)
    wb.create_sheet(layout.SHEET_FINDINGS)
    wb.save(clean)
    assert _tpl(validate(read_workbook(clean))) == []


def test_altered_version_stamp_is_refused_with_a_chinese_message(clean):
    wb = openpyxl.load_workbook(clean)
    pos = layout.cover_positions()["template_version"]
    wb[pos.sheet][pos.coordinate].value = "0.9"
    wb.save(clean)
    with pytest.raises(NotOurTemplateError) as err:
        read_workbook(clean)
    assert "模板版本" in str(err.value) and pos.coordinate in str(err.value)


def test_recalculated_workbook_cached_totals_agree(tmp_path, clean):
    """After LibreOffice computed the formulas, the cached totals equal the recomputed ones;
    a typed-over total in the same batch is still found."""
    typed = tmp_path / "typed.xlsx"
    typed.write_bytes(clean.read_bytes())
    type_over_totals(typed, {"t4.review.total": 7})
    out = recalculate([clean, typed], tmp_path / "calc")
    by_name = {p.stem: p for p in out}
    good = read_workbook(by_name[clean.stem])
    assert any(v is not None for v in good.source.cached_totals.values())
    assert _tpl(validate(good)) == []
    bad = validate(read_workbook(by_name["typed"]))
    rules = {(f.rule, f.cell) for f in bad}
    assert ("TPL-WB-FORMULA", layout.cell_positions()["t4.review.total"].coordinate) in rules
    assert form.CELLS["t4.review.total"].label in " ".join(f.message for f in bad)


def test_a_deleted_total_formula_is_said_to_be_deleted(clean):
    """A clerk pressed Delete on a 总计: the message read “总计公式被改为手填的数字空”, and CELL-BLANK
    told them to type 0 into the formula's cell."""
    wb = openpyxl.load_workbook(clean)
    pos = layout.cell_positions()["t3.new.total"]
    wb[pos.sheet][pos.coordinate] = None
    wb.save(clean)
    report = read_workbook(clean)
    findings = [f for f in validate(report) if f.cell == pos.coordinate and f.sheet == pos.sheet]
    label = form.CELLS["t3.new.total"].label
    expected = report.computed_total("t3.new.total")
    assert [(f.rule, f.message) for f in findings if f.rule in ("TPL-WB-FORMULA", "CELL-BLANK")] == [
        ("TPL-WB-FORMULA", f"{label}的公式被删除，单元格为空（各项之和为{expected}），请恢复模板的总计公式"),
    ]


def test_a_date_in_a_data_cell_does_not_blame_the_totals_formulas(tmp_path, clean):
    """“1-2” typed into a count cell becomes a date (a number to Excel's SUM): CELL-INT names the
    cell; the totals' cached results include the date's serial number, which is not a changed formula."""
    import datetime

    wb = openpyxl.load_workbook(clean)
    pos = layout.cell_positions()["t3.open.natural"]
    wb[pos.sheet][pos.coordinate] = datetime.datetime(2021, 1, 2)
    wb.save(clean)
    (saved,) = recalculate([clean], tmp_path / "lo")  # as Excel or WPS saves it: cached results
    findings = validate(read_workbook(saved))
    assert [(f.rule, f.cell) for f in findings if f.rule == "CELL-INT"] == [("CELL-INT", pos.coordinate)]
    assert _tpl(findings) == []


def test_a_bad_figure_is_named_at_its_own_cell_not_at_the_totals_formulas(tmp_path, clean):
    """-1 or 2.5 typed into 表四 结果维持: the message named the 总计 too (“表四 行政复议 总计应为不小于0的
    整数，填写的是“2.5””), a formula cell the clerk never typed into."""
    wb = openpyxl.load_workbook(clean)
    review = layout.cell_positions()["t4.review.upheld"]
    result = layout.cell_positions()["t3.open.natural"]
    wb[review.sheet][review.coordinate] = 2.5
    wb[result.sheet][result.coordinate] = -1
    wb.save(clean)
    (saved,) = recalculate([clean], tmp_path / "lo")
    findings = validate(read_workbook(saved))
    assert sorted((f.rule, f.sheet, f.cell) for f in findings if f.rule == "CELL-INT") == sorted(
        [("CELL-INT", review.sheet, review.coordinate), ("CELL-INT", result.sheet, result.coordinate)])
    assert _tpl(findings) == []


def test_text_typed_over_a_total_is_found_at_its_cell(clean):
    """A clerk (sheet protection removed, as WPS allows) typed 无 over a 总计: TPL-WB-FORMULA
    and CELL-INT name it, not a mere difference of the cached result."""
    wb = openpyxl.load_workbook(clean)
    pos = layout.cell_positions()["t3.partial.total"]
    wb[pos.sheet][pos.coordinate] = "无"
    wb.save(clean)
    report = read_workbook(clean)
    assert report.cells["t3.partial.total"] == "无" and report.source.typed_totals == ["t3.partial.total"]
    assert {f.rule for f in validate(report) if f.cell == pos.coordinate} == {"TPL-WB-FORMULA", "CELL-INT"}


def test_the_merge_finds_what_only_the_formulas_tell_as_validate_does(tmp_path, clean):
    """The merge read cached values only: a 总计 whose formula was deleted or typed over with
    the very sum it had, and a formula typed into a data cell, were reported by validate and
    missing from 校验情况. Both now take them from the file's formulas (seen by the safety scan)."""
    from gxexcel.consolidation import consolidate

    positions = layout.cell_positions()
    wb = openpyxl.load_workbook(clean)
    report = read_workbook(clean)
    edits = {"t3.new.total": None, "t3.partial.total": report.cells["t3.partial.total"], "t3.open.natural": "=2+3"}
    for cid, value in edits.items():
        wb[positions[cid].sheet][positions[cid].coordinate] = value
    wb.save(clean)
    (saved,) = recalculate([clean], tmp_path / "lo")  # cached results, as Excel or WPS saves them
    report = read_workbook(saved)
    assert set(report.source.typed_totals) == {"t3.new.total", "t3.partial.total"}
    assert report.source.formula_inputs == {"t3.open.natural": "=2+3"}
    expected = {(f.rule, f.sheet, f.cell, f.message) for f in validate(report)}
    assert {("TPL-WB-FORMULA", positions[c].sheet, positions[c].coordinate) for c in edits if c.endswith("total")} | {
        ("CELL-FORMULA", positions["t3.open.natural"].sheet, positions["t3.open.natural"].coordinate)
    } <= {x[:3] for x in expected}
    rows = consolidate([saved]).findings
    merged = {(r["规则"], r["工作表"], r["单元格"], r["问题"]) for _, r in rows.iterrows() if r["发现环节"] == "单位校验"}
    assert merged == expected
