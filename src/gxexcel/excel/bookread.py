"""Turn an open workbook (an xlwings ``Book``) into a :class:`~gxexcel.model.Report`.

One range read per sheet: each sheet of the template is read as a single
rectangle from A1 to the last row and column the layout uses, then handed to
:func:`gxexcel.reader.read_grids`, the same code that reads a saved workbook.
Formulas are not part of what a button reads (the remote engine's ``get_formula``
exists only in xlwings Lite): the add-in's VBA passes which form cells hold one
(:mod:`gxexcel.excel.formulas`), and they are judged as ``gxexcel validate`` judges a
file's. Without them (an add-in built before, a worksheet function) every 总计 formula
is taken to be live, so a total that differs from the sum of its parts can only be a
typed number (or a changed formula), and what values cannot show (a total typed over
with its right sum, a formula typed into a data cell) goes unseen.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .. import form, layout
from ..errors import NotOurTemplateError
from ..model import ERROR_VALUES, Report, Source
from ..reader import formula_scan, read_grids
from . import formulas as formulas_mod

Grid = list[list[Any]]


@cache
def sheet_extents() -> dict[str, tuple[int, int]]:
    """Sheet name -> (last row, last column) of everything the reader looks at."""
    out: dict[str, tuple[int, int]] = {}

    def grow(sheet: str, row: int, col: int) -> None:
        r, c = out.get(sheet, (1, 1))
        out[sheet] = (max(r, row), max(c, col))

    for mapping in (layout.cell_positions(), layout.cover_positions(), layout.text_positions()):
        for pos in mapping.values():
            grow(pos.sheet, pos.row, pos.col)
    for part in layout.text_positions():
        marker = layout.marker_position(part)
        grow(marker.sheet, marker.row, marker.col)
    for lay in layout.table_layouts().values():
        for merge in lay.header:
            grow(lay.sheet, merge.last_row, merge.last_col)
    return out


def read_sheet(sheet: Any, last_row: int, last_col: int) -> Grid:
    """One range read: the rectangle A1:(last_row, last_col) as rows of values. Error values
    come as their text (#REF!), as the CLI reads them; xlwings would give None (blank)."""
    rng = sheet.range((1, 1), (last_row, last_col))
    values = rng.options(ndim=2, empty=None, err_to_str=True).value
    return [list(row) for row in values or []]


def used_grid(sheet: Any) -> Grid:
    """One range read of a sheet whose size the layout does not fix (校验结果)."""
    rng = sheet.used_range
    last_row, last_col = rng.last_cell.row, rng.last_cell.column
    return read_sheet(sheet, last_row, last_col)


@cache
def error_places() -> frozenset[tuple[str, int, int]]:
    """(sheet, row, column) of the cells whose error value the CLI reads too (the tables'
    cells and the 信息处理费 figures, from the safety scan); anywhere else it is blank."""
    positions = [*layout.cell_positions().values(), *(layout.text_positions()[f.id] for f in form.FEE_FIELDS)]
    return frozenset((p.sheet, p.row, p.col) for p in positions)


def _blank_errors(name: str, grid: Grid) -> Grid:
    keep = error_places()
    for r, row in enumerate(grid, 1):
        for c, value in enumerate(row, 1):
            if isinstance(value, str) and value in ERROR_VALUES and (name, r, c) not in keep:
                row[c - 1] = None
    return grid


def book_grids(book: Any) -> dict[str, Grid]:
    """Sheet name -> values, for the template's sheets and 校验结果 (one read each).
    Error values are kept as text where ``gxexcel validate`` names them, blank elsewhere."""
    extents = sheet_extents()
    grids: dict[str, Grid] = {}
    for sheet in book.sheets:
        name = sheet.name
        if name in extents:
            grids[name] = _blank_errors(name, read_sheet(sheet, *extents[name]))
        elif name == layout.SHEET_FINDINGS:
            grids[name] = _blank_errors(name, used_grid(sheet))
        else:
            grids[name] = []  # present, not read: only its name matters
    return grids


def book_path(book: Any) -> str:
    try:
        return str(book.fullname)
    except Exception:  # an unsaved book on some platforms
        return str(book.name)


def read_grids_of(book: Any, grids: dict[str, Grid], formulas: str | None = None) -> Report:
    """The Report of the open workbook's ``grids`` (:func:`book_grids`), with the formulas
    the add-in found (:func:`gxexcel.excel.formulas.parse`; None: values only)."""
    facts = formulas_mod.parse(formulas)
    scan = None if facts is None else (lambda: formula_scan(facts, grids))
    return read_grids(grids, Source(path=book_path(book), kind="workbook"), formulas=scan)


def read_book(book: Any) -> Report:
    """The open workbook as a Report; raises NotOurTemplateError for another workbook."""
    source = Source(path=book_path(book), kind="workbook")
    grids = book_grids(book)
    if layout.SHEET_COVER not in grids:
        raise NotOurTemplateError(
            "当前工作簿不是 gxexcel 年报填报模板（没有“封面”工作表）。"
            "请打开用 gxexcel template 生成的模板后再使用“政务公开年报”选项卡。",
            path=source.path,
        )
    return read_grids_of(book, grids)
