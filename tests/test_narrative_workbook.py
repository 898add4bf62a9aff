"""``gxexcel narrate`` on real template workbooks: fills, refreshes, never overwrites clerk text."""

from __future__ import annotations

import hashlib
import random
import re

import openpyxl
from click.testing import CliRunner

from gxexcel import form, layout
from gxexcel.cli import cli
from gxexcel.narrative.draft import GENERATED_PARTS
from gxexcel.narrative.marker import make_marker, part_state
from gxexcel.narrative.workbook import lock_files
from gxexcel.reader import read_workbook
from gxexcel.sample import sample_report
from gxexcel.writer import write_workbook


def _workbook(path, seed=7):
    report = sample_report(random.Random(seed), unit_name="石门镇人民政府")
    for part in GENERATED_PARTS:
        report.narrative[part] = ""
    write_workbook(report, path)
    return report


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _values(path) -> dict[tuple[str, str], object]:
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row}


def _run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def test_narrate_fills_a_copy_and_keeps_everything_else(tmp_path):
    src, out = tmp_path / "石门镇.xlsx", tmp_path / "石门镇_正文.xlsx"
    _workbook(src)
    before = _sha(src)
    result = _run("narrate", src, "-o", out)
    assert result.exit_code == 0, result.output
    assert "已写入" in result.output
    assert _sha(src) == before  # the source is never touched with -o
    report = read_workbook(out)
    for part in GENERATED_PARTS:
        assert report.narrative[part] and part_state(report.narrative[part], report.markers[part]) == "generated"
    assert "本报告中所列数据的统计期限为2021年1月1日至2021年12月31日" in report.narrative["preamble"]
    # every other cell (labels, figures, formulas, cover, clerk text) is as it was
    changed = {
        (p.sheet, p.coordinate)
        for part in GENERATED_PARTS
        for p in (layout.text_positions()[part], layout.marker_position(part))
    }
    a, b = _values(src), _values(out)
    assert {k: v for k, v in a.items() if k not in changed} == {k: v for k, v in b.items() if k not in changed}
    wa, wb = openpyxl.load_workbook(src), openpyxl.load_workbook(out)
    for name in wa.sheetnames:
        assert wa[name].protection.sheet == wb[name].protection.sheet
    assert set(wa.defined_names) == set(wb.defined_names)


def test_rerun_refreshes_generated_text_but_never_clerk_text_without_force(tmp_path):
    book = tmp_path / "石门镇.xlsx"
    _workbook(book)
    assert _run("narrate", book).exit_code == 0  # in place
    wb = openpyxl.load_workbook(book)
    text = wb[layout.SHEET_TEXT]
    s4 = layout.text_positions()["s4.note"]
    s6 = layout.text_positions()["s6"]
    clerk4 = "本年度未发生行政复议和行政诉讼。（人工修改）"
    text.cell(s4.row, s4.col).value = clerk4  # edited: marker left from the draft
    text.cell(s6.row, s6.col).value = "无。"
    text.cell(*(lambda p: (p.row, p.col))(layout.marker_position("s6"))).value = None  # typed, no marker
    penalty = layout.cell_positions()["t2.penalty.decisions"]
    wb[penalty.sheet].cell(penalty.row, penalty.col).value = 4321
    wb.save(book)

    result = _run("narrate", book)
    assert result.exit_code == 0, result.output
    assert "保留" in result.output and "--force" in result.output
    report = read_workbook(book)
    assert report.narrative["s4.note"] == clerk4 and report.narrative["s6"] == "无。"
    assert "行政处罚决定4321件" in report.narrative["s1.active"]  # refreshed from the new figure
    assert report.markers["s1.active"] == make_marker(report.narrative["s1.active"])

    before = _sha(book)
    again = _run("narrate", book)
    assert again.exit_code == 0 and "文件未改动" in again.output
    assert _sha(book) == before

    forced = _run("narrate", book, "--force")
    assert forced.exit_code == 0
    report = read_workbook(book)
    assert report.narrative["s4.note"] != clerk4 and form.FEE_LAW in report.narrative["s6"]


def test_invalid_figures_leave_the_part_alone_and_name_the_cell(tmp_path):
    book = tmp_path / "b.xlsx"
    _workbook(book)
    wb = openpyxl.load_workbook(book)
    pos = layout.cell_positions()["t3.new.natural"]
    wb[pos.sheet].cell(pos.row, pos.col).value = "三件"
    wb.save(book)
    result = _run("narrate", book)
    assert result.exit_code == 1
    assert str(pos) in result.output  # 表三!D5
    assert read_workbook(book).narrative.get("s1.request", "") == ""


def test_unusable_input_gives_a_chinese_message_not_a_traceback(tmp_path):
    book = tmp_path / "b.xlsx"
    _workbook(book)
    before = _sha(book)
    for lock in lock_files(book):  # Excel/WPS owner file, LibreOffice lock file
        lock.write_bytes(b"owner")
        result = _run("narrate", book)
        assert result.exit_code == 2 and "正在 Excel" in result.output and "Traceback" not in result.output
        lock.unlink()
    assert _sha(book) == before
    other = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "别的表格"
    wb.save(other)
    result = _run("narrate", other, "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and "不是 gxexcel 年报填报模板" in result.output
    assert not (tmp_path / "x.xlsx").exists()


def test_county_templates_copied_edited_and_used_from_the_command_line(tmp_path):
    folder = tmp_path / "县模板"
    result = _run("narrate", "--copy-templates", folder)
    assert result.exit_code == 0
    s6 = folder / "narrative" / "s6.j2"
    assert s6.exists() and (folder / "publish" / "report.html.j2").exists()
    s6.write_text(s6.read_text(encoding="utf-8").replace("未收取信息处理费。", "未收取信息处理费（县统一措辞）。"), encoding="utf-8")
    book = tmp_path / "b.xlsx"
    _workbook(book)
    result = _run("narrate", book, "--templates", folder)
    assert result.exit_code == 0, result.output
    assert read_workbook(book).narrative["s6"].endswith("未收取信息处理费（县统一措辞）。")

    s6.write_text("{% if %}", encoding="utf-8")  # a broken edit: a Chinese message, not a traceback
    result = _run("narrate", book, "--templates", folder, "--force")
    assert result.exit_code == 2 and "正文模板“narrative/s6.j2”第1行有误" in result.output
    # the clerk's message is Chinese: Jinja's own English (“Expected an expression…”) does not leak
    assert not re.search(r"[A-Za-z]{4,}", result.output.replace("narrative", "").replace("--force", "")), result.output

    s6.write_text("共{{ fees.notice }}件", encoding="utf-8")  # a misspelt variable: named, in Chinese
    result = _run("narrate", book, "--templates", folder, "--force")
    assert result.exit_code == 2 and "正文模板“narrative/s6.j2”有误" in result.output
    assert "fees.notice" in result.output or "notice" in result.output, result.output
    assert "undefined" not in result.output and "has no attribute" not in result.output, result.output


def test_narrate_on_a_published_report_says_to_import_it_first(tmp_path, seed_path):
    """gxexcel narrate 南定镇2021.txt: the file is a published report, not a renamed workbook."""
    import shutil

    for name in ("南定镇2021.txt", "南定镇2021.docx", "南定镇2021.html"):
        source = tmp_path / name
        shutil.copy(seed_path, source)
        before = _sha(source)
        result = _run("narrate", source)
        assert result.exit_code == 2, result.output
        assert "gxexcel import" in result.output and "扩展名被改成" not in result.output
        assert _sha(source) == before


def test_output_never_replaces_another_units_workbook(tmp_path):
    """`narrate 石门镇.xlsx -o 城关镇.xlsx` (a slip between two names) overwrote 城关镇's own workbook
    with 石门镇's: refused (exit 2, file unchanged); an earlier draft of the same unit is replaced."""
    _workbook(tmp_path / "石门镇.xlsx")
    other = sample_report(random.Random(3), unit_name="城关镇人民政府")
    write_workbook(other, tmp_path / "城关镇.xlsx")
    (tmp_path / "笔记.xlsx").write_bytes((tmp_path / "城关镇.xlsx").read_bytes()[:100])  # not a workbook at all
    for name, whose in (("城关镇.xlsx", "是“城关镇人民政府”的填报模板工作簿"), ("笔记.xlsx", "不是填报模板工作簿")):
        before = _sha(tmp_path / name)
        result = _run("narrate", tmp_path / "石门镇.xlsx", "-o", tmp_path / name)
        assert result.exit_code == 2, result.output
        assert f"输出文件已存在，且{whose}" in result.output and "另取文件名" in result.output, result.output
        assert _sha(tmp_path / name) == before
    draft = tmp_path / "石门镇_正文.xlsx"
    assert _run("narrate", tmp_path / "石门镇.xlsx", "-o", draft).exit_code == 0
    again = _run("narrate", tmp_path / "石门镇.xlsx", "-o", draft, "--force")
    assert again.exit_code == 0, again.output
    assert read_workbook(draft).unit_name == "石门镇人民政府"


def test_a_broken_county_web_page_template_gets_a_chinese_message(tmp_path):
    """publish/report.html.j2 edited by the county: gxexcel report names the template and the
    line in Chinese (it ended as 内部错误：TemplateSyntaxError … with exit code 3)."""
    folder = tmp_path / "县模板"
    assert _run("narrate", "--copy-templates", folder).exit_code == 0
    (folder / "publish" / "report.html.j2").write_text("<html>\n{% if blocks %}\n</html>\n", encoding="utf-8")
    book = tmp_path / "b.xlsx"
    _workbook(book)
    result = _run("report", book, "-o", tmp_path / "b.html", "--templates", folder)
    assert result.exit_code == 2, result.output
    assert "模板“publish/report.html.j2”第" in result.output and "行有误" in result.output, result.output
    assert "TemplateSyntaxError" not in result.output and "内部错误" not in result.output
    assert not (tmp_path / "b.html").exists()
