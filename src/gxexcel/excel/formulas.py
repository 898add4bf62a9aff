"""Which cells of the form hold a formula in the open workbook, as the add-in's VBA tells.

A button reads the open workbook's values (one range read per sheet): neither xlwings
engine gives formulas to it. So before calling Python the ribbon's VBA
(``GxRibbon.GxFormulaFacts``) looks at the cells of :func:`areas` (``Range.HasFormula``,
``Range.Formula``; a cell of an array formula holds its formula too) and passes what
it found as the last argument of :func:`gxexcel.excel.dispatch.main`. The areas are
written into the add-in when it is built (:func:`vba_areas`, the constant
``GX_FORMULA_AREAS``), from :mod:`gxexcel.layout`: no address is typed in VBA.

:func:`scan` turns that text into what :func:`gxexcel.reader.formula_scan` reads from a
saved file's scan (``formula_at``), so a 总计 typed over with its sum, a formula in a data
cell and a changed 总计 formula are judged by the same code as ``gxexcel validate``.
Error values need nothing from here: the button reads them as text with the values.

The text: a first line :data:`HEADER`, then one line per cell holding a formula,
``sheet<TAB>A1<TAB>formula``, the sheet left empty when it is the line before's. The
command line is short (cmd.exe: 8191 characters): a formula longer than 100 characters
is cut and ends with “…”, and once 4,000 characters are passed a formula is passed as
"=" alone (the cell holds one; named “=…”). An add-in built before this passes nothing (None), and one that could not
read the workbook passes "": the button then reads values only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from .. import layout
from ..cellfacts import CellFacts, Formulas, _without_prefixes
from ..layout import addr

HEADER = "gx1"
AREA_SEP = ";"  # between the areas of GX_FORMULA_AREAS
SHEET_SEP = "!"  # between an area's sheet (as code points) and its A1 range


@functools.cache
def areas() -> tuple[tuple[str, str], ...]:
    """(sheet, ``A1:B2``) rectangles that cover exactly the table cells of the form: each
    row's runs of adjacent cells, runs of the same columns on adjacent rows put together."""
    rows: dict[tuple[str, int], list[int]] = {}
    for pos in layout.cell_positions().values():
        rows.setdefault((pos.sheet, pos.row), []).append(pos.col)
    runs: list[tuple[str, int, int, int]] = []  # sheet, row, first column, last column
    for (sheet, row), cols in rows.items():
        cols = sorted(cols)
        start = prev = cols[0]
        for col in [*cols[1:], None]:
            if col is not None and col == prev + 1:
                prev = col
                continue
            runs.append((sheet, row, start, prev))
            if col is not None:
                start = prev = col
    out: list[list[Any]] = []  # [sheet, first row, last row, first column, last column]
    for sheet, row, first, last in runs:
        below = next((a for a in out if a[0] == sheet and a[2] == row - 1 and (a[3], a[4]) == (first, last)), None)
        if below is not None:
            below[2] = row
        else:
            out.append([sheet, row, row, first, last])
    return tuple(
        (sheet, f"{addr(c1, r1)}:{addr(c2, r2)}" if (r1, c1) != (r2, c2) else addr(c1, r1))
        for sheet, r1, r2, c1, c2 in out
    )


def vba_areas() -> str:
    """:func:`areas` for the add-in's ``GX_FORMULA_AREAS``: plain ASCII, a sheet's name
    as the code points ``GxText`` reads (``8868 4E09!D5:J29``)."""
    return AREA_SEP.join(
        " ".join(f"{ord(ch):04X}" for ch in sheet) + SHEET_SEP + ref for sheet, ref in areas()
    )


def _shown(formula: str) -> str:
    """A formula as Excel shows it, without "=": LibreOffice gives an array formula's
    cells with braces ({=A1:B1*2}, or ={=A1:B1*2}), Excel without. "=" alone is a formula
    the add-in had no room to pass (shown as “=…”)."""
    formula = formula.removeprefix("=")
    if not formula:
        return "…"
    if formula.startswith("{=") and formula.endswith("}"):
        formula = formula[2:-1]
    return _without_prefixes(formula)


@dataclass
class BookFormulas:
    """The formulas of the open workbook's form cells, read as a saved file's scan is read
    (:func:`gxexcel.reader.formula_scan`)."""

    formula_cells: Formulas = field(default_factory=Formulas)
    #: Error values come with the values (the button reads them as text): none here.
    error_cells: dict[tuple[str, str], str] = field(default_factory=dict)

    def formula_at(self, sheet: str, coordinate: str) -> str | None:
        return self.formula_cells.get((sheet, coordinate))


def parse(text: str | None) -> BookFormulas | None:
    """The add-in's text as :class:`BookFormulas`; None when it tells nothing (an older
    add-in, or the workbook could not be read)."""
    if not text:
        return None
    # a character beyond U+FFFF comes from VBA as two UTF-16 halves
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    header, *lines = text.split("\n")
    if header != HEADER:
        return None
    facts: dict[str, CellFacts] = {}
    sheet = ""
    for line in lines:
        name, _, rest = line.partition("\t")
        ref, _, formula = rest.partition("\t")
        sheet = name or sheet
        if sheet and ref:
            facts.setdefault(sheet, CellFacts()).formulas[ref.replace("$", "").upper()] = _shown(formula)
    book = BookFormulas()
    for name, cells in facts.items():
        book.formula_cells.add(name, cells)
    return book
