"""Cell-level rules (spec §3.1): CELL-INT, CELL-FEE, CELL-BLANK, CELL-FEE-UNIT; and CELL-FORMULA."""

from __future__ import annotations

import unicodedata
from typing import Iterator

from .. import form, layout
from ..findings import Finding
from .catalog import finding
from .engine import Context, check

#: A fee in 万元 at or above this, typed as a whole number, looks like 元 (CELL-FEE-UNIT).
FEE_YUAN_THRESHOLD = 10_000
FEE_DECIMALS = 4
#: Decimals of an amount in 元 (the 信息处理费 figures of 六).
YUAN_DECIMALS = 2


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_count(value: object) -> bool:
    """A whole number, not negative (a count of the form)."""
    return _is_number(value) and value >= 0 and float(value).is_integer()


def _is_amount(value: object, decimals: int) -> bool:
    """A number, not negative, with at most ``decimals`` decimals (an amount of money)."""
    return _is_number(value) and value >= 0 and round(value, decimals) == value


def _numeric_text(value: object) -> bool:
    """Text that reads as a figure (“5”, “ 3 ”, full-width “５”): a number stored as text."""
    if not isinstance(value, str):
        return False
    try:
        float(unicodedata.normalize("NFKC", value).strip())
    except ValueError:
        return False
    return True


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


#: Importer findings saying a whole table is in the old (2019) format: its blanks are a consequence.
OLD_FORMAT_TABLES: dict[str, str] = {
    "TPL-2019-T2A": "t2",
    "TPL-2019-T2B": "t2",
    "TPL-2019-T2C": "t2",
    "TPL-2019-T2D": "t2",
    "TPL-2019-T2E": "t2",
    "TPL-2019-T3": "t3",
}


@check("CELL-BLANK", "CELL-INT", "CELL-FEE")
def cell_values(ctx: Context) -> Iterator[Finding]:
    cells = ctx.report.cells
    reported = ctx.reported_cells
    old_tables = {OLD_FORMAT_TABLES[f.rule] for f in ctx.report.source.findings if f.rule in OLD_FORMAT_TABLES}
    lost = _on_missing_sheets(ctx)
    deleted = set(ctx.report.source.typed_totals)  # a 总计 whose formula was deleted: TPL-WB-FORMULA says it
    # a formula whose result the file does not hold (saved by openpyxl) is no blank: CELL-FORMULA says it
    formulas = ctx.report.source.formula_inputs
    for cell in form.CELLS.values():
        if ctx.is_workbook and cell.role == "total" and cell.id not in deleted:
            continue  # the template's formula: a bad figure in it is the part's, named at the part
        value = cells.get(cell.id)
        if value is None or (isinstance(value, str) and not value.strip()):
            # blanks the reader or importer already explained are not reported again, nor the
            # cells of a sheet that is missing or renamed (TPL-WB-SHEETS says it once)
            if (cell.id not in reported and cell.table not in old_tables and cell.id not in lost
                    and cell.id not in deleted and cell.id not in formulas):
                yield finding("CELL-BLANK", label=cell.label, **ctx.at_cell(cell.id))
        elif cell.kind == "money":
            if not _is_amount(value, FEE_DECIMALS):
                yield finding("CELL-FEE", _text(value), label=cell.label, value=_shown(value), **ctx.at_cell(cell.id))
        elif not _is_count(value):
            yield finding("CELL-INT", _text(value), label=cell.label, value=_shown(value), **ctx.at_cell(cell.id))
    # the 信息处理费 figures of 六 (blanks are X-FEE-STMT's)
    for fee in form.FEE_FIELDS:
        value = ctx.report.fees.get(fee.id)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        where = {**ctx.at_part("s6"), **{k: v for k, v in ctx.at_cover(fee.id).items() if k in ("sheet", "cell")}}
        if fee.kind == "count":
            if not _is_count(value):
                yield finding("CELL-INT", _text(value), label=fee.label, value=_shown(value), **where)
        elif not _is_amount(value, YUAN_DECIMALS):
            yield finding("CELL-FEE", _text(value) or "yuan", label=fee.label, value=_shown(value), **where)


def _text(value: object) -> str:
    """The message variant: “text” for a figure stored as text, else the usual one."""
    return "text" if _numeric_text(value) else ""


def _on_missing_sheets(ctx: Context) -> frozenset[str]:
    """Cells of a workbook sheet that is not there (renamed or deleted)."""
    present = ctx.report.source.sheets
    if not ctx.is_workbook or not present:
        return frozenset()
    positions = layout.cell_positions()
    return frozenset(cid for cid in form.CELLS if positions[cid].sheet not in present)


@check("CELL-FORMULA")
def input_formulas(ctx: Context) -> Iterator[Finding]:
    for cid, formula in ctx.report.source.formula_inputs.items():
        yield finding("CELL-FORMULA", label=form.CELLS[cid].label, formula=formula, **ctx.at_cell(cid))


@check("CELL-FEE-UNIT")
def fee_unit(ctx: Context) -> Iterator[Finding]:
    cid = next(c.id for c in form.CELLS.values() if c.kind == "money")
    value = ctx.report.cells.get(cid)
    if not _is_number(value) or value <= 0:
        return
    reason = ""
    if float(value).is_integer() and value >= FEE_YUAN_THRESHOLD:
        reason = f"整数且不小于{FEE_YUAN_THRESHOLD}"
    elif ctx.previous is not None:
        before = ctx.previous.cells.get(cid)
        if _is_number(before) and before > 0 and abs(value - before * 10_000) < 1e-6 * value:
            reason = f"恰为上年{_shown(before)}万元的10000倍"
    if reason:
        yield finding(
            "CELL-FEE-UNIT", label=form.CELLS[cid].label, value=_shown(value), reason=reason, **ctx.at_cell(cid)
        )
