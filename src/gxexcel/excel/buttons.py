"""What the buttons of the 政务公开年报 ribbon tab do, on an open workbook.

Each function takes an xlwings ``Book`` (on a desktop ``xw.Book.caller()``; in
tests a book of xlwings' remote engine), does its work with the core modules
and returns the short Chinese message it also shows the clerk. A button costs
the clerk a handful of round trips, never one per cell: every sheet is read
with one range read, highlights are painted with one call per sheet, and the
校验结果 sheet is written with one values write.

Notes (cell comments): the remote engine cannot add notes from a VBA client at
all and adds them one action per cell from Office.js, and the desktop engines
add them one call per cell too. So the message of each finding goes to the
校验结果 sheet (one values write, with a hyperlink to its cell) instead of a
note; the failing cells are highlighted. 清除标记 therefore only has
highlights to remove.
"""

from __future__ import annotations

import os
import webbrowser
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import layout
from ..errors import GxError
from ..findings import Finding
from ..model import Report
from . import marks as marks_mod
from .bookread import Grid, book_grids, book_path, read_book
from ..reader import read_grids
from ..model import Source

TITLE = "政务公开年报"
MARKS_HEADER = "标记单元格"  # our trailing column of 校验结果: the cells this row highlighted


@dataclass
class Outcome:
    """What a button did: the message shown to the clerk, and details for tests and logs."""

    message: str
    findings: list[Finding] = field(default_factory=list)
    path: str = ""
    written: list[str] = field(default_factory=list)


def tell(book: Any, message: str) -> None:
    """Show the clerk a message box (one action with the remote engine)."""
    book.app.alert(message, title=TITLE)


# -- reading --------------------------------------------------------------------


def _report(book: Any, grids: dict[str, Grid]) -> Report:
    if layout.SHEET_COVER not in grids:
        return read_book(book)  # raises the clear "not our template" error
    return read_grids(grids, Source(path=book_path(book), kind="workbook"))


# -- 校验 ------------------------------------------------------------------------


def summary(findings: list[Finding]) -> str:
    errors = sum(f.severity == "error" for f in findings)
    warnings = [f for f in findings if f.severity == "warning"]
    explained = sum(f.explained for f in warnings)
    if not errors and not warnings:
        return "校验通过：没有发现错误或警告。"
    text = f"校验完成：{errors} 个错误，{len(warnings)} 个警告"
    if warnings:
        text += f"（其中 {explained} 个已说明）"
    text += f"。详见“{layout.SHEET_FINDINGS}”工作表；出错的单元格已标出颜色。"
    if len(warnings) > explained:
        text += "警告如属实际情况，请在“出错说明”栏写明原因。"
    return text


def _previous_marks(grid: Grid | None) -> list[marks_mod.Mark]:
    if not grid:
        return []
    header = [str(x or "") for x in grid[0]]
    if MARKS_HEADER not in header:
        return []
    col = header.index(MARKS_HEADER)
    out: list[marks_mod.Mark] = []
    for row in grid[1:]:
        if col < len(row):
            out.extend(marks_mod.parse_marks(row[col]))
    return list(dict.fromkeys(out))


def results_values(findings: list[Finding]) -> list[list[Any]]:
    """The 校验结果 sheet as one block of values: the declared columns, then our marks column."""
    from .. import findings_sheet

    table = [list(r) for r in findings_sheet.values(findings)]
    table[0].append(MARKS_HEADER)
    for row, f in zip(table[1:], findings):
        row.append(marks_mod.format_marks(marks_mod.finding_marks(f)))
    return table


def _pad(table: list[list[Any]], rows: int, cols: int) -> list[list[Any]]:
    """Blank out what an earlier, longer 校验结果 had beyond the new table (same write)."""
    width = max(cols, max(len(r) for r in table))
    out = [list(r) + [None] * (width - len(r)) for r in table]
    out += [[None] * width for _ in range(max(0, rows - len(out)))]
    return out


def validate_book(book: Any) -> Outcome:
    """校验: run every rule, write 校验结果, repaint the marks, say the summary."""
    from ..rules.engine import validate

    grids = book_grids(book)
    report = _report(book, grids)
    findings = validate(report)
    old = grids.get(layout.SHEET_FINDINGS)
    wanted = marks_mod.wanted_colors(findings)
    marks_mod.paint(book, marks_mod.changes(_previous_marks(old), wanted))

    table = results_values(findings)
    old_rows = len(old or [])
    old_cols = max((len(r) for r in old or []), default=0)
    names = [s.name for s in book.sheets]
    if layout.SHEET_FINDINGS in names:
        sheet = book.sheets[layout.SHEET_FINDINGS]
    else:
        sheet = book.sheets.add(layout.SHEET_FINDINGS, after=book.sheets[len(names) - 1])
    sheet.range("A1").value = _pad(table, old_rows, old_cols)
    message = summary(findings)
    tell(book, message)
    return Outcome(message, findings=findings)


# -- 清除标记 -------------------------------------------------------------------


def clear_marks(book: Any) -> Outcome:
    """清除标记: give every form cell back the fill of the template (one call per sheet)."""
    marks_mod.paint(book, {m: marks_mod.original_color(m) for m in marks_mod.all_form_marks()})
    message = "已清除校验标出的颜色（“校验结果”工作表保留，可再次点击“校验”更新）。"
    tell(book, message)
    return Outcome(message)


# -- 生成总体情况 ---------------------------------------------------------------


def narrate_book(book: Any) -> Outcome:
    """生成总体情况: draft the parts that follow from the figures; clerk text is never replaced."""
    from .. import form
    from ..narrative.draft import narrate

    grids = book_grids(book)
    report = _report(book, grids)
    outcome = narrate(report)
    texts = layout.text_positions()
    sheet_names = {s.name for s in book.sheets}
    if layout.SHEET_TEXT not in sheet_names:
        raise GxError(f"找不到“{layout.SHEET_TEXT}”工作表，无法写入正文。", path=book_path(book))
    sheet = book.sheets[layout.SHEET_TEXT]
    for part_id in outcome.written:
        pos, marker = texts[part_id], layout.marker_position(part_id)
        assert marker.row == pos.row and marker.col == pos.col + 1
        sheet.range((pos.row, pos.col), (pos.row, marker.col)).value = [
            [report.narrative[part_id], report.markers[part_id]]
        ]
    names = {p.id: p.label for p in form.NARRATIVE_PARTS}
    lines = []
    if outcome.written:
        lines.append("已生成：" + "、".join(names[p] for p in outcome.written) + "。")
    if outcome.kept:
        lines.append("保留了您填写的文字（未覆盖）：" + "、".join(names[p] for p in outcome.kept) + "。")
    if outcome.unchanged:
        lines.append("已是最新，无需更新：" + "、".join(names[p] for p in outcome.unchanged) + "。")
    for part_id, reasons in outcome.skipped.items():
        lines.append(f"未生成{names[part_id]}：" + "；".join(reasons) + "。")
    message = "\n".join(lines) or "没有可以生成的正文。"
    tell(book, message)
    return Outcome(message, written=list(outcome.written))


# -- 导出报告 -------------------------------------------------------------------


def _folder_of(book: Any) -> Path | None:
    path = Path(book_path(book))
    return path.parent if path.is_absolute() and path.parent.is_dir() else None


def export_report(book: Any, folder: str | os.PathLike[str] | None = None) -> Outcome:
    """导出报告: write the publication (.docx) next to the workbook and say where."""
    from ..publish.docx import write_docx

    target_dir = Path(folder) if folder else _folder_of(book)
    if target_dir is None:
        message = "请先保存工作簿（导出的报告放在工作簿所在的文件夹）。"
        tell(book, message)
        return Outcome(message)
    report = _report(book, book_grids(book))
    stem = Path(book_path(book)).stem or "年度报告"
    target = target_dir / f"{stem}.docx"
    write_docx(report, target)
    message = f"已导出报告：{target}"
    tell(book, message)
    return Outcome(message, path=str(target))


# -- 汇总文件夹 -----------------------------------------------------------------


def merge_folder(book: Any, folder: str | os.PathLike[str]) -> Outcome:
    """汇总文件夹: consolidate every workbook of a folder into a new workbook beside it."""
    from ..consolidate import consolidate_folder

    folder = Path(folder)
    if not folder.is_dir():
        raise GxError("文件夹不存在或无法打开。", path=str(folder))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder.parent / f"{folder.name}-汇总-{stamp}.xlsx"
    result = consolidate_folder(folder, target)
    message = f"已汇总“{folder}”，结果保存在：{target}"
    details = getattr(result, "summary", None)
    if isinstance(details, str) and details:
        message += "\n" + details
    tell(book, message)
    _open_desktop(book, target)
    return Outcome(message, path=str(target))


def _open_desktop(book: Any, path: Path) -> None:
    """Open the new workbook in the clerk's Excel (desktop engines only)."""
    if book.app.engine.name in ("excel", "calamine", "remote"):
        import xlwings as xw

        if book.app.engine.name == "excel":
            xw.Book(str(path))


# -- 帮助 ------------------------------------------------------------------------


def help_page(book: Any | None = None, *, open_browser: bool = True) -> Outcome:
    """帮助: open the clerks' section of the README in the browser."""
    from .help import write_help_page

    page = write_help_page()
    if open_browser:
        webbrowser.open(page.as_uri())
    return Outcome(f"已在浏览器中打开帮助：{page}", path=str(page))


def report_error(book: Any, exc: GxError) -> Outcome:
    message = f"无法完成：{exc}"
    tell(book, message)
    return Outcome(message)
