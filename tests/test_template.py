"""The locked template: labels, locks, validation, names, stamp, reproducibility."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.cell.cell import MergedCell
import pytest
from click.testing import CliRunner

from gxexcel import form, layout
from gxexcel.cli import cli
from gxexcel.template import build_template, live_checks

COMMITTED = Path(__file__).resolve().parents[1] / "workbook_templates" / "gxexcel-template.xlsx"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return build_template(tmp_path_factory.mktemp("tpl") / "t.xlsx")


@pytest.fixture(scope="module")
def wb(template):
    return openpyxl.load_workbook(template)


def fingerprint(path: Path) -> dict:
    """Everything a clerk sees or relies on, without timestamps."""
    wb = openpyxl.load_workbook(path)
    out = {
        "sheets": wb.sheetnames,
        "structure": wb.security.lockStructure if wb.security else None,
        "names": sorted((n, d.attr_text) for n, d in wb.defined_names.items()),
    }
    for ws in wb.worksheets:
        out[ws.title] = {
            "cells": sorted(
                (c.coordinate, str(c.value), c.protection.locked, c.number_format, c.fill.fgColor.rgb)
                for row in ws.iter_rows() for c in row if c.value is not None or not c.protection.locked
            ),
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "validation": sorted(
                (dv.type, dv.formula1, dv.prompt, str(dv.sqref)) for dv in ws.data_validations.dataValidation
            ),
            "protection": (ws.protection.sheet, ws.protection.formatCells, ws.protection.objects),
            "conditional": sorted(str(r.sqref) for r in ws.conditional_formatting),
            "print": (ws.page_setup.paperSize, ws.page_setup.orientation, ws.page_setup.fitToWidth),
        }
    return out


def test_committed_template_matches_builder(template):
    assert COMMITTED.exists(), "run: gxexcel template -o workbook_templates/gxexcel-template.xlsx"
    assert fingerprint(COMMITTED) == fingerprint(template), (
        "workbook_templates/gxexcel-template.xlsx is stale: "
        "run gxexcel template -o workbook_templates/gxexcel-template.xlsx and commit it"
    )


def test_sheets_and_stamp(wb):
    assert wb.sheetnames == list(layout.TEMPLATE_SHEETS)
    cover = wb[layout.SHEET_COVER]
    pos = layout.cover_positions()
    assert cover[pos["template_id"].coordinate].value == layout.TEMPLATE_ID
    assert cover[pos["template_version"].coordinate].value == layout.TEMPLATE_VERSION


def test_labels_equal_the_declaration(wb):
    for table in form.TABLES.values():
        lay = layout.table_layouts()[table.id]
        ws = wb[lay.sheet]
        assert ws.cell(row=lay.title_row, column=1).value == table.title
        for m in lay.header:
            if m.text:
                assert ws.cell(row=m.first_row, column=m.first_col).value == m.text
            if (m.first_row, m.first_col) != (m.last_row, m.last_col):
                assert m.range in {str(r) for r in ws.merged_cells.ranges}
    # every official label of 表三 appears on the sheet
    t3 = wb[layout.TABLE_SHEETS["t3"]]
    texts = {c.value for row in t3.iter_rows() for c in row if isinstance(c.value, str)}
    for row in form.T3.rows:
        assert {x for x in row.labels if x} <= texts
    for col in form.T3.columns:
        assert col.label in texts
    assert form.T3.corner in texts and form.T3.header_group in texts


def _input_coords() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for mapping in (layout.cell_positions(), layout.cover_positions(), layout.text_positions()):
        for key, p in mapping.items():
            if key in form.CELLS and form.CELLS[key].role != "input":
                continue
            if key in ("template_id", "template_version", "status"):
                continue
            out.setdefault(p.sheet, set()).add(p.coordinate)
    for part in form.NARRATIVE_PARTS:
        m = layout.marker_position(part.id)
        out[m.sheet].add(m.coordinate)
    return out


def test_only_input_cells_are_unlocked(wb):
    inputs = _input_coords()
    for ws in wb.worksheets:
        unlocked = {
            c.coordinate
            for row in ws.iter_rows()
            for c in row
            if not isinstance(c, MergedCell) and not c.protection.locked
        }
        assert unlocked == inputs.get(ws.title, set()), ws.title


def test_protection_on_every_sheet_and_structure(wb):
    assert wb.security.lockStructure
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        # highlights and notes written by 校验 must stay possible on protected sheets
        assert ws.protection.formatCells is False and ws.protection.objects is False


def test_every_input_has_validation(wb):
    covered: dict[str, dict[str, object]] = {}
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            assert dv.prompt and dv.showInputMessage
            if dv.type != "textLength":
                assert dv.error and dv.showErrorMessage
            for rng in dv.sqref.ranges:
                for row in ws[rng.coord] if ":" in rng.coord else [[ws[rng.coord]]]:
                    for c in row:
                        covered.setdefault(ws.title, {})[c.coordinate] = dv
    positions = layout.cell_positions()
    for cid in form.INPUT_CELLS:
        p = positions[cid]
        dv = covered[p.sheet][p.coordinate]
        if form.CELLS[cid].kind == "count":
            assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
        else:
            assert dv.type == "custom" and "ROUND" in dv.formula1 and ">=0" in dv.formula1
    cover = layout.cover_positions()
    assert covered[layout.SHEET_COVER][cover["unit_type"].coordinate].type == "list"
    assert covered[layout.SHEET_COVER][cover["year"].coordinate].type == "whole"
    for fee in form.FEE_FIELDS:
        p = layout.text_positions()[fee.id]
        assert covered[p.sheet][p.coordinate].type in ("whole", "decimal")


def test_totals_are_formulas_and_names_defined(wb):
    positions = layout.cell_positions()
    for cid in form.TOTAL_CELLS:
        p = positions[cid]
        assert str(wb[p.sheet][p.coordinate].value).startswith("=SUM("), cid
    names = dict(wb.defined_names.items())
    for cid in form.CELLS:
        p = positions[cid]
        assert layout.defined_name(cid) in names
        assert names[layout.defined_name(cid)].attr_text.replace("$", "") == p.ref


def test_live_checks_present_with_red_formatting(wb):
    for table_id in form.TABLES:
        ws = wb[layout.TABLE_SHEETS[table_id]]
        formatted = {str(r.sqref) for r in ws.conditional_formatting}
        for pos, formula in live_checks(table_id):
            assert ws[pos.coordinate].value == formula
            assert pos.coordinate in formatted
    n_identity_checks = sum(len(r.instances) for r in form.IDENTITY_RULES)
    assert sum(len(live_checks(t)) for t in form.TABLES) == n_identity_checks + len(form.TABLES)


def test_a4_print_setup(wb):
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.fitToWidth == 1


def test_cli_template(tmp_path):
    out = tmp_path / "模板.xlsx"
    result = CliRunner().invoke(cli, ["template", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "已生成填报模板" in result.output
    assert fingerprint(out) == fingerprint(COMMITTED)


def test_readme_names_the_unlocked_cells_that_are_not_yellow(wb):
    """README: “浅黄色单元格是填报区……其余单元格均已锁定” — the 生成标记 column of 正文 is unlocked
    too (narrate and the add-in write there), so the README must say so."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    plain = {
        (ws.title, c.coordinate)
        for ws in wb.worksheets for row in ws.iter_rows() for c in row
        if not isinstance(c, MergedCell) and not c.protection.locked and c.fill.fgColor.rgb != "00FFF9E0"
    }
    markers = {(layout.marker_position(p.id).sheet, layout.marker_position(p.id).coordinate) for p in form.NARRATIVE_PARTS}
    assert plain == markers
    line = next(x for x in readme.splitlines() if "浅黄色" in x and "锁定" in x)
    assert "生成标记" in line, line
