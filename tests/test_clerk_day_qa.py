"""A township clerk's day outside Excel: template → typing → validate → narrate → edit → validate → report.

Every workbook here is the one ``gxexcel template`` writes, filled in with openpyxl the way a
clerk types (numbers, “无”, “12件”, full-width digits, pasted spaces, blanks)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import openpyxl
import pytest
from click.testing import CliRunner

from gxexcel import layout
from gxexcel.cli import cli


def gx(*args):
    return CliRunner().invoke(cli, [*map(str, args)])


def put(path, values: dict[str, object]) -> None:
    """Type ``values`` (cell id or 封面/正文 coordinate → value) into the workbook, as a clerk does."""
    wb = openpyxl.load_workbook(path)
    for key, value in values.items():
        if "!" in key:
            sheet, coord = key.split("!")
            wb[sheet][coord] = value
        else:
            p = layout.cell_positions()[key]
            wb[p.sheet].cell(p.row, p.col).value = value
    wb.save(path)


@pytest.fixture()
def filled(tmp_path):
    """The template with the cover filled in and every table cell typed as 0."""
    path = tmp_path / "青石镇.xlsx"
    assert gx("template", "-o", path).exit_code == 0
    zeros = {cid: 0 for cid, cell in _data_cells()}
    cover = {"封面!B3": "青石镇人民政府", "封面!B4": "乡镇人民政府", "封面!B5": "云溪县", "封面!B6": 2023}
    text = {
        "正文!B3": "本报告中所列数据的统计期限为2023年1月1日至2023年12月31日。",
        "正文!B9": "我镇将政务公开纳入年度工作考核，开展社会评议，全年未发生责任追究情况。",
        "正文!B14": "2023年我镇未发出收费通知，未收取信息处理费。",
        "正文!B15": 0,
        "正文!B16": 0,
        "正文!B17": 0,
    }
    put(path, {**cover, **text, **zeros})
    return path


def _data_cells():
    from gxexcel import form

    return [(cid, cell) for cid, cell in form.CELLS.items() if cell.role != "total"]


def findings(path) -> list[dict]:
    return json.loads(gx("validate", "--json", path).output)


def test_a_figure_typed_as_text_is_not_also_read_as_0_by_t2_made_le_and_t3_carry_le(filled):
    # the clerk typed 现行有效 “１２” (full-width) and 本年新收 “5件”: CELL-INT names each; the
    # plausibility rules must not report 现行有效件数0 / 本年新收与上年结转之和0, figures nobody typed
    put(
        filled,
        {
            "t2.normative.issued": 3,
            "t2.normative.in_force": "１２",
            "t3.new.natural": "5件",
            "t3.open.natural": 4,
            "t3.carry_forward.natural": 1,
        },
    )
    found = findings(filled)
    assert {(f["sheet"], f["cell"]) for f in found if f["rule"] == "CELL-INT"} == {("表二", "D5"), ("表三", "D5")}
    assert [f["message"] for f in found if f["rule"] in ("T2-MADE-LE", "T3-CARRY-LE")] == []


def test_t2_made_le_and_t3_carry_le_still_report_typed_figures(filled):
    put(filled, {"t2.normative.issued": 3, "t2.normative.in_force": 1, "t3.carry_forward.natural": 1})
    messages = {(f["rule"], f["message"]) for f in findings(filled)}
    assert ("T2-MADE-LE", "表二 行政规范性文件：本年制发件数3，超过现行有效件数1与本年废止件数0之和1") in messages
    assert ("T3-CARRY-LE", "表三 自然人列：结转下年度继续办理1，超过本年新收与上年结转之和0") in messages


def _fill(path, sheet, coord) -> str:
    cell = openpyxl.load_workbook(path)[sheet][coord]
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


def test_validating_the_written_back_copy_again_takes_off_the_marks_of_fixed_and_explained_findings(filled):
    # README: validate --write-back, fix or explain in 单位_校验.xlsx, validate it again
    # (--write-back): the new copy's 校验结果 is clean, so must its cells be
    put(filled, {"t2.normative.issued": 3, "t2.normative.in_force": 1, "t2.license.decisions": "12件"})
    first = filled.with_name("青石镇_校验.xlsx")
    assert gx("validate", "--write-back", filled).exit_code == 1
    assert _fill(first, "表二", "B8") == "FFFFC7CE" and _fill(first, "表二", "B5") == "FFFFEB9C"
    template_input = _fill(filled, "表二", "B8")

    put(first, {"t2.license.decisions": 12})  # the error fixed
    wb = openpyxl.load_workbook(first)  # the warning explained
    ws = wb["校验结果"]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == "T2-MADE-LE")
    ws.cell(row, 6).value = "规范性文件已于年中修订合并，已核实"
    wb.save(first)

    second = first.with_name("青石镇_校验2.xlsx")
    result = gx("validate", "--write-back", first)
    assert result.exit_code == 0, result.output
    assert _fill(second, "表二", "B8") == template_input  # no longer red
    assert _fill(second, "表二", "B5") == template_input  # 已说明: no longer yellow
    assert _fill(second, "表二", "D5") == template_input
    assert _fill(second, "表二", "A8") == _fill(filled, "表二", "A8")  # labels untouched


@pytest.mark.parametrize(
    ("drafted_with", "corrected_to", "message"),
    [
        (0, 0.35, "正文称“未收取行政事业性收费”，但表二 第二十条第（八）项行政事业性收费 本年收费金额（单位：万元）为0.35"),
        (
            1.2,
            0.35,
            "正文“行政事业性收费金额1.2万元”中为1.2，与表二 第二十条第（八）项行政事业性收费 本年收费金额（单位：万元）（0.35）不一致",
        ),
    ],
)
def test_a_drafted_fee_sentence_that_no_longer_matches_the_corrected_table_is_reported(filled, drafted_with, corrected_to, message):
    # narrate drafts 一（一） from 表二 (“本年未收取行政事业性收费。” / “本年行政事业性收费金额1.2万元。”),
    # the clerk then corrects 表二 and publishes without drafting again: the text contradicts the table
    put(filled, {"t2.fees.amount": drafted_with})
    assert gx("narrate", filled).exit_code == 0
    assert [f["message"] for f in findings(filled) if f["rule"].startswith("X-TEXT")] == []
    put(filled, {"t2.fees.amount": corrected_to})
    found = [f for f in findings(filled) if f["rule"] == "X-TEXT-T2"]
    assert [(f["severity"], f["cell"], f["message"]) for f in found] == [("error", "B5", message)]
    assert gx("narrate", filled).exit_code == 0  # drafting again settles it
    assert [f["message"] for f in findings(filled) if f["rule"].startswith("X-TEXT")] == []


def test_a_drafted_fee_statement_that_no_longer_matches_the_fee_fields_is_reported(filled):
    # narrate drafts 六 from the fee fields (“……未发出收费通知，未收取信息处理费。”); the clerk then
    # enters the notices sent and the fees collected and publishes without drafting again. The
    # published 六 says 未发出 while the workbook (and the export's hidden figures) say 2
    put(filled, {"正文!B14": None})
    assert gx("narrate", filled).exit_code == 0
    put(filled, {"正文!B15": 2, "正文!B16": 150.5, "正文!B17": 100})
    found = [f for f in findings(filled) if f["rule"] == "X-FEE-STMT"]
    assert [(f["severity"], f["sheet"], f["cell"], f["message"]) for f in found] == [
        ("error", "正文", "B14", "第六部分正文中发出收费通知的件数为0，与信息处理费栏目填写的2不一致"),
        ("error", "正文", "B14", "第六部分正文中收费通知列明的金额（元）为0，与信息处理费栏目填写的150.5不一致"),
        ("error", "正文", "B14", "第六部分正文中实际收取的信息处理费（元）为0，与信息处理费栏目填写的100不一致"),
    ]
    assert gx("narrate", filled).exit_code == 0  # drafting again settles it
    assert [f["message"] for f in findings(filled) if f["rule"] == "X-FEE-STMT"] == []
    # the clerk's own wording with the same figures is fine, and so is a 六 that states no figure
    put(filled, {"正文!B14": "依据《政府信息公开信息处理费管理办法》，2023年我镇发出收费通知2件，列明金额150.5元，实际收取信息处理费100元。"})
    assert [f["message"] for f in findings(filled) if f["rule"] == "X-FEE-STMT"] == []
    put(filled, {"正文!B14": "2023年我镇依法收取信息处理费，详见附表。"})
    assert [f["message"] for f in findings(filled) if f["rule"] == "X-FEE-STMT"] == []


def test_drafted_applicant_figures_that_no_longer_match_the_corrected_table_are_reported(filled):
    # narrate lists the 本年新收 applicants (“新收……申请7件，其中自然人申请5件、商业企业申请2件”);
    # the clerk then moves one application to 商业企业 in 表三 (the total stays 7) and publishes
    put(filled, {"t3.new.natural": 5, "t3.new.business": 2, "t3.open.natural": 5, "t3.open.business": 2})
    assert gx("narrate", filled).exit_code == 0
    assert [f["message"] for f in findings(filled) if f["rule"].startswith("X-TEXT")] == []
    put(filled, {"t3.new.natural": 4, "t3.new.business": 3, "t3.open.natural": 4, "t3.open.business": 3})
    found = [(f["cell"], f["message"]) for f in findings(filled) if f["rule"] == "X-TEXT-T3"]
    assert found == [
        ("B6", "正文“自然人申请5件”中为5，与表三 一、本年新收政府信息公开申请数量 自然人（4）不一致"),
        ("B6", "正文“商业企业申请2件”中为2，与表三 一、本年新收政府信息公开申请数量 法人或其他组织（商业企业）（3）不一致"),
    ]
    assert gx("narrate", filled).exit_code == 0  # drafting again settles it
    assert [f["message"] for f in findings(filled) if f["rule"].startswith("X-TEXT")] == []


def test_drafted_review_and_suit_outcomes_that_no_longer_match_the_corrected_table_are_reported(filled):
    # narrate drafts 四 with the outcomes (“行政复议案件1件，其中结果维持1件”); the clerk then learns
    # the review was decided the other way and corrects 表四 only
    put(filled, {"t4.review.upheld": 1, "t4.suit_direct.upheld": 1, "t4.suit_after_review.upheld": 1})
    assert gx("narrate", filled).exit_code == 0
    assert [f["message"] for f in findings(filled) if f["rule"].startswith("X-TEXT")] == []
    put(
        filled,
        {"t4.review.upheld": 0, "t4.review.corrected": 1, "t4.suit_after_review.upheld": 0, "t4.suit_after_review.pending": 1},
    )
    found = [(f["cell"], f["message"]) for f in findings(filled) if f["rule"] == "X-TEXT-T4"]
    assert found == [
        ("B12", "正文“结果维持1件”中为1，与表四 行政复议 结果维持（0）不一致"),
        ("B12", "正文“结果维持2件”中为2，与表四 行政诉讼（未经复议直接起诉、复议后起诉） 结果维持之和（1）不一致"),
    ]
    assert gx("narrate", filled).exit_code == 0  # drafting again settles it
    assert [f["message"] for f in findings(filled) if f["rule"].startswith("X-TEXT")] == []


def test_drafted_result_details_that_no_longer_match_the_corrected_table_are_reported(filled):
    # narrate details a result group in brackets (“无法提供2件（本机关不掌握相关政府信息2件）”);
    # the clerk then corrects the reason of one in 表三 (the group total stays 2)
    put(filled, {"t3.new.natural": 2, "t3.unable_no_info.natural": 2})
    assert gx("narrate", filled).exit_code == 0
    assert [f["message"] for f in findings(filled) if f["rule"].startswith("X-TEXT")] == []
    put(filled, {"t3.unable_no_info.natural": 1, "t3.unable_unclear.natural": 1})
    found = [(f["cell"], f["message"]) for f in findings(filled) if f["rule"] == "X-TEXT-T3"]
    assert found == [
        (
            "B6",
            "正文“本机关不掌握相关政府信息2件”中为2，"
            "与表三 三、本年度办理结果（四）无法提供1.本机关不掌握相关政府信息 总计（1）不一致",
        ),
    ]
    assert gx("narrate", filled).exit_code == 0  # drafting again settles it
    assert [f["message"] for f in findings(filled) if f["rule"].startswith("X-TEXT")] == []


def test_drafted_kinds_of_suit_that_no_longer_match_the_corrected_table_are_reported(filled):
    # “行政诉讼案件2件（未经复议直接起诉1件、复议后起诉1件）”, then one suit is moved in 表四
    put(filled, {"t4.suit_direct.upheld": 1, "t4.suit_after_review.upheld": 1})
    assert gx("narrate", filled).exit_code == 0
    assert [f["message"] for f in findings(filled) if f["rule"].startswith("X-TEXT")] == []
    put(filled, {"t4.suit_direct.upheld": 2, "t4.suit_after_review.upheld": 0})
    found = [(f["cell"], f["message"]) for f in findings(filled) if f["rule"] == "X-TEXT-T4"]
    assert found == [
        ("B12", "正文“未经复议直接起诉1件”中为1，与表四 行政诉讼（未经复议直接起诉） 总计（2）不一致"),
        ("B12", "正文“复议后起诉1件”中为1，与表四 行政诉讼（复议后起诉） 总计（0）不一致"),
    ]
    assert gx("narrate", filled).exit_code == 0
    assert [f["message"] for f in findings(filled) if f["rule"].startswith("X-TEXT")] == []


@pytest.mark.parametrize(
    ("cover", "heading"),
    [
        ({"封面!B3": None}, "青石镇.xlsx（2023年）"),
        ({"封面!B6": None}, "青石镇.xlsx（青石镇人民政府）"),
        ({}, "青石镇.xlsx（青石镇人民政府 2023年）"),
    ],
)
def test_the_heading_of_a_validated_file_with_a_blank_cover_field_reads_cleanly(filled, cover, heading):
    # the unit name left blank printed “青石镇.xlsx（ 2023年）”, the year left blank “（青石镇人民政府 年）”
    put(filled, cover)
    out = gx("validate", filled).output
    assert out.splitlines()[0].endswith(heading), out.splitlines()[0]


def test_narrate_names_a_blank_report_year_as_the_year_not_as_a_count(filled):
    # the year left blank: every part said “以下单元格为空、不是数字或为负数（件数须为整数），请先修正：封面!B6”
    put(filled, {"封面!B6": None, "t3.new.natural": "5件"})
    result = gx("narrate", filled)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "未生成：" in line]
    assert len(lines) == 5
    assert all("封面“报告年度”（封面!B6）未填写或不是四位数字的年份" in line for line in lines)
    assert not any("件数须为整数），请先修正：封面!B6" in line for line in lines)
    (request,) = [line for line in lines if line.startswith("（二）依申请公开")]
    assert "以下单元格为空、不是数字或为负数（件数须为整数），请先修正：表三!D5" in request


def test_report_tells_the_clerk_which_parts_to_be_written_by_the_unit_are_still_empty(filled, tmp_path):
    # the export published “五、存在的主要问题及改进情况” with nothing under it, validate found nothing
    # wrong and report only named the empty parts narrate can draft
    assert gx("narrate", filled).exit_code == 0
    put(filled, {"正文!B7": "健全信息发布审核制度。", "正文!B8": "依托县政府门户网站乡镇专栏发布信息。"})
    result = _report(filled, tmp_path / "报告.docx")
    assert result.returncode == 0, result.stderr
    assert "提示：以下部分为空，需要本单位据实撰写后再发布：五、存在的主要问题及改进情况" in result.stderr
    put(filled, {"正文!B13": "一是信息更新不够及时。下一步将建立更新台账。"})
    result = _report(filled, tmp_path / "报告.docx")
    assert result.returncode == 0 and "本单位据实撰写" not in result.stderr


def _report(book, out):
    """``gxexcel report`` in its own process: the hints go to stderr, as the clerk sees them."""
    return subprocess.run(
        [sys.executable, "-m", "gxexcel", "report", str(book), "-o", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"},
    )


def test_narrate_says_when_a_kept_edited_part_contradicts_the_tables(filled):
    # the clerk edited the drafted 一（二） (新收 7 → 8) and ran narrate again: it said only
    # “保留（自动生成后经人工修改）” and “没有需要更新的段落”, exit 0, the contradiction unmentioned
    put(filled, {"t3.new.natural": 7, "t3.open.natural": 7})
    assert gx("narrate", filled).exit_code == 0
    wb = openpyxl.load_workbook(filled)
    text = wb["正文"]["B6"].value
    assert "新收政府信息公开申请7件" in text
    put(filled, {"正文!B6": text.replace("新收政府信息公开申请7件", "新收政府信息公开申请8件")})
    result = gx("narrate", filled)
    assert result.exit_code == 0
    assert (
        "（二）依申请公开保留了人工修改的文字，其中的数字与表格不一致："
        "正文“新收政府信息公开申请8件”中为8，与表三 一、本年新收政府信息公开申请数量 总计（7）不一致。"
        "请改正，或加 --force 按表格重新生成。"
    ) in result.output.replace("\n", "")
    put(filled, {"正文!B6": text})  # put back: nothing to say
    assert "不一致" not in gx("narrate", filled).output


def test_write_back_marks_both_the_fee_statement_and_the_fee_field_it_contradicts(filled):
    put(filled, {"正文!B14": None})
    assert gx("narrate", filled).exit_code == 0
    put(filled, {"正文!B15": 2})
    assert gx("validate", "--write-back", filled).exit_code == 1
    marked = filled.with_name("青石镇_校验.xlsx")
    assert _fill(marked, "正文", "B14") == "FFFFC7CE" and _fill(marked, "正文", "B15") == "FFFFC7CE"
    assert _fill(marked, "正文", "B16") != "FFFFC7CE"


def test_x_s1_assess_points_at_the_supervision_cell_the_clerk_must_fill(filled):
    # 监督保障 left empty: the finding said “一、总体情况（五）监督保障”应说明… but its 位置 was 正文!B4
    # (the 概述), so the link in 校验结果 took the clerk to the wrong cell
    put(filled, {"正文!B9": None, "正文!B4": "2023年，我镇政务公开工作有序开展，纳入年度工作考核。"})
    (f,) = [f for f in findings(filled) if f["rule"] == "X-S1-ASSESS"]
    assert (f["sheet"], f["cell"]) == ("正文", "B9")
    assert f["message"].endswith("正文中未找到“社会评议”“责任追究”")  # 考核 in the 概述 still counts
