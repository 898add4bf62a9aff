"""The report as a Word document (python-docx), laid out like a published government report.

A4 portrait with the margins of GB/T 9704 (上37 下35 左28 右26 mm); title in 方正小标宋简体
二号, body in 仿宋_GB2312 三号, section headings in 黑体, sub-headings in 楷体_GB2312; the
three tables with the official merged headers (from :mod:`.grid`), fixed column widths that
add up to the text width, header rows repeated on each page. Machines without the GB fonts
can use the ``common`` typeface set (Windows' own 仿宋/宋体/黑体/楷体).

The fields a page does not print are kept as JSON in the document variable
``gxexcel-report`` (``w:docVars`` in settings.xml, which Word preserves; see :mod:`.meta`),
so importing the document gives back the identical model.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from .. import form
from ..atomic import atomic_path
from ..model import Report
from .document import outline
from .grid import Grid, format_value, table_grid
from .meta import META_NAME, hidden_json

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
TEXT_WIDTH = Emu(PAGE_WIDTH - MARGINS["left"] - MARGINS["right"])  # 156 mm


@dataclass(frozen=True)
class Typefaces:
    title: str
    body: str
    heading: str
    subheading: str
    latin: str = "Times New Roman"


TYPEFACES: dict[str, Typefaces] = {
    # The standard setting of government documents (GB/T 9704).
    "gb": Typefaces("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"),
    # Fallback with the fonts every Chinese Windows has.
    "common": Typefaces("宋体", "仿宋", "黑体", "楷体"),
}

SIZE_TITLE, SIZE_BODY = Pt(22), Pt(16)  # 二号, 三号
SIZE_TABLE = {"t2": Pt(10.5), "t3": Pt(9), "t4": Pt(9)}  # 五号, 小五
#: Widths of the row-label columns of each table; the data columns share the rest equally.
LABEL_WIDTHS = {"t2": (Mm(44),), "t3": (Mm(13), Mm(24), Mm(41)), "t4": ()}
CELL_MARGIN = Mm(0.9)


def column_widths(grid: Grid) -> list[int]:
    labels = list(LABEL_WIDTHS[grid.table])
    data_cols = grid.ncols - len(labels)
    rest = TEXT_WIDTH - sum(labels)
    each = rest // data_cols
    widths = [Emu(w) for w in labels + [each] * data_cols]
    widths[-1] = Emu(widths[-1] + TEXT_WIDTH - sum(widths))  # absorb rounding: the total is exact
    return widths


def _set_fonts(style, east_asian: str, latin: str) -> None:
    """Name the fonts outright: theme fonts (w:asciiTheme …) would win over the names in Word."""
    style.font.name = latin  # w:ascii, w:hAnsi
    fonts = style.element.rPr.rFonts
    for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def _style(doc, name: str, east_asian: str, latin: str, size: Pt):
    style = doc.styles[name]
    _set_fonts(style, east_asian, latin)
    style.font.size = size
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = None
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28.95)  # 22 lines on a GB/T 9704 page
    fmt.first_line_indent = Pt(32)  # two characters
    fmt.keep_with_next = name.startswith("Heading")
    return style


def _setup(doc, faces: Typefaces) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    _style(doc, "Normal", faces.body, faces.latin, SIZE_BODY)
    _style(doc, "Title", faces.title, faces.latin, SIZE_TITLE)
    title = doc.styles["Title"]
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(28.95)
    _remove_title_border(title)
    _style(doc, "Heading 1", faces.heading, faces.latin, SIZE_BODY)
    _style(doc, "Heading 2", faces.subheading, faces.latin, SIZE_BODY)
    _page_number_footer(section)


def _remove_title_border(style) -> None:
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _page_number_footer(section) -> None:
    """Centred page number “— 1 —” in 宋体 四号 style."""
    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.first_line_indent = Pt(0)
    para.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    para._p.append(field)
    para.add_run(" —")
    for r in para.runs:
        r.font.size = Pt(14)


_AFTER_TBLW = ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar",
               "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _table(doc, report: Report, table_id: str, faces: Typefaces) -> None:
    grid = table_grid(table_id)
    widths = column_widths(grid)
    table = doc.add_table(rows=grid.nrows, cols=grid.ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout type="fixed": the widths below are kept
    # Table properties in the order of the schema (Word rejects out-of-order children).
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(TEXT_WIDTH.twips)))
    width.set(qn("w:type"), "dxa")
    tbl_pr.insert_element_before(width, *_AFTER_TBLW)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(int(CELL_MARGIN.twips)))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for col, w in zip(table.columns, widths):
        col.width = w
    # Collect every cell once before merging (each python-docx look-up walks the whole grid).
    cells = [list(row.cells) for row in table.rows]
    for row in cells:
        for cell, w in zip(row, widths):
            cell.width = w
    first_data = min(c.row for c in grid.cells if c.is_data)
    for r, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if r < first_data and table_id != "t2":
            tr_pr.append(OxmlElement("w:tblHeader"))  # repeat the header on each page
    for g in grid.cells:
        cell = cells[g.row][g.col]
        if g.rowspan > 1 or g.colspan > 1:
            cell = cell.merge(cells[g.row + g.rowspan - 1][g.col + g.colspan - 1])
        text = format_value(report.cells.get(g.cell_id)) if g.is_data else g.text
        for extra in cell.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        para = cell.paragraphs[0]
        para.text = ""
        run = para.add_run(text)
        run.font.size = SIZE_TABLE[table_id]
        fmt = para.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.keep_with_next = False
        para.alignment = WD_ALIGN_PARAGRAPH.LEFT if grid.is_row_label(g) else WD_ALIGN_PARAGRAPH.CENTER
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def build_docx(report: Report, *, typeface: str = "gb"):
    """The report as a python-docx Document (not saved)."""
    faces = TYPEFACES[typeface]
    doc = Document()
    _setup(doc, faces)
    props = doc.core_properties
    props.title = report.title_text
    props.subject = form.FORMAT_TITLE
    props.author = report.unit_name
    props.keywords = form.FORMAT_ID
    set_hidden_json(doc, hidden_json(report))
    props.category = form.REPORT_TITLE_SUFFIX
    for block in outline(report):
        if block.kind == "title":
            doc.add_paragraph(block.text, style="Title")
        elif block.kind == "heading":
            doc.add_paragraph(block.text, style="Heading 1")
        elif block.kind == "subheading":
            doc.add_paragraph(block.text, style="Heading 2")
        elif block.kind == "paragraph":
            doc.add_paragraph(block.text, style="Normal")
        elif block.kind == "table":
            _table(doc, report, block.table, faces)
    return doc


# Elements of w:settings that must follow w:docVars (ECMA-376 CT_Settings order).
_AFTER_DOCVARS = ("w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
                  "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
                  "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
                  "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


def set_hidden_json(doc, text: str) -> None:
    settings = doc.settings.element
    for old in settings.findall(qn("w:docVars")):
        settings.remove(old)
    doc_vars = OxmlElement("w:docVars")
    var = OxmlElement("w:docVar")
    var.set(qn("w:name"), META_NAME)
    var.set(qn("w:val"), text)
    doc_vars.append(var)
    follower = next(
        (el for el in settings if any(el.tag == _qname(t) for t in _AFTER_DOCVARS)), None
    )
    if follower is None:
        settings.append(doc_vars)
    else:
        follower.addprevious(doc_vars)


def hidden_json_of(doc) -> str | None:
    """The JSON kept by :func:`set_hidden_json` in a python-docx Document, or None."""
    for var in doc.settings.element.iter(qn("w:docVar")):
        if var.get(qn("w:name")) == META_NAME:
            return var.get(qn("w:val"))
    return None


def _qname(tag: str) -> str:
    prefix, local = tag.split(":")
    if prefix == "w":
        return qn(tag)
    ns = {"m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
          "sl": "http://schemas.openxmlformats.org/schemaLibrary/2006/main"}[prefix]
    return f"{{{ns}}}{local}"


def write_docx(report: Report, path: str | os.PathLike[str], *, typeface: str = "gb") -> Path:
    path = Path(path)
    doc = build_docx(report, typeface=typeface)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
    return path
