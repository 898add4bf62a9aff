"""Every kind of live check turns on in LibreOffice exactly where Python finds the identity
broken, including those that only a typed-over 总计 can break: T3-RESULT-SUM (（七）总计) and
the three 表四 sums (test_template_recalc covers T3-BALANCE and T3-ROW-TOTAL)."""

from __future__ import annotations

import random

import openpyxl
import pytest

from gxexcel import form, layout
from gxexcel.libreoffice import recalculate
from gxexcel.reader import read_workbook
from gxexcel.template import live_checks
from gxexcel.writer import write_workbook
from test_template_recalc import consistent_report, position_to_identity, python_violations

#: total typed over by the clerk -> the identity rules that must then fail
TYPED_OVER = {
    "t3.total.research": {"T3-RESULT-SUM", "T3-BALANCE", "T3-ROW-TOTAL"},  # （七） is also a row
    "t4.review.total": {"T4-REVIEW-SUM"},
    "t4.suit_direct.total": {"T4-LIT-DIRECT-SUM"},
    "t4.suit_after_review.total": {"T4-LIT-AFTER-SUM"},
}


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    src = tmp_path_factory.mktemp("typed")
    rng = random.Random(19)
    positions = layout.cell_positions()
    paths = []
    for i, cid in enumerate(sorted(TYPED_OVER)):
        path = write_workbook(consistent_report(rng, f"第{i}镇人民政府"), src / f"{i}.xlsx")
        wb = openpyxl.load_workbook(path)
        p = positions[cid]
        wb[p.sheet][p.coordinate].value = 77
        wb.save(path)
        paths.append((cid, path))
    outs = recalculate([p for _, p in paths], tmp_path_factory.mktemp("recalc"))
    return [(cid, path, out) for (cid, path), out in zip(paths, outs)]


def test_each_typed_over_total_lights_exactly_its_checks(recalculated):
    where = position_to_identity()
    for cid, original, out in recalculated:
        model = read_workbook(original)
        assert model.source.typed_totals == [cid]
        expected = python_violations(model)
        assert {rule for rule, _ in expected} == TYPED_OVER[cid], cid
        wb = openpyxl.load_workbook(out, data_only=True)
        lit = set()
        for table_id in form.TABLES:
            for pos, _ in live_checks(table_id):
                if wb[pos.sheet][pos.coordinate].value not in (None, ""):
                    lit.add(where[(pos.sheet, pos.coordinate)])
        assert lit == expected, cid
        status = wb[layout.SHEET_COVER][layout.cover_positions()["status"].coordinate].value
        assert status != "全部通过" and str(len(expected)) in status, (cid, status)
