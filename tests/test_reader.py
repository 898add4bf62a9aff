"""read_workbook: exact round trip with write_workbook; clear Chinese refusals."""

from __future__ import annotations

import random
import zipfile

import openpyxl
import pytest

from gxexcel import form, layout
from gxexcel.errors import NotOurTemplateError, UnreadableError
from gxexcel.model import Report
from gxexcel.reader import read_workbook
from gxexcel.template import build_template
from gxexcel.writer import write_workbook


def full_report() -> Report:
    rng = random.Random(3)
    r = Report(
        unit_name="南定镇人民政府", unit_type="乡镇人民政府", parent="示例县", year=2021,
        contact="张三", phone="0123-4567890",
    )
    for cid in form.INPUT_CELLS:
        r.cells[cid] = rng.randint(0, 9) if form.CELLS[cid].kind == "count" else 0.0123
    r.fill_totals()
    for part in form.NARRATIVE_PARTS:
        r.narrative[part.id] = f"{part.label}的正文，含换行\n第二行。"
    r.narrative["s5"] = "=SUM(A1) 看起来像公式的文字"
    r.markers["s1.active"] = "gx:abc123"
    r.fees.update({"fee.notices": 2, "fee.billed": 150.5, "fee.collected": 0})
    return r


def test_round_trip_is_exact(tmp_path):
    report = full_report()
    path = write_workbook(report, tmp_path / "r.xlsx")
    back = read_workbook(path)
    assert back.content() == report.content()
    assert back.source.kind == "workbook"
    assert back.source.template_id == layout.TEMPLATE_ID
    assert back.source.typed_totals == [] and back.source.changed_labels == {}
    assert len(back.source.sha256) == 64


def test_values_kept_as_entered(tmp_path):
    report = Report.zeros(unit_name="甲镇", year=2022)
    report.cells["t3.new.natural"] = "五"
    report.cells["t3.new.business"] = -1
    report.cells["t3.new.research"] = 1.5
    report.cells["t3.open.natural"] = None
    back = read_workbook(write_workbook(report, tmp_path / "v.xlsx"))
    assert back.cells["t3.new.natural"] == "五"
    assert back.cells["t3.new.business"] == -1
    assert back.cells["t3.new.research"] == 1.5
    assert back.cells["t3.open.natural"] is None
    assert back.cells["t3.new.total"] == 0.5  # text counts as 0 in the recomputed total


def test_typed_total_and_changed_label_are_recorded(tmp_path):
    path = write_workbook(Report.zeros(unit_name="乙镇", year=2022), tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    p = layout.cell_positions()["t4.review.total"]
    wb[p.sheet][p.coordinate].value = 0
    ws = wb[layout.TABLE_SHEETS["t3"]]
    ws["C9"] = "1.属于国家机密"
    wb.save(path)
    back = read_workbook(path)
    assert back.source.typed_totals == ["t4.review.total"]
    assert back.source.changed_labels == {"表三!C9": "1.属于国家机密"}


def test_not_a_workbook(tmp_path):
    bad = tmp_path / "报表.xlsx"
    bad.write_text("这不是工作簿", encoding="utf-8")
    with pytest.raises(UnreadableError) as exc:
        read_workbook(bad)
    assert "报表.xlsx" in str(exc.value) and "Excel" in str(exc.value)


def test_corrupt_zip(tmp_path):
    good = write_workbook(Report.zeros(unit_name="丙镇", year=2022), tmp_path / "g.xlsx")
    bad = tmp_path / "损坏.xlsx"
    bad.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    with pytest.raises(UnreadableError) as exc:
        read_workbook(bad)
    assert "损坏.xlsx" in str(exc.value)


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableError, match="文件不存在"):
        read_workbook(tmp_path / "无.xlsx")


def test_another_workbook(tmp_path):
    other = tmp_path / "工资表.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "姓名"
    wb.save(other)
    with pytest.raises(NotOurTemplateError) as exc:
        read_workbook(other)
    assert "工资表.xlsx" in str(exc.value) and "不是 gxexcel 年报填报模板" in str(exc.value)


def test_older_template_version(tmp_path):
    path = build_template(tmp_path / "old.xlsx")
    wb = openpyxl.load_workbook(path)
    p = layout.cover_positions()["template_version"]
    wb[p.sheet][p.coordinate] = "0.9"
    wb.save(path)
    with pytest.raises(NotOurTemplateError) as exc:
        read_workbook(path)
    message = str(exc.value)
    assert "old.xlsx" in message and "0.9" in message and layout.TEMPLATE_VERSION in message
    assert exc.value.sheet == layout.SHEET_COVER and exc.value.cell == p.coordinate


def test_zip_without_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableError):
        read_workbook(path)


def test_empty_text_parts_equal_missing_ones(tmp_path):
    report = Report.zeros(unit_name="戊镇", year=2022)
    report.narrative = {part.id: "" for part in form.NARRATIVE_PARTS}
    report.narrative["s5"] = "存在的问题。"
    back = read_workbook(write_workbook(report, tmp_path / "e.xlsx"))
    assert "s1.intro" not in back.narrative
    assert back.same_content(report)


def test_formulas_and_error_values_in_input_cells(tmp_path):
    """A formula typed into a data cell is recorded (CELL-FORMULA); an error value such as
    #REF! is kept as entered (CELL-INT names it) instead of reading as blank."""
    from gxexcel.libreoffice import recalculate
    from gxexcel.rules.engine import validate

    path = write_workbook(Report.zeros(unit_name="己镇人民政府", unit_type="乡镇人民政府", year=2022), tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(path)
    pos = layout.cell_positions()
    ws = wb[pos["t3.new.natural"].sheet]
    ws[pos["t3.new.natural"].coordinate] = "=2+3"
    ws[pos["t3.new.business"].coordinate] = "=#REF!+1"
    ws[pos["t3.open.natural"].coordinate] = "#REF!"
    ws[pos["t3.open.natural"].coordinate].data_type = "e"
    wb.save(path)
    # an error constant, as Excel stores a typed #REF!: python-calamine reads it as blank, the safety scan saw it
    assert read_workbook(path).cells["t3.open.natural"] == "#REF!"
    (recalculated,) = recalculate([path], tmp_path / "lo")  # as Excel would save it: cached results
    report = read_workbook(recalculated)
    assert report.cells["t3.open.natural"] == "#REF!" and report.cells["t3.new.business"] == "#REF!"
    # LibreOffice stores the typed error as the formula =#REF!; both forms are reported
    assert report.source.formula_inputs == {
        "t3.new.business": "=#REF!+1", "t3.new.natural": "=2+3", "t3.open.natural": "=#REF!",
    }
    assert report.cells["t3.new.natural"] == 5
    findings = {(f.rule, f.cell, f.message) for f in validate(read_workbook(path))}
    label = {cid: form.CELLS[cid].label for cid in ("t3.new.natural", "t3.open.natural")}
    assert ("CELL-FORMULA", pos["t3.new.natural"].coordinate,
            f"{label['t3.new.natural']}填写的是公式“=2+3”，请改为直接填写数字") in findings
    assert ("CELL-INT", pos["t3.open.natural"].coordinate,
            f"{label['t3.open.natural']}应为不小于0的整数，填写的是“#REF!”") in findings


def test_shared_formulas_and_cells_without_a_reference(tmp_path):
    """Excel stores a formula filled down a column once (a shared formula: the first cell
    holds it, the others only its number), and other writers may leave out a cell's ``r``.
    Each cell's formula is told as Excel shows it, the same as openpyxl reads it."""
    from corpus import rezip

    path = write_workbook(Report.zeros(unit_name="己镇人民政府", year=2022), tmp_path / "f.xlsx")
    wb = openpyxl.load_workbook(path)
    pos = layout.cell_positions()
    ws = wb[pos["t3.new.natural"].sheet]
    assert (pos["t3.new.natural"].coordinate, pos["t3.carried.natural"].coordinate) == ("D5", "D6")
    ws["D5"], ws["D6"] = "=J5*2", "=J6*2"
    ws[pos["t3.open.natural"].coordinate] = "=1+1"
    wb.save(path)
    part = f"xl/worksheets/sheet{wb.sheetnames.index('表三') + 1}.xml"  # as openpyxl names the parts
    with zipfile.ZipFile(path) as z:
        xml = z.read(part).decode()
    assert "<f>J5*2</f>" in xml and '<c r="D7"' in xml
    xml = xml.replace("<f>J5*2</f>", '<f t="shared" ref="D5:D6" si="0">J5*2</f>').replace("<f>J6*2</f>", '<f t="shared" si="0"/>')
    row7 = xml[xml.index('<row r="7"'):]
    xml = xml.replace(row7, row7.replace('<c r="D7"', '<c', 1), 1)  # D7 now follows C7 by position
    assert '<c r="C7"' in row7
    shared = rezip(path, tmp_path / "shared.xlsx", replace={part: xml.encode()})
    report = read_workbook(shared)
    expected = {"t3.new.natural": "=J5*2", "t3.carried.natural": "=J6*2", "t3.open.natural": "=1+1"}
    assert report.source.formula_inputs == expected
    book = openpyxl.load_workbook(shared)  # an independent reader agrees
    assert {cid: book["表三"][pos[cid].coordinate].value for cid in expected} == expected


def test_a_number_typed_as_text_is_told_to_be_text(tmp_path):
    """A clerk's 5 stored as text (cell formatted as text, '5, a pasted “ 3 ”, full-width ５) read
    “应为不小于0的整数，填写的是“5”” — a non-negative whole number, as far as the clerk can see.
    The message says the figure is text, also after LibreOffice (as WPS) saved the workbook."""
    from gxexcel.libreoffice import recalculate
    from gxexcel.rules.engine import validate

    path = write_workbook(Report.zeros(unit_name="己镇人民政府", unit_type="乡镇人民政府", year=2022), tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    pos = layout.cell_positions()
    typed = {"t3.new.natural": "5", "t3.new.business": " 3 ", "t3.new.research": "５", "t2.fees.amount": "0.5",
             "t4.review.upheld": "3件"}
    for cid, value in typed.items():
        wb[pos[cid].sheet][pos[cid].coordinate] = value
    wb.save(path)
    (saved,) = recalculate([path], tmp_path / "lo")
    for workbook in (path, saved):
        messages = {f.cell: (f.rule, f.message) for f in validate(read_workbook(workbook)) if f.rule in ("CELL-INT", "CELL-FEE")}
        for cid, value in typed.items():
            label = form.CELLS[cid].label
            rule = "CELL-FEE" if form.CELLS[cid].kind == "money" else "CELL-INT"
            if cid == "t4.review.upheld":  # not a number at all: the usual message
                expected = f"{label}应为不小于0的整数，填写的是“3件”"
            else:
                expected = f"{label}填写的“{value}”是文本，不是数字（单元格为文本格式，或含空格、全角数字），请删除后重新输入数字"
            assert messages[pos[cid].coordinate] == (rule, expected), workbook
