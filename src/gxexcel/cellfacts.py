"""What a worksheet's XML says beyond its values: which cells hold a formula (as Excel
shows it) and which hold an error value.

python-calamine gives cell values only. The safety scan (:mod:`gxexcel.safety`) parses
every worksheet with lxml anyway, to bound its used range before calamine sees it; on the
way it notes these facts here, and :func:`gxexcel.reader.formula_scan` turns them into
typed-over totals, formulas in data cells and error values. The cell-reference helpers
are shared with the scan's used-range measure.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping

from lxml import etree
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter
from openpyxl.utils.exceptions import CellCoordinatesException


class Formulas(Mapping[tuple[str, str], str]):
    """(sheet name, A1 coordinate) -> the formula as Excel shows it. A cell sharing another's
    formula (Excel stores a formula filled down once) gets that formula moved to its place
    (openpyxl's translator) when it is looked up: a sheet filled down with thousands of
    formulas costs nothing for the cells the reader does not look at."""

    def __init__(self) -> None:
        self._own: dict[tuple[str, str], str] = {}
        self._origins: dict[tuple[str, str], tuple[str, str]] = {}  # -> (first cell, its formula)

    def add(self, sheet: str, facts: "CellFacts") -> None:
        self._own.update({(sheet, ref): "=" + text for ref, text in facts.formulas.items()})
        self._origins.update({(sheet, ref): origin for ref, origin in facts.shared_origins().items()})

    def __getitem__(self, key: tuple[str, str]) -> str:
        origin = self._origins.get(key)
        if origin is None:
            return self._own[key]
        from openpyxl.formula.translate import Translator

        try:
            moved = Translator("=" + origin[1], origin=origin[0]).translate_formula(key[1])
        except Exception:  # an unreadable formula is still a formula
            moved = "=" + origin[1]
        self._own[key] = moved
        del self._origins[key]
        return moved

    def get(self, key: tuple[str, str], default: str | None = None) -> str | None:  # type: ignore[override]
        """As Mapping.get, without raising for the many cells that hold no formula."""
        if key in self._own:
            return self[key]
        return default

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._own)

    def __len__(self) -> int:
        return len(self._own)

    def __contains__(self, key: object) -> bool:
        return key in self._own


class CellFacts:
    """What the worksheet scan notes on the way, for the reader (python-calamine gives
    values only): the cells holding an error value and the cells holding a formula."""

    _ERRORS = etree.XPath(".//*[local-name()='c'][@t='e']")

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}  # coordinate -> #REF! …
        self.formulas: dict[str, str] = {}  # coordinate -> formula without "="
        self._shared: dict[str, tuple[str, str]] = {}  # shared formula id -> (its first cell, formula)
        self._sharing: dict[str, str] = {}  # coordinate -> shared formula id, for the cells that reuse one
        #: (first row, first column, last row, last column, formula) of array formulas and data tables
        self.ranges: list[tuple[int, int, int, int, str]] = []

    def note(self, elem: etree._Element, row_number: int = 0, *, maybe_errors: bool = True) -> None:
        """Note the cells of ``elem`` (a parsed worksheet, or one ``<row>`` numbered ``row_number``);
        ``maybe_errors=False`` when the part's bytes hold no error type at all."""
        place = Places(row_number)
        if maybe_errors:
            for cell in self._ERRORS(elem):
                value = next((child.text for child in cell if etree.QName(child).localname == "v"), None)
                self.errors[place(cell)] = (value or "#N/A").strip()
        for f in elem.iter("{*}f"):  # in any namespace, as calamine reads elements by their local name
            cell = f.getparent()
            tag = cell.tag  # its local name is "c", without building a QName for each formula
            if tag != "c" and not tag.endswith("}c"):
                continue
            ref = place(cell)
            text = (f.text or "").strip()
            if "_xl" in text:
                text = _without_prefixes(text)
            kind = f.get("t")
            if kind == "dataTable":
                text = _table_formula(f)
            if kind in ("array", "dataTable") and f.get("ref"):
                bounds = _bounds(f.get("ref"))
                if bounds is not None and bounds[:2] != bounds[2:]:
                    self.ranges.append((*bounds, "=" + text))
            if kind == "shared" and (si := f.get("si")) is not None:
                if text:
                    self._shared.setdefault(si, (ref, text))
                else:
                    self._sharing[ref] = si
            self.formulas[ref] = text

    def shared_origins(self) -> dict[str, tuple[str, str]]:
        """Coordinate -> (first cell, formula) of the shared formula a cell reuses, for the
        cells whose shared formula has its first cell (without it, a formula all the same)."""
        return {ref: self._shared[si] for ref, si in self._sharing.items() if si in self._shared}


#: Prefixes Excel stores before newer functions (_xlfn.IFS), their worksheet forms (_xlws.SORT) and
#: LAMBDA/LET names (_xlpm.x), and never shows; a quoted text or sheet name is kept as it is.
_PREFIXES = re.compile(r"""("[^"]*"|'[^']*')|_xl(?:fn|ws|pm)\.""")


def _without_prefixes(text: str) -> str:
    """A formula as Excel shows it: without the file format's prefixes of newer functions."""
    return _PREFIXES.sub(lambda m: m.group(1) or "", text)


def _table_formula(f: etree._Element) -> str:
    """A data table's formula as Excel shows it: ``TABLE(row input cell, column input cell)``."""
    first, second = f.get("r1", ""), f.get("r2", "")
    if f.get("dt2D") in ("1", "true"):
        return f"TABLE({first},{second})"
    return f"TABLE({first},)" if f.get("dtr") in ("1", "true") else f"TABLE(,{first})"


def _bounds(ref: str) -> tuple[int, int, int, int] | None:
    """(first row, first column, last row, last column) of ``A1:B2``; None when unreadable."""
    first, _, last = ref.partition(":")
    (row1, col1), (row2, col2) = range_size(first), range_size(last or first)
    if not (row1 and col1 and row2 and col2):
        return None
    return min(row1, row2), min(col1, col2), max(row1, row2), max(col1, col2)


class Places:
    """The A1 coordinate of a ``<c>``: its ``r``, or (a cell without one follows the previous
    cell, a row without one the previous row) counted from its row, as Excel reads it. The
    rows of a parsed worksheet (or the one ``<row>`` numbered ``row_number``) and the cells of
    a row are counted once, when the first cell without ``r`` needs them."""

    def __init__(self, row_number: int = 0) -> None:
        self.row_number = row_number
        self.rows: dict[etree._Element, int] = {}
        self.cells: dict[etree._Element, str] = {}

    def __call__(self, cell: etree._Element) -> str:
        ref = cell.get("r")
        if ref:
            return ref.replace("$", "").upper()
        found = self.cells.get(cell)
        if found is None:
            row = cell.getparent()
            number = self.row_number or self._row(row)
            col = 0
            for other in row:
                other_ref = other.get("r")
                col = column_of(other_ref) if other_ref else col + 1
                self.cells[other] = f"{get_column_letter(max(col, 1))}{number}"
            found = self.cells[cell]
        return found

    def _row(self, row: etree._Element) -> int:
        if row not in self.rows:
            number = 0
            for each in row.getparent():
                number = row_number(each, number)
                self.rows[each] = number
        return self.rows[row]


def row_number(row: etree._Element, previous: int) -> int:
    r = row.get("r", "")
    return int(r) if r.isdigit() else previous + 1


def last_column(row: etree._Element) -> int:
    """The largest column any cell of a ``<row>`` reaches (a cell without ``r`` follows the previous one)."""
    last = col = 0
    for cell in row:
        ref = cell.get("r")
        col = column_of(ref) if ref else col + 1
        if col > last:
            last = col
    return last


@functools.lru_cache(maxsize=65536)
def column_of(ref: str) -> int:
    """Column number of a cell reference (``K12`` -> 11); 0 when unreadable."""
    return range_size(ref)[1]


def range_size(ref: str) -> tuple[int, int]:
    """(last row, last column) of ``A1`` or ``A1:XFD1048576``; (0, 0) when unreadable."""
    last = ref.split(":")[-1].replace("$", "")
    try:
        col, row = coordinate_from_string(last)
        return row, column_index_from_string(col)
    except (ValueError, TypeError, CellCoordinatesException):  # "abc", "Q", "7": no row or no column
        return 0, 0
