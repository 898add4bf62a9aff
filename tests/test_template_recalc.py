"""LibreOffice recalculates filled templates: every formula total and live check
computes what the Python model computes, and the checks are red exactly where an
identity is broken."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest

from gxexcel import form, layout
from gxexcel.libreoffice import recalculate
from gxexcel.model import Report
from gxexcel.reader import read_workbook
from gxexcel.template import live_checks
from gxexcel.writer import write_workbook


def consistent_report(rng: random.Random, name: str) -> Report:
    r = Report.zeros(unit_name=name, unit_type="乡镇人民政府", parent="示例县", year=2024)
    for col in form.T3_APPLICANT_COLUMNS:
        new, carried = rng.randint(0, 6), rng.randint(0, 2)
        r.cells[f"t3.new.{col}"], r.cells[f"t3.carried.{col}"] = new, carried
        remaining = new + carried
        forward = rng.randint(0, remaining)
        r.cells[f"t3.carry_forward.{col}"] = forward
        remaining -= forward
        while remaining:
            row = rng.choice(form.T3_LEAF_RESULT_ROWS)
            r.cells[f"t3.{row}.{col}"] += 1
            remaining -= 1
    for key in ("upheld", "corrected", "other", "pending"):
        r.cells[f"t4.review.{key}"] = rng.randint(0, 2)
    r.cells["t2.license.decisions"] = 805
    r.cells["t2.fees.amount"] = 1.2345
    return r.fill_totals()


def python_violations(report: Report) -> set[tuple[str, str]]:
    return {
        (i.rule, i.key)
        for i in form.IDENTITIES
        if sum(report.number(c) for c in i.left) != sum(report.number(c) for c in i.right)
    }


def position_to_identity() -> dict[tuple[str, str], tuple[str, str]]:
    out = {}
    for table_id in form.TABLES:
        checks = live_checks(table_id)
        identities = [i for r in form.IDENTITY_RULES if r.table == table_id for i in r.instances]
        for (pos, _), ident in zip(checks, identities):
            out[(pos.sheet, pos.coordinate)] = (ident.rule, ident.key)
    return out


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """Three workbooks: consistent, broken balance, typed-over total; recalculated in one LibreOffice run."""
    src = tmp_path_factory.mktemp("filled")
    rng = random.Random(7)
    good = consistent_report(rng, "甲镇人民政府")
    broken = consistent_report(rng, "乙镇人民政府")
    broken.cells["t3.new.natural"] = broken.number("t3.new.natural") + 1  # 一＋二 ≠ 三＋四 for 自然人
    broken.cells["t4.review.pending"] = broken.number("t4.review.pending") + 3
    broken.fill_totals()
    typed = consistent_report(rng, "丙镇人民政府")
    paths = [write_workbook(r, src / f"{i}.xlsx") for i, r in enumerate((good, broken, typed))]
    # the clerk of 丙镇 types a number over the 总计 of row 一 (T3-ROW-TOTAL breaks)
    wb = openpyxl.load_workbook(paths[2])
    p = layout.cell_positions()["t3.new.total"]
    wb[p.sheet][p.coordinate].value = 99
    wb.save(paths[2])
    outs = recalculate(paths, tmp_path_factory.mktemp("recalc"))
    return list(zip(paths, outs))


def test_totals_and_checks_agree_with_python(recalculated):
    where = position_to_identity()
    positions = layout.cell_positions()
    seen_violations = []
    for original, out in recalculated:
        model = read_workbook(original)  # typed totals kept, formula totals recomputed
        wb = openpyxl.load_workbook(out, data_only=True)
        for cid in form.TOTAL_CELLS:
            p = positions[cid]
            assert wb[p.sheet][p.coordinate].value == model.cells[cid], (original.name, cid)
        red = set()
        for table_id in form.TABLES:
            for pos, _ in live_checks(table_id):
                value = wb[pos.sheet][pos.coordinate].value
                if value not in (None, ""):
                    red.add(where.get((pos.sheet, pos.coordinate), ("CELL-BLANK", pos.sheet)))
        assert red == python_violations(model), original.name
        cover = wb[layout.SHEET_COVER][layout.cover_positions()["status"].coordinate].value
        assert (cover == "全部通过") == (not red)
        seen_violations.append(red)
    good, broken, typed = seen_violations
    assert good == set()
    assert broken == {("T3-BALANCE", "natural"), ("T3-BALANCE", "total")}
    assert typed == {("T3-ROW-TOTAL", "new"), ("T3-BALANCE", "total")}


def test_blank_inputs_are_flagged_live(tmp_path):
    report = Report.zeros(unit_name="丁镇人民政府", unit_type="乡镇人民政府", year=2024)
    report.cells["t2.penalty.decisions"] = None
    report.cells["t3.deny_law.research"] = None
    path = write_workbook(report, tmp_path / "blank.xlsx")
    (out,) = recalculate([path], tmp_path / "recalc")
    wb = openpyxl.load_workbook(out, data_only=True)
    for table_id, expected in (("t2", 1), ("t3", 1), ("t4", 0)):
        pos, _ = live_checks(table_id)[-1]
        value = wb[pos.sheet][pos.coordinate].value
        if expected:
            assert value == f"有{expected}个单元格未填写（没有发生的请填 0）"
        else:
            assert value in (None, "")
    status = wb[layout.SHEET_COVER][layout.cover_positions()["status"].coordinate].value
    assert status == "有2处勾稽关系不符或未填写，请查看各表红色提示"
