"""Narrative drafting: the generated text states exactly the cells' figures."""

from __future__ import annotations

import re

import pytest

from gxexcel import form, layout
from gxexcel.model import Report
from gxexcel.narrative.context import figure
from gxexcel.narrative.draft import GENERATED_PARTS, draft, narrate
from gxexcel.narrative.marker import make_marker, part_state
from gxexcel.publish.grid import format_value

from narrative_reports import many_reports, zeros_report

REPORTS = many_reports()


def _n(report: Report, cid: str) -> str:
    return format_value(figure(report, cid))


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", text)


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.unit_name)
def test_drafts_state_the_cells_figures(report):
    drafts, skipped = draft(report)
    assert not skipped and set(drafts) == set(GENERATED_PARTS)
    year = str(report.year)
    # preamble: the statistical-period sentence of the report year
    assert f"本报告中所列数据的统计期限为{year}年1月1日至{year}年12月31日" in drafts["preamble"]
    assert form.FORMAT_ID in drafts["preamble"]

    # 一（一）: 表二
    active = drafts["s1.active"]
    doc = {c: _n(report, f"t2.normative.{c}") for c in ("issued", "repealed", "in_force")}
    if doc["issued"] != "0" or doc["repealed"] != "0":
        assert f"本年制发行政规范性文件{doc['issued']}件，废止{doc['repealed']}件，现行有效{doc['in_force']}件" in active
    elif doc["in_force"] != "0":
        assert f"现行有效行政规范性文件{doc['in_force']}件" in active
    for row in ("license", "penalty", "enforcement"):
        label = form.CELLS[f"t2.{row}.decisions"].row_labels[1]
        value = _n(report, f"t2.{row}.decisions")
        if value != "0":
            assert f"{label}决定{value}件" in active
        else:
            assert f"{label}决定{value}件" not in active and label in active
    amount = _n(report, "t2.fees.amount")
    assert (f"行政事业性收费金额{amount}万元" in active) if amount != "0" else ("未收取行政事业性收费" in active)
    allowed = {_n(report, c.id) for c in form.T2.cells} | {year}
    assert set(_numbers(active)) <= allowed

    # 一（二）: 表三 总计列
    request = drafts["s1.request"]
    new, carried = _n(report, "t3.new.total"), _n(report, "t3.carried.total")
    if new == carried == "0":
        assert "未收到政府信息公开申请" in request and set(_numbers(request)) == {year}
    else:
        assert f"新收政府信息公开申请{new}件" in request
        assert f"上年结转政府信息公开申请{carried}件" in request
        assert f"结转下年度继续办理{_n(report, 't3.carry_forward.total')}件" in request
        done = _n(report, "t3.total.total")
        if done != "0":
            assert f"办结申请{done}件" in request
        group_sum = 0
        for label, rows in form.T3_RESULT_GROUPS:
            count = sum(figure(report, f"t3.{r}.total") for r in rows)
            short = re.sub(r"^（.）", "", label).split("（")[0]
            if count:
                assert f"{short}{count}件" in request
                group_sum += count
            else:
                assert not re.search(rf"{short}\d", request)
        assert group_sum == figure(report, "t3.total.total")
        applicants = [c for c in form.T3_APPLICANT_COLUMNS if figure(report, f"t3.new.{c}")]
        if len(applicants) > 1:
            stated = sum(int(x) for x in re.findall(r"申请(\d+)件", request.split("；")[0].split("其中", 1)[1]))
            assert stated == figure(report, "t3.new.total")
        allowed = {_n(report, c.id) for c in form.T3.cells} | {year}
        allowed |= {str(sum(figure(report, f"t3.{r}.total") for r in rows)) for _, rows in form.T3_RESULT_GROUPS}
        assert set(_numbers(request.replace("1.", ""))) <= allowed

    # 四: 表四
    note = drafts["s4.note"]
    review = _n(report, "t4.review.total")
    suits = figure(report, "t4.suit_direct.total") + figure(report, "t4.suit_after_review.total")
    if review == "0" and not suits:
        assert "未发生因政府信息公开引起的行政复议、行政诉讼案件" in note
    else:
        assert (f"行政复议案件{review}件" in note) if review != "0" else "未发生政府信息公开行政复议案件" in note
        assert (f"行政诉讼案件{suits}件" in note) if suits else "未发生政府信息公开行政诉讼案件" in note
        for outcome in ("upheld", "corrected", "other", "pending"):
            label = form.CELLS[f"t4.review.{outcome}"].column_labels[-1]
            counts = [figure(report, f"t4.review.{outcome}")]
            counts.append(sum(figure(report, f"t4.{g}.{outcome}") for g in ("suit_direct", "suit_after_review")))
            for count in counts:
                if count:
                    assert f"{label}{count}件" in note

    # 六: 信息处理费
    fee = drafts["s6"]
    assert form.FEE_LAW in fee
    notices, billed, collected = (format_value(report.fees[f.id]) for f in form.FEE_FIELDS)
    if notices == billed == collected == "0":
        assert "未发出收费通知，未收取信息处理费" in fee
    else:
        assert f"发出收费通知{notices}件" in fee and f"列明的金额共计{billed}元" in fee
        assert (f"实际收取信息处理费{collected}元" in fee) if collected != "0" else "实际未收取信息处理费" in fee


def test_generated_text_is_marked_and_refreshed_but_clerk_text_is_kept():
    report = many_reports(count=3)[3]
    first = narrate(report)
    assert set(first.written) == set(GENERATED_PARTS)
    for part in GENERATED_PARTS:
        assert report.markers[part] == make_marker(report.narrative[part])
        assert part_state(report.narrative[part], report.markers[part]) == "generated"
    again = narrate(report)
    assert not again.written and set(again.unchanged) == set(GENERATED_PARTS)

    # the figures change: untouched generated parts follow them
    report.cells["t2.penalty.decisions"] = figure(report, "t2.penalty.decisions") + 7
    clerk = "本单位行政复议情况详见上表，此段为人工撰写。"
    report.narrative["s4.note"] = clerk  # the clerk rewrote 四 (marker still from the draft)
    report.narrative["preamble"] += "如有疑问请来电。"  # ... and added a sentence to the preamble
    third = narrate(report)
    assert "s1.active" in third.written
    assert f"行政处罚决定{figure(report, 't2.penalty.decisions')}件" in report.narrative["s1.active"]
    assert third.kept == {"s4.note": "edited", "preamble": "edited"}
    assert report.narrative["s4.note"] == clerk

    # text typed where there never was a marker is the clerk's too
    report.markers.pop("s6")
    report.narrative["s6"] = "无。"
    assert narrate(report).kept["s6"] == "clerk" and report.narrative["s6"] == "无。"

    forced = narrate(report, force=True)
    assert {"s4.note", "preamble", "s6"} <= set(forced.written)
    assert report.narrative["s4.note"] != clerk and form.FEE_LAW in report.narrative["s6"]


def test_parts_with_invalid_figures_are_skipped_naming_the_cells():
    report = zeros_report()
    report.cells["t3.new.natural"] = None
    report.cells["t4.review.upheld"] = "两件"
    report.cells["t2.penalty.decisions"] = 2.5
    report.fees["fee.collected"] = None
    drafts, skipped = draft(report)
    assert set(skipped) == {"s1.request", "s4.note", "s1.active", "s6"}
    where = lambda key: [str(layout.locate(key))]  # noqa: E731  e.g. 表三!D5
    assert skipped["s1.request"] == where("t3.new.natural") == ["表三!D5"]
    assert skipped["s4.note"] == where("t4.review.upheld")
    assert skipped["s1.active"] == where("t2.penalty.decisions")
    assert skipped["s6"] == where("fee.collected")
    assert set(drafts) == {"preamble"}


@pytest.mark.parametrize("year", [None, 99999, 21, "2021年"])
def test_no_draft_with_an_implausible_report_year(year):
    """A slip in the cover's 报告年度 (99999, 21, text) stops every draft and names the cell,
    instead of writing “99999年” into the report."""
    report = zeros_report()
    report.year = year
    drafts, skipped = draft(report)
    assert not drafts
    assert all(str(layout.locate("year")) in cells for cells in skipped.values())


def test_a_county_office_can_override_the_wording(tmp_path, monkeypatch):
    folder = tmp_path / "tpl" / "narrative"
    folder.mkdir(parents=True)
    (folder / "s6.j2").write_text(
        "{{ year }}年{{ me }}依据{{ fee_law }}收取信息处理费{{ fees.collected | n }}元。\n", encoding="utf-8"
    )
    report = zeros_report()
    assert draft(report, templates=tmp_path / "tpl")[0]["s6"] == f"2022年我乡依据{form.FEE_LAW}收取信息处理费0元。"
    monkeypatch.setenv("GXEXCEL_TEMPLATES", str(tmp_path / "tpl"))
    drafts = draft(report)[0]
    assert drafts["s6"].endswith("收取信息处理费0元。")
    assert drafts["s4.note"] == draft(zeros_report(), templates=None)[0]["s4.note"]  # others bundled


@pytest.mark.parametrize(
    "unit, me",
    [("南定镇人民政府", "我镇"), ("东城街道办事处", "本街道"), ("平安乡人民政府", "我乡"), ("云溪县人民政府", "我县"),
     ("云溪县自然资源局", "我局"), ("云溪县卫生健康委员会", "我委"), ("云溪县档案馆", "本单位")],
)
def test_the_unit_names_itself_as_real_reports_do(unit, me):
    report = zeros_report()
    report.unit_name = unit
    assert draft(report)[0]["s4.note"] == f"2022年，{me}未发生因政府信息公开引起的行政复议、行政诉讼案件。"


@pytest.mark.parametrize("blank", ["", "   "])
def test_the_preamble_of_a_unit_without_a_name_is_still_a_sentence(blank):
    """封面 单位名称 not filled yet: the preamble must not read "由编制" (META-COVER reports the blank)."""
    report = zeros_report()
    report.unit_name = blank
    preamble = draft(report)[0]["preamble"]
    assert "由本单位编制" in preamble and "由编制" not in preamble
