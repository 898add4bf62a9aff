"""The 校验结果 sheet: one row per finding, linked to its cell, with the clerk's 出错说明.

The columns are declared once (:data:`COLUMNS`); ``gxexcel validate
--write-back`` writes the sheet with openpyxl into a copy of the workbook, the
Excel ribbon's 校验 button writes the same columns, and the reader gets the
clerk's explanations back with :func:`read_explanations`. An explanation is
matched to its finding by the 编号 column (:attr:`Finding.key`), so it
travels with the workbook from one validation to the next.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from . import layout
from .atomic import atomic_path
from .findings import SEVERITY_TEXT, Finding

WRITE_BACK_SUFFIX = "_校验"


@dataclass(frozen=True)
class Column:
    id: str
    header: str
    width: int  # in Excel character units
    value: Callable[[Finding], str]
    editable: bool = False  # the clerk types in it


def _severity(f: Finding) -> str:
    text = SEVERITY_TEXT[f.severity]
    return text + "（已说明）" if f.explained else text


COLUMNS: tuple[Column, ...] = (
    Column("rule", "规则", 18, lambda f: f.rule),
    Column("severity", "级别", 12, _severity),
    Column("location", "位置", 22, lambda f: f.location),
    Column("message", "问题", 70, lambda f: f.message),
    Column("quote", "原文", 40, lambda f: f.quote),
    Column("explanation", "出错说明", 40, lambda f: f.explanation, editable=True),
    Column("key", "编号（请勿修改）", 30, lambda f: f.key),
)
HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
COLUMN_INDEX: dict[str, int] = {c.id: i for i, c in enumerate(COLUMNS)}
#: A note in the first row above the headers, telling the clerk what to do.
NOTE = "警告可在“出错说明”栏填写原因，保存后再次校验即显示为“已说明”；错误必须改正，不能以说明代替。"
HEADER_ROW = 2

#: Fill colours (ARGB) for highlighting failing cells.
ERROR_FILL = "FFFFC7CE"
WARNING_FILL = "FFFFEB9C"
HEADER_FILL = "FFD9E1F2"


def rows(findings: Iterable[Finding]) -> list[list[str]]:
    """The sheet's data rows (without header), in column order."""
    return [[c.value(f) for c in COLUMNS] for f in findings]


def link_target(f: Finding) -> str:
    """Where the location cell links to: ``'表三'!D5`` (or "" when not a cell)."""
    if f.sheet and f.cell:
        return f"'{f.sheet}'!{f.cell}"
    if f.sheet:
        return f"'{f.sheet}'!A1"
    return ""


def cells_to_mark(f: Finding) -> list[tuple[str, str]]:
    """(sheet, coordinate) of every cell a finding concerns, anchor first."""
    out: list[tuple[str, str]] = []
    if f.sheet and f.cell:
        out.append((f.sheet, f.cell))
    for cid in f.cells:
        pos = layout.locate(cid)
        if pos is not None and (pos.sheet, pos.coordinate) not in out:
            out.append((pos.sheet, pos.coordinate))
    return out


def write_sheet(wb: Any, findings: Sequence[Finding]) -> Any:
    """Replace the 校验结果 sheet of an openpyxl workbook with ``findings`` and highlight their cells."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    if layout.SHEET_FINDINGS in wb.sheetnames:
        del wb[layout.SHEET_FINDINGS]
    ws = wb.create_sheet(layout.SHEET_FINDINGS)
    ws.sheet_properties.tabColor = "C00000" if any(f.severity == "error" for f in findings) else "70AD47"
    ws.cell(row=1, column=1, value=NOTE).font = Font(bold=True, color="C00000")
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    for i, col in enumerate(COLUMNS, 1):
        cell = ws.cell(row=HEADER_ROW, column=i, value=col.header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        ws.column_dimensions[cell.column_letter].width = col.width
    wrap = Alignment(wrap_text=True, vertical="top")
    location_col = COLUMN_INDEX["location"] + 1
    for r, (f, values) in enumerate(zip(findings, rows(findings)), HEADER_ROW + 1):
        for c, value in enumerate(values, 1):
            cell = ws.cell(row=r, column=c, value=value or None)
            cell.data_type = "s" if value else cell.data_type  # text, never a formula
            cell.alignment = wrap
        target = link_target(f)
        if target:
            cell = ws.cell(row=r, column=location_col)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=target, display=f.location)
            cell.font = Font(color="0563C1", underline="single")
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    if findings:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{ws.cell(row=HEADER_ROW, column=len(COLUMNS)).column_letter}{HEADER_ROW + len(findings)}"
    _highlight(wb, findings)
    return ws


def _highlight(wb: Any, findings: Sequence[Finding]) -> None:
    from openpyxl.styles import PatternFill

    fills = {"error": PatternFill("solid", fgColor=ERROR_FILL), "warning": PatternFill("solid", fgColor=WARNING_FILL)}
    _unmark(wb)
    marked: dict[tuple[str, str], str] = {}
    for f in findings:
        if f.explained:
            continue
        for where in cells_to_mark(f):
            if marked.get(where) != "error":
                marked[where] = f.severity
    for (sheet, coordinate), severity in marked.items():
        if sheet in wb.sheetnames and sheet != layout.SHEET_FINDINGS:
            wb[sheet][coordinate].fill = fills[severity]


def _unmark(wb: Any) -> None:
    """Give a cell still highlighted by an earlier write-back (the clerk validates
    单位_校验.xlsx again) the template's fill back, so that a fixed error or an explained
    warning is no longer red or yellow. Other fills (the clerk's own colours) stay."""
    from copy import copy

    from .template import build_workbook

    ours = {ERROR_FILL, WARNING_FILL}
    template = None
    for ws in wb.worksheets:
        if ws.title == layout.SHEET_FINDINGS:
            continue
        for row in ws.iter_rows():
            for cell in row:
                fill = cell.fill
                if fill is None or fill.fill_type != "solid" or fill.fgColor.rgb not in ours:
                    continue
                template = template or build_workbook()
                if ws.title in template.sheetnames:
                    cell.fill = copy(template[ws.title][cell.coordinate].fill)


def write_back_path(source: str | os.PathLike[str]) -> Path:
    """``单位.xlsx`` -> ``单位_校验.xlsx`` beside it (never the source itself); a workbook read
    although named otherwise (an .xlsx saved as .xls) gets an .xlsx, as the copy is one.

    A checked copy validated again (``单位_校验.xlsx``, ``单位_校验2.xlsx``) goes to the first
    numbered name not yet taken, ``单位_校验2.xlsx``, ``单位_校验3.xlsx`` …, so that names do not
    grow each round and no existing file (the source, an earlier copy, another unit's file)
    is written over."""
    source = Path(source)
    suffix = ".xlsm" if source.suffix.lower() == ".xlsm" else ".xlsx"
    checked = _CHECKED_COPY.fullmatch(source.stem)
    if checked is None:
        return source.with_name(source.stem + WRITE_BACK_SUFFIX + suffix)
    number = 2
    while True:
        target = source.with_name(f"{checked.group(1)}{WRITE_BACK_SUFFIX}{number}{suffix}")
        if not target.exists() and target.resolve() != source.resolve():
            return target
        number += 1


#: The stem of a copy written by :func:`write_back`: ``单位_校验``, ``单位_校验2`` …
_CHECKED_COPY = re.compile("(.+)" + re.escape(WRITE_BACK_SUFFIX) + r"(?:[1-9][0-9]*)?")


def write_back(source: str | os.PathLike[str], findings: Sequence[Finding], target: str | os.PathLike[str] | None = None) -> Path:
    """Write a copy of the workbook ``source`` with the 校验结果 sheet and highlighted cells.

    The source is only read. The copy is written atomically.
    """
    from openpyxl import load_workbook

    from .errors import UnreadableError

    source = Path(source)
    target = Path(target) if target is not None else write_back_path(source)
    if target.resolve() == source.resolve():
        raise ValueError("write-back target must differ from the source")
    try:
        with open(source, "rb") as fh:  # openpyxl goes by the file's name, the reader by its content
            wb = load_workbook(fh, keep_vba=source.suffix.lower() == ".xlsm")
    except Exception:  # openpyxl raises many kinds for damaged files
        raise UnreadableError("无法打开工作簿写出校验结果（工作簿可能已损坏）。", path=str(source)) from None
    write_sheet(wb, findings)
    wb.active = wb.sheetnames.index(layout.SHEET_FINDINGS)
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws.title == layout.SHEET_FINDINGS
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target


def read_explanations(grid_or_path: Sequence[Sequence[Any]] | str | os.PathLike[str]) -> dict[str, str]:
    """Explanations typed in a 校验结果 sheet: finding key -> text.

    Takes the sheet's values (rows of cells, as the reader has them) or a
    workbook path (read with python-calamine).
    """
    if isinstance(grid_or_path, (str, os.PathLike)):
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(grid_or_path))
        if layout.SHEET_FINDINGS not in book.sheet_names:
            return {}
        grid: Sequence[Sequence[Any]] = book.get_sheet_by_name(layout.SHEET_FINDINGS).to_python()
    else:
        grid = grid_or_path
    header_at = next(
        (i for i, row in enumerate(grid) if [str(x).strip() for x in row[: len(HEADERS)]] == list(HEADERS)),
        None,
    )
    if header_at is None:
        return {}
    key_col, text_col = COLUMN_INDEX["key"], COLUMN_INDEX["explanation"]
    out: dict[str, str] = {}
    for row in grid[header_at + 1 :]:
        if len(row) <= max(key_col, text_col):
            continue
        key, text = str(row[key_col] or "").strip(), str(row[text_col] or "").strip()
        if key and text:
            out[key] = text
    return out
