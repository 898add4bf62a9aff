"""Where the form sits in the template workbook: sheets, cells, merges.

Positions are derived from :mod:`gxexcel.form`; nothing here names a label.
The template builder writes this layout, the readers read it, the validator
and the xlwings binding use it to point at cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from openpyxl.utils import get_column_letter

from . import form

TEMPLATE_ID = "GX-NB-2021"
TEMPLATE_VERSION = "1.0"

SHEET_COVER = "封面"
SHEET_TEXT = "正文"
SHEET_GUIDE = "填报说明"
SHEET_FINDINGS = "校验结果"  # written by 校验, never part of the locked template
TABLE_SHEETS: dict[str, str] = {t.id: t.name for t in form.TABLES.values()}
TEMPLATE_SHEETS: tuple[str, ...] = (
    SHEET_COVER,
    SHEET_TEXT,
    TABLE_SHEETS["t2"],
    TABLE_SHEETS["t3"],
    TABLE_SHEETS["t4"],
    SHEET_GUIDE,
)

# Cover sheet: label in column A, value in column B, one field per row.
COVER_FIRST_ROW = 3
STAMP_LABELS = ("模板编号", "模板版本")
STATUS_LABEL = "勾稽关系校验"

# 正文 sheet: part label in A, text in B, generation marker in C.
TEXT_FIRST_ROW = 3


def addr(col: int, row: int) -> str:
    return f"{get_column_letter(col)}{row}"


@dataclass(frozen=True)
class Position:
    sheet: str
    row: int  # 1-based
    col: int  # 1-based

    @property
    def coordinate(self) -> str:
        return addr(self.col, self.row)

    @property
    def ref(self) -> str:
        """``'表三'!D5``: a reference usable in formulas and hyperlinks."""
        return f"'{self.sheet}'!{self.coordinate}"

    def __str__(self) -> str:
        return f"{self.sheet}!{self.coordinate}"


@dataclass(frozen=True)
class Merge:
    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int
    text: str

    @property
    def range(self) -> str:
        return f"{addr(self.first_col, self.first_row)}:{addr(self.last_col, self.last_row)}"


@dataclass(frozen=True)
class TableLayout:
    table: str
    sheet: str
    title_row: int
    header: tuple[Merge, ...]  # header and label cells (merged or single), with text
    data_rows: tuple[int, ...]
    data_cols: tuple[int, ...]
    label_cols: int
    check_col: int  # 表三: live check column beside each row (0 when none)
    check_rows: dict[str, int]  # identity rule id -> row of its live checks under the table
    blank_row: int  # row holding the count of blank input cells
    last_col: int


def _t2_layout() -> TableLayout:
    sheet = TABLE_SHEETS["t2"]
    table = form.T2
    width = max(len(b.columns) for b in table.blocks)
    cells: list[Merge] = []
    row = 2
    data_rows: list[int] = []
    for block in table.blocks:
        cells.append(Merge(sheet, row, 1, row, 1 + width, block.caption))
        row += 1
        cells.append(Merge(sheet, row, 1, row, 1, block.header))
        span = width // len(block.columns)
        for i, col in enumerate(block.columns):
            last = 1 + width if i == len(block.columns) - 1 else 1 + (i + 1) * span
            cells.append(Merge(sheet, row, 2 + i * span, row, last, col.label))
        row += 1
        for r in block.rows:
            cells.append(Merge(sheet, row, 1, row, 1, r.labels[0]))
            if len(block.columns) == 1 and width > 1:
                cells.append(Merge(sheet, row, 2, row, 1 + width, ""))
            data_rows.append(row)
            row += 1
    return TableLayout(
        "t2",
        sheet,
        1,
        tuple(cells),
        tuple(data_rows),
        tuple(range(2, 2 + width)),
        1,
        0,
        {},
        row + 1,
        1 + width,
    )


def _t3_layout() -> TableLayout:
    sheet = TABLE_SHEETS["t3"]
    table = form.T3
    ncols = len(table.columns)
    first_data_col = 4
    cells = [
        Merge(sheet, 2, 1, 4, 3, table.corner),
        Merge(sheet, 2, first_data_col, 2, first_data_col + ncols - 1, table.header_group),
    ]
    # second and third header rows
    col = first_data_col
    groups: dict[str, list[int]] = {}
    for c in table.columns:
        if c.group:
            groups.setdefault(c.group, []).append(col)
            cells.append(Merge(sheet, 4, col, 4, col, c.label))
        else:
            cells.append(Merge(sheet, 3, col, 4, col, c.label))
        col += 1
    for group, cols in groups.items():
        cells.append(Merge(sheet, 3, cols[0], 3, cols[-1], group))
    # row labels: merge equal labels down, and across empty deeper levels
    first_data_row = 5
    rows = table.rows
    for level in range(3):
        i = 0
        while i < len(rows):
            text = rows[i].labels[level]
            if level > 0 and not text:
                i += 1
                continue
            j = i
            while j + 1 < len(rows) and rows[j + 1].labels[: level + 1] == rows[i].labels[: level + 1]:
                j += 1
            # extend right over empty deeper levels
            last_col = level + 1
            while last_col < 3 and not rows[i].labels[last_col] and i == j:
                last_col += 1
            cells.append(
                Merge(sheet, first_data_row + i, level + 1, first_data_row + j, last_col, text)
            )
            i = j + 1
    data_rows = tuple(range(first_data_row, first_data_row + len(rows)))
    data_cols = tuple(range(first_data_col, first_data_col + ncols))
    check_col = data_cols[-1] + 1
    after = data_rows[-1] + 2
    return TableLayout(
        "t3",
        sheet,
        1,
        tuple(cells),
        data_rows,
        data_cols,
        3,
        check_col,
        {"T3-RESULT-SUM": after, "T3-BALANCE": after + 1},
        after + 2,
        check_col,
    )


def _t4_layout() -> TableLayout:
    sheet = TABLE_SHEETS["t4"]
    cells: list[Merge] = []
    col = 1
    tops: dict[str, list[int]] = {}
    for gid, top, sub in form.T4_GROUPS:
        start = col
        for c in form.T4.columns:
            if not c.id.startswith(gid + "."):
                continue
            if sub:
                cells.append(Merge(sheet, 4, col, 4, col, c.label))
            else:
                cells.append(Merge(sheet, 3, col, 4, col, c.label))
            col += 1
        tops.setdefault(top, []).extend(range(start, col))
        if sub:
            cells.append(Merge(sheet, 3, start, 3, col - 1, sub))
    for top, cols in tops.items():
        cells.append(Merge(sheet, 2, cols[0], 2, cols[-1], top))
    data_cols = tuple(range(1, col))
    return TableLayout(
        "t4",
        sheet,
        1,
        tuple(cells),
        (5,),
        data_cols,
        0,
        0,
        {rule.id: 6 + i for i, rule in enumerate(r for r in form.IDENTITY_RULES if r.table == "t4")},
        9,
        data_cols[-1],
    )


@cache
def table_layouts() -> dict[str, TableLayout]:
    return {"t2": _t2_layout(), "t3": _t3_layout(), "t4": _t4_layout()}


@cache
def cell_positions() -> dict[str, Position]:
    """Cell id -> position of every data cell (inputs and totals)."""
    out: dict[str, Position] = {}
    lay = table_layouts()
    t2 = lay["t2"]
    i = 0
    width = len(t2.data_cols)
    for block in form.T2.blocks:
        span = width // len(block.columns)
        for row in block.rows:
            for k, col in enumerate(block.columns):
                out[f"t2.{row.id}.{col.id}"] = Position(t2.sheet, t2.data_rows[i], 2 + k * span)
            i += 1
    t3 = lay["t3"]
    for r, row in enumerate(form.T3.rows):
        for c, col in enumerate(form.T3.columns):
            out[f"t3.{row.id}.{col.id}"] = Position(t3.sheet, t3.data_rows[r], t3.data_cols[c])
    t4 = lay["t4"]
    for c, col in enumerate(form.T4.columns):
        out[f"t4.{col.id}"] = Position(t4.sheet, t4.data_rows[0], t4.data_cols[c])
    assert set(out) == set(form.CELLS), "layout must place every declared cell"
    return out


@cache
def cover_positions() -> dict[str, Position]:
    """Meta field id (and the template stamp) -> position of its value cell."""
    out = {
        f.id: Position(SHEET_COVER, COVER_FIRST_ROW + i, 2) for i, f in enumerate(form.META_FIELDS)
    }
    row = COVER_FIRST_ROW + len(form.META_FIELDS) + 1
    out["template_id"] = Position(SHEET_COVER, row, 2)
    out["template_version"] = Position(SHEET_COVER, row + 1, 2)
    out["status"] = Position(SHEET_COVER, row + 3, 2)
    return out


@cache
def text_positions() -> dict[str, Position]:
    """Narrative part id and fee field id -> position of its input cell on 正文."""
    out: dict[str, Position] = {}
    row = TEXT_FIRST_ROW
    for part in form.NARRATIVE_PARTS:
        out[part.id] = Position(SHEET_TEXT, row, 2)
        row += 1
        if part.id == "s6":
            for fee in form.FEE_FIELDS:
                out[fee.id] = Position(SHEET_TEXT, row, 2)
                row += 1
    return out


def marker_position(part_id: str) -> Position:
    """Where the generation marker of a narrative part lives (column C of 正文)."""
    p = text_positions()[part_id]
    return Position(p.sheet, p.row, 3)


def defined_name(key: str) -> str:
    """Workbook defined name of a cell id or field id: ``gx_t3_new_natural``."""
    return "gx_" + key.replace(".", "_")


@cache
def position_index() -> dict[tuple[str, str], str]:
    """(sheet, coordinate) -> cell or field id: the reverse of every position map."""
    out: dict[tuple[str, str], str] = {}
    for mapping in (cell_positions(), cover_positions(), text_positions()):
        for key, pos in mapping.items():
            out[(pos.sheet, pos.coordinate)] = key
    return out


def locate(key: str) -> Position | None:
    """Position of a cell id, meta field or narrative part, or None."""
    for mapping in (cell_positions(), cover_positions(), text_positions()):
        if key in mapping:
            return mapping[key]
    return None
