"""Template integrity of workbooks: what the reader saw against the template.

Sheet protection is not security; these checks are what make the template
trustworthy. They use the reader's observations in ``report.source``:
changed labels, total cells typed over, cached totals, the sheet list, the
template stamp and macros.
"""

from __future__ import annotations

from functools import cache
from typing import Iterator

from .. import form, layout
from ..findings import Finding
from ..model import ERROR_VALUES
from .catalog import finding
from .engine import Context, check


@cache
def expected_labels() -> dict[tuple[str, str], str]:
    """(sheet, A1 coordinate) -> label text the template writes there (tables, cover, 正文)."""
    out: dict[tuple[str, str], str] = {}
    for tl in layout.table_layouts().values():
        for merge in tl.header:
            out[(merge.sheet, layout.addr(merge.first_col, merge.first_row))] = merge.text
    for field in form.META_FIELDS:
        pos = layout.cover_positions()[field.id]
        out[(pos.sheet, layout.addr(1, pos.row))] = field.label
    for part in form.NARRATIVE_PARTS:
        pos = layout.text_positions()[part.id]
        out[(pos.sheet, layout.addr(1, pos.row))] = part.label
    for fee in form.FEE_FIELDS:
        pos = layout.text_positions()[fee.id]
        out[(pos.sheet, layout.addr(1, pos.row))] = fee.label
    return out


def _split_ref(ref: str) -> tuple[str, str]:
    sheet, _, coordinate = ref.rpartition("!")
    return sheet.strip("'"), coordinate


@check("TPL-WB-LABEL")
def changed_labels(ctx: Context) -> Iterator[Finding]:
    if not ctx.is_workbook:
        return
    for ref, found in ctx.report.source.changed_labels.items():
        sheet, coordinate = _split_ref(ref)
        expected = expected_labels().get((sheet, coordinate), "模板原文")
        yield finding(
            "TPL-WB-LABEL",
            sheet_name=sheet,
            coordinate=coordinate,
            found=found,
            expected=expected,
            sheet=sheet,
            cell=coordinate,
        )


@check("TPL-WB-FORMULA")
def total_formulas(ctx: Context) -> Iterator[Finding]:
    if not ctx.is_workbook:
        return
    source, report = ctx.report.source, ctx.report
    typed = set(source.typed_totals)
    for cid in source.typed_totals:
        value = source.cached_totals.get(cid, report.cells.get(cid))
        yield finding(
            "TPL-WB-FORMULA",
            "deleted" if value is None else "error" if value in ERROR_VALUES else "",
            label=form.CELLS[cid].label,
            value="空" if value is None else value,
            expected=report.computed_total(cid),
            **ctx.at_cell(cid),
        )
    for cid, cached in source.cached_totals.items():
        if cid in typed or cached is None or cid not in form.CELLS:
            continue
        if any(isinstance(report.cells.get(p), str) for p in form.total_parts(cid)):
            continue  # a part that is not a number (a date is one to SUM): CELL-INT names that cell
        expected = report.computed_total(cid)
        if not isinstance(cached, (int, float)) or abs(cached - expected) > 1e-9:
            yield finding(
                "TPL-WB-FORMULA",
                "cached",
                label=form.CELLS[cid].label,
                cached=cached,
                expected=expected,
                **ctx.at_cell(cid),
            )


@check("TPL-WB-SHEETS")
def sheets(ctx: Context) -> Iterator[Finding]:
    if not ctx.is_workbook or not ctx.report.source.sheets:
        return
    found = ctx.report.source.sheets
    for name in layout.TEMPLATE_SHEETS:
        if name not in found:
            yield finding("TPL-WB-SHEETS", sheet_name=name, sheet=name)
    for name in found:
        if name not in layout.TEMPLATE_SHEETS and name != layout.SHEET_FINDINGS:
            yield finding("TPL-WB-SHEETS", "added", sheet_name=name, sheet=name)


@check("TPL-WB-VERSION")
def stamp(ctx: Context) -> Iterator[Finding]:
    if not ctx.is_workbook:
        return
    source = ctx.report.source
    for key, label, found, expected in (
        ("template_id", layout.STAMP_LABELS[0], source.template_id or ctx.report.template_id, layout.TEMPLATE_ID),
        (
            "template_version",
            layout.STAMP_LABELS[1],
            source.template_version or ctx.report.template_version,
            layout.TEMPLATE_VERSION,
        ),
    ):
        if (found or "") != expected:
            yield finding(
                "TPL-WB-VERSION", field=label, found=found or "空", expected=expected, **ctx.at_cover(key)
            )


@check("TPL-WB-MACROS")
def macros(ctx: Context) -> Iterator[Finding]:
    if ctx.is_workbook and ctx.report.source.has_macros:
        yield finding("TPL-WB-MACROS", section="工作簿")
