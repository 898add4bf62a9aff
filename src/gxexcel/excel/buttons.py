"""What the buttons of the 政务公开年报 ribbon tab do, on an open workbook.

Each function takes an xlwings ``Book`` (on a desktop ``xw.Book.caller()``; in
tests a book of xlwings' remote engine), does its work with the core modules
and returns the short Chinese message it also shows the clerk. A button costs
the clerk a handful of round trips, never one per cell: every sheet is read
with one range read, highlights are painted with one call per sheet, the notes
are replaced with one macro call, and the 校验结果 sheet is written with one
values write.

Notes (cell comments): 校验 puts the messages of each failing cell in a note
marked 【校验】 on that cell, and 清除标记 removes them; the clerk's own notes are
never touched (a cell holding one gets no note from us). Neither xlwings engine adds notes in bulk (the remote engine
refuses ``Range.add_note`` from a VBA client and costs one action per note
otherwise), so the add-in's VBA module ``GxNotes`` replaces all our notes in one
call (:mod:`gxexcel.excel.notes`): one ``runMacro`` action with the remote engine.
The messages are also listed on the 校验结果 sheet (one values write, with a
hyperlink to each cell).
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
from . import notes as notes_mod
from .bookread import Grid, book_grids, book_path, read_book, read_grids_of

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


def _report(book: Any, grids: dict[str, Grid], formulas: str | None = None) -> Report:
    """``formulas``: what the add-in found of the form cells' formulas (None: values only)."""
    if layout.SHEET_COVER not in grids:
        return read_book(book)  # raises the clear "not our template" error
    return read_grids_of(book, grids, formulas)


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
    text += f"。详见“{layout.SHEET_FINDINGS}”工作表；出错的单元格已标出颜色，并在批注中写明原因。"
    if len(warnings) > explained:
        text += "警告如属实际情况，请在“出错说明”栏写明原因。"
    return text


def _previous_marks(grid: Grid | None) -> list[marks_mod.Mark] | None:
    """The cells the previous 校验 highlighted, from its 校验结果 sheet; None when that
    sheet is missing or no longer has our marks column (the clerk deleted or emptied it):
    the old marks are then unknown."""
    from ..findings_sheet import HEADER_ROW

    if not grid or len(grid) < HEADER_ROW:
        return None
    header = [str(x or "") for x in grid[HEADER_ROW - 1]]
    if MARKS_HEADER not in header:
        return None
    col = header.index(MARKS_HEADER)
    out: list[marks_mod.Mark] = []
    for row in grid[HEADER_ROW:]:
        if col < len(row):
            out.extend(marks_mod.parse_marks(row[col]))
    return list(dict.fromkeys(out))


def as_text(value: str) -> str:
    """A text value Excel will not take for a formula or a number."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _link(f: Finding, text: str) -> str:
    from ..findings_sheet import link_target

    target = link_target(f)
    if not target:
        return as_text(text)
    quote = lambda s: s.replace('"', '""')  # noqa: E731
    return f'=HYPERLINK("#{quote(target)}","{quote(text)}")'


def results_values(findings: list[Finding]) -> list[list[Any]]:
    """The 校验结果 sheet as one block of values: the note, the declared columns
    (:mod:`gxexcel.findings_sheet`) with the location as a hyperlink, then our marks column."""
    from ..findings_sheet import COLUMN_INDEX, HEADERS, HEADER_ROW, NOTE, cells_to_mark, rows

    width = len(HEADERS) + 1
    table: list[list[Any]] = [[None] * width for _ in range(HEADER_ROW - 1)]
    table[0][0] = NOTE
    table.append([*HEADERS, MARKS_HEADER])
    where = COLUMN_INDEX["location"]
    for f, values in zip(findings, rows(findings)):
        row: list[Any] = [as_text(v) if v else None for v in values]
        if values[where]:
            row[where] = _link(f, values[where])
        row.append(marks_mod.format_marks(cells_to_mark(f)) or None)
        table.append(row)
    return table


def _pad(table: list[list[Any]], rows: int, cols: int) -> list[list[Any]]:
    """Blank out what an earlier, longer 校验结果 had beyond the new table (same write)."""
    width = max(cols, max(len(r) for r in table))
    out = [list(r) + [None] * (width - len(r)) for r in table]
    out += [[None] * width for _ in range(max(0, rows - len(out)))]
    return out


def validate_book(book: Any, *, addin_file: str = notes_mod.ADDIN_FILE, formulas: str | None = None) -> Outcome:
    """校验: run every rule, repaint the marks, replace our notes, write 校验结果,
    say the summary.

    Remote-engine actions: one ``setRangeColors`` per sheet whose marks change
    (at most the five sheets of the template), one ``runMacro`` for the notes,
    ``addSheet`` the first time, one ``setValues`` for 校验结果 and one
    ``alert``: at most 9, whatever the number of findings. ``addin_file`` is the
    add-in's file name (the ribbon passes it), which qualifies the notes macro;
    ``formulas`` what the add-in found of the form cells' formulas.
    """
    from ..rules.engine import validate

    grids = book_grids(book)
    report = _report(book, grids, formulas)
    findings = validate(report)
    old = grids.get(layout.SHEET_FINDINGS)
    wanted = marks_mod.wanted_colors(findings)
    # Without an earlier 校验结果 (first run, or the clerk deleted or emptied it) the old
    # marks are unknown: every form cell gets its template fill back (still one call per sheet).
    previous = _previous_marks(old)
    if previous is None:
        previous = marks_mod.all_form_marks()
    marks_mod.paint(book, marks_mod.changes(previous, wanted))
    notes_mod.write(book, notes_mod.payload(findings), addin_file=addin_file)

    table = results_values(findings)
    names = [s.name for s in book.sheets]
    if layout.SHEET_FINDINGS in names:
        sheet = book.sheets[layout.SHEET_FINDINGS]
    else:
        sheet = book.sheets.add(layout.SHEET_FINDINGS, after=book.sheets[len(names) - 1])
    old_rows = len(old or [])
    old_cols = max((len(r) for r in old or []), default=0)
    sheet.range("A1").value = _pad(table, old_rows, old_cols)
    message = summary(findings)
    tell(book, message)
    return Outcome(message, findings=findings)


# -- 清除标记 -------------------------------------------------------------------


def clear_marks(book: Any, *, addin_file: str = notes_mod.ADDIN_FILE) -> Outcome:
    """清除标记: give every form cell back the fill of the template (one call per sheet)
    and delete the notes 校验 wrote (one macro call; the clerk's own notes stay).
    Another workbook (not the template) is left alone: its cells are not ours to repaint."""
    read_book(book)  # raises the clear "not our template" error before anything is touched
    marks_mod.paint(book, {m: marks_mod.original_color(m) for m in marks_mod.all_form_marks()})
    notes_mod.write(book, "", addin_file=addin_file)
    message = "已清除校验标出的颜色和批注（您自己写的批注保留；“校验结果”工作表保留，可再次点击“校验”更新）。"
    tell(book, message)
    return Outcome(message)


# -- 生成总体情况 ---------------------------------------------------------------


def narrate_book(book: Any, *, formulas: str | None = None) -> Outcome:
    """生成总体情况: draft the parts that follow from the figures; clerk text is never replaced."""
    from .. import form
    from ..narrative.draft import describe_missing, narrate

    grids = book_grids(book)
    report = _report(book, grids, formulas)
    outcome = narrate(report)
    texts = layout.text_positions()
    sheet_names = {s.name for s in book.sheets}
    if layout.SHEET_TEXT not in sheet_names:
        raise GxError(f"找不到“{layout.SHEET_TEXT}”工作表，无法写入正文。", path=book_path(book))
    sheet = book.sheets[layout.SHEET_TEXT]
    for part_id in outcome.written:
        pos, marker = texts[part_id], layout.marker_position(part_id)
        if (marker.row, marker.col) == (pos.row, pos.col + 1):  # text and marker side by side: one write
            sheet.range((pos.row, pos.col), (pos.row, marker.col)).value = [
                [as_text(report.narrative[part_id]), report.markers[part_id]]
            ]
        else:
            sheet.range((pos.row, pos.col)).value = as_text(report.narrative[part_id])
            sheet.range((marker.row, marker.col)).value = report.markers[part_id]
    names = {p.id: p.label for p in form.NARRATIVE_PARTS}
    lines = []
    if outcome.written:
        lines.append("已生成：" + "、".join(names[p] for p in outcome.written) + "。")
    if outcome.kept:
        lines.append("保留了您填写的文字（未覆盖）：" + "、".join(names[p] for p in outcome.kept) + "。")
    if outcome.unchanged:
        lines.append("已是最新，无需更新：" + "、".join(names[p] for p in outcome.unchanged) + "。")
    for part_id, cells in outcome.skipped.items():
        lines.append(f"未生成{names[part_id]}：{describe_missing(cells)}。")
    from ..narrative.draft import kept_mismatches  # the CLI's check, so both say the same

    for part_id, found in kept_mismatches(report, outcome.kept).items():
        lines.append(
            f"{names[part_id]}保留了" + ("人工填写" if outcome.kept[part_id] == "clerk" else "人工修改")
            + "的文字，其中的数字与表格不一致：" + "；".join(found)
            + "。请改正，或删除这段文字后再点“生成总体情况”按表格重新生成。"
        )
    message = "\n".join(lines) or "没有可以生成的正文。"
    tell(book, message)
    return Outcome(message, written=list(outcome.written))


# -- 导出报告 -------------------------------------------------------------------


def _folder_of(book: Any) -> Path | None:
    path = Path(book_path(book))
    return path.parent if path.is_absolute() and path.parent.is_dir() else None


def export_report(
    book: Any, folder: str | os.PathLike[str] | None = None, *, formulas: str | None = None
) -> Outcome:
    """导出报告: write the publication (.docx) next to the workbook and say where."""
    from ..publish.docx import write_docx

    target_dir = Path(folder) if folder else _folder_of(book)
    if target_dir is None:
        if "://" in book_path(book):  # OneDrive / SharePoint: Excel gives a web address
            message = "工作簿保存在网络位置（如 OneDrive），无法在其旁边写出报告。请先“另存为”到本机文件夹，再导出报告。"
        else:
            message = "请先保存工作簿（导出的报告放在工作簿所在的文件夹）。"
        tell(book, message)
        return Outcome(message)
    from ..narrative.draft import empty_generated_parts, empty_written_parts
    from ..rules.engine import validate

    report = _report(book, book_grids(book), formulas)
    stem = Path(book_path(book)).stem or "年度报告"
    target = free_name(target_dir / f"{stem}.docx")
    write_docx(report, target)
    message = f"已导出报告：{target}"
    empty = empty_generated_parts(report)
    if empty:
        message += "\n提示：以下部分为空，可先点“生成总体情况”：" + "、".join(empty) + "。"
    unwritten = empty_written_parts(report)
    if unwritten:
        message += "\n提示：以下部分为空，需要本单位据实撰写后再发布：" + "、".join(unwritten) + "。"
    errors = sum(f.severity == "error" for f in validate(report))
    if errors:
        message += f"\n注意：报告有 {errors} 个错误，发布前请点“校验”查看并修正。"
    tell(book, message)
    return Outcome(message, path=str(target))


def free_name(target: Path) -> Path:
    """``target``, or ``name（2）.docx``, ``name（3）.docx``… when it exists: an earlier
    export may have been edited in Word since, and is never replaced."""
    n = 1
    candidate = target
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = target.with_name(f"{target.stem}（{n}）{target.suffix}")
    return candidate


# -- 汇总文件夹 -----------------------------------------------------------------


def merge_folder(book: Any, folder: str | os.PathLike[str]) -> Outcome:
    """汇总文件夹: consolidate every workbook of a folder into a new workbook beside the folder."""
    from ..consolidation import consolidate

    folder = Path(folder)
    if not folder.is_dir():
        raise GxError("文件夹不存在或无法打开。", path=str(folder))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = folder.name or folder.anchor.strip(":\\/") or "报表"  # a drive's root (E:\) has no name
    target = folder.parent / f"{name}-汇总-{stamp}.xlsx"
    desktop = book.app.engine.name == "excel"
    # Inside Excel's Python process (a COM server on Windows) no process pool is started.
    result = consolidate(folder, workers=1 if desktop else None)
    if not any(s.file for s in result.statuses):  # as gxexcel merge: say so, write nothing
        raise GxError("没有找到任何报表文件（文件夹是空的或只有临时文件），未生成汇总。", path=str(folder))
    result.to_excel(target)
    message = (
        f"已汇总“{folder}”：读取 {len(result.units)} 个文件，计入汇总 {len(result.counted)} 个单位。\n"
        f"汇总结果保存在：{target}"
    )
    tell(book, message)
    if desktop:  # the clerk's Excel opens the new workbook
        import xlwings as xw

        xw.Book(str(target))
    return Outcome(message, path=str(target))


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
