"""Outdated formats, tables published as images, and malformed input (issue 4 §3, §4)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gxexcel import form
from gxexcel.cli import cli
from gxexcel.errors import UnreadableError
from gxexcel.importer import import_report, import_text

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def test_2019_format_recognised_not_misread():
    report = import_report(FIXTURES / "format2019.html")
    assert report.unit_name == "杨柳县商务局" and report.unit_type == "县级政府部门" and report.year == 2020
    found = {f.rule: f for f in report.source.findings}
    assert sorted(found) == [
        "TPL-2019-T2A", "TPL-2019-T2B", "TPL-2019-T2C", "TPL-2019-T2D", "TPL-2019-T2E", "TPL-2019-T3",
    ]
    # a 2020 report: the 2019 format was the one in force, so these are warnings that say so
    assert {f.severity for f in found.values()} == {"warning"}
    assert all("2020年度报告使用的是当时有效的2019年格式" in f.message for f in found.values())
    assert "本年新制作数量" in found["TPL-2019-T2A"].message
    assert "其他对外管理服务事项" in found["TPL-2019-T2C"].message
    assert found["TPL-2019-T3"].message.startswith("表三有23行数据")
    # old 表二 columns are never read as the new ones
    assert all(report.cells[c] is None for c in form.CELLS if c.startswith("t2."))
    # 表三 rows shared with 2021 are read; the three （六） sub-rows do not exist in 2019
    assert [report.cells[f"t3.{r}.natural"] for r in ("new", "carried", "open", "partial", "unable_no_info", "total")] == [5, 1, 3, 1, 1, 6]
    assert report.cells["t3.new.total"] == 6 and report.cells["t3.total.total"] == 7
    assert all(report.cells[f"t3.{r}.{c.id}"] is None for r in ("other_no_correction", "other_unpaid", "other_other") for c in form.T3.columns)
    assert report.cells["t4.review.upheld"] == 1 and report.cells["t4.suit_direct.pending"] == 1
    assert [report.cells[f"t4.{c.id}"] for c in form.T4.columns] == [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]


def test_2019_format_in_a_2021_report_is_an_error(tmp_path):
    """The same tables under a 2021 title: the outdated template (TPL-2019-*, errors)."""
    page = (FIXTURES / "format2019.html").read_text(encoding="utf-8").replace("2020年", "2021年")
    (tmp_path / "2021.html").write_text(page, encoding="utf-8")
    report = import_report(tmp_path / "2021.html")
    assert report.year == 2021
    found = {f.rule: f for f in report.source.findings}
    assert sorted(found) == [
        "TPL-2019-T2A", "TPL-2019-T2B", "TPL-2019-T2C", "TPL-2019-T2D", "TPL-2019-T2E", "TPL-2019-T3",
    ]
    assert {f.severity for f in found.values()} == {"error"}  # T2E too, together with other 2019 hits
    assert all("应使用" in f.message and "2021年格式" in f.message for f in found.values() if f.rule != "TPL-2019-T2E")
    assert all(report.cells[c] is None for c in form.CELLS if c.startswith("t2."))


def test_2019_regulatory_row_alone_is_a_warning():
    text = "\n".join(
        [
            "某县司法局2021年政府信息公开工作年度报告",
            "二、主动公开政府信息情况",
            "| 第二十条第（一）项 | | | |",
            "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
            "| 规章 | 0 | 0 | 0 |",
            "| 规范性文件 | 3 | 1 | 9 |",
        ]
    )
    report = import_text(text)
    e = next(f for f in report.source.findings if f.rule == "TPL-2019-T2E")
    assert e.severity == "warning"
    assert [report.cells[f"t2.normative.{c}"] for c in ("issued", "repealed", "in_force")] == [3, 1, 9]


def test_tables_published_as_images():
    report = import_report(FIXTURES / "image_only.html")  # GB2312-encoded portal page
    assert report.unit_name == "民意乡人民政府" and report.year == 2021
    images = [f for f in report.source.findings if f.rule == "TPL-IMAGE"]
    assert [f.message for f in images] == [
        f"“{s.heading}”下没有找到{form.TABLES[s.table].name}的文字（表格可能以图片发布），无法校验"
        for s in form.SECTIONS
        if s.table
    ]
    assert all(v is None for v in report.cells.values())
    reworded = [f for f in report.source.findings if f.rule == "STRUCT-SECTIONS"]
    assert [(f.severity, f.quote) for f in reworded] == [("warning", "二、主动公开政府信息的情况")]
    # portal navigation and footer are not part of the report
    assert report.narrative["s6"] == "本年度未收取信息处理费。"
    assert report.fees["fee.collected"] == 0 and report.fees["fee.notices"] is None
    assert report.narrative["s1.active"] == "全年主动公开政府信息45条。"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "文件是空的"),
        ("blank.html", b"  \n\n ", "文件是空的"),
        ("junk.txt", random.Random(4).randbytes(3000), "不是文本文件"),
        ("junk.htm", b"\x00\x01\x02PK\x03\x04" + random.Random(5).randbytes(500), "不是文本文件"),
        ("junk.docx", random.Random(6).randbytes(800), "不是可读取的 Word 文档"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "旧版 Word（.doc）"),
        ("notice.html", "<html><body><p>关于开展政务公开培训的通知</p></body></html>".encode(), "不像是政府信息公开工作年度报告"),
        ("report.pdf", b"%PDF-1.4", "这是 PDF 文件"),
        ("report.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "无法导入此类文件"),
        ("truncated.docx", b"PK\x03\x04junk", "文件已损坏"),
        ("broken.docx", "broken-xml", "Word 文档已损坏"),
    ],
)
def test_malformed_input_gives_a_chinese_message(tmp_path, name, data, message):
    path = tmp_path / name
    if data == "broken-xml":  # a real .docx whose document.xml was cut off half-way
        import docx
        import zipfile

        docx.Document().save(tmp_path / "whole.docx")
        with zipfile.ZipFile(tmp_path / "whole.docx") as whole, zipfile.ZipFile(path, "w") as cut:
            for item in whole.infolist():
                part = whole.read(item.filename)
                cut.writestr(item, part[: len(part) // 2] if item.filename == "word/document.xml" else part)
        data = path.read_bytes()
    else:
        path.write_bytes(data)
    with pytest.raises(UnreadableError) as info:
        import_report(path)
    assert message in str(info.value) and name in str(info.value)
    # no Python exception text (“File is not a zip file”, “（XMLSyntaxError）”) for the clerk
    english = set(re.findall(r"[A-Za-z]{3,}", info.value.message)) - {"Word", "UTF", "docx", "doc", "html", "htm", "shtml", "txt", "mht", "PDF", "WPS"}
    assert not english, info.value.message
    result = CliRunner().invoke(cli, ["import", str(path)])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert path.read_bytes() == data  # the source is never modified


def test_gb18030_text_is_decoded(tmp_path):
    text = (FIXTURES / "split_labels.txt").read_text(encoding="utf-8")
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.encode("gb18030"))
    report = import_report(path)
    assert report.unit_name == "青山镇人民政府" and report.cells["t2.license.decisions"] == 7


def test_html_without_tables_under_its_headings_is_image_not_crash():
    html = "<html><body><h1>城关镇人民政府2021年政府信息公开工作年度报告</h1>" + "".join(
        f"<h2>{s.heading}</h2><p>正文。</p>" for s in form.SECTIONS
    ) + "</body></html>"
    report = import_text(html, kind="html")
    assert sorted(f.rule for f in report.source.findings) == ["TPL-IMAGE"] * 3
    assert report.narrative["s2.note"] == "正文。"


def test_title_only_in_the_page_head():
    html = (
        "<html><head><title>东城街道办事处2022年度政府信息公开工作年度报告_云溪县人民政府</title></head><body>"
        + "".join(f"<p>{s.heading}</p><p>正文。</p>" for s in form.SECTIONS)
        + "</body></html>"
    )
    report = import_text(html, kind="html")
    assert (report.unit_name, report.unit_type, report.year) == ("东城街道办事处", "街道办事处", 2022)
    assert report.title == "东城街道办事处2022年度政府信息公开工作年度报告"  # 年度: not the composed title


def test_no_title_anywhere_is_reported_and_year_comes_from_the_period():
    text = "\n".join(
        ["本报告中所列数据的统计期限为2021年1月1日至2021年12月31日。"]
        + [f"{s.heading}\n正文。" for s in form.SECTIONS]
    )
    report = import_text(text)
    assert report.year == 2021 and report.unit_name == ""
    assert [f.message for f in report.source.findings if f.rule == "IMP-MISSING"] == [
        "报告中没有找到报告标题（单位名称和报告年度）"
    ]


def test_page_laid_out_in_a_table_is_read_as_text():
    body = "".join(f"<p>{s.heading}</p><p>{'本部分正文。' * 60}</p>" for s in form.SECTIONS)
    html = f"<html><body><table><tr><td><p>城关镇人民政府2021年政府信息公开工作年度报告</p>{body}</td></tr></table></body></html>"
    report = import_text(html, kind="html")
    assert report.unit_name == "城关镇人民政府"
    assert sorted(f.rule for f in report.source.findings) == ["TPL-IMAGE"] * 3
    assert report.narrative["s5"] == "本部分正文。" * 60
