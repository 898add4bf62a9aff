"""Hand-made variants of each rendering quirk real published reports show (issue 4 §2).

The fixtures under ``fixtures/import/`` were made from one report whose 200 cells all
hold different figures (``expected_cells.json``), so a figure read into the wrong
column or row cannot go unnoticed; each file then carries the quirks named in its test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gxexcel import form
from gxexcel.importer import import_report, import_text

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture(scope="module")
def expected() -> dict:
    cells = json.loads((FIXTURES / "expected_cells.json").read_text(encoding="utf-8"))
    assert set(cells) == set(form.CELLS) and len(set(cells.values())) == len(cells)
    return cells


def rules(report) -> list[str]:
    return sorted(f.rule for f in report.source.findings)


def test_pipe_tables_with_spaces_half_width_merged_group_and_missing_pipes(expected):
    report = import_report(FIXTURES / "pipe_quirks.txt")
    # “/” is reported and stays blank: never silently 0
    assert report.cells == expected | {"t3.deny_law.natural": None}
    assert rules(report) == ["IMP-CELL-BLANK"]
    blank = report.source.findings[0]
    assert blank.cells == ["t3.deny_law.natural"]
    assert "2.其他法律行政法规禁止公开" in blank.message and "自然人" in blank.message
    assert report.unit_name == "青山镇人民政府" and report.year == 2021


def test_html_rowspan_colspan_nbsp_and_numbers_in_spans(expected):
    report = import_report(FIXTURES / "html_spans.html")
    assert report.source.kind == "html"
    assert report.cells == expected | {"t4.review.other": None}
    assert rules(report) == ["IMP-CELL-BLANK"]
    assert report.source.findings[0].cells == ["t4.review.other"]
    # the page is a portal page without our hidden fields: the unit type is inferred from the name
    assert report.unit_type == "乡镇人民政府" and report.parent == ""
    assert report.narrative["s1.active"].startswith("2021年，我镇通过云溪县人民政府门户网站")
    assert report.narrative["s4.note"] == "2021年我镇未发生政府信息公开行政复议、行政诉讼案件。"


def test_traditional_chinese_full_width_digits_and_thousands_separator(expected):
    report = import_report(FIXTURES / "traditional.txt")
    assert report.cells == expected | {"t2.license.decisions": 1234}
    found = {(f.rule, f.message) for f in report.source.findings}
    assert found == {
        ("IMP-NUMBER", "表二“行政许可”的“1,234”按数字1234导入，请核对"),
        ("IMP-NUMBER", "表三“（一）予以公开”的“１２０”按数字120导入，请核对"),
    }
    assert report.unit_name == "青山镇人民政府"  # 青山鎮人民政府 on the page
    assert report.title == ""  # same title once converted
    # the text is kept as published (Traditional), not reworded
    assert "規範性文件" in report.narrative["s1.active"]


def test_labels_split_over_lines_spaced_half_width_and_retyped(expected):
    report = import_report(FIXTURES / "split_labels.txt")
    assert report.cells == expected
    assert [(f.rule, f.message) for f in report.source.findings] == [
        ("TPL-LABEL-EXACT", "表三的标签“1.属于国家机密”与规定格式“1.属于国家秘密”不一致")
    ]


def test_whole_body_on_one_line(expected):
    text = (FIXTURES / "oneline.txt").read_text(encoding="utf-8")
    assert text.count("\n") == 1
    report = import_text(text)
    assert report.cells == expected
    assert rules(report) == []
    assert report.unit_name == "青山镇人民政府" and report.year == 2021
    assert report.narrative["s6"] == (
        "依据《政府信息公开信息处理费管理办法》，2021年我镇发出收费通知2件，"
        "收费通知列明的金额共计300元，实际收取信息处理费300元。"
    )
    assert report.fees == {"fee.notices": 2, "fee.billed": 300, "fee.collected": 300}
    # the paragraphs had no spaces inside, so splitting the line at spaces gives them back
    assert report.narrative["s5"].splitlines()[0] == "（一）存在的主要问题"


def test_rows_that_lost_cells_and_a_missing_row_are_reported_not_guessed(expected):
    report = import_report(FIXTURES / "row_lost.txt")
    lost = [c for c in form.CELLS if c.startswith(("t2.regs.", "t3.open.", "t3.reject_repeat."))]
    assert len(lost) == 3 + 7 + 7
    assert report.cells == expected | {c: None for c in lost}
    by_rule = {}
    for f in report.source.findings:
        by_rule.setdefault(f.rule, []).append(f)
    assert sorted(by_rule) == ["IMP-MISSING", "IMP-ROW-SHORT", "STRUCT-TABLES"]
    (labels,) = by_rule["STRUCT-TABLES"]  # the table's row labels are not the official set
    assert labels.severity == "error"
    assert labels.message == "表格“表三”的结构不符合规定格式：缺少1行（“2.重复申请”）"
    assert labels.cells == [c for c in lost if c.startswith("t3.reject_repeat.")]
    short = {f.cells[0].rsplit(".", 1)[0]: f for f in by_rule["IMP-ROW-SHORT"]}
    assert set(short) == {"t2.regs", "t3.open"}
    assert "应有3个数值，实际读到1个（1）" in short["t2.regs"].message
    assert "应有7个数值，实际读到5个（116、117、118、119、120）" in short["t3.open"].message
    (missing,) = by_rule["IMP-MISSING"]
    assert missing.message == "报告中没有找到表三的“2.重复申请”一行"
    assert missing.cells == [c for c in lost if c.startswith("t3.reject_repeat.")]


def test_truncated_report_imports_what_is_there(expected):
    report = import_report(FIXTURES / "truncated.txt")
    present = [c for c in form.CELLS if c.startswith("t2.")] + [
        f"t3.{r.id}.{c.id}" for r in form.T3.rows[:8] for c in form.T3.columns
    ]
    assert report.cells == {c: (expected[c] if c in present else None) for c in form.CELLS}
    missing = [f.message for f in report.source.findings if f.rule == "IMP-MISSING"]
    assert missing[0] == "报告中没有找到表三的“5.属于三类内部事务信息”一行"
    assert len(missing) == 17 + 1  # the 17 rows of 表三 after the cut, and 表四
    assert missing[-1].startswith("报告中没有找到表四")
    gone = [f.message for f in report.source.findings if f.rule == "STRUCT-SECTIONS"]
    assert gone == [f"章节“{s.heading}”缺失" for s in form.SECTIONS[3:]]
    assert report.narrative["s5"] == report.narrative["s6"] == ""


def test_sub_headings_run_into_their_text():
    headings = "".join(f"<p>{s.heading}</p>" for s in form.SECTIONS[1:])
    html = (
        "<html><body><p>城关镇人民政府2021年政府信息公开工作年度报告</p><p><strong>一、总体情况</strong></p>"
        "<p>概述。</p><p><strong>（一）主动公开</strong>全年公开120条。</p>"
        "<p><b>(二)依申请公开</b> 收到申请0件。</p><p>（五）监督保障：开展评议1次。</p>" + headings + "</body></html>"
    )
    report = import_text(html, kind="html")
    parts = {k: v for k, v in report.narrative.items() if v}
    assert parts == {
        "s1.intro": "概述。",
        "s1.active": "全年公开120条。",
        "s1.request": "收到申请0件。",
        "s1.supervision": "开展评议1次。",
    }
    text = "城关镇人民政府2021年政府信息公开工作年度报告\n一、总体情况\n（一）主动公开 全年公开120条。\n二、主动公开政府信息情况\n"
    assert import_text(text).narrative["s1.active"] == "全年公开120条。"


def test_table_found_when_its_section_heading_is_missing(expected):
    text = (FIXTURES / "pipe_quirks.txt").read_text(encoding="utf-8").replace("二、主动公开政府信息情况\n", "")
    report = import_text(text)
    assert {c: report.cells[c] for c in expected if c.startswith("t2.")} == {
        c: v for c, v in expected.items() if c.startswith("t2.")
    }
    assert rules(report) == ["IMP-CELL-BLANK", "STRUCT-SECTIONS"]
    # the table's rows did not end up in the text of the section before it
    assert "|" not in report.narrative["s1.supervision"] and "规" not in report.narrative["s1.supervision"][-5:]
