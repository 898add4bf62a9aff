"""textfigures: figures quoted in narrative text, in real reports' phrasings, and text-only rules."""

from __future__ import annotations

import random

import pytest

from gxexcel import textfigures as tf
from gxexcel.model import Report
from gxexcel.rules.engine import validate
from gxexcel.sample import sample_report


def measures(text: str) -> list[tuple[str, int]]:
    return [(f.measure, f.value) for f in tf.find_figures(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "2021年我镇新收政府信息公开申请10件，上年结转0件，办结9件，其中予以公开和部分公开5件；结转下年度继续办理1件。",
            [("t3.new", 10), ("t3.carried", 0), ("t3.closed", 9), ("t3.open_partial", 5), ("t3.carry_forward", 1)],
        ),
        ("共收到政府信息公开申请12件。", [("t3.new", 12)]),
        ("全年受理依申请公开申请3件，其中不予公开1件，无法提供2件。", [("t3.new", 3), ("t3.deny", 1), ("t3.unable", 2)]),
        ("2021年我镇未收到政府信息公开申请，无上年结转申请。", [("t3.new", 0), ("t3.carried", 0)]),
        (
            "本年制发行政规范性文件3件，废止1件，现行有效12件。",
            [("t2.normative.issued", 3), ("t2.normative.repealed", 1), ("t2.normative.in_force", 12)],
        ),
        (
            "公开行政许可处理决定805件，行政处罚决定0件，行政强制决定0件。",
            [("t2.license", 805), ("t2.penalty", 0), ("t2.enforcement", 0)],
        ),
        ("发生政府信息公开行政复议2件，行政诉讼1件。", [("t4.review", 2), ("t4.suits", 1)]),
        ("全年未发生政府信息公开行政复议、行政诉讼案件。", [("t4.cases", 0)]),
        ("政府信息公开行政复议和行政诉讼案件0件。", [("t4.cases", 0)]),
        ("不予公开政府信息的条数为0。", [("t3.deny", 0)]),
        # numbers that are not counts of the form are left alone
        ("2021年12月31日前办结。网站访问量3万次，公开栏56条。", []),
        # time limits are not counts: “自收到申请之日起20个工作日内答复”, “办结时限为15个工作日”
        ("对依申请公开事项，自收到申请之日起20个工作日内予以答复。", []),
        ("我镇对收到的申请均在15个工作日内答复，办结时限为15个工作日。", []),
        ("收到申请后3日内登记，2个月内办结。", []),
        ("本年新收政府信息公开申请5件，均在20个工作日内办结5件。", [("t3.new", 5), ("t3.closed", 5)]),
        # figures with thousands separators or in Chinese numerals are figures too
        ("公开行政许可处理决定1,050件。", [("t2.license", 1050)]),
        ("共收到政府信息公开申请一百零五件，上年结转两件，办结一百零七件。", [("t3.new", 105), ("t3.carried", 2), ("t3.closed", 107)]),
        ("行政处罚决定十二件，行政强制决定零件。", [("t2.penalty", 12), ("t2.enforcement", 0)]),
        # “办结” alone counts applications only right after an application figure: 便民服务、信访 are other work
        ("2021年我镇共受理行政许可事项805件，办结805件。", []),
        ("全年受理信访件32件，办结30件。", []),
        ("共收到政府信息公开申请5件。已全部办结5件。", [("t3.new", 5), ("t3.closed", 5)]),
        # training sessions and documents about 行政复议 are not cases
        ("开展行政复议和行政诉讼培训2次。", []),
        ("全年办理行政复议决定书2份，组织依申请公开业务学习3次。", []),
        ("发生政府信息公开行政复议案件2件。", [("t4.review", 2)]),
    ],
)
def test_phrasings(text, expected):
    assert measures(text) == expected


def test_figure_carries_phrase_sentence_and_part():
    (f,) = tf.find_figures("我镇高度重视。本年新收政府信息公开申请4件。", part="s1.request")
    assert f.phrase == "本年新收政府信息公开申请4件"
    assert f.sentence == "本年新收政府信息公开申请4件。"
    assert f.part == "s1.request" and f.value == 4


def test_mismatches_against_the_tables():
    r = Report.zeros(unit_name="甲镇人民政府", year=2021)
    r.cells["t3.new.natural"] = 4
    r.cells["t3.open.natural"] = 4
    r.fill_totals()
    r.narrative["s1.request"] = "本年新收政府信息公开申请5件，予以公开4件。"
    (m,) = tf.mismatches(r)
    assert (m.figure.measure, m.figure.value, m.table_value) == ("t3.new", 5, 4)
    assert m.measure.rule == "X-TEXT-T3"
    assert m.measure.label.startswith("表三 一、本年新收政府信息公开申请数量")


def test_drafted_sample_text_quotes_its_own_tables():
    for seed in range(30):
        r = sample_report(random.Random(seed), unit_name="石门镇人民政府")
        assert tf.report_figures(r), "the drafted text quotes figures"
        assert tf.mismatches(r) == []


@pytest.mark.parametrize(
    "text, total, parts, open_ended, overlapping",
    [
        ("共主动公开信息382条，其中网站35条、媒体80条、微信2443条。", 382, (35, 80, 2443), False, False),
        ("累计主动公开政府信息260条，（其中包含政府网站公开79条，政务微信公开125条，公开栏公开56条（重复不计））。", 260, (79, 125, 56), False, True),
        ("共公开100条，其中网站30条、微信20条等。", 100, (30, 20), True, False),
        # names listed inside one part (“南定村、汇龙湖社区等各村居公开栏56条”) do not end the list
        (
            "累计主动公开政府信息260条，其中政府网站公开79条，政务微信公开125条，镇政府和南定村、汇龙湖社区等各村居社区政务公开栏公开56条。",
            260,
            (79, 125, 56),
            True,
            False,
        ),
    ],
)
def test_totals_and_parts(text, total, parts, open_ended, overlapping):
    (tp,) = tf.find_totals(text)
    assert (tp.total, tp.parts, tp.open_ended, tp.overlapping) == (total, parts, open_ended, overlapping)


def _text_report(**narrative) -> Report:
    r = sample_report(random.Random(3), unit_name="石门镇人民政府")
    r.narrative.update(narrative)
    return r


def _x_sum(report):
    return [f for f in validate(report) if f.rule == "X-TEXT-SUM"]


def test_x_text_sum_parts_exceed_total_is_an_error():
    (f,) = _x_sum(_text_report(**{"s2.note": "共主动公开信息382条，其中网站35条、媒体80条、微信2443条。"}))
    assert f.severity == "error" and "2558" in f.message and "382" in f.message
    assert f.quote.startswith("共主动公开信息382条")


def test_x_text_sum_parts_short_without_deng_is_a_warning_and_with_deng_passes():
    (f,) = _x_sum(_text_report(**{"s2.note": "共公开100条，其中网站30条、微信20条。"}))
    assert f.severity == "warning" and "少于总数100" in f.message
    assert _x_sum(_text_report(**{"s2.note": "共公开100条，其中网站30条、微信20条等。"})) == []


def test_x_text_sum_overlapping_channels_may_exceed():
    text = "累计公开信息100条，其中网站公开79条，微信公开60条（重复不计）。"
    assert _x_sum(_text_report(**{"s2.note": text})) == []


def test_x_text_sum_application_balance():
    r = _text_report(**{"s3.note": "新收10件，上年结转0件，办结0件，结转0件。"})
    (f,) = [f for f in _x_sum(r) if "收结转不平衡" in f.message]
    assert f.severity == "error" and "＝10" in f.message and "＝0" in f.message
    assert f.message.startswith("正文“新收10件，上年结转0件，办结0件，结转0件”：")  # not “…结转0件。”：
    ok = _text_report(**{"s3.note": "新收10件，上年结转2件，办结9件，结转3件。"})
    assert [f for f in _x_sum(ok) if "收结转" in f.message] == []


def test_x_text_t4_upheld_claim_against_pending_cases():
    r = _text_report(**{"s4.note": "全年发生行政复议1件，均获维持。"})
    r.cells.update({"t4.review.upheld": 0, "t4.review.pending": 1, "t4.review.corrected": 0, "t4.review.other": 0})
    r.fill_totals()
    found = [f for f in validate(r) if f.rule == "X-TEXT-T4"]
    assert any("均获维持" in f.message and "尚未审结" in f.message for f in found)
    r.cells.update({"t4.review.upheld": 1, "t4.review.pending": 0})
    r.fill_totals()
    assert [f for f in validate(r) if f.rule == "X-TEXT-T4" and "维持" in f.message] == []


def test_result_group_figures_are_the_form_groups_and_their_printed_words():
    """Each 表三 result group (form.T3_RESULT_GROUPS) is found in text by the words its label
    prints and compared with the 总计 of exactly its rows: no group label is retyped here."""
    import re

    from gxexcel import form

    by_cells = {m.cells: m.id for m in tf.MEASURES.values()}
    for n, (label, rows) in enumerate(form.T3_RESULT_GROUPS, start=1):
        cells = tuple(f"t3.{r}.total" for r in rows)
        assert cells in by_cells, label
        words = re.sub(r"^（.）|（[^（）]*）$", "", label)
        assert measures(f"全年{words}{n}件。") == [(by_cells[cells], n)]


def test_a_phrase_without_a_figure_is_quoted_as_a_claim_not_as_zero():
    """“未发生……行政复议、行政诉讼” read “正文“未发生……”中为0，与表四……（1）不一致”."""
    r = _text_report(**{"s4.note": "本年度未发生因政府信息公开引起的行政复议、行政诉讼。"})
    r.cells.update({"t4.review.upheld": 1})
    r.fill_totals()
    (f,) = [f for f in validate(r) if f.rule == "X-TEXT-T4"]
    assert f.message == "正文称“未发生因政府信息公开引起的行政复议、行政诉讼”，但表四 行政复议、行政诉讼 总计为1"
    figures = _text_report(**{"s3.note": "本年新收政府信息公开申请99件。"})
    assert any("中为99，与" in f.message for f in validate(figures) if f.rule == "X-TEXT-T3")
