"""Read a filled template workbook into a :class:`~gxexcel.model.Report`.

Values are read with python-calamine (fast, read-only, no macro ever runs).
Totals are recomputed from the inputs rather than trusted: a workbook saved by
openpyxl has no cached results, and a clerk may have typed over a formula. What
the reader sees on the way (typed totals, changed labels, sheets, template
stamp, explanations in 校验结果) is recorded in ``report.source`` for the
validator's template-integrity rules.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
import functools
from pathlib import Path
from typing import Any, Callable, Protocol

from python_calamine import CalamineError, CalamineWorkbook

from . import form, layout, safety
from .errors import NotOurTemplateError, UnreadableError
from .findings_sheet import read_explanations
from .model import ERROR_VALUES, CellValue, Report, Source

Grid = list[list[Any]]


def read_workbook(path: str | Path, *, data: bytes | None = None) -> Report:
    """Read our template workbook (from ``data`` when its bytes are already read: an archive
    member, or a file the merge has hashed). The safety scan that runs first also notes which
    cells hold a formula or an error value (python-calamine gives values only), so a 总计 whose
    formula was deleted or typed over, a formula typed into a data cell and a ``#REF!``
    are known exactly, without opening the file a second time."""
    path = Path(path)
    info = safety.check_workbook(path, data=data)  # refuses broken, hostile and non-workbook files before parsing
    source = Source(path=str(path), kind="workbook", sha256=info.sha256)
    source.has_macros = info.has_macros
    grids = _load_grids(path, data)
    return read_grids(grids, source, formulas=lambda: formula_scan(info, grids))


def read_grids(
    grids: dict[str, Grid], source: Source, *, formulas: Callable[[], FormulaScan] | None = None
) -> Report:
    """Turn the sheets' values (sheet name -> rows of values) into a Report.

    Shared by :func:`read_workbook` (calamine) and the Excel binding (one range
    read per sheet of an open workbook). ``formulas`` returns what the cells'
    formulas tell (:func:`formula_scan`); without it (the Excel binding, whose
    formulas are live) a total that no SUM can show (text, a blank, a number other
    than the sum) counts as typed, an error value shown by a total is its formula's
    result, and an error value in a data cell is what the grid holds (the binding
    reads errors as text; python-calamine gives none).
    """
    path = source.path
    formulas_known = formulas is not None
    source.sheets = list(grids)
    cover = grids.get(layout.SHEET_COVER)
    if cover is None:
        raise NotOurTemplateError(
            "这不是 gxexcel 年报填报模板（没有“封面”工作表）。请使用 gxexcel template 生成的模板填报。",
            path=str(path),
        )
    cpos = layout.cover_positions()
    template_id = cell_text(_at(cover, cpos["template_id"]))
    version = cell_text(_at(cover, cpos["template_version"]))
    if template_id != layout.TEMPLATE_ID:
        found = f"模板编号为“{template_id}”" if template_id else "找不到模板编号"
        raise NotOurTemplateError(
            f"这不是 gxexcel 年报填报模板（{found}，应为“{layout.TEMPLATE_ID}”）。",
            path=str(path), sheet=layout.SHEET_COVER, cell=cpos["template_id"].coordinate,
        )
    if version != layout.TEMPLATE_VERSION:
        raise NotOurTemplateError(
            f"模板版本为“{version or '空'}”，当前模板版本为“{layout.TEMPLATE_VERSION}”。"
            "请用新版模板（gxexcel template）重新填报，或把数据复制到新版模板中。",
            path=str(path), sheet=layout.SHEET_COVER, cell=cpos["template_version"].coordinate,
        )
    source.template_id, source.template_version = template_id, version

    report = Report(template_id=template_id, template_version=version, source=source)
    for field in form.META_FIELDS:
        value = _at(cover, cpos[field.id])
        if field.id == "year":
            report.year = _year(value)
            if report.year is None:
                source.year_text = cell_text(value).strip()
        else:
            setattr(report, field.id, cell_text(value).strip())
    text = grids.get(layout.SHEET_TEXT, [])
    tpos = layout.text_positions()
    for part in form.NARRATIVE_PARTS:
        content = cell_text(_at(text, tpos[part.id]))
        if content:
            report.narrative[part.id] = content
        marker = cell_text(_at(text, layout.marker_position(part.id)))
        if marker:
            report.markers[part.id] = marker
    for fee in form.FEE_FIELDS:
        report.fees[fee.id] = _number(_at(text, tpos[fee.id]))

    positions = layout.cell_positions()
    for cid in form.INPUT_CELLS:
        p = positions[cid]
        report.cells[cid] = _number(_at(grids.get(p.sheet), p))
    scan = formulas() if formulas is not None else FormulaScan()
    for cid, error in scan.error_inputs.items():
        report.cells[cid] = error  # as entered: CELL-INT names the error value
    report.fees.update(scan.error_fees)
    source.formula_inputs = dict(sorted(scan.formula_inputs.items()))
    typed = scan.typed_totals
    for cid in form.TOTAL_CELLS:
        p = positions[cid]
        # an error value (a #REF! pasted over the formula, or the formula's result) is blank to calamine
        cached = scan.error_totals.get(cid, _number(_at(grids.get(p.sheet), p)))
        source.cached_totals[cid] = cached
        computed = report.computed_total(cid)
        if cid in typed or not formulas_known and (
            # text (无, a date) no SUM gives: typed over the formula; an error value is
            # what a live formula shows when a part or the formula is broken (TPL-WB-FORMULA
            # names it as the result, as for a file whose formula is kept)
            isinstance(cached, str) and cached not in ERROR_VALUES
            # a live SUM is never blank: the formula was deleted (a missing sheet: TPL-WB-SHEETS)
            or cached is None and p.sheet in grids
            or isinstance(cached, (int, float)) and cached != computed
            # a date in a part is a number to the formula but text here: not a typed total
            # (other text, 无, is nothing to SUM: the total still shows the sum of the numbers)
            and not any(_date_text(report.cells.get(p)) for p in form.total_parts(cid))
        ):
            # A typed number (or a cached value that no formula can have produced)
            # is what the clerk submitted: keep it so the sum rules report it.
            source.typed_totals.append(cid)
            report.cells[cid] = cached
        else:
            report.cells[cid] = computed
    source.changed_labels = _changed_labels(grids)
    report.explanations = _explanations(grids.get(layout.SHEET_FINDINGS))
    return report


# -- file access --------------------------------------------------------------


def _load_grids(path: Path, data: bytes | None = None) -> dict[str, Grid]:
    try:
        # a file object, so that non-UTF-8 (GBK) file names work too
        with (open(path, "rb") if data is None else io.BytesIO(data)) as f:
            wb = CalamineWorkbook.from_filelike(f)
        try:
            read = _read_sheets()
            return {  # other sheets (填报说明) are listed, not parsed: only their names matter
                name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) if name in read else []
                for name in wb.sheet_names
            }
        finally:
            wb.close()
    except CalamineError:
        # calamine's own (English) text is no help to a clerk: say what it means and what to do
        raise UnreadableError(
            "文件已损坏或不是 Excel 工作簿（.xlsx），其中的工作表内容无法读取（可能被其他软件改动过，或拷贝未完成）；"
            "请报送单位用 Excel 或 WPS 打开后另存为 .xlsx，重新报送。", path=str(path)
        ) from None


@functools.cache
def _read_sheets() -> frozenset[str]:
    """The sheets :func:`read_grids` looks into: the form's sheets and 校验结果."""
    names = {layout.SHEET_FINDINGS}
    for mapping in (layout.cell_positions(), layout.cover_positions(), layout.text_positions()):
        names.update(pos.sheet for pos in mapping.values())
    names.update(layout.marker_position(part).sheet for part in layout.text_positions())
    names.update(lay.sheet for lay in layout.table_layouts().values())
    return frozenset(names)


def _at(grid: Grid | None, pos: layout.Position) -> Any:
    if not grid or pos.row > len(grid):
        return None
    row = grid[pos.row - 1]
    if pos.col > len(row):
        return None
    return row[pos.col - 1]


# -- values ---------------------------------------------------------------------


def _number(value: Any) -> CellValue:
    """A data cell as entered: int/float for numbers, str for text, None for blank."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, int):
        return value
    if isinstance(value, _dt.datetime) and value.time() == _dt.time():
        return str(value.date())  # as python-calamine gives a date: the Excel binding gets a datetime
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time, _dt.timedelta)):
        return str(value)
    return str(value)


def _date_text(value: Any) -> bool:
    """A date or time as :func:`_number` gives it (text here, a number to Excel's SUM);
    “12” typed as text is not one (ISO 8601 would read it as 12:00)."""
    if not isinstance(value, str) or not ("-" in value or ":" in value):
        return False
    for kind in (_dt.datetime, _dt.time):
        try:
            kind.fromisoformat(value)
            return True
        except ValueError:
            pass
    return False


def cell_text(value: Any) -> str:
    """A cell value as text (whole numbers without “.0”; blank as "")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _year(value: Any) -> int | None:
    number = _number(value)
    if isinstance(number, int):
        return number
    if isinstance(number, str) and number.strip().rstrip("年").isdigit():
        return int(number.strip().rstrip("年"))
    return None


# -- what the validator's template-integrity rules need ------------------------


def _changed_labels(grids: dict[str, Grid]) -> dict[str, str]:
    """Header and label cells whose text differs from the form: 'sheet!A1' -> found."""
    changed: dict[str, str] = {}
    for pos, where, text in _form_labels():
        grid = grids.get(pos.sheet)
        if grid is None:
            continue
        found = cell_text(_at(grid, pos))
        if found != text:
            changed[where] = found
    return changed


@functools.cache
def _form_labels() -> tuple[tuple[layout.Position, str, str], ...]:
    """(position, 'sheet!A1', the form's text) of every header and label cell of the tables."""
    labels = []
    for lay in layout.table_layouts().values():
        for merge in lay.header:
            if merge.text:
                pos = layout.Position(lay.sheet, merge.first_row, merge.first_col)
                labels.append((pos, str(pos), merge.text))
    return tuple(labels)


@dataclass
class FormulaScan:
    """What only the cells' formulas tell (python-calamine gives values only)."""

    #: 总计 cells holding a value instead of their formula.
    typed_totals: set[str] = field(default_factory=set)
    #: Input cells holding a formula instead of a typed figure: cell id -> formula.
    formula_inputs: dict[str, str] = field(default_factory=dict)
    #: Input cells holding an error value (#REF!, #DIV/0! …): cell id -> the error.
    error_inputs: dict[str, str] = field(default_factory=dict)
    #: 总计 cells holding an error value, typed or their formula's result: cell id -> the error.
    error_totals: dict[str, str] = field(default_factory=dict)
    #: 信息处理费 cells (正文) holding an error value: fee id -> the error.
    error_fees: dict[str, str] = field(default_factory=dict)


class FormulaFacts(Protocol):
    """Where formulas and error values come from: a saved file's safety scan
    (:class:`gxexcel.safety.FileInfo`), or the add-in's VBA for an open workbook
    (:class:`gxexcel.excel.formulas.BookFormulas`)."""

    error_cells: Mapping[tuple[str, str], str]

    def formula_at(self, sheet: str, coordinate: str) -> str | None: ...


def formula_scan(info: FormulaFacts, grids: dict[str, Grid]) -> FormulaScan:
    """What the safety scan (or the add-in) saw of the data cells' formulas and error values
    (sheets that are not in the workbook are left out: TPL-WB-SHEETS names them)."""
    scan = FormulaScan()
    errors = info.error_cells
    for cid, cell, place in _cell_places():
        if place[0] not in grids:
            continue
        formula = info.formula_at(*place)
        error = errors.get(place) if errors else None
        if cell.role == "total":
            if formula is None:
                scan.typed_totals.add(cid)
        elif formula is not None:
            scan.formula_inputs[cid] = formula
        if error is not None:
            (scan.error_totals if cell.role == "total" else scan.error_inputs)[cid] = error
    text = layout.text_positions()
    for fee in form.FEE_FIELDS:
        p = text[fee.id]
        if p.sheet in grids and (p.sheet, p.coordinate) in info.error_cells:
            scan.error_fees[fee.id] = info.error_cells[(p.sheet, p.coordinate)]
    return scan


@functools.cache
def _cell_places() -> tuple[tuple[str, form.Cell, tuple[str, str]], ...]:
    """(cell id, cell, (sheet, A1 coordinate)) of every table cell, in form order."""
    positions = layout.cell_positions()
    return tuple((cid, cell, (positions[cid].sheet, positions[cid].coordinate)) for cid, cell in form.CELLS.items())


def _explanations(grid: Grid | None) -> dict[str, str]:
    """Explanations (出错说明) the clerk wrote in an earlier 校验结果 sheet."""
    if not grid:
        return {}
    return read_explanations(grid)
