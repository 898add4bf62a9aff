"""Word export: read back with python-docx, imported back, and laid out on A4 by LibreOffice."""

from __future__ import annotations

import subprocess

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Emu, Mm
from lxml import etree

from gxexcel import form
from gxexcel.atomic import write_text_atomic
from gxexcel.importer import import_report
from gxexcel.libreoffice import convert
from gxexcel.narrative.draft import narrate
from gxexcel.publish import render
from gxexcel.publish.docx import TYPEFACES, build_docx, hidden_json_of, write_docx
from gxexcel.publish.grid import format_value, table_grid

from narrative_reports import many_reports

REPORTS = many_reports(count=6, seed=11)
for _r in REPORTS:
    narrate(_r)


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.unit_name)
def test_docx_reads_back_with_the_models_figures_and_official_structure(report, tmp_path):
    path = write_docx(report, tmp_path / "r.docx")
    doc = docx.Document(str(path))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297  # A4 portrait
    text_width = Emu(section.page_width - section.left_margin - section.right_margin)
    paras = doc.paragraphs
    assert paras[0].text == report.title_text and paras[0].style.name == "Title"
    assert [p.text for p in paras if p.style.name == "Heading 1"] == [s.heading for s in form.SECTIONS]
    subheadings = [p.text for p in paras if p.style.name == "Heading 2"]
    assert subheadings == [p.heading for p in form.NARRATIVE_PARTS if p.heading]
    assert len(doc.tables) == 3
    for table, table_id in zip(doc.tables, ("t2", "t3", "t4")):
        grid = table_grid(table_id)
        widths = [int(gc.get(qn("w:w"))) for gc in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert len(widths) == grid.ncols
        assert abs(sum(widths) - text_width.twips) <= len(widths)  # fills the text width, not more
        placed = [table.row_cells(r) for r in range(len(table.rows))]  # Word's grid, merges resolved
        assert [len(row) for row in placed] == [grid.ncols] * grid.nrows
        owners = []  # the <w:tc> of each grid cell, kept alive so identity is meaningful
        for g in grid.cells:
            tc = placed[g.row][g.col]._tc
            for r in range(g.row, g.row + g.rowspan):
                for c in range(g.col, g.col + g.colspan):
                    assert placed[r][c]._tc is tc  # merged as the official header
            assert not any(t is tc for t in owners)  # distinct official cells stay distinct
            owners.append(tc)
            expected = format_value(report.cells[g.cell_id]) if g.is_data else g.text
            assert placed[g.row][g.col].text == expected
    faces = TYPEFACES["gb"]
    for style, face in (("Normal", faces.body), ("Title", faces.title), ("Heading 1", faces.heading),
                        ("Heading 2", faces.subheading)):
        fonts = doc.styles[style].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == face
        assert not [a for a in fonts.attrib if a.endswith("Theme") or a.endswith("theme")]  # names win
    assert hidden_json_of(doc)


@pytest.mark.parametrize("report", REPORTS[:4], ids=lambda r: r.unit_name)
def test_importing_the_exported_docx_and_html_gives_the_identical_model(report, tmp_path):
    write_docx(report, tmp_path / "r.docx")
    write_text_atomic(tmp_path / "r.html", render(report, "html"))
    for name in ("r.docx", "r.html"):
        back = import_report(tmp_path / name)
        assert back.same_content(report), name


def _words(pdf) -> list[tuple[int, float, float, float, str]]:
    """(page, page width, xMin, xMax, word) of every word, from pdftotext -bbox-layout."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(out, etree.XMLParser(recover=True, huge_tree=True))
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    words = []
    for n, page in enumerate(root.iterfind(".//x:page", ns), 1):
        width = float(page.get("width"))
        for w in page.iterfind(".//x:word", ns):
            words.append((n, width, float(w.get("xMin")), float(w.get("xMax")), w.text or ""))
    return words


def test_pdf_pages_are_a4_and_no_table_is_wider_than_the_page(tmp_path):
    docs = []
    for i, (report, face) in enumerate(zip((REPORTS[0], REPORTS[1], REPORTS[2]), ("gb", "common", "gb"))):
        docs.append(write_docx(report, tmp_path / f"r{i}.docx", typeface=face))
    pdfs = convert(docs, "pdf", tmp_path / "pdf")  # one soffice run for all
    left = Mm(28).pt
    right_margin = Mm(26).pt
    for pdf, report in zip(pdfs, REPORTS[:3]):
        info = subprocess.run(["pdfinfo", "-f", "1", "-l", "99", str(pdf)], capture_output=True, text=True, check=True).stdout
        sizes = [line.split(":", 1)[1].split("pts")[0].split(" x ") for line in info.splitlines() if line.startswith("Page") and "size" in line]
        assert sizes and all(abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in sizes)
        words = _words(pdf)
        text = "".join(w[4] for w in words)
        for label in ("申请人情况", "复议后起诉", "本年收费金额"):
            assert label in text  # the tables are on the pages as text
        for page, width, x0, x1, word in words:
            assert x0 >= left - 3, (page, word, x0)
            assert x1 <= width - right_margin + 3, (page, word, x1)
