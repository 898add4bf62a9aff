"""Highlights that 校验 puts on failing cells, and how they are taken off again.

A mark is a fill colour on a cell of the template. Taking a mark off restores
the fill the template gave that cell (input, total or none), read once from the
template builder so that no colour is written twice.

Painting is batched per sheet: one ``Range.set_colors`` call over the rectangle
that bounds every changed cell, with "keep" (``...``) for the cells in between.
With xlwings' remote engine that is one action per sheet whatever the number of
cells. (A multi-area address such as ``"B5,D7"`` is not an option there: the
remote engine sends only its first area.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from openpyxl.utils import coordinate_to_tuple, get_column_letter

from .. import layout
from ..findings import Finding

Color = str | None  # "#RRGGBB" or None (no fill)
Mark = tuple[str, str]  # (sheet, A1 coordinate)

def severity_color(severity: str) -> str:
    """Highlight colour of a severity: the fills the 校验结果 sheet declares (ARGB -> #RRGGBB)."""
    from ..findings_sheet import ERROR_FILL, WARNING_FILL

    return _hex(ERROR_FILL if severity == "error" else WARNING_FILL)


def _hex(rgb: Any) -> Color:
    if not isinstance(rgb, str) or len(rgb) < 6 or rgb in ("00000000",):
        return None
    return "#" + rgb[-6:].upper()


@cache
def template_fills() -> dict[Mark, Color]:
    """The template's own fill of every cell a mark can land on."""
    from ..template import build_workbook

    wb = build_workbook()
    out: dict[Mark, Color] = {}
    for mapping in (layout.cell_positions(), layout.cover_positions(), layout.text_positions()):
        for pos in mapping.values():
            cell = wb[pos.sheet].cell(row=pos.row, column=pos.col)
            fill = cell.fill
            out[(pos.sheet, pos.coordinate)] = (
                _hex(fill.fgColor.rgb) if fill is not None and fill.fill_type == "solid" else None
            )
    return out


def original_color(mark: Mark) -> Color:
    return template_fills().get(mark)


def wanted_colors(findings: Iterable[Finding]) -> dict[Mark, str]:
    """Mark -> highlight colour, for the cells each finding concerns
    (:func:`gxexcel.findings_sheet.cells_to_mark`); an error wins over a warning on
    the same cell, and an explained warning is settled: no highlight."""
    from ..findings_sheet import cells_to_mark

    severity: dict[Mark, str] = {}
    for f in findings:
        if f.explained:
            continue
        for sheet, coord in cells_to_mark(f):
            mark = (sheet, coord.replace("$", "").upper())
            if severity.get(mark) != "error":
                severity[mark] = f.severity
    return {m: severity_color(s) for m, s in severity.items()}


def changes(previous: Iterable[Mark], wanted: Mapping[Mark, str]) -> dict[Mark, Color]:
    """The colour each cell must get: highlights, and the template fill where a mark goes."""
    out: dict[Mark, Color] = {m: original_color(m) for m in previous if m not in wanted}
    out.update(wanted)
    return out


def paint(book: Any, colors: Mapping[Mark, Color]) -> int:
    """Apply colours with one ``set_colors`` call per sheet; returns the number of calls."""
    by_sheet: dict[str, dict[tuple[int, int], Color]] = {}
    for (sheet, coord), color in colors.items():
        by_sheet.setdefault(sheet, {})[coordinate_to_tuple(coord)] = color
    names = {s.name for s in book.sheets}
    calls = 0
    for sheet, cells in by_sheet.items():
        if sheet not in names:
            continue
        rows = [r for r, _ in cells]
        cols = [c for _, c in cells]
        top, left, bottom, right = min(rows), min(cols), max(rows), max(cols)
        matrix = [
            [cells.get((r, c), ...) for c in range(left, right + 1)] for r in range(top, bottom + 1)
        ]
        book.sheets[sheet].range((top, left), (bottom, right)).set_colors(matrix)
        calls += 1
    return calls


def format_marks(marks: Iterable[Mark]) -> str:
    """Marks as text for the 校验结果 sheet: ``表三!D5 表三!K5``."""
    return " ".join(f"{sheet}!{coord}" for sheet, coord in marks)


def parse_marks(text: Any) -> list[Mark]:
    out: list[Mark] = []
    for token in str(text or "").split():
        sheet, _, coord = token.rpartition("!")
        if sheet and coord:
            try:
                coordinate_to_tuple(coord)
            except ValueError:
                continue
            out.append((sheet, coord))
    return out


def all_form_marks() -> list[Mark]:
    """Every cell a mark can land on (清除标记 repaints them all)."""
    return list(template_fills())


def address(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"
