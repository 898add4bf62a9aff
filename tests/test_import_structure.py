"""STRUCT-SECTIONS and STRUCT-TABLES: the six headings and the three tables where the format puts them.

Each rule is shown broken (a table moved above its heading or into another section, a row
label gone, a heading out of order) and kept (the fixtures as they are). Where a table moves,
every cell is asserted: the table is recognised by its labels and read into its own cells,
never into another table's, and its rows are never taken for 地方 rows of the table above.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from gxexcel import form
from gxexcel.importer import import_report, import_text
from gxexcel.importer.placement import recognise

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SEED = Path(__file__).parents[1] / "src" / "gxexcel" / "data" / "seed_nanding_2021.txt"
PIPE = (FIXTURES / "pipe_quirks.txt").read_text(encoding="utf-8")
HEADINGS = {s.id: s.heading for s in form.SECTIONS}


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((FIXTURES / "expected_cells.json").read_text(encoding="utf-8"))


def rules(report) -> list[str]:
    return sorted(f.rule for f in report.source.findings)


def section_span(text: str, sid: str) -> tuple[int, int]:
    """(start of the heading line, start of the next section's heading) in ``text``."""
    start = text.index(HEADINGS[sid] + "\n")
    later = [text.index(h + "\n") for k, h in HEADINGS.items() if k > sid and h + "\n" in text[start:]]
    return start, min(later, default=len(text))


def move_table_above_heading(text: str, sid: str) -> str:
    """The table of section ``sid`` cut from under its heading and printed just above it."""
    start, end = section_span(text, sid)
    heading = HEADINGS[sid] + "\n"
    body = text[start + len(heading) : end]
    return text[:start] + body + heading + text[end:]


def test_pipe_table_above_its_heading_is_read_into_its_own_cells(expected):
    moved = move_table_above_heading(PIPE, "s3")
    assert moved != PIPE and moved.index("商业企业") < moved.index(HEADINGS["s3"])
    report = import_text(moved)
    assert report.cells == expected | {"t3.deny_law.natural": None}  # the “/” cell of the fixture
    # no TPL-IMAGE for section 三, no 表三 row taken for a 地方 row of 表二
    assert rules(report) == ["IMP-CELL-BLANK", "STRUCT-TABLES"]
    (misplaced,) = [f for f in report.source.findings if f.rule == "STRUCT-TABLES"]
    assert misplaced.severity == "error"
    assert misplaced.message == (
        f"表格“表三”的结构不符合规定格式：不在“{HEADINGS['s3']}”部分之下，而位于“{HEADINGS['s2']}”部分"
    )
    assert misplaced.cells == [c.id for c in form.T3.cells]
    assert report.narrative["s3.note"] == ""


def test_pipe_tables_in_place_give_no_structure_finding(expected):
    report = import_text(PIPE)
    assert report.cells == expected | {"t3.deny_law.natural": None}
    assert rules(report) == ["IMP-CELL-BLANK"]


def test_seed_table_three_printed_under_section_four_is_still_table_three():
    """One-cell-per-line rendering (the seed): 表三 moved below 表四, inside section 四."""
    text = SEED.read_text(encoding="utf-8")
    original = import_text(text)
    s3_start, s3_end = section_span(text, "s3")
    heading3 = HEADINGS["s3"] + "\n"
    t3_body = text[s3_start + len(heading3) : s3_end]
    without = text[: s3_start + len(heading3)] + text[s3_end:]
    s4_start, s4_end = section_span(without, "s4")
    moved = without[:s4_end] + t3_body + without[s4_end:]
    assert moved.count("商业企业") == text.count("商业企业")
    report = import_text(moved)
    assert report.cells == original.cells
    assert report.cells["t2.license.decisions"] == 805
    assert all(report.cells[c.id] == 0 for c in form.T3.cells + form.T4.cells)
    new = sorted(
        (f.rule, f.message) for f in report.source.findings if f not in original.source.findings
    )
    assert new == [
        (
            "STRUCT-TABLES",
            f"表格“表三”的结构不符合规定格式：不在“{HEADINGS['s3']}”部分之下，而位于“{HEADINGS['s4']}”部分",
        )
    ]
    assert not [f for f in report.source.findings if f.rule in ("TPL-LOCAL", "TPL-IMAGE")]


def test_html_table_four_printed_before_the_first_section(expected):
    html = (FIXTURES / "html_spans.html").read_text(encoding="utf-8")
    original = import_text(html, kind="html")
    (t4,) = [t for t in re.findall(r"<table>.*?</table>", html, re.S) if "未经复议直接起诉" in t]
    first = html.rindex("<", 0, html.index(HEADINGS["s1"]))
    moved = html.replace(t4, "")
    moved = moved[:first] + t4 + moved[first:]
    report = import_text(moved, kind="html")
    assert report.cells == original.cells
    assert {c: report.cells[c] for c in report.cells if c.startswith("t4.")} == {
        c: v for c, v in expected.items() if c.startswith("t4.")
    } | {"t4.review.other": None}  # the fixture's &nbsp; cell
    misplaced = [f.message for f in report.source.findings if f.rule == "STRUCT-TABLES"]
    assert misplaced == [f"表格“表四”的结构不符合规定格式：不在“{HEADINGS['s4']}”部分之下，而位于第一部分之前"]
    assert rules(report) == sorted(rules(original) + ["STRUCT-TABLES"])


def test_truncated_table_three_has_not_the_official_label_set():
    report = import_report(FIXTURES / "truncated.txt")
    tables = [f for f in report.source.findings if f.rule == "STRUCT-TABLES"]
    assert [f.message for f in tables] == [
        "表格“表三”的结构不符合规定格式：缺少17行（“5.属于三类内部事务信息”、“6.属于四类过程性信息”、“7.属于行政执法案卷”等）"
    ]
    gone = {r.id for r in form.T3.rows[8:]}
    assert set(tables[0].cells) == {c.id for c in form.T3.cells if c.row in gone}


def test_table_recognised_from_its_labels_alone():
    assert recognise(["规章", "1", "行政规范性文件", "2"]) == "t2"
    assert recognise(["商业企业", "科研机构", "（七）总计"]) == "t3"
    assert recognise(["未经复议直接起诉", "复议后起诉", "结果维持"]) == "t4"
    # labels every table prints (总计, 其他) tell nothing; a local table is nobody's
    assert recognise(["总计", "结果维持", "12"]) is None
    assert recognise(["其他", "12"]) is None  # one label is not enough
    assert recognise(["人大代表建议", "政协提案"]) is None


def test_sections_out_of_order_are_an_error_and_still_read():
    five_start, five_end = section_span(PIPE, "s5")
    six = PIPE[five_end:]
    assert six.startswith(HEADINGS["s6"])
    swapped = PIPE[:five_start] + six.rstrip("\n") + "\n" + PIPE[five_start:five_end]
    original = import_text(PIPE)
    report = import_text(swapped)
    order = [(f.severity, f.message) for f in report.source.findings if f.rule == "STRUCT-SECTIONS"]
    assert order == [("error", f"章节“{HEADINGS['s6']}”顺序错误：出现在“{HEADINGS['s5']}”之前")]
    assert report.narrative["s5"] == original.narrative["s5"] != ""
    assert report.narrative["s6"] == original.narrative["s6"] != ""
    assert report.cells == original.cells


def test_sections_in_order_and_exact_give_no_finding():
    for report in (import_text(PIPE), import_text(SEED.read_text(encoding="utf-8"))):
        assert not [f for f in report.source.findings if f.rule == "STRUCT-SECTIONS"]


def test_section_missing_is_an_error():
    start, end = section_span(PIPE, "s5")
    report = import_text(PIPE[:start] + PIPE[end:])
    gone = [(f.severity, f.message) for f in report.source.findings if f.rule == "STRUCT-SECTIONS"]
    assert gone == [("error", f"章节“{HEADINGS['s5']}”缺失")]


def test_section_reworded_is_a_warning():
    report = import_text(PIPE.replace(HEADINGS["s2"] + "\n", "二、主动公开政府信息的情况\n"))
    reworded = [(f.severity, f.message) for f in report.source.findings if f.rule == "STRUCT-SECTIONS"]
    assert reworded == [("warning", f"章节“{HEADINGS['s2']}”写作“二、主动公开政府信息的情况”，与规定格式不一致")]


def test_column_heading_replaced_is_a_label_set_difference(expected):
    assert PIPE.count("其他结果") == 3  # under 行政复议 and both kinds of 行政诉讼, in 表四 only
    changed = PIPE.replace("其他结果", "调解结案")
    report = import_text(changed)
    # the figures are still read by position and reported, the heading difference is an error
    assert report.cells == expected | {"t3.deny_law.natural": None}
    assert rules(report) == ["IMP-CELL-BLANK", "STRUCT-TABLES"]
    (labels,) = [f for f in report.source.findings if f.rule == "STRUCT-TABLES"]
    assert labels.message == "表格“表四”的结构不符合规定格式：缺少栏目“其他结果”"


@pytest.mark.parametrize("host", ["s2", "s4"])
def test_one_line_body_table_three_under_another_section(expected, host):
    """A body run together on one line has no table rows: 表三's words are still recognised
    where they are, read into 表三's cells, and kept out of the host section's text."""
    text = (FIXTURES / "oneline.txt").read_text(encoding="utf-8")
    original = import_text(text)
    assert original.cells == expected and not original.source.findings
    start, end = text.index(HEADINGS["s3"]) + len(HEADINGS["s3"]), text.index(HEADINGS["s4"])
    words = text[start:end].strip()
    assert "商业企业" in words
    rest = text[:start] + " " + text[end:]
    at = rest.index(HEADINGS["s3"] if host == "s2" else HEADINGS["s5"])
    report = import_text(rest[:at] + words + " " + rest[at:])
    assert report.cells == expected
    assert [f.message for f in report.source.findings] == [
        f"表格“表三”的结构不符合规定格式：不在“{HEADINGS['s3']}”部分之下，而位于“{HEADINGS[host]}”部分"
    ]
    assert report.narrative == original.narrative


def test_stray_table_words_in_text_do_not_make_a_table():
    """A section without its table, whose words are quoted in another section's text, is an
    image-only table (TPL-IMAGE), not a table printed elsewhere."""
    text = (
        "青山镇人民政府2021年政府信息公开工作年度报告\n一、总体情况\n全年收到申请0件。\n"
        + "\n".join(f"{s.heading}\n说明。" for s in form.SECTIONS[1:])
        + "\n（三）不予公开 1.属于国家秘密 0\n"
    )
    report = import_text(text)
    assert rules(report) == ["TPL-IMAGE"] * 3
    assert all(v is None for v in report.cells.values())


def test_word_table_three_moved_into_section_one(tmp_path):
    """Word: 表三 (a real python-docx table written by gxexcel's Word export) moved into
    section 一 is read into 表三's cells; section 一's text stays its own."""
    import docx

    from gxexcel import sample
    from gxexcel.publish.docx import write_docx

    report = sample.sample_report(random.Random(3), unit_name="青山镇人民政府", unit_type="乡镇人民政府")
    path = tmp_path / "exported.docx"
    write_docx(report, path)
    document = docx.Document(str(path))
    (t3,) = [t for t in document.tables if any("商业企业" in c.text for c in t._cells)]
    (s1_heading,) = [p for p in document.paragraphs if p.text.strip() == HEADINGS["s1"]]
    s1_heading._p.addnext(t3._tbl)  # lxml move of the table element, right under 一、总体情况
    moved = tmp_path / "moved.docx"
    document.save(str(moved))
    back = import_report(moved)
    assert back.cells == report.cells
    assert back.narrative == report.narrative
    assert [f.message for f in back.source.findings] == [
        f"表格“表三”的结构不符合规定格式：不在“{HEADINGS['s3']}”部分之下，而位于“{HEADINGS['s1']}”部分"
    ]


def test_tables_three_and_four_swapped(expected):
    a3 = PIPE.index(HEADINGS["s3"]) + len(HEADINGS["s3"]) + 1
    a4, e4 = PIPE.index(HEADINGS["s4"]), PIPE.index(HEADINGS["s5"])
    b4 = a4 + len(HEADINGS["s4"]) + 1
    swapped = PIPE[:a3] + PIPE[b4:e4] + HEADINGS["s4"] + "\n" + PIPE[a3:a4] + PIPE[e4:]
    report = import_text(swapped)
    assert report.cells == expected | {"t3.deny_law.natural": None}
    assert [f.message for f in report.source.findings if f.rule == "STRUCT-TABLES"] == [
        f"表格“表三”的结构不符合规定格式：不在“{HEADINGS['s3']}”部分之下，而位于“{HEADINGS['s4']}”部分",
        f"表格“表四”的结构不符合规定格式：不在“{HEADINGS['s4']}”部分之下，而位于“{HEADINGS['s3']}”部分",
    ]
    assert rules(report) == ["IMP-CELL-BLANK", "STRUCT-TABLES", "STRUCT-TABLES"]


def test_headings_listed_as_contents_in_the_introduction_are_not_the_sections(expected):
    listing = "本报告包括以下部分：\n" + "\n".join(HEADINGS.values()) + "\n"
    at = PIPE.index(HEADINGS["s1"])
    original = import_text(PIPE)
    report = import_text(PIPE[:at] + listing + PIPE[at:])
    assert report.cells == original.cells
    assert rules(report) == ["IMP-CELL-BLANK"]
    assert {k: v for k, v in report.narrative.items() if k != "preamble"} == {
        k: v for k, v in original.narrative.items() if k != "preamble"
    }
    assert report.narrative["preamble"].endswith(listing.strip())
    # with a section missing further on, the contents line does not stand in for it
    start, end = section_span(PIPE, "s5")
    cut = PIPE[:start] + PIPE[end:]
    report = import_text(cut[:at] + listing + cut[at:])
    assert [f.message for f in report.source.findings if f.rule == "STRUCT-SECTIONS"] == [
        f"章节“{HEADINGS['s5']}”缺失"
    ]
