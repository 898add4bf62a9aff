"""LibreOffice recalculates the consolidated workbook: 汇总's totals and live checks agree with Python."""

from __future__ import annotations

import openpyxl
import pytest

import gxexcel.consolidation as gc
from gxexcel import form, template
from gxexcel.consolidation import columns as C
from gxexcel.consolidation.totals import failing_identities
from gxexcel.consolidation.workbook import python_status, status_coordinate, summary_positions, table_offsets
from gxexcel.libreoffice import recalculate
from gxexcel.sample import write_samples
from openpyxl.utils import get_column_letter

pytestmark = pytest.mark.slow


def _check_cells() -> dict[tuple[str, str], str]:
    """(rule, key) of each identity -> coordinate of its live check on 汇总."""
    out = {}
    offsets = table_offsets()
    for table_id in form.TABLES:
        dr, dc = offsets[table_id]
        identities = [i for r in form.IDENTITY_RULES if r.table == table_id for i in r.instances]
        checks = template.live_checks(table_id)
        assert len(checks) == len(identities) + 1  # plus the blank-cell count
        for ident, (pos, _) in zip(identities, checks):
            out[(ident.rule, ident.key)] = f"{get_column_letter(pos.col + dc)}{pos.row + dr}"
    return out


def test_libreoffice_totals_and_live_checks_agree_with_python(tmp_path):
    write_samples(tmp_path / "in", 6, seed=4, errors=True)
    result = gc.consolidate(sorted((tmp_path / "in").glob("*.xlsx")))
    out = result.to_excel(tmp_path / "汇总.xlsx")
    positions = summary_positions()
    # a second copy where someone edits a sum on 汇总 by hand: the live checks must react
    tampered_path = tmp_path / "改动.xlsx"
    wb = openpyxl.load_workbook(out)
    ws = wb[C.SHEET_SUMMARY]
    ws[positions["t3.new.natural"]].value = result.total.cells["t3.new.natural"] + 1
    ws[positions["t4.review.upheld"]].value = result.total.cells["t4.review.upheld"] + 2
    wb.save(tampered_path)
    tampered = result.total.to_dict()
    tampered_report = type(result.total).from_dict(tampered)
    tampered_report.cells["t3.new.natural"] += 1
    tampered_report.cells["t4.review.upheld"] += 2
    tampered_report.fill_totals()

    computed = recalculate([out, tampered_path], tmp_path / "lo")
    checks = _check_cells()
    for path, report in zip(computed, (result.total, tampered_report)):
        ws = openpyxl.load_workbook(path, data_only=True)[C.SHEET_SUMMARY]
        for cid in form.CELLS:
            assert ws[positions[cid]].value == pytest.approx(report.cells[cid]), (path.name, cid)
        failing = {(i.rule, i.key) for i in failing_identities(report)}
        shown = {key for key, coord in checks.items() if ws[coord].value}
        assert shown == failing, path.name
        for key in failing:
            rule = next(r for r in form.IDENTITY_RULES if r.id == key[0])
            assert ws[checks[key]].value == rule.check_text
        expected_status = "全部通过" if not failing else f"有{len(failing)}处勾稽关系不符"
        assert ws[status_coordinate()].value == expected_status
    # the untouched consolidation: Python says the same as LibreOffice
    assert python_status(result) == openpyxl.load_workbook(computed[0], data_only=True)[C.SHEET_SUMMARY][status_coordinate()].value
    # totals are formulas, so the hand edit shows up as a broken 表三 balance (自然人 and 总计 columns)
    assert {("T3-BALANCE", "natural"), ("T3-BALANCE", "total")} <= {
        (i.rule, i.key) for i in failing_identities(tampered_report)}
