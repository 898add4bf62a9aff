"""xlwings' remote engine around real workbooks, for tests and benchmarks.

:func:`workbook_payload` builds the JSON an xlwings client sends (the book and
every sheet's values) from a workbook file read with openpyxl, so a test sees
the same sheets and cells a clerk's Excel would send. Read a workbook that
LibreOffice has recalculated (``data_only``) to get totals as Excel shows them.
:func:`apply_actions` writes the actions a button returned back into an openpyxl
workbook the way xlwings' client applies them in Excel (values, fills, added
sheets), so that a second click can be tested on the result, and the result can
be rendered. A ``runMacro`` action (the add-in's VBA: the notes of 校验) cannot
run in openpyxl: it is handed back to the caller, and tests run it for real in
LibreOffice (``tests/lo_vba.py``). The remote engine needs ``XLWINGS_LICENSE_KEY`` (free for
noncommercial use); it is set by the tests and the benchmark, never here.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles import PatternFill
from openpyxl.workbook import Workbook

SHEET_DEFAULTS = {"pictures": [], "tables": [], "charts": [], "shapes": [], "pivot_tables": []}


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime.date):  # as the VBA client sends a date (WebHelpers.ConvertToIso)
        if not isinstance(value, datetime.datetime):
            value = datetime.datetime.combine(value, datetime.time())
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return str(value)


def sheet_values(ws: Any) -> list[list[Any]]:
    rows = [
        [_jsonable(v) for v in row]
        for row in ws.iter_rows(min_row=1, min_col=1, max_row=max(ws.max_row, 1), max_col=max(ws.max_column, 1), values_only=True)
    ]
    return rows or [[None]]


def book_payload(wb: Workbook, name: str) -> dict[str, Any]:
    import xlwings as xw

    return {
        "client": "VBA",
        "version": xw.__version__,
        "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [{"name": ws.title, "values": sheet_values(ws), **SHEET_DEFAULTS} for ws in wb.worksheets],
    }


def workbook_payload(path: str | os.PathLike[str], *, name: str | None = None) -> dict[str, Any]:
    """The payload of a workbook file (values as cached in the file)."""
    wb = load_workbook(path, data_only=True)
    try:
        return book_payload(wb, name or str(Path(path).resolve()))
    finally:
        wb.close()


def remote_book(path: str | os.PathLike[str], *, name: str | None = None) -> Any:
    """An xlwings remote-engine ``Book`` over the workbook file."""
    import xlwings as xw

    return xw.Book(json=workbook_payload(path, name=name))


def _fill(color: str | None) -> PatternFill:
    if not color:
        return PatternFill(fill_type=None)
    return PatternFill("solid", fgColor="FF" + color.lstrip("#").upper())


def apply_actions(
    wb: Workbook, actions: list[dict[str, Any]], macros: list[list[Any]] | None = None
) -> list[str]:
    """Apply remote-engine actions to ``wb`` as Excel would; returns the alerts shown.

    Handles the actions the buttons emit; any other raises, so a test notices a
    button emitting something new. ``runMacro`` is not applied (openpyxl runs no
    VBA): its arguments (macro name, then the macro's arguments after the
    workbook) are appended to ``macros``, for the caller to run them for real;
    without ``macros`` the workbook simply gets no notes.
    """
    alerts: list[str] = []
    for action in actions:
        func = action["func"]
        if func == "alert":
            alerts.append(action["args"][0])
            continue
        if func == "runMacro":
            if macros is not None:
                macros.append(list(action["args"]))
            continue
        if func == "addSheet":
            index, name = action["args"]
            wb.create_sheet(title=name, index=index)
            continue
        ws = wb.worksheets[action["sheet_position"]]
        top, left = action["start_row"] + 1, action["start_column"] + 1
        if func == "setValues":
            for r, row in enumerate(action["values"]):
                for c, value in enumerate(row):
                    cell = ws.cell(row=top + r, column=left + c, value=value)
                    if isinstance(value, str) and value.startswith("'"):
                        # Excel's text prefix: the rest is text, never a formula or number
                        cell.value = value[1:]
                        cell.data_type = "s"
        elif func == "setRangeColor":
            for r in range(action["row_count"]):
                for c in range(action["column_count"]):
                    ws.cell(row=top + r, column=left + c).fill = _fill(action["args"][0])
        elif func == "setRangeColors":
            for r, row in enumerate(action["args"][0]):
                for c, color in enumerate(row):
                    if color != "keep":
                        ws.cell(row=top + r, column=left + c).fill = _fill(color)
        else:
            raise NotImplementedError(f"action {func} is not replayed")
    return alerts
