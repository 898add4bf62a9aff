"""Build the locked template workbook from the declaration.

Every label comes from :mod:`gxexcel.form`, every position from
:mod:`gxexcel.layout`. The template looks and prints like the official
tables, has live checks of every sum identity (functions shared by Excel, WPS
and LibreOffice), data validation on every input, defined names, a version
stamp and protection on every sheet and on the workbook structure.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from . import form, layout
from .atomic import atomic_path
from .layout import Position, addr

# -- styles -------------------------------------------------------------------

FONT_NAME = "宋体"
_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
LABEL_FONT = Font(name=FONT_NAME, size=10)
HEADER_FONT = Font(name=FONT_NAME, size=10, bold=True)
NOTE_FONT = Font(name=FONT_NAME, size=9, color="666666")
CHECK_FONT = Font(name=FONT_NAME, size=9, bold=True, color="C00000")
INPUT_FILL = PatternFill("solid", fgColor="FFF9E0")
TOTAL_FILL = PatternFill("solid", fgColor="E7E6E6")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)

#: Fixed document timestamps so that the same declaration builds the same file.
BUILD_TIME = _dt.datetime(2021, 9, 26)

COUNT_PROMPT = "请填写大于或等于 0 的整数；没有发生的请填 0，不要留空。"
COUNT_ERROR = "此处只能填写大于或等于 0 的整数（件数）。"
MONEY_PROMPT = "请填写本年收费金额，单位：万元，可保留至多 4 位小数（1 元＝0.0001 万元）；没有收费的请填 0。"
MONEY_ERROR = "此处只能填写大于或等于 0 的金额（单位：万元），至多 4 位小数。"
YUAN_PROMPT = "单位：元，可保留 2 位小数；没有的请填 0。"
YUAN_ERROR = "此处只能填写大于或等于 0 的金额（单位：元）。"
YEAR_PROMPT = "请填写报告年度，例如 2025。"
YEAR_ERROR = "报告年度应为 2021 年及以后的四位年份（2021 年起适用本格式）。"
TYPE_PROMPT = "请从下拉列表中选择单位类型。"
TYPE_ERROR = "请从下拉列表中选择单位类型。"
TEXT_PROMPT = "请在此填写本部分正文；可使用“生成总体情况”按钮根据表格数据起草。"


def build_workbook() -> Workbook:
    """The template as an openpyxl workbook (not saved)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name in layout.TEMPLATE_SHEETS:
        wb.create_sheet(name)
    _cover(wb[layout.SHEET_COVER])
    _text(wb[layout.SHEET_TEXT])
    _table2(wb[layout.TABLE_SHEETS["t2"]])
    _table3(wb[layout.TABLE_SHEETS["t3"]])
    _table4(wb[layout.TABLE_SHEETS["t4"]])
    _guide(wb[layout.SHEET_GUIDE])
    _status_formula(wb[layout.SHEET_COVER])
    _defined_names(wb)
    for ws in wb.worksheets:
        _protect(ws)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.creator = "gxexcel"
    wb.properties.title = "政府信息公开工作年度报告填报模板"
    wb.properties.created = BUILD_TIME
    wb.properties.modified = BUILD_TIME
    wb.active = 0
    return wb


def build_template(path: str | Path) -> Path:
    """Write the template to ``path`` (atomically) and return the path."""
    path = Path(path)
    wb = build_workbook()
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


# -- sheets -------------------------------------------------------------------


def draw_title(ws: Worksheet, text: str, last_col: int, row: int = 1) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    cell = ws.cell(row=row, column=1, value=text)
    cell.font = TITLE_FONT
    cell.alignment = CENTER
    ws.row_dimensions[row].height = 28


def _label(ws: Worksheet, row: int, col: int, text: str, *, header: bool = False) -> None:
    cell = ws.cell(row=row, column=col, value=text)
    cell.font = HEADER_FONT if header else LABEL_FONT
    cell.alignment = CENTER if header else LEFT
    cell.border = BORDER


def _input(ws: Worksheet, pos: Position, *, fill: bool = True) -> None:
    cell = ws.cell(row=pos.row, column=pos.col)
    cell.protection = UNLOCKED
    cell.border = BORDER
    cell.font = LABEL_FONT
    if fill:
        cell.fill = INPUT_FILL


def _validation(ws: Worksheet, dv: DataValidation, cells: Iterable[str]) -> None:
    cells = list(cells)
    if not cells:
        return
    dv.showInputMessage = True
    dv.showErrorMessage = True
    dv.errorStyle = "stop"
    dv.errorTitle = "输入有误"
    dv.promptTitle = "填报提示"
    ws.add_data_validation(dv)
    for c in cells:
        dv.add(c)


def _count_validation() -> DataValidation:
    return DataValidation(
        type="whole", operator="greaterThanOrEqual", formula1="0",
        prompt=COUNT_PROMPT, error=COUNT_ERROR, allow_blank=True,
    )


def _cover(ws: Worksheet) -> None:
    draw_title(ws, "政府信息公开工作年度报告　填报封面", 3)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 48
    ws.column_dimensions["C"].width = 40
    pos = layout.cover_positions()
    for field in form.META_FIELDS:
        p = pos[field.id]
        _label(ws, p.row, 1, field.label + ("（必填）" if field.required else ""))
        _input(ws, p)
    type_dv = DataValidation(
        type="list", formula1='"' + ",".join(form.UNIT_TYPES) + '"',
        prompt=TYPE_PROMPT, error=TYPE_ERROR, allow_blank=True,
    )
    _validation(ws, type_dv, [pos["unit_type"].coordinate])
    year_dv = DataValidation(
        type="whole", operator="between", formula1="2021", formula2="2100",
        prompt=YEAR_PROMPT, error=YEAR_ERROR, allow_blank=True,
    )
    _validation(ws, year_dv, [pos["year"].coordinate])
    for key, label, value in (
        ("template_id", layout.STAMP_LABELS[0], layout.TEMPLATE_ID),
        ("template_version", layout.STAMP_LABELS[1], layout.TEMPLATE_VERSION),
    ):
        p = pos[key]
        _label(ws, p.row, 1, label)
        cell = ws.cell(row=p.row, column=2, value=value)
        cell.font = NOTE_FONT
        cell.border = BORDER
        ws.cell(row=p.row, column=3, value="模板标识，请勿修改").font = NOTE_FONT
    p = pos["status"]
    _label(ws, p.row, 1, layout.STATUS_LABEL)
    ws.cell(row=p.row, column=2).border = BORDER
    ws.cell(row=p.row + 1, column=1, value=f"本表依据{form.FORMAT_ID}《{form.FORMAT_TITLE}》制作。").font = NOTE_FONT
    _fit_a4(ws, "portrait")


def _fit_a4(ws: Worksheet, orientation: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _text(ws: Worksheet) -> None:
    draw_title(ws, "报告正文", 3)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 90
    ws.column_dimensions["C"].width = 14
    for col, text in enumerate(("部分", "正文", "生成标记（勿改）"), start=1):
        _label(ws, 2, col, text, header=True)
    pos = layout.text_positions()
    for part in form.NARRATIVE_PARTS:
        p = pos[part.id]
        _label(ws, p.row, 1, part.label)
        _input(ws, p)
        ws.cell(row=p.row, column=2).alignment = TOP_LEFT
        ws.row_dimensions[p.row].height = TEXT_ROW_HEIGHT
        marker = layout.marker_position(part.id)
        mcell = ws.cell(row=marker.row, column=marker.col)
        mcell.protection = UNLOCKED
        mcell.font = NOTE_FONT
        mcell.border = BORDER
    text_dv = DataValidation(type="textLength", operator="greaterThanOrEqual", formula1="0",
                             prompt=TEXT_PROMPT, allow_blank=True)
    _validation(ws, text_dv, [pos[p.id].coordinate for p in form.NARRATIVE_PARTS])
    counts, yuan = [], []
    for fee in form.FEE_FIELDS:
        p = pos[fee.id]
        _label(ws, p.row, 1, f"{form.section('s6').heading[2:]}：{fee.label}")
        _fit_row_to_text(ws, p.row, 1)
        _input(ws, p)
        (counts if fee.kind == "count" else yuan).append(p.coordinate)
    _validation(ws, _count_validation(), counts)
    yuan_dv = DataValidation(
        type="decimal", operator="greaterThanOrEqual", formula1="0",
        prompt=YUAN_PROMPT, error=YUAN_ERROR, allow_blank=True,
    )
    _validation(ws, yuan_dv, yuan)
    ws.freeze_panes = "B3"
    _fit_a4(ws, "portrait")


def draw_table(ws: Worksheet, table_id: str) -> layout.TableLayout:
    """Title, merged headers and labels, bordered data cells; returns the layout."""
    lay = layout.table_layouts()[table_id]
    table = form.TABLES[table_id]
    draw_title(ws, table.title, lay.last_col if table_id != "t3" else lay.data_cols[-1])
    for m in lay.header:
        if (m.first_row, m.first_col) != (m.last_row, m.last_col):
            ws.merge_cells(m.range)
        is_label = m.first_col <= lay.label_cols and table_id != "t2" or (
            table_id == "t2" and m.first_col == 1 and m.text not in {b.header for b in form.T2.blocks}
            and m.text not in {b.caption for b in form.T2.blocks}
        )
        if m.text:
            _label(ws, m.first_row, m.first_col, m.text, header=not is_label)
        for r in range(m.first_row, m.last_row + 1):
            for c in range(m.first_col, m.last_col + 1):
                ws.cell(row=r, column=c).border = BORDER
    positions = layout.cell_positions()
    for cell in table.cells:
        p = positions[cell.id]
        target = ws.cell(row=p.row, column=p.col)
        target.border = BORDER
        target.alignment = CENTER
        target.font = LABEL_FONT
        if cell.role == "input":
            _input(ws, p)
            target.alignment = CENTER
        else:
            target.value = "=" + _sum_formula(form.total_parts(cell.id))
            target.fill = TOTAL_FILL
            target.font = Font(name=FONT_NAME, size=10, bold=True)
        target.number_format = "0.0000" if cell.kind == "money" else "0"
    _checks(ws, lay)
    _validation(
        ws, _count_validation(),
        [positions[c.id].coordinate for c in table.cells if c.role == "input" and c.kind == "count"],
    )
    money = [positions[c.id] for c in table.cells if c.role == "input" and c.kind == "money"]
    for p in money:
        dv = DataValidation(
            type="custom",
            formula1=f"AND(ISNUMBER({p.coordinate}),{p.coordinate}>=0,ROUND({p.coordinate},4)={p.coordinate})",
            prompt=MONEY_PROMPT, error=MONEY_ERROR, allow_blank=True,
        )
        _validation(ws, dv, [p.coordinate])
    _fit_a4(ws, "landscape")
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    return lay


def _sum_formula(cells: Sequence[str]) -> str:
    """SUM over the cells' coordinates, with contiguous runs collapsed to ranges."""
    positions = layout.cell_positions()
    coords = sorted(((positions[c].row, positions[c].col) for c in cells))
    return "SUM(" + ",".join(a1_ranges(coords)) + ")"


def a1_ranges(coords: list[tuple[int, int]]) -> list[str]:
    """Collapse (row, col) cells into rectangular A1 ranges (rows of runs, then stacked)."""
    rows: dict[int, list[int]] = {}
    for r, c in coords:
        rows.setdefault(r, []).append(c)
    runs: list[tuple[int, int, int]] = []  # (row, first col, last col)
    for r in sorted(rows):
        cols = sorted(rows[r])
        start = prev = cols[0]
        for c in cols[1:] + [None]:
            if c is not None and c == prev + 1:
                prev = c
                continue
            runs.append((r, start, prev))
            if c is not None:
                start = prev = c
    blocks: list[list[int]] = []  # [first row, last row, first col, last col]
    for r, c1, c2 in runs:
        if blocks and blocks[-1][1] == r - 1 and blocks[-1][2:] == [c1, c2]:
            blocks[-1][1] = r
        else:
            blocks.append([r, r, c1, c2])
    out = []
    for r1, r2, c1, c2 in blocks:
        a, b = addr(c1, r1), addr(c2, r2)
        out.append(a if a == b else f"{a}:{b}")
    return out


def check_formula(identity: form.Identity, text: str) -> str:
    """The live check of one identity: empty when it holds, the message when not."""
    return f'=IF({_sum_formula(identity.left)}={_sum_formula(identity.right)},"","{text}")'


def live_checks(table_id: str) -> list[tuple[Position, str]]:
    """Every live check cell of a table sheet with its formula: one per identity
    instance, and one counting blank inputs. Empty text when all is well."""
    lay = layout.table_layouts()[table_id]
    positions = layout.cell_positions()
    out: list[tuple[Position, str]] = []
    for rule in form.IDENTITY_RULES:
        if rule.table != table_id:
            continue
        for ident in rule.instances:
            anchor = positions[ident.anchor]
            if rule.placement == "row":
                pos = Position(lay.sheet, anchor.row, lay.check_col)
            else:
                pos = Position(lay.sheet, lay.check_rows[rule.id], anchor.col)
            out.append((pos, check_formula(ident, rule.check_text)))
    inputs = [
        (positions[c.id].row, positions[c.id].col)
        for c in form.TABLES[table_id].cells
        if c.role == "input"
    ]
    blank = "+".join(f"COUNTBLANK({r})" for r in a1_ranges(sorted(inputs)))
    out.append(
        (
            Position(lay.sheet, lay.blank_row, max(lay.data_cols[0], 2)),
            f'=IF({blank}=0,"","有"&({blank})&"个单元格未填写（没有发生的请填 0）")',
        )
    )
    return out


def _checks(ws: Worksheet, lay: layout.TableLayout) -> None:
    """Write the live checks, their labels and the red conditional format."""
    for rule in form.IDENTITY_RULES:
        if rule.table != lay.table:
            continue
        if rule.placement == "row":
            header = ws.cell(row=lay.data_rows[0] - 1, column=lay.check_col, value="校验")
            header.font = HEADER_FONT
            header.alignment = CENTER
            continue
        row = lay.check_rows[rule.id]
        # The statement sits left of the check cells: in the label columns (表三) or,
        # where the data starts in column A (表四), in the columns before the first check.
        first_check = min(layout.cell_positions()[i.anchor].col for i in rule.instances)
        end = lay.label_cols or first_check - 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=end)
        label = ws.cell(row=row, column=1, value=f"校验：{rule.statement}")
        label.font = NOTE_FONT
        label.alignment = LEFT
        ws.row_dimensions[row].height = 30
    ws.cell(row=lay.blank_row, column=1, value="未填写的单元格").font = NOTE_FONT
    for pos, formula in live_checks(lay.table):
        cell = ws.cell(row=pos.row, column=pos.col, value=formula)
        cell.font = CHECK_FONT
        cell.alignment = CENTER
        if pos.row == lay.blank_row:
            ws.merge_cells(start_row=pos.row, start_column=pos.col, end_row=pos.row, end_column=lay.data_cols[-1])
            cell.alignment = LEFT
        ws.conditional_formatting.add(
            pos.coordinate,
            FormulaRule(formula=[f"LEN({pos.coordinate})>0"], fill=ERROR_FILL, stopIfTrue=False),
        )


def _table2(ws: Worksheet) -> None:
    lay = draw_table(ws, "t2")
    ws.column_dimensions["A"].width = 26
    for col in lay.data_cols:
        ws.column_dimensions[addr(col, 1)[:-1]].width = 18
    ws.page_setup.orientation = "portrait"


def _table3(ws: Worksheet) -> None:
    lay = draw_table(ws, "t3")
    ws.column_dimensions["A"].width = 9
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 34
    for col in lay.data_cols:
        ws.column_dimensions[addr(col, 1)[:-1]].width = 9
    ws.column_dimensions[addr(lay.check_col, 1)[:-1]].width = 14
    for r in lay.data_rows:
        ws.row_dimensions[r].height = 20
    _fit_wrapped_labels(ws, lay)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToHeight = 1
    ws.print_title_rows = "2:4"


#: Width of one Chinese character in column-width units (Excel and LibreOffice, CJK fonts).
CJK_CHAR_WIDTH = 1.7


def _fit_wrapped_labels(ws: Worksheet, lay: layout.TableLayout, *, line_height: float = 13.5) -> None:
    """Give a data row the height of its label's lines: neither Excel nor LibreOffice grows a row
    for wrapped text by itself once a height is set, so long labels (表三（六）1. and 2.) were cut off
    on screen and in print."""
    for m in lay.header:
        if m.first_row != m.last_row or m.first_row not in lay.data_rows:
            continue
        width = sum(ws.column_dimensions[addr(c, 1)[:-1]].width for c in range(m.first_col, m.last_col + 1))
        lines = -(-len(m.text) * CJK_CHAR_WIDTH // width)
        height = line_height * lines + 5
        if height > (ws.row_dimensions[m.first_row].height or 0):
            ws.row_dimensions[m.first_row].height = height


def _fit_row_to_text(ws: Worksheet, row: int, col: int, *, line_height: float = 13.5) -> None:
    """Give ``row`` the height of the wrapped text in (row, col), whose column width is set: rows
    with the default height are not grown by LibreOffice when it prints a sheet it has not shown."""
    width = ws.column_dimensions[addr(col, 1)[:-1]].width
    lines = -(-len(str(ws.cell(row=row, column=col).value)) * CJK_CHAR_WIDTH // width)
    height = line_height * lines + 5
    if height > (ws.row_dimensions[row].height or 0):
        ws.row_dimensions[row].height = height


#: Height of a 正文 row in the template, and the most a row can have (Excel's limit, in points).
TEXT_ROW_HEIGHT = 150
MAX_ROW_HEIGHT = 409


def fit_text_row(ws: Worksheet, pos: Position, *, line_height: float = 13.5) -> None:
    """Grow the 正文 row at ``pos`` to the lines of the text written there (never below the
    template's height): a row keeps its height whatever is typed or written in it, so a long
    part printed only as far as the template's row reached."""
    text = str(ws.cell(row=pos.row, column=pos.col).value or "")
    width = ws.column_dimensions[addr(pos.col, 1)[:-1]].width
    lines = sum(max(1, -(-len(p) * CJK_CHAR_WIDTH // width)) for p in text.split("\n"))
    height = min(MAX_ROW_HEIGHT, max(TEXT_ROW_HEIGHT, line_height * lines + 5))
    ws.row_dimensions[pos.row].height = height


def _table4(ws: Worksheet) -> None:
    lay = draw_table(ws, "t4")
    for col in lay.data_cols:
        ws.column_dimensions[addr(col, 1)[:-1]].width = 8
    ws.row_dimensions[3].height = 30
    ws.page_setup.orientation = "landscape"


def _guide(ws: Worksheet) -> None:
    draw_title(ws, "填报说明", 1)
    # Narrow enough for A4 portrait without scaling: LibreOffice does not scale this sheet to the
    # page width, and a wider column was cut off at the paper's edge.
    ws.column_dimensions["A"].width = 70
    lines = [
        f"一、本模板依据{form.FORMAT_ID}《{form.FORMAT_TITLE}》制作，适用于 2021 年度及以后的年度报告。",
        "二、请先填写“封面”（单位名称、单位类型、所属县（市、区）、报告年度），再填写“正文”“"
        + "”“".join(layout.TABLE_SHEETS.values())
        + "”。浅黄色单元格为填报区，灰色单元格为自动计算的总计，其余单元格已锁定。",
        "三、所有数据单元格都必须填写；没有发生的填 0，不要留空。件数只能填整数；"
        "表二“行政事业性收费”以万元为单位，可保留至多 4 位小数（1 元＝0.0001 万元）。",
        "四、表格下方的红色提示为实时勾稽关系校验，全部通过时不显示任何提示。各表的勾稽关系：",
        *(f"　　{r.id}：{r.statement}" for r in form.IDENTITY_RULES),
        "五、表三说明：" + "；".join(form.T3.notes) + "。部分公开的申请只计入“（二）部分公开”，不得同时计入其他办理结果。",
        "六、表四说明：行政复议机关作共同被告的行政诉讼案件，由原行政行为机关统计，复议机关不统计。",
        f"七、“正文”中“{form.section('s6').heading}”须说明信息处理费收取情况（依据{form.FEE_LAW}），"
        "没有收取的也应说明“未收取”，并填写下方的收费通知件数、应收金额和实收金额（单位：元）。",
        "八、正文可使用加载项的“生成总体情况”按钮根据表格数据起草，带有生成标记的段落可再次刷新；"
        "手工修改过的段落不会被覆盖。",
        "九、请勿增加、删除或重命名工作表，请勿修改表头文字和总计公式；模板编号与版本用于识别模板，请勿修改。",
    ]
    for i, line in enumerate(lines, start=3):
        cell = ws.cell(row=i, column=1, value=line)
        cell.font = LABEL_FONT
        cell.alignment = LEFT
        _fit_row_to_text(ws, i, 1)
    _fit_a4(ws, "portrait")


def _status_formula(ws: Worksheet) -> None:
    """Cover status cell: how many live checks fail across the table sheets."""
    parts = []
    for table_id in form.TABLES:
        cells = sorted((p.row, p.col) for p, _ in live_checks(table_id))
        sheet = layout.TABLE_SHEETS[table_id]
        for rng in a1_ranges(cells):
            parts.append(f"SUMPRODUCT(--(LEN('{sheet}'!{rng})>0))")
    total = "+".join(parts)
    p = layout.cover_positions()["status"]
    cell = ws.cell(row=p.row, column=p.col, value=f'=IF({total}=0,"全部通过","有"&({total})&"处勾稽关系不符或未填写，请查看各表红色提示")')
    cell.font = CHECK_FONT
    ws.conditional_formatting.add(
        p.coordinate, FormulaRule(formula=[f'{p.coordinate}<>"全部通过"'], fill=ERROR_FILL)
    )


def _defined_names(wb: Workbook) -> None:
    for mapping in (layout.cell_positions(), layout.cover_positions(), layout.text_positions()):
        for key, p in mapping.items():
            ref = f"'{p.sheet}'!${addr(p.col, p.row)[: -len(str(p.row))]}${p.row}"
            wb.defined_names[layout.defined_name(key)] = DefinedName(layout.defined_name(key), attr_text=ref)


def _protect(ws: Worksheet) -> None:
    prot = ws.protection
    prot.sheet = True
    # Allowed to the clerk (False = not forbidden): selecting cells, formatting cells
    # (so 校验 can highlight) and editing objects (so 校验 can add notes).
    prot.formatCells = False
    prot.objects = False
    prot.selectLockedCells = False
    prot.selectUnlockedCells = False
