"""The template prints like the official tables: no row label is cut off.

Neither Excel nor LibreOffice grows a row for wrapped text once the row has a height, so a
label longer than its cell's width must sit in a row tall enough for its lines (表三（六）1.
and 2. are the long ones).
"""

from __future__ import annotations

import math

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
