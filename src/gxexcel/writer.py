"""Fill a copy of the template with a report.

Inputs, cover fields, narrative text, generation markers and 信息处理费 figures
are written at the positions of :mod:`gxexcel.layout`; 总计 cells keep their
formulas. Text taken from a report is written as text: a value starting with
``=``, ``+``, ``-`` or ``@`` can never become a formula.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

from . import form, layout
from .atomic import atomic_path
from .errors import GxError
from .model import CellValue, Report
from .template import build_workbook, fit_text_row

FORMULA_PREFIXES = ("=", "+", "-", "@")
#: Characters one Excel cell holds; openpyxl would silently cut anything longer.
MAX_CELL_CHARS = 32767


def fill_workbook(report: Report, wb: Workbook | None = None) -> Workbook:
    """The template (or ``wb``) filled with the report, not saved."""
    wb = wb or build_workbook()
    cover = layout.cover_positions()
    for field in form.META_FIELDS:
        value = getattr(report, field.id)
        _put(wb, cover[field.id], value if value not in ("", None) else None, text=field.id != "year", label=field.label)
    texts = layout.text_positions()
    for part in form.NARRATIVE_PARTS:
        _put(wb, texts[part.id], report.narrative.get(part.id) or None, text=True, label=f"正文“{part.label}”")
        fit_text_row(wb[texts[part.id].sheet], texts[part.id])
        _put(wb, layout.marker_position(part.id), report.markers.get(part.id) or None, text=True)
    for fee in form.FEE_FIELDS:
        _put(wb, texts[fee.id], report.fees.get(fee.id))
    positions = layout.cell_positions()
    for cid in form.INPUT_CELLS:
        _put(wb, positions[cid], report.cells.get(cid))
    return wb


def write_workbook(report: Report, path: str | Path) -> Path:
    """Write ``report`` into a fresh copy of the template at ``path`` (atomically)."""
    path = Path(path)
    try:
        wb = fill_workbook(report)
    except GxError as exc:  # name the file that was not written
        raise GxError(exc.message, path=str(path), sheet=exc.sheet, cell=exc.cell) from None
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _put(wb: Workbook, pos: layout.Position, value: CellValue, *, text: bool = False, label: str = "") -> None:
    cell = wb[pos.sheet].cell(row=pos.row, column=pos.col)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters cannot be stored in xlsx
        if len(value) > MAX_CELL_CHARS:
            raise GxError(
                f"{label or '文字'}共 {len(value)} 字，超过 Excel 一个单元格能容纳的 {MAX_CELL_CHARS} 字，"
                "写入工作簿会丢失后面的文字，因此没有写入。请精简这一部分后重试"
                "（公开文本仍可直接用 gxexcel validate 检查）。",
                sheet=pos.sheet, cell=pos.coordinate,
            )
        cell.value = value
        if value.startswith(FORMULA_PREFIXES) or value in ERROR_CODES:  # "#REF!" typed as text stays text
            cell.data_type = "s"  # keep as text, never a formula
        if text:
            cell.number_format = "@"
    else:
        cell.value = value
