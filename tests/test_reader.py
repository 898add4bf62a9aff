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


@pytest.mark.parametrize("check_formulas", [True, False])
def test_round_trip_is_exact(tmp_path, check_formulas):
    report = full_report()
    path = write_workbook(report, tmp_path / "r.xlsx")
    back = read_workbook(path, check_formulas=check_formulas)
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
