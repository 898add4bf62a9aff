"""Cell notes that 校验 puts on failing cells, written by the add-in's VBA in one call.

A note is a legacy cell comment whose text starts with :data:`PREFIX` (【校验】)
followed by one line per finding on that cell (``错误：…`` / ``警告：…``). The
cells are those 校验 highlights (:func:`gxexcel.excel.marks.wanted_colors`): an
explained warning gets neither a highlight nor a note line.

Neither xlwings engine can write notes in bulk (the remote engine refuses
``Range.add_note`` from a VBA client and costs one action per note otherwise),
so the add-in's module ``macros/GxNotes.bas`` does it: ``GxSetNotes`` deletes
every note of the workbook that starts with the prefix (a clerk's own note never
does, and is kept; a cell holding one gets no note from us) and adds one note per
line of :func:`payload`. Python calls it once per click:

- remote engine: ``book.app.macro(name)(PREFIX, payload)`` is one ``runMacro``
  action; xlwings' VBA client runs it as ``Application.Run name, wb, PREFIX, payload``;
- desktop engines (RunPython): ``GxSetNotesIn`` with the workbook's name, text
  arguments only, so that COM and AppleScript pass them alike.

``name`` is qualified with the add-in's file name (``'gxexcel.xlam'!GxNotes.GxSetNotes``),
which the ribbon passes to :func:`gxexcel.excel.dispatch.main`: Excel's
``Application.Run`` finds a procedure of another workbook (the add-in) that way.
An empty payload only deletes our notes (清除标记).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..findings import SEVERITY_TEXT, Finding
from .marks import Mark

PREFIX = "【校验】"
MODULE = "GxNotes"
PROC = "GxSetNotes"  # (wb As Workbook, prefix, payload): xlwings' runMacro passes wb first
PROC_BY_NAME = "GxSetNotesIn"  # (bookName, prefix, payload): desktop engines
ADDIN_FILE = "gxexcel.xlam"  # the add-in's file name unless the ribbon says otherwise

MAX_LINES = 8  # finding lines in one note
MAX_CHARS = 800  # characters of one note, marker and lines
MAX_NOTES = 300  # notes per click, a safeguard: the template has 224 cells a mark can land on

FIELD_SEP = "\t"  # between sheet, cell and the lines of a note
RECORD_SEP = "\n"  # between notes (vbLf)


def _clean(text: str) -> str:
    """One line of a note: no separator of the payload inside it."""
    return " ".join(text.replace(FIELD_SEP, " ").replace("\r", " ").replace(RECORD_SEP, " ").split())


def note_lines(findings: Iterable[Finding]) -> dict[Mark, list[str]]:
    """Cell -> the lines of its note, in the order of the findings (duplicates once)."""
    from ..findings_sheet import cells_to_mark

    out: dict[Mark, list[str]] = {}
    for f in findings:
        if f.explained:
            continue
        line = f"{SEVERITY_TEXT[f.severity]}：{_clean(f.message)}"
        for sheet, coord in cells_to_mark(f):
            lines = out.setdefault((sheet, coord.replace("$", "").upper()), [])
            if line not in lines:
                lines.append(line)
    return out


def _capped(lines: list[str]) -> list[str]:
    """At most MAX_LINES lines and MAX_CHARS characters; the last line says what is left out."""
    budget = MAX_CHARS - len(PREFIX) - 40  # room for the closing line
    kept: list[str] = []
    for line in lines[:MAX_LINES]:
        if sum(len(x) + 1 for x in kept) + len(line) + 1 > budget:
            if not kept:  # one very long message: cut it
                kept.append(line[: budget - 1] + "…")
            break
        kept.append(line)
    left = len(lines) - len(kept)
    if left:
        kept.append(f"……另有 {left} 条，见“校验结果”工作表。")
    return kept


def payload(findings: Iterable[Finding]) -> str:
    """The notes for ``GxSetNotes``: ``sheet<TAB>A1<TAB>line<TAB>line…`` joined by LF."""
    records = [
        FIELD_SEP.join([sheet, coord, *_capped(lines)])
        for (sheet, coord), lines in list(note_lines(findings).items())[:MAX_NOTES]
    ]
    return RECORD_SEP.join(records)


def macro_name(addin_file: str = ADDIN_FILE, proc: str = PROC) -> str:
    """``'gxexcel.xlam'!GxNotes.GxSetNotes``: a procedure of the add-in for ``Application.Run``."""
    return f"'{addin_file.replace(chr(39), chr(39) * 2)}'!{MODULE}.{proc}"


def write(book: Any, text: str, *, addin_file: str = ADDIN_FILE) -> None:
    """Replace our notes in ``book`` with those of ``text`` (a :func:`payload`; "" clears).

    One ``runMacro`` action with the remote engine, one macro call on a desktop engine."""
    app = book.app
    if app.engine.name == "remote":
        app.macro(macro_name(addin_file))(PREFIX, text)
    else:
        app.macro(macro_name(addin_file, PROC_BY_NAME))(book.name, PREFIX, text)
