"""Write the consolidated workbook (openpyxl, write-only so that 10,000 units stay small).

汇总 reuses the template builder's table drawing (:func:`gxexcel.template.draw_table`):
each table is drawn on a scratch sheet exactly as in the template, its inputs
are filled with the sums, and it is copied onto 汇总 with its formulas, merges
and conditional formats moved to their place, so 汇总 carries the same live
checks as the template. The other sheets are plain filterable tables; 图表 has
native Excel charts. The file is deterministic: fixed document times and
fixed zip entry times.
"""

from __future__ import annotations

import os
import zipfile
from copy import copy
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.formatting.rule import FormulaRule
from openpyxl.formula.translate import Translator
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .. import form, layout, template
from ..atomic import atomic_path
from . import columns as C
from . import sheets
from .roster import NAME_RULE
from .submissions import (CARRIED_RULE, DUPLICATE, DUPLICATE_RULE, ERRORS_EXCLUDED, ERRORS_INCLUDED, MISSING, SAME_FILE_RULE, UNLISTED,
                          UNLISTED_RULE, UNREADABLE, YEAR_RULE)
from .totals import failing_identities

if TYPE_CHECKING:
    from .api import Consolidation

FIXED_TIME = template.BUILD_TIME
_ZIP_TIME = FIXED_TIME.timetuple()[:6]
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
KEY_FONT = Font(name=template.FONT_NAME, size=8, color="808080")
STATUS_OK = "全部通过"

#: Where each table goes on 汇总: column shift (so labels line up with 表三's label columns).
_COL_SHIFT = {"t2": 2, "t3": 0, "t4": 3}
_INFO_FIRST_ROW = 2
_INFO_ROWS = 11  # len(info_rows(c))


def write_consolidation(c: "Consolidation", path: str | os.PathLike[str]) -> Path:
    """Write the consolidated workbook to ``path`` atomically."""
    path = Path(path)
    with atomic_path(path) as tmp:  # first: an unwritable output is refused before the workbook is built
        _save(build_workbook(c), tmp)
    return path


def build_workbook(c: "Consolidation") -> Workbook:
    _STYLE_CACHE.clear()  # keys hold ids of workbooks alive only during one build
    wb = Workbook(write_only=True)
    _summary(wb.create_sheet(C.SHEET_SUMMARY), c)
    _table(wb.create_sheet(C.SHEET_DETAIL), [k for k, _ in C.DETAIL_COLUMNS], sheets.detail_rows(c),
           labels=[label for _, label in C.DETAIL_COLUMNS], widths={1: 24, 9: 40, 11: 20})
    _table(wb.create_sheet(C.SHEET_FINDINGS), C.FINDING_COLUMNS, sheets.finding_rows(c),
           widths={1: 24, 2: 36, 3: 30, 6: 36, 9: 70, 10: 30})
    _table(wb.create_sheet(C.SHEET_SUBMISSIONS), C.SUBMISSION_COLUMNS, sheets.submission_rows(c),
           widths={1: 24, 2: 14, 3: 16, 7: 40, 8: 30, 11: 70})
    _table(wb.create_sheet(C.SHEET_SIMILAR), C.SIMILAR_COLUMNS, sheets.similar_rows(c),
           widths={1: 26, 2: 24, 3: 24, 4: 36, 6: 60, 7: 36, 8: 36})
    _charts(wb.create_sheet(C.SHEET_CHARTS), c)
    wb.properties.creator = "gxexcel"
    wb.properties.title = c.total.title_text + "汇总"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    return wb


# -- 汇总 -----------------------------------------------------------------------


def summary_title(c: "Consolidation") -> str:
    year = f"{c.year}年" if c.year else ""
    return f"{c.title}{year}{form.REPORT_TITLE_SUFFIX}汇总"


def info_rows(c: "Consolidation") -> list[tuple[str, Any]]:
    """The facts printed above the tables on 汇总 (label, value)."""
    counted = c.counted
    count = lambda status: sum(1 for s in c.statuses if s.status == status)  # noqa: E731
    roster = len(c.roster) if c.roster is not None else C.NO_ROSTER
    return [
        (C.STAMP_LABELS[0], C.CONSOLIDATION_ID),
        (C.STAMP_LABELS[1], C.CONSOLIDATION_VERSION),
        ("报告年度", c.year),
        (C.ROSTER_COUNT_LABEL, roster),
        ("计入汇总的单位数", len(counted)),
        ("其中有错误的单位数", sum(1 for u in counted if u.errors)),
        ("未报送单位数", count(MISSING)),
        ("重复报送文件数", count(DUPLICATE)),
        ("名册外文件数", count(UNLISTED)),
        ("无法读取文件数", count(UNREADABLE)),
        ("计入规则", (ERRORS_INCLUDED if c.include_errors else ERRORS_EXCLUDED) + DUPLICATE_RULE + SAME_FILE_RULE + UNLISTED_RULE + YEAR_RULE
         + (NAME_RULE if c.roster is not None else "") + (CARRIED_RULE if any(u.via for u in c.units) else "")),
    ]


def python_status(c: "Consolidation") -> str:
    """What 汇总's status cell computes, from the Python sums."""
    failing = len(failing_identities(c.total))
    return STATUS_OK if not failing else f"有{failing}处勾稽关系不符"


def _summary(ws, c: "Consolidation") -> None:
    scratch = Workbook()
    target = scratch.active
    target.title = C.SHEET_SUMMARY
    last_col = layout.table_layouts()["t3"].check_col
    template.draw_title(target, summary_title(c), last_col)
    info = info_rows(c)
    assert len(info) == _INFO_ROWS
    row = _INFO_FIRST_ROW
    for label, value in info:
        _merged(target, row, 1, 3, label, template.HEADER_FONT)
        _merged(target, row, C.STAMP_COL, last_col, value, template.LABEL_FONT)
        row += 1
    status_row = row
    _merged(target, status_row, 1, 3, layout.STATUS_LABEL, template.HEADER_FONT)
    checks: list[str] = []
    for table_id, (dr, dc) in table_offsets().items():
        _place_table(target, table_id, dr, dc, c, checks)
    cells = sorted(_rowcol(x) for x in checks)
    total = "+".join(f"SUMPRODUCT(--(LEN({r})>0))" for r in template.a1_ranges(cells))
    status = target.cell(row=status_row, column=C.STAMP_COL,
                         value=f'=IF({total}=0,"{STATUS_OK}","有"&({total})&"处勾稽关系不符")')
    target.merge_cells(start_row=status_row, start_column=C.STAMP_COL, end_row=status_row, end_column=last_col)
    status.font = template.CHECK_FONT
    target.conditional_formatting.add(
        status.coordinate, FormulaRule(formula=[f'{status.coordinate}<>"{STATUS_OK}"'], fill=template.ERROR_FILL))
    for col, width in {1: 9, 2: 16, 3: 34}.items():
        target.column_dimensions[get_column_letter(col)].width = width
    for col in range(4, last_col):
        target.column_dimensions[get_column_letter(col)].width = 10
    target.column_dimensions[get_column_letter(last_col)].width = 14
    t3_rows = layout.table_layouts()["t3"].data_rows
    for row_id, r in zip((row.id for row in form.T3.rows), t3_rows):
        label = "".join(next(x for x in form.T3.rows if x.id == row_id).labels[1:])
        target.row_dimensions[r + table_offsets()["t3"][0]].height = 30 if len(label) > 24 else 20
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    _copy_sheet(target, ws)


def _merged(ws: Worksheet, row: int, first: int, last: int, value: Any, font: Font) -> None:
    cell = ws.cell(row=row, column=first, value=value)
    cell.font = font
    cell.alignment = template.LEFT
    cell.border = template.BORDER
    ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def table_offsets() -> dict[str, tuple[int, int]]:
    """Table id -> (row shift, column shift) from its template sheet to 汇总."""
    row = _INFO_FIRST_ROW + _INFO_ROWS + 2  # info, status row, one blank row
    out = {}
    for table_id, lay in layout.table_layouts().items():
        out[table_id] = (row - lay.title_row, _COL_SHIFT[table_id])
        row += lay.blank_row - lay.title_row + 3
    return out


def summary_positions() -> dict[str, str]:
    """Cell id -> coordinate of that cell on 汇总."""
    offsets = table_offsets()
    out = {}
    for cid, p in layout.cell_positions().items():
        dr, dc = offsets[form.CELLS[cid].table]
        out[cid] = f"{get_column_letter(p.col + dc)}{p.row + dr}"
    return out


def status_coordinate() -> str:
    return f"{get_column_letter(C.STAMP_COL)}{_INFO_FIRST_ROW + _INFO_ROWS}"


def _place_table(target: Worksheet, table_id: str, dr: int, dc: int, c: "Consolidation", checks: list[str]) -> None:
    """Draw a table as the template does, fill it with the sums and copy it to 汇总 shifted
    by (dr, dc). Appends the coordinates of its live check cells to ``checks``."""
    scratch = Workbook().active
    scratch.title = layout.TABLE_SHEETS[table_id]
    template.draw_table(scratch, table_id)
    positions = layout.cell_positions()
    for cid in form.INPUT_CELLS:
        if form.CELLS[cid].table == table_id:
            p = positions[cid]
            scratch.cell(row=p.row, column=p.col, value=c.total.cells[cid])
    for src_row in scratch.iter_rows():
        for cell in src_row:
            if cell.value is None and not cell.has_style:
                continue
            dst = target.cell(row=cell.row + dr, column=cell.column + dc)
            dst.value = _moved(cell.value, cell.coordinate, dst.coordinate)
            if cell.has_style:
                _copy_style(cell, dst)
    for rng in scratch.merged_cells.ranges:
        moved = CellRange(rng.coord)
        moved.shift(col_shift=dc, row_shift=dr)
        target.merge_cells(moved.coord)
    for cf in scratch.conditional_formatting:
        for rng in cf.sqref.ranges:
            moved = CellRange(rng.coord)
            moved.shift(col_shift=dc, row_shift=dr)
            for rule in cf.rules:
                new = copy(rule)
                new.formula = [_moved("=" + f, rng.coord.split(":")[0], moved.coord.split(":")[0])[1:]
                               for f in rule.formula]
                target.conditional_formatting.add(moved.coord, new)
    for pos, _ in template.live_checks(table_id):
        checks.append(f"{get_column_letter(pos.col + dc)}{pos.row + dr}")


_STYLE_CACHE: dict[tuple[int, int, tuple[int, ...]], Any] = {}


def _copy_style(src, dst) -> None:
    """Copy a cell's style across workbooks (style indexes are per workbook); each
    distinct style is translated once per pair of workbooks."""
    key = (id(src.parent.parent), id(dst.parent.parent), tuple(src._style))
    known = _STYLE_CACHE.get(key)
    if known is not None:
        dst._style = copy(known)
        return
    dst.font, dst.fill, dst.border = copy(src.font), copy(src.fill), copy(src.border)
    dst.alignment, dst.number_format, dst.protection = copy(src.alignment), src.number_format, copy(src.protection)
    _STYLE_CACHE[key] = copy(dst._style)


def _moved(value: Any, origin: str, dest: str) -> Any:
    if isinstance(value, str) and value.startswith("="):
        return Translator(value, origin=origin).translate_formula(dest)
    return value


def _rowcol(coord: str) -> tuple[int, int]:
    cell = CellRange(coord)
    return cell.min_row, cell.min_col


def _copy_sheet(src: Worksheet, dst) -> None:
    """Copy a normal worksheet onto a write-only one: widths, merges, values, styles, conditional formats."""
    for key, dim in src.column_dimensions.items():
        if dim.width:
            dst.column_dimensions[key].width = dim.width
    for key, dim in src.row_dimensions.items():
        if dim.height:
            dst.row_dimensions[key].height = dim.height
    for rng in src.merged_cells.ranges:
        dst.merged_cells.add(CellRange(rng.coord))
    for cf in src.conditional_formatting:
        for rule in cf.rules:
            dst.conditional_formatting.add(str(cf.sqref), rule)
    for row in src.iter_rows(min_row=1, max_row=src.max_row):
        out = []
        for cell in row:
            if cell.value is None and not cell.has_style:
                out.append(None)
                continue
            new = WriteOnlyCell(dst, value=cell.value)
            if cell.has_style:
                _copy_style(cell, new)
            out.append(new)
        dst.append(out)


# -- plain tables ---------------------------------------------------------------


def _table(ws, header: Iterable[str], rows: list[list[Any]], *, labels: list[str] | None = None,
           widths: dict[int, float] | None = None) -> None:
    header = list(header)
    for col in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(col)].width = (widths or {}).get(col, 12)
    head_rows = [header] + ([labels] if labels else [])
    ws.freeze_panes = f"B{len(head_rows) + 1}"
    ws.auto_filter.ref = f"A{len(head_rows)}:{get_column_letter(len(header))}{len(head_rows) + max(len(rows), 1)}"
    for i, values in enumerate(head_rows):
        styled = []
        for value in values:
            cell = WriteOnlyCell(ws, value=value)
            if labels and i == 0:
                cell.font = KEY_FONT
            else:
                cell.font, cell.fill, cell.alignment = template.HEADER_FONT, HEADER_FILL, template.CENTER
            styled.append(cell)
        ws.append(styled)
    for row in rows:
        ws.append([v if (t := type(v)) is not str and t is not datetime else _safe(ws, v) if t is str else _date(ws, v)
                   for v in row])


#: How a date and time (明细's 文件修改时间) is shown: as the text it replaced, to the second.
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def _date(ws, value: datetime) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = DATETIME_FORMAT
    return cell


def _safe(ws, value: Any) -> Any:
    """Text from the units is written as text, never as a formula, without the control
    characters an xlsx cannot store."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(("=", "+", "-", "@")) and len(value) > 1:
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


# -- 图表 -----------------------------------------------------------------------


def _charts(ws, c: "Consolidation") -> None:
    apps, results, errors = sheets.applications_rows(c), sheets.result_rows(c), sheets.error_rows(c)
    blocks = [(1, sheets.CHART_APPLICATIONS, apps), (4, sheets.CHART_RESULTS, results), (7, sheets.CHART_ERRORS, errors)]
    height = max(len(apps), len(results), len(errors), 1) + 1
    for col, width in {1: 24, 2: 14, 4: 24, 5: 10, 7: 24, 8: 10, 9: 10}.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    for r in range(height):
        line: list[Any] = [None] * 9
        for first, header, data in blocks:
            values = header if r == 0 else (data[r - 1] if r - 1 < len(data) else None)
            if values is None:
                continue
            for k, v in enumerate(values):
                if r == 0:
                    cell = WriteOnlyCell(ws, value=v)
                    cell.font, cell.fill = template.HEADER_FONT, HEADER_FILL
                    line[first - 1 + k] = cell
                else:
                    line[first - 1 + k] = _safe(ws, v)
        ws.append(line)
    anchor = 11
    if apps:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "各单位本年新收政府信息公开申请数量" + sheets.chart_suffix(apps, len(c.counted))
        chart.y_axis.title = "件"
        chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=len(apps) + 1), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=len(apps) + 1))
        chart.height, chart.width = max(7.5, 0.5 * len(apps)), 18
        ws.add_chart(chart, f"{get_column_letter(anchor)}1")
    pie = PieChart()
    pie.title = "申请办理结果（表三 " + next(r for r in form.T3.rows if r.id == "total").labels[0] + "）"
    pie.add_data(Reference(ws, min_col=5, min_row=1, max_row=len(results) + 1), titles_from_data=True)
    pie.set_categories(Reference(ws, min_col=4, min_row=2, max_row=len(results) + 1))
    pie.height, pie.width = 9, 14
    ws.add_chart(pie, f"{get_column_letter(anchor + 12)}1")
    if errors:
        bar = BarChart()
        bar.type = "bar"
        bar.grouping = "stacked"
        bar.overlap = 100
        with_problems = sum(1 for u, s in sheets.detail_units(c) if (u.errors or u.warnings) and not s.same_file)
        bar.title = "各单位校验发现的错误和警告" + sheets.chart_suffix(errors, with_problems)
        bar.add_data(Reference(ws, min_col=8, max_col=9, min_row=1, max_row=len(errors) + 1), titles_from_data=True)
        bar.set_categories(Reference(ws, min_col=7, min_row=2, max_row=len(errors) + 1))
        bar.height, bar.width = max(7.5, 0.5 * len(errors)), 14
        ws.add_chart(bar, f"{get_column_letter(anchor + 12)}20")


# -- deterministic save ----------------------------------------------------------


class _FixedTimeZip(zipfile.ZipFile):
    """A ZipFile whose entries all carry the same date, so equal content gives equal bytes."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # type: ignore[override]
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=_ZIP_TIME)
            info.compress_type = compress_type or self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        return super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[override]
        with open(filename, "rb") as fh:
            return self.writestr(arcname or os.path.basename(filename), fh.read(), compress_type, compresslevel)


def _save(wb: Workbook, path: Path) -> None:
    """Save without openpyxl's ``save_workbook`` (which stamps the current time)."""
    archive = _FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()
