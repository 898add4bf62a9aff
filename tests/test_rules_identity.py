"""Identity of the report: place names (JioNLP gazetteer), years and dates, role, stale wording, document number."""

from __future__ import annotations

import random

import pytest

from gxexcel import form
from gxexcel.model import Report
from gxexcel.rules.engine import validate
from gxexcel.rules.gazetteer import own_places, place_names
from gxexcel.sample import sample_report


def report(unit="南定镇人民政府", unit_type="乡镇人民政府", parent="", year=2021, **narrative) -> Report:
    r = Report.zeros(unit_name=unit, unit_type=unit_type, parent=parent, year=year)
    r.narrative = {"preamble": f"本报告中所列数据的统计期限为{year}年1月1日至{year}年12月31日。"}
    r.narrative.update({k.replace("_", "."): v for k, v in narrative.items()})
    return r


def rule(r: Report, rule_id: str):
    return [f for f in validate(r) if f.rule == rule_id]


def test_gazetteer_finds_township_names_in_text():
    names = [n for _, n in place_names("截止目前，金山镇依申请公开政府信息的条数为0。南定镇定期投送信息。")]
    assert names == ["金山镇", "南定镇"]


def test_generic_words_are_not_place_names():
    text = (
        "我镇、本镇、全镇、各乡镇、城乡、城镇、县级、全县、社区、辖区、开发区、高新区和各村居社区均已落实。"
        "建设美丽乡村，推进乡村振兴，打造特色小镇和重点镇、中心镇、示范镇，推进小城镇和新城镇建设，送政策下乡，"
        "各乡镇街道、各县区、市县区、老城区、经济开发区、工业园区、高新技术产业开发区、镇村两级、集镇、农村社区。"
    )
    assert place_names(text) == []


def test_own_places_include_the_county_chain():
    own = own_places("南定镇人民政府")
    assert {"南定镇", "张店区", "淄博市"} <= own


def test_unit_name_other_township_is_an_error_own_name_and_villages_are_not():
    r = report(s1_request="截止目前，金山镇依申请公开政府信息的条数为0。", s1_active="南定镇在后南定社区和前南定村设置公开栏。")
    (f,) = rule(r, "META-UNIT-NAME")
    assert f.severity == "error" and "金山镇" in f.message
    assert rule(report(s1_active="南定镇在后南定社区和前南定村设置公开栏，张店区政府网站同步公开。"), "META-UNIT-NAME") == []


def test_county_unit_may_name_its_own_townships():
    r = report(unit="张店区人民政府", unit_type="县级人民政府", s1_active="南定镇、马尚镇的公开栏均已更新。")
    assert rule(r, "META-UNIT-NAME") == []
    r = report(unit="张店区人民政府", unit_type="县级人民政府", s1_active="学习借鉴金山区的做法。")
    assert [f.message for f in rule(r, "META-UNIT-NAME")]


@pytest.mark.parametrize(
    "text, variant_word",
    [
        ("本报告中所列数据的统计期限为2020年1月1日至2020年12月31日。", "统计期限"),
        ("本报告中所列数据的统计期限为2021年1月1日至2021年11月30日。", "统计期限"),
        ("本报告于202312月发布。", "格式有误"),
        ("统计期限为2021年1月1日至2021年12月32日。", "格式有误"),
        ("于2021年2月30日完成整改。", "日期“2021年2月30日”不存在（该月没有这一天）"),  # well written, no such day
    ],
)
def test_meta_year_variants(text, variant_word):
    r = report(preamble=text)
    found = rule(r, "META-YEAR")
    assert found and any(variant_word in f.message for f in found)
    assert all(f.severity == "error" for f in found)


def test_meta_year_title_and_early_signature():
    r = report(s6="依据办法，未收取信息处理费。\n南定镇人民政府\n2021年12月20日")
    r.title = "南定镇人民政府2020年政府信息公开工作年度报告"
    messages = " ".join(f.message for f in rule(r, "META-YEAR"))
    assert "标题中的年度为2020年" in messages and "早于报告年度结束" in messages
    ok = report(s6="依据办法，未收取信息处理费。\n南定镇人民政府\n2022年1月20日")
    ok.title = "南定镇人民政府2021年政府信息公开工作年度报告"
    assert rule(ok, "META-YEAR") == []


def test_period_statement_missing_or_vague():
    r = report(preamble="本报告依据条例编制。")
    (f,) = rule(r, "META-PERIOD-STMT")
    assert f.severity == "warning" and "2021年1月1日至2021年12月31日" in f.message
    r = report(preamble="本报告依据条例编制。", s1_request="截至目前，未收到申请。")
    (f,) = rule(r, "META-PERIOD-STMT")
    assert "截至目前" in f.message


def test_role_for_county_department_speaking_as_a_township():
    r = report(unit="示例县教育局", unit_type="县级政府部门", s1_intro="我镇严格落实条例。")
    (f,) = rule(r, "META-ROLE")
    assert "我镇" in f.message and "县级政府部门" in f.message
    assert rule(report(unit="示例县教育局", unit_type="县级政府部门", s1_intro="本局严格落实条例，指导各乡镇开展工作。"), "META-ROLE") == []


def test_township_may_mention_the_competent_department():
    r = report(s1_intro="按照县政府信息公开工作主管部门的要求，按时报送年度报告。")
    assert rule(r, "META-ROLE") == []


@pytest.mark.parametrize(
    "text",
    ["依据《中华人民共和国政府信息公开条例》（国务院令第492号）", "按照国办公开办函〔2019〕60号的格式编制"],
)
def test_stale_references(text):
    assert rule(report(preamble=text + "。统计期限为2021年1月1日至2021年12月31日。"), "META-STALE")


def test_stale_new_regulation_only_from_2021():
    text = "认真落实新修订的《中华人民共和国政府信息公开条例》。"
    assert rule(report(s1_management=text), "META-STALE")
    assert rule(report(year=2019, s1_management=text), "META-STALE") == []


def test_document_number():
    wrong = report(preamble="根据国办政务公开办函〔2021〕30号要求编制。")
    (f,) = rule(wrong, "TPL-DOCNO")
    assert "国办政务公开办函〔2021〕30号" in f.message and form.FORMAT_ID in f.message
    right = report(preamble=f"根据{form.FORMAT_ID}要求编制。")
    assert rule(right, "TPL-DOCNO") == []


def test_sample_reports_of_every_unit_have_no_identity_finding():
    from gxexcel.sample import SAMPLE_UNITS

    for i, (name, kind) in enumerate(SAMPLE_UNITS):
        r = sample_report(random.Random(i), unit_name=name, unit_type=kind)
        assert [f for f in validate(r) if f.rule.startswith(("META-", "TPL-"))] == [], name


def test_text_about_another_year_is_an_error_but_comparisons_are_not():
    r = report(s1_request="2020年，我镇新收政府信息公开申请0件。")
    (f,) = rule(r, "META-YEAR")
    assert "正文中的年度为2020年" in f.message and "2020年，我镇" in f.quote
    ok = report(s1_request="2021年，我镇新收政府信息公开申请0件，与2020年全年持平，较2020年我镇减少。")
    assert rule(ok, "META-YEAR") == []


def test_plans_for_the_next_year_are_not_the_wrong_year():
    """“2022年，我镇将……” in a 2021 report is a plan, not text about the wrong year."""
    ok = report(s1_management="2022年，我镇将继续加强政府信息管理。2022年我镇计划开展培训2次。")
    assert rule(ok, "META-YEAR") == []
    # a past year stays an error even with 将 in the sentence
    bad = report(s1_management="2020年，我镇将政务公开纳入绩效考核。")
    (f,) = rule(bad, "META-YEAR")
    assert "2020" in f.message
    # and the next year without a plan word is still reported
    (g,) = rule(report(s1_management="2022年，我镇主动公开政府信息80条。"), "META-YEAR")
    assert "2022" in g.message


def test_this_year_named_as_another_year_is_an_error_whatever_the_context():
    """“本年度（2020年）” in a 2021 report: 本年 is the report year, even in a comparison."""
    (f,) = rule(report(s1_request="本年度（2020年）较上年新收申请增加2件。"), "META-YEAR")
    assert "正文“本年”中的年度为2020年" in f.message and "本年度（2020年）" in f.quote
    assert rule(report(s1_request="本年度（2021年）较上年新收申请增加2件。"), "META-YEAR") == []
    assert rule(report(s1_request="本年（2021年度）新收申请2件。"), "META-YEAR") == []
