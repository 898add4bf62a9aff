"""What the reader learns from the cells' formulas (noted by the safety scan's pass over the
worksheets), on workbooks as the writers a county office receives them from save them."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl

from corpus import good_report, rezip
from gxexcel import form, layout
from gxexcel.libreoffice import recalculate
from gxexcel.reader import read_workbook
from gxexcel.rules.engine import validate
from gxexcel.safety import check_workbook
from gxexcel.writer import write_workbook

POS = layout.cell_positions()


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _findings(path: Path) -> list[tuple[str, str, str, str]]:
    return sorted((f.rule, f.sheet, f.cell, f.message) for f in validate(read_workbook(path)))


def _edited(tmp_path: Path, edits: dict[str, object]) -> Path:
    """A filled workbook written by gxexcel, then edited with openpyxl as a clerk would in Excel."""
    path = write_workbook(good_report("东林镇人民政府"), tmp_path / "filled.xlsx")
    wb = openpyxl.load_workbook(path)
    for cid, value in edits.items():
        wb[POS[cid].sheet][POS[cid].coordinate] = value
    wb.save(path)
    return path


STRICT = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
}


def test_a_strict_open_xml_workbook_keeps_its_total_formulas(tmp_path):
    """Excel's “Strict Open XML 电子表格” names the sheets' relationships in another namespace:
    the sheets' names were not found, no formula was placed on its sheet, and every 总计 of
    表三 and 表四 was reported as typed over (34 TPL-WB-FORMULA errors on a correct report)."""
    path = _edited(tmp_path, {"t3.open.natural": "=2+3", "t3.partial.total": 7})
    replace = {}
    for name, data in _parts(path).items():
        if name.endswith((".xml", ".rels")):
            for old, new in STRICT.items():
                data = data.replace(old, new)
            replace[name] = data
    strict = rezip(path, tmp_path / "strict.xlsx", replace=replace)
    assert b"purl.oclc.org/ooxml/officeDocument/relationships" in _parts(strict)["xl/workbook.xml"]
    report = read_workbook(strict)
    assert report.unit_name == "东林镇人民政府"  # python-calamine reads Strict workbooks
    assert report.source.typed_totals == ["t3.partial.total"]
    assert report.source.formula_inputs == {"t3.open.natural": "=2+3"}
    assert _findings(strict) == _findings(path)


def _xlsxwriter_copy(src: Path, dst: Path, arrays: dict[tuple[str, str], str]) -> Path:
    """The workbook written again by XlsxWriter, cell by cell, with array formulas
    ((sheet, range) -> formula) entered as Excel's Ctrl+Shift+Enter does."""
    import xlsxwriter
    from openpyxl.utils.cell import range_boundaries

    covered = set()
    for sheet, ref in arrays:
        first_col, first_row, last_col, last_row = range_boundaries(ref)
        covered |= {(sheet, r, c) for r in range(first_row, last_row + 1) for c in range(first_col, last_col + 1)}
    book = xlsxwriter.Workbook(str(dst))
    for ws in openpyxl.load_workbook(src).worksheets:
        target = book.add_worksheet(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None and (ws.title, cell.row, cell.column) not in covered:
                    target.write(cell.row - 1, cell.column - 1, cell.value)
    for (sheet, ref), formula in arrays.items():
        book.get_worksheet_by_name(sheet).write_array_formula(ref, formula)
    book.close()
    return dst


def test_cells_of_an_array_formula_hold_its_formula(tmp_path):
    """An array formula (Ctrl+Shift+Enter over a range) is stored once, in its first cell; the
    other cells of the range hold only results, yet Excel shows each of them with the formula.
    The 总计 J6 and J7 of such a formula were reported as typed over (“公式被改为手填的数字0”),
    and a data cell filled by one was not said to hold a formula."""
    path = _edited(tmp_path, {})
    totals = ("t3.new.total", "t3.carried.total", "t3.open.total")
    data = ("t3.partial.natural", "t3.partial.business")
    assert [POS[c].coordinate for c in totals + data] == ["J5", "J6", "J7", "D8", "E8"]
    copy = _xlsxwriter_copy(path, tmp_path / "xlsxwriter.xlsx", {})
    assert _findings(copy) == []  # the plain copy is a clean report
    arrays = _xlsxwriter_copy(path, tmp_path / "arrays.xlsx", {
        ("表三", "J5:J7"): "{=D5:D7+E5:E7+F5:F7+G5:G7+H5:H7+I5:I7}", ("表三", "D8:E8"): "{=D6:E6*0}"})
    assert openpyxl.load_workbook(arrays)["表三"]["J6"].data_type == "n"  # stored as a result only
    report = read_workbook(arrays)
    assert report.source.typed_totals == []
    assert report.source.formula_inputs == {"t3.partial.business": "=D6:E6*0", "t3.partial.natural": "=D6:E6*0"}
    assert {(rule, cell) for rule, _, cell, _ in _findings(arrays)} == {("CELL-FORMULA", "D8"), ("CELL-FORMULA", "E8")}


def test_cells_of_a_data_table_hold_its_table_formula(tmp_path):
    """A what-if data table (数据 → 模拟分析 → 模拟运算表) stores <f t="dataTable"> without text in
    its first cell only; Excel shows {=TABLE(,B2)} in each cell of the table. The first cell
    was said to hold the formula “=”, the others nothing."""
    path = _edited(tmp_path, {})
    sheet = f"xl/worksheets/sheet{layout.TEMPLATE_SHEETS.index('表三') + 1}.xml"
    xml = _parts(path)[sheet].decode()
    first = xml.index('<c r="D5"')
    end = xml.index("</c>", first) + len("</c>")
    table = '<c r="D5" s="14"><f t="dataTable" ref="D5:E6" dt2D="0" dtr="0" r1="B2"/><v>0</v></c>'
    edited = rezip(path, tmp_path / "table.xlsx", replace={sheet: (xml[:first] + table + xml[end:]).encode()})
    report = read_workbook(edited)
    cells = ("t3.new.natural", "t3.new.business", "t3.carried.natural", "t3.carried.business")
    assert [POS[c].coordinate for c in cells] == ["D5", "E5", "D6", "E6"]
    assert report.source.formula_inputs == {c: "=TABLE(,B2)" for c in sorted(cells)}
    assert report.source.typed_totals == []


def test_an_error_value_in_a_total_is_named(tmp_path):
    """A clerk pasted values (选择性粘贴 → 数值) from a sheet whose totals showed #REF!, so J8
    holds the error value itself instead of its formula (as Excel stores it: t="e"). It was
    reported as “总计的公式被删除，单元格为空”: python-calamine reads an error value as blank.
    LibreOffice saves the same cell as the formula =#REF!, whose result #REF! was not reported
    at all (the blank cached result was taken for “not cached”)."""
    from gxexcel.consolidation import consolidate

    path = _edited(tmp_path, {})
    wb = openpyxl.load_workbook(path)
    cell = wb["表三"][POS["t3.partial.total"].coordinate]
    cell.value, cell.data_type = "#REF!", "e"
    wb.save(path)
    (saved,) = recalculate([path], tmp_path / "lo")
    assert openpyxl.load_workbook(path)["表三"]["J8"].data_type == "e"  # the error value itself
    assert openpyxl.load_workbook(saved)["表三"]["J8"].value == "=#REF!"  # a formula giving it
    report = read_workbook(path)
    assert report.source.typed_totals == ["t3.partial.total"] and report.cells["t3.partial.total"] == "#REF!"
    found = _findings(path)
    at_j8 = [(rule, message) for rule, _, cell, message in found if cell == "J8"]
    assert [rule for rule, _ in at_j8] == ["CELL-INT", "TPL-WB-FORMULA"]
    assert all("#REF!" in message and "为空" not in message and "数字" not in message for _, message in at_j8), at_j8
    report = read_workbook(saved)
    assert report.source.typed_totals == [] and report.source.cached_totals["t3.partial.total"] == "#REF!"
    found = _findings(saved)
    assert [(rule, message) for rule, _, cell, message in found if cell == "J8"] == [
        ("TPL-WB-FORMULA", f"{form.CELLS['t3.partial.total'].label}在文件中的计算结果为#REF!，与各项之和"
                           f"{report.computed_total('t3.partial.total')}不一致（公式可能被修改）")]
    for each in (path, saved):  # the merge's 校验情况 says the same
        rows = consolidate([each]).findings
        assert sorted((r["规则"], r["工作表"], r["单元格"], r["问题"]) for _, r in rows.iterrows()
                      if r["发现环节"] == "单位校验") == _findings(each)


def test_rows_and_cells_without_a_reference_are_placed_in_bounded_time(tmp_path):
    """A writer that leaves out every row's and cell's r (allowed: each follows the one before)
    made the scan count back through all earlier rows and cells for each formula: a workbook
    with 19,000 such rows on each of three sheets took minutes to read (the merge of a county
    hung on it). Each cell is now placed in one pass; the whole-part and the streamed scan agree."""
    path = _edited(tmp_path, {})
    parts = _parts(path)
    rows = 19_000
    replace = {}
    for sheet in ("表三", "表四", "填报说明"):
        part = f"xl/worksheets/sheet{layout.TEMPLATE_SHEETS.index(sheet) + 1}.xml"
        xml = parts[part].decode()
        extra = "".join(f'<row><c t="inlineStr"><is><t>备注{i}</t></is></c><c><f>{i}*2</f><v>{i * 2}</v></c></row>'
                        for i in range(rows))
        replace[part] = xml.replace("</sheetData>", extra + "</sheetData>").encode()
    many = rezip(path, tmp_path / "many.xlsx", replace=replace)
    code = textwrap.dedent(f"""
        from gxexcel import safety
        info = safety.check_workbook({str(many)!r})
        print(info.sheet_sizes[{part!r}], info.formula_cells[("填报说明", "B{rows + 17}")], len(info.formula_cells))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[:3] == [f"({rows + 17},", "2)", f"={rows - 1}*2"]
    assert int(out.stdout.split()[3]) == len(check_workbook(path).formula_cells) + 3 * rows


def test_shared_formulas_are_moved_only_for_the_cells_the_reader_looks_at(tmp_path, monkeypatch):
    """Excel stores a formula filled down a column once (a shared formula). The scan moved it
    to every cell sharing it, with openpyxl's translator: a county's statistics workbook with
    380,000 filled-down formulas, left in the folder of submissions, took 12 s to look at
    instead of 2 s before the scan noted formulas, although it is not a report at all. Now only
    the cells the reader asks for are translated, each the same as before."""
    from openpyxl.formula.translate import Translator

    path = _edited(tmp_path, {})
    part = f"xl/worksheets/sheet{layout.TEMPLATE_SHEETS.index('填报说明') + 1}.xml"
    xml = _parts(path)[part].decode()
    rows = 5_000
    filled = '<row r="100"><c r="C100"><f t="shared" ref="C100:C{last}" si="0">A100*2+表三!$J$5</f><v>0</v></c></row>'
    filled = filled.format(last=99 + rows) + "".join(
        f'<row r="{r}"><c r="C{r}"><f t="shared" si="0"/><v>{r}</v></c></row>' for r in range(101, 100 + rows))
    # a data cell shares a formula as well: its master is J5's row, read the same way
    sheet3 = f"xl/worksheets/sheet{layout.TEMPLATE_SHEETS.index('表三') + 1}.xml"
    t3 = _parts(path)[sheet3].decode()
    t3 = t3.replace('<c r="D5" s="14" t="n"><v>0</v></c>', '<c r="D5" s="14"><f t="shared" ref="D5:D6" si="4">B5+$B$9</f><v>0</v></c>')
    t3 = t3.replace('<c r="D6" s="14" t="n"><v>0</v></c>', '<c r="D6" s="14"><f t="shared" si="4"/><v>0</v></c>')
    assert t3.count('si="4"') == 2
    filled_path = rezip(path, tmp_path / "filled_down.xlsx",
                        replace={part: xml.replace("</sheetData>", filled + "</sheetData>").encode(), sheet3: t3.encode()})
    moved = []
    translate = Translator.translate_formula
    monkeypatch.setattr(Translator, "translate_formula", lambda self, *a, **k: moved.append(a) or translate(self, *a, **k))
    report = read_workbook(filled_path)
    assert report.source.formula_inputs == {"t3.carried.natural": "=B6+$B$9", "t3.new.natural": "=B5+$B$9"}
    assert len(moved) <= 1
    info = check_workbook(filled_path)
    assert info.formula_cells[("填报说明", f"C{99 + rows}")] == f"=A{99 + rows}*2+表三!$J$5"
    assert len(info.formula_cells) == len(check_workbook(path).formula_cells) + rows + 2


def test_an_error_value_in_a_fee_cell_is_named(tmp_path):
    """正文's 信息处理费 figures are data cells too: one showing #VALUE! (a formula over text,
    pasted as values) read as blank, and the clerk was told the fee was not filled in
    (X-FEE-STMT “未填写”) while the cell shows #VALUE!. It is now named like an error value
    in a table's data cell."""
    from gxexcel.consolidation import consolidate

    positions = layout.text_positions()
    path = _edited(tmp_path, {})
    wb = openpyxl.load_workbook(path)
    billed = positions["fee.billed"]
    cell = wb[billed.sheet][billed.coordinate]
    cell.value, cell.data_type = "#VALUE!", "e"
    wb.save(path)
    report = read_workbook(path)
    assert report.fees["fee.billed"] == "#VALUE!"
    found = _findings(path)
    assert [(rule, cell) for rule, _, cell, _ in found] == [("CELL-FEE", billed.coordinate)]
    assert "#VALUE!" in found[0][3]
    rows = consolidate([path]).findings  # the merge's 校验情况 says the same
    assert sorted((r["规则"], r["工作表"], r["单元格"], r["问题"]) for _, r in rows.iterrows()
                  if r["发现环节"] == "单位校验") == found


def test_error_values_are_seen_in_any_encoding_and_spelling_of_the_part(tmp_path, monkeypatch):
    """The whole-part scan looked for error values only when the part's bytes held t="e":
    a worksheet written in UTF-16 (as .NET writers may) or with spaces around the = of the
    attribute hid its #REF! from the reader (read as blank), while the streamed scan of a
    large part found it. Both scans now see the same."""
    from gxexcel import safety

    path = _edited(tmp_path, {"t3.new.business": "=1+1"})
    wb = openpyxl.load_workbook(path)
    cell = wb["表三"][POS["t3.new.natural"].coordinate]
    cell.value, cell.data_type = "#REF!", "e"
    wb.save(path)
    part = f"xl/worksheets/sheet{layout.TEMPLATE_SHEETS.index('表三') + 1}.xml"
    xml = _parts(path)[part].decode()
    assert 't="e"' in xml
    body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
    variants = {
        "utf16": ('<?xml version="1.0" encoding="UTF-16"?>' + body).encode("utf-16"),
        "spaced": xml.replace('t="e"', 't = "e"').encode(),
    }
    for name, data in variants.items():
        variant = rezip(path, tmp_path / f"{name}.xlsx", replace={part: data})
        report = read_workbook(variant)
        assert report.cells["t3.new.natural"] == "#REF!", name
        assert report.source.formula_inputs == {"t3.new.business": "=1+1"}, name
        whole = check_workbook(variant)
        with monkeypatch.context() as m:
            m.setattr(safety, "WHOLE_PART_BYTES", 0)  # every part streamed
            streamed = check_workbook(variant)
        assert (whole.error_cells, dict(whole.formula_cells)) == (streamed.error_cells, dict(streamed.formula_cells))


def test_a_formula_is_shown_without_the_file_format_prefixes_of_newer_functions(tmp_path):
    """Excel stores functions newer than Excel 2007 with a prefix (IFS as _xlfn.IFS, LET's names
    as _xlpm.x), which it never shows. CELL-FORMULA told the clerk “填写的是公式“=_xlfn.IFS(…)””,
    a formula the clerk never typed; it now shows the formula as typed."""
    import xlsxwriter

    path = _edited(tmp_path, {})
    copy = tmp_path / "future.xlsx"
    book = xlsxwriter.Workbook(str(copy), {"use_future_functions": True})
    for ws in openpyxl.load_workbook(path).worksheets:
        target = book.add_worksheet(ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    target.write(cell.row - 1, cell.column - 1, cell.value)
        if ws.title == "表三":
            target.write_formula(POS["t3.new.natural"].coordinate, "=IFS(B5>0,1,TRUE,0)", None, 0)
            target.write_formula(POS["t3.new.business"].coordinate, "=LET(x,2,x*3)", None, 6)
    book.close()
    assert "_xlfn.IFS" in _parts(copy)["xl/worksheets/sheet4.xml"].decode()
    report = read_workbook(copy)
    assert report.source.formula_inputs == {"t3.new.business": "=LET(x,2,x*3)", "t3.new.natural": "=IFS(B5>0,1,TRUE,0)"}


def test_a_formula_without_a_saved_result_is_not_called_blank(tmp_path):
    """A workbook saved without the formulas' results (by openpyxl, as gxexcel narrate and other
    scripts save it; Excel recalculates on opening) reads a data cell holding =2+3 as blank:
    the clerk was told “自然人为空，没有数据也应填写0” besides CELL-FORMULA, although the cell
    plainly holds a formula. CELL-FORMULA alone now names it."""
    path = _edited(tmp_path, {"t3.new.natural": "=2+3"})
    assert openpyxl.load_workbook(path, data_only=True)["表三"]["D5"].value is None  # no saved result
    found = _findings(path)
    assert [(rule, cell) for rule, _, cell, _ in found if cell == "D5"] == [("CELL-FORMULA", "D5")]
