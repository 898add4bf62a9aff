"""The three tables as grids of (possibly merged) cells, as the public reads them.

Derived from :func:`gxexcel.layout.table_layouts` (header merges, label merges)
and :func:`gxexcel.layout.cell_positions` (data cells): no label is named here.
Every renderer (text, pipe, HTML, docx) walks the same grid, so the merged
headers are identical in every output. The template's live-check column is
not part of the publication.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .. import form, layout
from ..model import CellValue


@dataclass(frozen=True)
class GridCell:
    row: int  # 0-based within the grid
    col: int
    rowspan: int
    colspan: int
    text: str = ""  # label text (header and row labels)
    cell_id: str = ""  # data cell id (form.CELLS) for figures

    @property
    def is_data(self) -> bool:
        return bool(self.cell_id)


@dataclass(frozen=True)
class Grid:
    table: str
    nrows: int
    ncols: int
    cells: tuple[GridCell, ...]  # in row-major order of their top-left corner
    label_cols: int  # leading columns holding row labels (0 for 表四)

    def is_row_label(self, cell: GridCell) -> bool:
        """A label at the start of a row of figures (left-aligned), not a header or caption."""
        return not cell.is_data and cell.col < self.label_cols and cell.row in self._data_rows

    @property
    def _data_rows(self) -> frozenset[int]:
        return frozenset(c.row + i for c in self.cells if c.is_data for i in range(c.rowspan))

    def rows(self) -> list[list[GridCell]]:
        """Cells grouped by the row of their top-left corner."""
        out: list[list[GridCell]] = [[] for _ in range(self.nrows)]
        for cell in self.cells:
            out[cell.row].append(cell)
        return out

    def slots(self) -> list[list[tuple[GridCell, bool]]]:
        """For every grid position, the cell covering it and whether it is its top-left corner."""
        out: list[list[tuple[GridCell, bool] | None]] = [
            [None] * self.ncols for _ in range(self.nrows)
        ]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    out[r][c] = (cell, r == cell.row and c == cell.col)
        assert all(all(s is not None for s in row) for row in out), "grid has holes"
        return out  # type: ignore[return-value]


@cache
def table_grid(table_id: str) -> Grid:
    lay = layout.table_layouts()[table_id]
    data = {
        (p.row, p.col): cid
        for cid, p in layout.cell_positions().items()
        if form.CELLS[cid].table == table_id
    }
    last_col = max(lay.data_cols)
    first_row = min(m.first_row for m in lay.header)
    spans: dict[tuple[int, int], tuple[int, int, str]] = {}
    for m in lay.header:
        spans[(m.first_row, m.first_col)] = (m.last_row, m.last_col, m.text)
    cells: list[GridCell] = []
    for (r, c), (last_r, last_c, text) in spans.items():
        cid = data.pop((r, c), "")
        cells.append(GridCell(r - first_row, c - 1, last_r - r + 1, last_c - c + 1, "" if cid else text, cid))
    for (r, c), cid in data.items():
        cells.append(GridCell(r - first_row, c - 1, 1, 1, "", cid))
    cells.sort(key=lambda g: (g.row, g.col))
    last_row = max(g.row + g.rowspan for g in cells)
    grid = Grid(table_id, last_row, last_col, tuple(cells), lay.label_cols)
    grid.slots()  # asserts the grid is complete
    return grid


def format_value(value: CellValue) -> str:
    """A cell value as printed: integers plainly, decimals without trailing zeros, blank as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)
