"""Word reports built by hand with python-docx: merged cells across and down (issue 4 §2).

The document is made here, not by gxexcel's own Word export, so that the importer
is tested against merges laid out another way: labels merged down the group
columns, values of 表二 (五)–(八) merged across three columns, a blank and a “／”.
"""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from gxexcel import form
from gxexcel.importer import import_report

FIXTURES = Path(__file__).parent / "fixtures" / "import"
LEFT, UP = "<", "^"  # merged into the cell to the left / above


def add_table(doc, rows: list[list[str]]) -> None:
    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    table = doc.add_table(rows=len(rows), cols=ncols)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text in (LEFT, UP):
                continue
            right = c
            while right + 1 < ncols and rows[r][right + 1] == LEFT:
                right += 1
            down = r
            while down + 1 < len(rows) and rows[down + 1][c] == UP:
                down += 1
            cell = table.cell(r, c)
            if (right, down) != (c, r):
                cell = cell.merge(table.cell(down, right))
            cell.text = text


def v(cells: dict, cid: str) -> str:
    return str(cells[cid])


def t2_rows(cells) -> list[list[str]]:
    rows = []
    for block in form.T2.blocks:
        rows.append([block.caption, LEFT, LEFT, LEFT])
        heads = [c.label for c in block.columns]
        rows.append([block.header] + (heads if len(heads) == 3 else heads + [LEFT, LEFT]))
        for row in block.rows:
            figures = [v(cells, f"t2.{row.id}.{c.id}") for c in block.columns]
            rows.append([row.labels[0]] + (figures if len(figures) == 3 else figures + [LEFT, LEFT]))
    return rows


def t3_rows(cells) -> list[list[str]]:
    cols = form.T3.columns
    rows = [
        [form.T3.corner, LEFT, LEFT, form.T3.header_group] + [LEFT] * 6,
        [UP, UP, UP, cols[0].label, cols[1].group, LEFT, LEFT, LEFT, LEFT, cols[6].label],
        [UP, UP, UP, UP] + [c.label for c in cols[1:6]] + [UP],
    ]
    previous = ("", "")
    for row in form.T3.rows:
        l1, l2, l3 = row.labels
        labels = [
            UP if l1 == previous[0] and l2 else l1,
            (LEFT if not l2 else UP if l2 == previous[1] and l3 else l2),
            (LEFT if not l3 else l3),
        ]
        previous = (l1, l2)
        rows.append(labels + [v(cells, f"t3.{row.id}.{c.id}") for c in cols])
    return rows


def t4_rows(cells) -> list[list[str]]:
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        ["行政复议"] + [LEFT] * 4 + ["行政诉讼"] + [LEFT] * 9,
        outcomes + ["未经复议直接起诉"] + [LEFT] * 4 + ["复议后起诉"] + [LEFT] * 4,
        [UP] * 5 + outcomes + outcomes,
        [v(cells, f"t4.{c.id}") for c in form.T4.columns],
    ]


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((FIXTURES / "expected_cells.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def word_report(tmp_path_factory, expected):
    cells = dict(expected)
    cells["t3.deny_case_file.research"] = ""  # blank
    cells["t4.suit_after_review.pending"] = "／"  # full-width slash
    doc = docx.Document()
    doc.add_paragraph("双河镇人民政府")
    doc.add_paragraph("2021年政府信息公开工作年度报告")
    doc.add_paragraph("本报告中所列数据的统计期限为2021年1月1日至2021年12月31日。")
    tables = {"s2": t2_rows(cells), "s3": t3_rows(cells), "s4": t4_rows(cells)}
    for section in form.SECTIONS:
        doc.add_paragraph(section.heading.replace("、", "．", 1) if section.number == 5 else section.heading)
        if section.id == "s1":
            doc.add_paragraph("（一）主动公开。全年主动公开政府信息120条。")
            doc.add_paragraph("(五) 监督保障")
            doc.add_paragraph("开展社会评议1次。")
        if section.id in tables:
            add_table(doc, tables[section.id])
        if section.id == "s6":
            doc.add_paragraph("本年度发出收费通知1件，收费通知列明的金额50元，实际收取信息处理费50元。")
    path = tmp_path_factory.mktemp("word") / "双河镇.docx"
    doc.save(path)
    return import_report(path)


def test_word_merged_cells_exact(word_report, expected):
    assert word_report.source.kind == "docx"
    assert word_report.cells == expected | {"t3.deny_case_file.research": None, "t4.suit_after_review.pending": None}
    blanks = sorted(c for f in word_report.source.findings if f.rule == "IMP-CELL-BLANK" for c in f.cells)
    assert blanks == ["t3.deny_case_file.research", "t4.suit_after_review.pending"]


def test_word_title_parts_and_fees(word_report):
    assert word_report.unit_name == "双河镇人民政府" and word_report.year == 2021
    assert word_report.title == ""
    assert word_report.narrative["preamble"] == "本报告中所列数据的统计期限为2021年1月1日至2021年12月31日。"
    assert word_report.narrative["s1.active"] == "全年主动公开政府信息120条。"
    assert word_report.narrative["s1.supervision"] == "开展社会评议1次。"
    assert word_report.fees == {"fee.notices": 1, "fee.billed": 50, "fee.collected": 50}
    # “五．存在的主要问题及改进情况” is found; the reworded numbering is not a finding
    assert [f.rule for f in word_report.source.findings if f.rule != "IMP-CELL-BLANK"] == []


def test_word_body_inside_a_one_cell_layout_table(tmp_path):
    doc = docx.Document()
    cell = doc.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "金竹乡人民政府2021年政府信息公开工作年度报告"
    for section in form.SECTIONS:
        cell.add_paragraph(section.heading)
        cell.add_paragraph(f"{section.heading}的正文。")
    path = tmp_path / "layout.docx"
    doc.save(path)
    report = import_report(path)
    assert report.unit_name == "金竹乡人民政府"
    assert report.narrative["s6"] == "六、其他需要报告的事项的正文。"
    assert sorted(f.rule for f in report.source.findings) == ["TPL-IMAGE"] * 3


def test_word_headings_numbered_automatically(tmp_path):
    """Word list numbering (一、二、…) is not part of the paragraph text."""
    doc = docx.Document()
    doc.add_paragraph("金竹乡人民政府2021年政府信息公开工作年度报告")
    for section in form.SECTIONS:
        doc.add_paragraph(section.heading.split("、", 1)[1], style="List Number")
        doc.add_paragraph("正文。")
    path = tmp_path / "numbered.docx"
    doc.save(path)
    report = import_report(path)
    assert not [f for f in report.source.findings if f.rule == "STRUCT-SECTIONS"]
    assert report.narrative["s5"] == report.narrative["s6"] == "正文。"
