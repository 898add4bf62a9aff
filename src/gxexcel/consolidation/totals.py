"""Cell-wise sums over the counted units, and the identity checks on the sum."""

from __future__ import annotations

from .. import form
from ..model import Report, tidy_number
from .units import CELL_IDS, Unit

CELL_INDEX = {cid: i for i, cid in enumerate(CELL_IDS)}


def summed_report(units: list[Unit], *, title: str = "", year: int | None = None, parent: str = "") -> Report:
    """A report whose every input is the sum over ``units`` and whose totals are
    computed from those sums (what the 汇总 sheet's formulas compute)."""
    report = Report(unit_name=title, year=year, parent=parent)
    # one column of values per cell id, in unit order (units without cells add nothing)
    columns = list(zip(*(u.cells for u in units if u.cells)))
    for cid in form.INPUT_CELLS:
        column = columns[CELL_INDEX[cid]] if columns else ()
        total = sum(v for v in column if isinstance(v, (int, float)) and not isinstance(v, bool))
        report.cells[cid] = tidy_number(total)
    report.fill_totals()
    fees = [f.id for f in form.FEE_FIELDS]
    for i, fid in enumerate(fees):
        values = [u.fees[i] for u in units if u.fees and isinstance(u.fees[i], (int, float)) and not isinstance(u.fees[i], bool)]
        report.fees[fid] = tidy_number(sum(values)) if values else 0
    return report


def failing_identities(report: Report) -> list[form.Identity]:
    """The sum identities that do not hold on ``report`` (what the live checks show)."""
    return [
        i for i in form.IDENTITIES
        if round(sum(report.number(c) for c in i.left) - sum(report.number(c) for c in i.right), 6) != 0
    ]
