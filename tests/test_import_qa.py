"""Published reports as portals and Word users really lay them out (QA of gxexcel import).

Each report here is written by hand (HTML as portals publish it, Word documents made
with python-docx) with figures that obey every sum identity, so that what the
importer reads can be compared with the source figure by figure and validate must
find nothing in the tables.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import docx
import pytest

from gxexcel import form
from gxexcel.importer import import_report
from gxexcel.rules.engine import validate

from test_import_docx import LEFT, add_table, t2_rows, t3_rows, t4_rows


@pytest.fixture(scope="module")
def figures() -> dict:
    """Figures of one report, all sum identities holding (表三 carried forward included)."""
    rng = random.Random(7)
    cells: dict = {
        "t2.regs.issued": 0, "t2.regs.repealed": 0, "t2.regs.in_force": 0,
        "t2.normative.issued": 2, "t2.normative.repealed": 1, "t2.normative.in_force": 5,
        "t2.license.decisions": 805, "t2.penalty.decisions": 3, "t2.enforcement.decisions": 1,
        "t2.fees.amount": 0.5,
    }
    cols = [c.id for c in form.T3.columns]
    rows = [r.id for r in form.T3.rows]
    leaves = [r for r in rows if r not in ("new", "carried", "total", "carry_forward")]
    for col in cols[:-1]:
        for r in leaves:
            cells[f"t3.{r}.{col}"] = rng.choice([0, 0, 1, 2, 3, 4, 5, 6])
        done = sum(cells[f"t3.{r}.{col}"] for r in leaves)
        carried, carry = rng.randint(0, 3), rng.randint(0, 4)
        cells.update({f"t3.total.{col}": done, f"t3.carried.{col}": carried, f"t3.carry_forward.{col}": carry})
        cells[f"t3.new.{col}"] = done + carry - carried
    for r in rows:
        cells[f"t3.{r}.total"] = sum(cells[f"t3.{r}.{col}"] for col in cols[:-1])
    for group in ("review", "suit_direct", "suit_after_review"):
        parts = [rng.randint(0, 3) for _ in range(4)]
        cells.update({f"t4.{group}.{o}": n for o, n in zip(("upheld", "corrected", "other", "pending"), parts)})
        cells[f"t4.{group}.total"] = sum(parts)
    assert set(cells) == set(form.CELLS)
    return cells


S1_PARTS = (
    ("（一）主动公开政府信息情况", "本年度主动公开政府信息120条。"),
    ("（二）依申请公开情况", "本年度依申请公开工作依法办理。"),
    ("（三）政府信息管理", "规范发布流程。"),
    ("（四）政府信息公开平台建设", "维护门户网站。"),
    ("（五）监督保障", "开展工作考核、社会评议，无责任追究情况。"),
)
S6 = "本年度发出收费通知13件，收费通知列明的金额650元，实际收取信息处理费0元。"


def html_table(rows: list[list[str]]) -> str:
    """A portal's table from rows in the add_table notation (LEFT/UP = merged)."""
    from test_import_docx import UP

    out = []
    for r, row in enumerate(rows):
        tds = []
        for c, text in enumerate(row):
            if text in (LEFT, UP):
                continue
            span = 1
            while c + span < len(row) and row[c + span] == LEFT:
                span += 1
            down = 1
            while r + down < len(rows) and rows[r + down][c] == UP:
                down += 1
            attrs = (f' colspan="{span}"' if span > 1 else "") + (f' rowspan="{down}"' if down > 1 else "")
            tds.append(f'<td{attrs} style="border:1px solid #000"><p><span>{text}</span></p></td>')
        out.append("<tr>" + "".join(tds) + "</tr>")
    return '<table border="1" cellspacing="0"><tbody>' + "\n".join(out) + "</tbody></table>"


TABLE_ROWS = {"t2": t2_rows, "t3": t3_rows, "t4": t4_rows}


def portal_page(figures: dict, *, heading_in_table: str = "", caption: str = "") -> str:
    """A report as a county portal publishes it; ``heading_in_table``: the table whose section
    heading is printed as the table's first (merged) row; ``caption``: the one whose heading
    is the table's <caption>."""
    body = ['<p style="text-align:center"><strong>青山镇人民政府2021年政府信息公开工作年度报告</strong></p>',
            "<p>本报告中所列数据的统计期限为2021年1月1日至2021年12月31日。</p>"]
    for section in form.SECTIONS:
        heading = f"<p><strong>{section.heading}</strong></p>"
        if section.id == "s1":
            body.append(heading)
            body.extend(f"<p>{h}</p><p>{t}</p>" for h, t in S1_PARTS)
        elif section.table:
            rows = TABLE_ROWS[section.table](figures)
            if section.table == heading_in_table:
                rows = [[section.heading] + [LEFT] * (len(rows[0]) - 1)] + rows
            else:
                body.append(heading if section.table != caption else "")
            table = html_table(rows)
            if section.table == caption:
                table = table.replace("<tbody>", f"<caption>{section.heading}</caption><tbody>", 1)
            body.append(table)
        else:
            body.append(heading)
            body.append(f"<p>{S6 if section.id == 's6' else '问题是培训不够。改进措施是加强培训。'}</p>")
    return '<!DOCTYPE html><html><head><meta charset="utf-8"><title>年报</title></head><body><div class="TRS_Editor">' + "\n".join(body) + "</div></body></html>"


def structure_findings(report) -> list[str]:
    return [f.message for f in report.source.findings if f.rule.startswith("STRUCT")]


def test_the_portal_page_as_laid_out_here_is_read_exactly(tmp_path, figures):
    path = tmp_path / "青山镇.html"
    path.write_text(portal_page(figures), encoding="utf-8")
    report = import_report(path)
    assert report.cells == figures
    assert report.source.findings == []
    assert [f.rule for f in validate(report) if f.rule.startswith(("T2", "T3", "T4", "STRUCT"))] == []


@pytest.mark.parametrize("table", ["t2", "t3", "t4"])
def test_a_section_heading_printed_as_the_tables_first_row_is_the_heading(tmp_path, figures, table):
    """Portals and Word users often print “三、收到和处理政府信息公开申请情况” as the first,
    merged row of the table itself; that section was reported missing (STRUCT-SECTIONS error)."""
    path = tmp_path / "青山镇.html"
    path.write_text(portal_page(figures, heading_in_table=table), encoding="utf-8")
    report = import_report(path)
    assert report.cells == figures
    assert structure_findings(report) == []
    assert report.narrative["s5"] == "问题是培训不够。改进措施是加强培训。"


def test_a_section_heading_as_the_tables_caption_is_the_heading(tmp_path, figures):
    path = tmp_path / "青山镇.html"
    path.write_text(portal_page(figures, caption="t3"), encoding="utf-8")
    report = import_report(path)
    assert report.cells == figures
    assert structure_findings(report) == []


def test_word_tables_whose_first_row_is_the_section_heading(tmp_path, figures):
    doc = docx.Document()
    doc.add_paragraph("青山镇人民政府2021年政府信息公开工作年度报告")
    for section in form.SECTIONS:
        if section.table:
            rows = TABLE_ROWS[section.table](figures)
            add_table(doc, [[section.heading] + [LEFT] * (len(rows[0]) - 1)] + rows)
            continue
        doc.add_paragraph(section.heading)
        doc.add_paragraph(S6 if section.id == "s6" else "正文。")
    path = tmp_path / "青山镇.docx"
    doc.save(path)
    report = import_report(path)
    assert report.cells == figures
    assert structure_findings(report) == []
    assert report.fees == {"fee.notices": 13, "fee.billed": 650, "fee.collected": 0}


def test_a_doc_file_that_is_a_web_page_is_read_as_one(tmp_path, figures):
    """Portals' “下载 Word 版” often serves the page's HTML under a .doc name (Word opens it);
    the clerk was told to save it as .docx (旧版 Word（.doc）文件无法直接导入), which it is not."""
    path = tmp_path / "青山镇2021年年报.doc"
    page = portal_page(figures).replace(
        "<html>", '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">'
    )
    path.write_text(page, encoding="utf-8")
    report = import_report(path)
    assert report.source.kind == "html"
    assert report.cells == figures and report.source.findings == []


def test_a_doc_file_that_is_a_docx_is_read_as_one(tmp_path, figures):
    """A .docx renamed .doc (or saved so by WPS) opens in Word as usual and is read as Word."""
    doc = _word_report(figures)
    path = tmp_path / "青山镇.doc"
    doc.save(path)
    report = import_report(path)
    assert report.source.kind == "docx"
    assert report.cells == figures and report.source.findings == []


@pytest.mark.parametrize("name", ["青山镇年报.pdf", "青山镇年报.html", "青山镇年报.docx", "青山镇年报.txt"])
def test_a_pdf_is_named_as_one_with_what_to_do(tmp_path, name):
    """Most portals publish the report as PDF; a PDF (or one saved under another name) was
    refused with “无法导入此类文件” or “不是文本文件（无法按 UTF-8 或 GB18030 解码）”."""
    from click.testing import CliRunner

    from gxexcel.cli import cli
    from gxexcel.errors import UnreadableError

    path = tmp_path / name
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 8)
    with pytest.raises(UnreadableError) as info:
        import_report(path)
    assert "这是 PDF 文件" in info.value.message and "另存为" in info.value.message and ".docx" in info.value.message
    result = CliRunner().invoke(cli, ["import", str(path)])
    assert result.exit_code == 2 and "这是 PDF 文件" in result.output
    # validate and merge give the same advice (they said 不支持的输入格式 / 不是可汇总的报表文件（.pdf）)
    checked = CliRunner().invoke(cli, ["validate", str(path)])
    assert checked.exit_code == 2 and "这是 PDF 文件，无法直接导入" in checked.output, checked.output
    import gxexcel

    merged = gxexcel.consolidate([path], workers=1)
    (status,) = merged.statuses
    assert status.status == "无法读取" and "这是 PDF 文件，无法直接导入" in status.note, status


def test_merge_and_validate_take_every_published_report_import_reads(tmp_path, figures):
    """A county folder of reports saved off portals: .shtml pages (saved as the site names them)
    and the “Word 版” .doc (the page's HTML). gxexcel import read them, but merge put them under
    无法读取 (不是可汇总的报表文件（.shtml）) and validate of the folder skipped them unnamed."""
    import json

    from click.testing import CliRunner

    from gxexcel.cli import cli

    folder = tmp_path / "各乡镇年报"
    folder.mkdir()
    page = portal_page(figures)
    (folder / "青山镇.shtml").write_text(page, encoding="utf-8")
    (folder / "白沙镇.doc").write_text(page.replace("青山镇", "白沙镇"), encoding="utf-8")
    (folder / "石门镇.html").write_text(page.replace("青山镇", "石门镇"), encoding="utf-8")
    runner = CliRunner(env={"GXEXCEL_CACHE": str(tmp_path / "cache")})
    merged = runner.invoke(cli, ["merge", str(folder), "-o", str(tmp_path / "汇总.xlsx"), "--json", "--workers", "1"])
    data = json.loads(merged.stdout)
    assert data["statuses"]["无法读取"] == 0 and data["units_counted"] == 3, merged.output
    checked = runner.invoke(cli, ["validate", str(folder)])
    assert checked.exit_code == 0, checked.output
    assert all(name in checked.output for name in ("青山镇.shtml", "白沙镇.doc", "石门镇.html")), checked.output


def test_the_commands_take_the_suffixes_import_reads():
    from gxexcel.consolidation.collect import PUBLISHED_SUFFIXES
    from gxexcel.importer import SUFFIXES

    assert PUBLISHED_SUFFIXES == set(SUFFIXES) | {".doc"}  # merge, validate of a folder and narrate use this list


def test_a_portal_pages_publication_lines_and_repeated_title_are_not_the_preamble(tmp_path, figures):
    """Around the report a portal prints the title, the page's publication facts (发布时间、来源、
    浏览次数, the 索引号 block) and then the report with its title again; all of it went into the
    前言 written to 正文 and compared between units."""
    head = """<div class="detail"><h1>青山镇人民政府2021年政府信息公开工作年度报告</h1>
<ul class="xxgk"><li>索引号：11430000MB1234567X/2022-00012</li><li>发布机构：青山镇人民政府</li>
<li>生成日期：2022-01-20</li><li>主题分类：政务公开</li></ul>
<div class="info"><span>发布时间：2022-01-20 09:30</span> <span>信息来源：青山镇人民政府</span> <span>浏览次数：1024</span>
<span>【字体：大 中 小】</span></div>"""
    path = tmp_path / "青山镇.html"
    path.write_text(portal_page(figures).replace('<div class="TRS_Editor">', head + '<div class="TRS_Editor">'), encoding="utf-8")
    report = import_report(path)
    assert report.unit_name == "青山镇人民政府" and report.cells == figures
    assert report.narrative["preamble"] == "本报告中所列数据的统计期限为2021年1月1日至2021年12月31日。"
    # the report's own title printed on two lines under the page's
    two_lines = '<p style="text-align:center"><strong>青山镇人民政府</strong></p><p><strong>2021年政府信息公开工作年度报告</strong></p>'
    path.write_text(path.read_text(encoding="utf-8").replace(
        '<p style="text-align:center"><strong>青山镇人民政府2021年政府信息公开工作年度报告</strong></p>', two_lines
    ), encoding="utf-8")
    report = import_report(path)
    assert report.narrative["preamble"] == "本报告中所列数据的统计期限为2021年1月1日至2021年12月31日。"


@pytest.mark.parametrize(
    "statement, fees",
    [
        ("本年度收取信息处理费0元。", {"fee.collected": 0}),
        ("本年度发出收费通知0件，收取信息处理费0元。", {"fee.notices": 0, "fee.collected": 0}),
        ("本年度共收取信息处理费120元。", {"fee.collected": 120}),
        ("本年度发出收费通知1件，收费通知列明的金额100元，实收100元。",
         {"fee.notices": 1, "fee.billed": 100, "fee.collected": 100}),
        ("2021年度未向申请人收取信息处理费。", {"fee.collected": 0}),
        ("本年度不存在收取信息处理费的情况。", {"fee.collected": 0}),
        ("本年度未产生信息处理费。", {"fee.collected": 0}),
        # an amount to be paid is not an amount collected
        ("收费通知要求应收取信息处理费200元，申请人逾期未缴纳。", {}),
    ],
)
def test_section_six_fee_statements_as_units_write_them(statement, fees):
    """The 信息处理费 sentence of 六 in the wordings units use; “本年度收取信息处理费0元” left the
    fee fields blank, and the workbook written by import -o was then told 信息处理费栏目未填写."""
    from gxexcel.importer import import_text

    seed = (Path(__file__).parents[1] / "src" / "gxexcel" / "data" / "seed_nanding_2021.txt").read_text(encoding="utf-8")
    report = import_text(seed.replace("六、其他需要报告的事项\n无。", f"六、其他需要报告的事项\n{statement}"))
    assert report.narrative["s6"] == statement
    assert {k: v for k, v in report.fees.items() if v is not None} == fees


@pytest.mark.parametrize("numbered", ["第{cn}部分 {rest}", "第{cn}部分：{rest}", "{n}、{rest}", "{n}. {rest}", "{n}．{rest}",
                                      "（{cn}）{rest}", "({cn}){rest}", "（{cn}）、{rest}"])
def test_section_headings_numbered_another_way_open_their_sections(numbered):
    """“第一部分 总体情况”, “1. 总体情况” or “（一）总体情况”: the official words numbered otherwise. No section was
    found, the whole report became its 前言 and all six headings were reported missing (errors);
    each is now its section, with one warning that its numbering is not the format's."""
    from gxexcel.importer import import_text

    seed = (Path(__file__).parents[1] / "src" / "gxexcel" / "data" / "seed_nanding_2021.txt").read_text(encoding="utf-8")
    lines = seed.split("\n")
    for section in form.SECTIONS:
        at = next(i for i, line in enumerate(lines) if line.strip() == section.heading)
        cn, rest = section.heading.split("、", 1)
        lines[at] = numbered.format(cn=cn, n=section.number, rest=rest)
    report = import_text("\n".join(lines))
    original = import_text(seed)
    assert report.cells == original.cells
    assert report.narrative == original.narrative
    found = [(f.severity, f.message) for f in report.source.findings if f.rule == "STRUCT-SECTIONS"]
    assert len(found) == 6 and all(severity == "warning" for severity, _ in found), found
    assert found[0][1] == f"章节“一、总体情况”写作“{numbered.format(cn='一', n=1, rest='总体情况')}”，与规定格式不一致"


@pytest.mark.parametrize("note", ["（更正）", "(修订版)", "（更新）"])
def test_a_title_marked_as_a_corrected_version_names_the_unit_and_year(note):
    """Portals republish a corrected report as “……工作年度报告（更正）”; its title was not
    recognised, so the unit and year were unknown (IMP-MISSING errors) and a merge could not
    tell whose report it was."""
    from gxexcel.importer import import_text

    seed = (Path(__file__).parents[1] / "src" / "gxexcel" / "data" / "seed_nanding_2021.txt").read_text(encoding="utf-8")
    report = import_text(seed.replace("工作年度报告\n", f"工作年度报告{note}\n", 1))
    assert (report.unit_name, report.year, report.unit_type) == ("南定镇人民政府", 2021, "乡镇人民政府")
    assert "IMP-MISSING" not in {f.rule for f in report.source.findings}
    assert report.narrative["preamble"] == ""


def _word_report(figures) -> "docx.Document":
    doc = docx.Document()
    doc.add_paragraph("青山镇人民政府2021年政府信息公开工作年度报告")
    for section in form.SECTIONS:
        doc.add_paragraph(section.heading)
        if section.table:
            add_table(doc, TABLE_ROWS[section.table](figures))
        else:
            doc.add_paragraph(S6 if section.id == "s6" else "正文。")
    return doc


def _wrap(element, tag: str, **attrs) -> None:
    """Put ``element`` inside a new ``tag`` element (w:sdt gets its w:sdtContent)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    outer = OxmlElement(tag)
    for name, value in attrs.items():
        outer.set(qn(f"w:{name}"), value)
    inner = outer
    if tag == "w:sdt":
        outer.append(OxmlElement("w:sdtPr"))
        inner = OxmlElement("w:sdtContent")
        outer.append(inner)
    element.addprevious(outer)
    inner.append(element)


def test_word_content_in_content_controls_is_read(tmp_path, figures):
    """Documents made from a county's Word template hold headings and tables inside content
    controls (w:sdt); those were skipped: 表三 was “以图片发布” and 五 was missing."""
    doc = _word_report(figures)
    _wrap(doc.tables[1]._tbl, "w:sdt")
    _wrap(next(p for p in doc.paragraphs if p.text.startswith("五、"))._p, "w:sdt")
    path = tmp_path / "青山镇.docx"
    doc.save(path)
    report = import_report(path)
    assert report.cells == figures
    assert report.source.findings == []
    assert report.narrative["s5"] == "正文。"


def test_word_tracked_changes_read_as_accepted(tmp_path, figures):
    """A report revised with track changes on and saved unaccepted: the inserted words are the
    report's, the deleted ones are not. Inserted text was dropped (六's fee sentence vanished,
    X-FEE-STMT followed) while cells kept both."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = _word_report(figures)
    fee = next(p for p in doc.paragraphs if "收费通知" in p.text)
    for run in fee.runs:
        _wrap(run._r, "w:ins", id="1", author="审核人", date="2022-01-10T00:00:00Z")
    deleted = OxmlElement("w:del")
    deleted.set(qn("w:id"), "2")
    deleted.set(qn("w:author"), "审核人")
    run = OxmlElement("w:r")
    text = OxmlElement("w:delText")
    text.text = "无。"
    run.append(text)
    deleted.append(run)
    fee._p.insert(0, deleted)
    path = tmp_path / "青山镇.docx"
    doc.save(path)
    report = import_report(path)
    assert report.narrative["s6"] == S6
    assert report.fees == {"fee.notices": 13, "fee.billed": 650, "fee.collected": 0}
    assert report.cells == figures


def test_word_report_in_a_layout_table_with_merged_cells_is_read_once(tmp_path, figures):
    """A portal page pasted into Word becomes a layout table whose cells are merged across
    (title row, body row); each merged cell was read once per grid column, so the whole
    report followed 六 again and 六's text held every other section."""
    doc = docx.Document()
    layout = doc.add_table(rows=2, cols=2)
    top = layout.cell(0, 0).merge(layout.cell(0, 1))
    top.text = "青山镇人民政府2021年政府信息公开工作年度报告"
    body = layout.cell(1, 0).merge(layout.cell(1, 1))
    for section in form.SECTIONS:
        body.add_paragraph(section.heading)
        body.add_paragraph(S6 if section.id == "s6" else f"{section.heading}的正文。" * 20)
    path = tmp_path / "青山镇.docx"
    doc.save(path)
    report = import_report(path)
    assert report.unit_name == "青山镇人民政府"
    assert report.narrative["s6"] == S6
    assert report.narrative["s5"] == "五、存在的主要问题及改进情况的正文。" * 20


def test_import_to_a_workbook_names_the_published_totals_its_formulas_replace(tmp_path, figures):
    """The template's 总计 are formulas, so `import -o` writes the sum of the parts where the
    published report printed a total that does not add up; validating the workbook then found
    nothing (T3-ROW-TOTAL, T4-REVIEW-SUM vanished) and nothing said the totals had changed."""
    from click.testing import CliRunner

    from gxexcel.cli import cli
    from gxexcel.libreoffice import recalculate
    from gxexcel.reader import read_workbook

    wrong = dict(figures)
    wrong["t3.new.total"] = figures["t3.new.total"] + 10
    wrong["t4.review.total"] = figures["t4.review.total"] + 1
    page = tmp_path / "青山镇.html"
    page.write_text(portal_page(wrong), encoding="utf-8")
    out = tmp_path / "青山镇.xlsx"
    result = CliRunner().invoke(cli, ["import", str(page), "-o", str(out)])
    assert result.exit_code == 0, result.output
    flat = re.sub(r"\s+", "", result.output)
    assert "工作簿中的总计由公式按各项计算" in flat
    assert f"表三一、本年新收政府信息公开申请数量总计：已发布{wrong['t3.new.total']}，工作簿{figures['t3.new.total']}" in flat
    assert f"表四行政复议总计：已发布{wrong['t4.review.total']}，工作簿{figures['t4.review.total']}" in flat
    # what the workbook shows once Excel (here LibreOffice) computes it
    (book,) = recalculate([out], tmp_path / "recalculated")
    shown = read_workbook(book).cells
    assert shown["t3.new.total"] == figures["t3.new.total"] and shown["t4.review.total"] == figures["t4.review.total"]
    # a report whose totals add up gets no such note
    page.write_text(portal_page(figures), encoding="utf-8")
    clean = CliRunner().invoke(cli, ["import", str(page), "-o", str(out)])
    assert "总计由公式" not in re.sub(r"\s+", "", clean.output)


@pytest.mark.parametrize(
    "declared, encoding",
    [
        ('<meta charset="utf-8">', "gb18030"),  # served as GBK by the site's HTTP header, saved “HTML only”
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "utf-8"),  # re-saved by an editor
        ('<meta charset="gbk">', "gb18030"),
        ("", "gb18030"),
    ],
)
def test_a_saved_page_whose_bytes_are_not_in_the_declared_encoding_is_read(tmp_path, figures, declared, encoding):
    """The bytes decide: a page declaring UTF-8 but holding GBK was “不像是政府信息公开工作年度报告”,
    one declaring GB2312 but holding UTF-8 had “没有找到任何文字内容”."""
    page = portal_page(figures).replace('<meta charset="utf-8">', declared)
    path = tmp_path / "青山镇.html"
    path.write_bytes(page.encode(encoding))
    report = import_report(path)
    assert report.unit_name == "青山镇人民政府" and report.cells == figures
    assert report.narrative["s6"] == S6


@pytest.mark.parametrize("suffix, charset", [(".mhtml", "utf-8"), (".mht", "gb2312"), (".doc", "gb2312")])
def test_a_page_saved_as_a_single_file_web_archive_is_read(tmp_path, figures, suffix, charset):
    """Browsers in county offices save a portal page as “网页，单个文件” (.mht/.mhtml: the page
    and its pictures in one MIME file); it was refused as 无法导入此类文件, and merge and validate
    of a folder skipped it. Portals' “导出 Word” serves the same archive named .doc."""
    from email.mime.image import MIMEImage
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    from click.testing import CliRunner

    from gxexcel.cli import cli

    archive = MIMEMultipart("related", type="text/html")
    archive["Snapshot-Content-Location"] = "http://www.qsx.gov.cn/art/2022/1/20/art_1.html"
    archive["Subject"] = "青山镇人民政府2021年政府信息公开工作年度报告"
    page = MIMEText(portal_page(figures).replace('<meta charset="utf-8">', f'<meta charset="{charset}">'), "html", charset)
    page["Content-Location"] = "http://www.qsx.gov.cn/art/2022/1/20/art_1.html"
    archive.attach(page)
    archive.attach(MIMEImage(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "gif"))
    path = tmp_path / f"青山镇{suffix}"
    path.write_bytes(archive.as_bytes())
    report = import_report(path)
    assert report.source.kind == "html"
    assert report.cells == figures and report.source.findings == []
    checked = CliRunner().invoke(cli, ["validate", str(tmp_path)])
    assert path.name in checked.output, checked.output


def test_word_table_rows_and_cells_inside_content_controls_are_read(tmp_path, figures):
    """A template with a content control around each figure cell (w:tr/w:sdt/w:tc) or around
    a block of rows (w:tbl/w:sdt/w:tr): those cells and rows were skipped, so the rows came out
    short (IMP-ROW-SHORT) or missing."""
    doc = _word_report(figures)
    t3 = doc.tables[1]._tbl
    rows = t3.tr_lst
    for tc in rows[5].tc_lst[-7:]:  # the figures of one row, a control each
        _wrap(tc, "w:sdt")
    _wrap(rows[10], "w:sdt")  # one row in a repeating-section control
    path = tmp_path / "青山镇.docx"
    doc.save(path)
    report = import_report(path)
    assert report.cells == figures
    assert report.source.findings == []


@pytest.mark.parametrize("where", ["after", "before"])
def test_a_local_subtotal_column_of_legal_persons_in_table_three(tmp_path, figures, where):
    """Some localities print a 小计 column for 法人或其他组织 in 表三. Every row then had 8
    figures for 7 columns and was left out (25 IMP-ROW-SHORT errors, 175 cells blank). The
    column is named by the header and is the sum of the five it follows or precedes; where it
    is, the row is read without it and the column is reported once (TPL-LOCAL)."""
    rows = t3_rows(figures)
    org = ("business", "research", "public_interest", "legal_service", "other")
    at = 9 if where == "after" else 4  # grid column of 小计 (3 label columns, 自然人 first)
    rows[0].insert(at, LEFT)
    rows[1].insert(at if where == "after" else at + 1, LEFT)  # 法人或其他组织 spans it
    rows[2].insert(at, "小计")
    for r, row in zip(form.T3.rows, rows[3:]):
        row.insert(at, str(sum(figures[f"t3.{r.id}.{c}"] for c in org)))
    wrong = form.T3.rows[0].id  # a 小计 that is not the sum: that row is not read
    rows[3][at] = str(int(rows[3][at]) + 1)
    body = html_table(rows)
    page = portal_page(figures)
    start = page.index("<table", page.index("三、收到和处理政府信息公开申请情况"))
    end = page.index("</table>", start) + len("</table>")
    path = tmp_path / "青山镇.html"
    path.write_text(page[:start] + body + page[end:], encoding="utf-8")
    report = import_report(path)
    expected = dict(figures) | {c: None for c in form.CELLS if c.startswith(f"t3.{wrong}.")}
    assert report.cells == expected
    found = sorted((f.rule, f.message) for f in report.source.findings)
    assert [rule for rule, _ in found] == ["IMP-ROW-SHORT", "TPL-LOCAL"]
    assert found[0][1].startswith("表三“一、本年新收政府信息公开申请数量”一行应有7个数值，实际读到8个")
    assert found[1][1] == "表三含国家格式以外的行或栏目“小计”"


def test_contents_printed_as_a_one_column_table_are_not_the_sections(tmp_path, figures):
    """An introduction listing the six parts in a one-column table (one heading per row) is a
    table of contents, like the same list on lines; the sections are the headings after it."""
    contents = "<table border='1'>" + "".join(f"<tr><td>{s.heading}</td></tr>" for s in form.SECTIONS) + "</table>"
    page = portal_page(figures).replace(
        "<p>本报告中所列数据的统计期限为2021年1月1日至2021年12月31日。</p>",
        "<p>本报告中所列数据的统计期限为2021年1月1日至2021年12月31日。本报告包括以下部分：</p>" + contents,
    )
    path = tmp_path / "青山镇.html"
    path.write_text(page, encoding="utf-8")
    report = import_report(path)
    assert report.cells == figures and report.source.findings == []
    assert report.narrative["s5"] == "问题是培训不够。改进措施是加强培训。"
    assert report.narrative["s6"] == S6


def test_table_three_copied_from_a_pdf_with_labels_broken_into_short_lines(figures):
    """Text copied from a PDF (most portals publish one) breaks each label of a narrow column
    into a piece per printed line (“1.属于” / “国家秘” / “密”), figures one per line. Labels in
    more than three pieces were not recognised: most of 表三 was left blank (IMP-MISSING,
    TPL-LABEL-EXACT on fragments). Nothing may be read into a wrong cell."""
    from gxexcel.importer import import_text

    def pieces(label: str, width: int = 3) -> list[str]:
        return [label[k : k + width] for k in range(0, len(label), width)]

    lines = ["青山镇人民政府2021年政府信息公开工作年度报告"]
    for section in form.SECTIONS:
        lines.append(section.heading)
        if section.table != "t3":
            lines.append(S6 if section.id == "s6" else "正文。")
            continue
        lines += pieces(form.T3.corner, 9) + [form.T3.header_group, "自然", "人", "法人或其他组织"]
        lines += [p for c in form.T3.columns[1:6] for p in pieces(c.label, 2)] + ["总计"]
        done: set[str] = set()
        for row in form.T3.rows:
            for label in row.labels:
                if label and label not in done:
                    done.add(label)
                    lines += pieces(label)
            lines += [str(figures[f"t3.{row.id}.{c.id}"]) for c in form.T3.columns]
    report = import_text("\n\n".join(lines))
    read = {c: v for c, v in report.cells.items() if c.startswith("t3.")}
    assert read == {c: v for c, v in figures.items() if c.startswith("t3.")}
    assert not [f for f in report.source.findings if f.section == "表三"], report.source.findings
