"""The template prints like the official tables: no row label is cut off.

Neither Excel nor LibreOffice grows a row for wrapped text once the row has a height, so a
label longer than its cell's width must sit in a row tall enough for its lines (表三（六）1.
and 2. are the long ones).
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import openpyxl
import pytest

from gxexcel import form, layout
from gxexcel.template import build_template

#: column-width units one Chinese character takes (measured on LibreOffice's rendering)
CJK = 1.7
#: points one line of table text needs
LINE = 13.5


@pytest.fixture(scope="module")
def wb(tmp_path_factory):
    return openpyxl.load_workbook(build_template(tmp_path_factory.mktemp("tpl") / "t.xlsx"))


@pytest.mark.parametrize("table", ["t2", "t3"])  # 表四 has no row labels, only column headers
def test_every_row_label_fits_its_row(wb, table):
    lay = layout.table_layouts()[table]
    ws = wb[lay.sheet]
    checked = 0
    for m in lay.header:
        if m.first_row != m.last_row or m.first_row not in lay.data_rows:
            continue
        width = sum(ws.column_dimensions[layout.addr(c, 1)[:-1]].width for c in range(m.first_col, m.last_col + 1))
        lines = math.ceil(len(m.text) * CJK / width)
        height = ws.row_dimensions[m.first_row].height or 15
        assert height >= LINE * lines, (lay.sheet, m.range, m.text, height)
        assert ws[m.range.split(":")[0]].alignment.wrap_text, (lay.sheet, m.range)
        checked += 1
    assert checked


def test_the_long_other_handling_labels_get_two_lines(wb):
    ws = wb[layout.table_layouts()["t3"].sheet]
    long_rows = [r for r in form.T3.rows if len(r.labels[-1]) > 30]
    assert [r.id for r in long_rows] == ["other_no_correction", "other_unpaid"]
    positions = layout.cell_positions()
    for row in long_rows:
        row_number = positions[f"t3.{row.id}.{form.T3.columns[0].id}"].row
        assert ws.row_dimensions[row_number].height >= 2 * LINE, row.labels[-1]


def _pdf_words(pdf):
    """Every word pdftotext finds on each page of ``pdf``: (page, width, xMin, yMin, xMax, yMax, text)."""
    import re
    import subprocess

    from lxml import etree

    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", xml))
    for number, page in enumerate(root.iter("{*}page"), start=1):
        width = float(page.get("width"))
        for w in page.iter("{*}word"):
            yield number, width, *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")), w.text


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The template as LibreOffice prints it (PDF)."""
    import shutil

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    from gxexcel.libreoffice import convert

    folder = tmp_path_factory.mktemp("print")
    (pdf,) = convert(build_template(folder / "模板.xlsx"), "pdf", folder / "pdf")
    return list(_pdf_words(pdf))


def test_printed_template_has_no_overlapping_or_cut_off_text(printed):
    """Wrapped text in a row too low for it prints over the next row (填报说明, the fee labels
    of 正文), and a column wider than the page is cut off at the paper's edge (填报说明)."""
    problems = []
    for i, (page, width, x0, y0, x1, y1, text) in enumerate(printed):
        if x1 > width - 18:
            problems.append((page, "cut off at the page edge", text))
        for other in printed[i + 1:]:
            if other[0] != page:
                break
            dx = min(x1, other[4]) - max(x0, other[2])
            dy = min(y1, other[5]) - max(y0, other[3])
            if dx > 1 and dy > 2:
                problems.append((page, text, other[6]))
    assert not problems, problems


def test_printed_guide_has_every_line_in_full(printed):
    """Every line of 填报说明 reaches the paper (nothing clipped at the right margin)."""
    wb = openpyxl.load_workbook(build_template(Path(tempfile.mkdtemp()) / "t.xlsx"))
    ws = wb[layout.SHEET_GUIDE]
    printed_text = "".join(w[6] for w in printed).replace(" ", "")
    for (cell,) in ws.iter_rows(min_row=2, max_col=1):
        if cell.value:
            assert cell.value.replace(" ", "").replace("\u3000", "") in printed_text, cell.value


def test_printed_narrative_of_a_real_report_is_not_cut_off(tmp_path):
    """A part of 正文 longer than the template's row (南定镇's 五 has 710 characters) was printed
    only as far as the row reached: the row grows with the text the writer and narrate put in."""
    import shutil

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    from importlib.resources import files

    from gxexcel.importer import import_report
    from gxexcel.libreoffice import convert
    from gxexcel.writer import write_workbook

    seed = tmp_path / "南定镇2021年报.txt"
    seed.write_bytes(files("gxexcel.data").joinpath("seed_nanding_2021.txt").read_bytes())
    report = import_report(seed)
    assert max(len(t) for t in report.narrative.values()) > 600
    (pdf,) = convert(write_workbook(report, tmp_path / "南定镇.xlsx"), "pdf", tmp_path / "pdf")
    printed_text = "".join(w[6] for w in _pdf_words(pdf))
    for part, text in report.narrative.items():
        tail = "".join(text.split())[-30:]
        assert tail in printed_text, (part, tail)
