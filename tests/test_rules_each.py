"""For every rule the engine checks: an input that breaks it and one that passes it.

The base is a plausible, consistent township report from the sample generator
(figures and narrative text). Each breaker changes it the way a clerk or a
copied report would; the test asserts the rule fires on the broken report and
stays silent on the base (and on a second base with non-zero figures).
"""

from __future__ import annotations

import copy
import random
from typing import Callable

import pytest

from gxexcel import form, layout
from gxexcel.model import Report
from gxexcel.rules.engine import rules_checked, validate
from gxexcel.sample import sample_report

Case = tuple[Report, Report | None]


def base(seed: int = 7, **kw) -> Report:
    kw.setdefault("unit_name", "石门镇人民政府")
    return sample_report(random.Random(seed), **kw)


def busy() -> Report:
    """A base with applications, cases and documents, so text quotes non-zero figures."""
    for seed in range(200):
        r = base(seed)
        if r.number("t3.new.total") and r.number("t2.normative.issued") and r.number("t4.review.total"):
            return r
    raise AssertionError("no busy sample")


def last_year(r: Report) -> Report:
    prev = copy.deepcopy(r)
    prev.year = r.year - 1
    for col in form.T3.columns:
        prev.cells[f"t3.carry_forward.{col.id}"] = r.cells[f"t3.carried.{col.id}"]
    for row in ("regs", "normative"):
        prev.cells[f"t2.{row}.in_force"] = (
            r.number(f"t2.{row}.in_force") - r.number(f"t2.{row}.issued") + r.number(f"t2.{row}.repealed")
        )
    prev.narrative["s5"] = "（一）存在的主要问题\n1.信息更新不及时。\n（二）改进措施\n1.建立台账，按月检查各栏目更新情况，明确专人负责。"
    prev.narrative = {k: (v + "上年另有专门说明。" if v and k != "s5" else v) for k, v in prev.narrative.items()}
    prev.narrative["s1.intro"] = "上年度的总体情况完全不同的一段说明文字，内容与本年不重复。" * 3
    return prev


def text(r: Report, part: str, add: str) -> Report:
    r.narrative[part] = (r.narrative.get(part) or "") + add
    return r


def workbook(r: Report) -> Report:
    r.source.kind = "workbook"
    r.source.sheets = list(layout.TEMPLATE_SHEETS)
    r.source.template_id, r.source.template_version = layout.TEMPLATE_ID, layout.TEMPLATE_VERSION
    return r


def _t3_balance(r: Report) -> Report:
    r.cells["t3.carry_forward.natural"] = r.number("t3.carry_forward.natural") + 2
    r.fill_totals()
    return r


def _typed(cid: str, delta: int) -> Callable[[Report], Report]:
    def apply(r: Report) -> Report:
        r.cells[cid] = r.number(cid) + delta  # a total not equal to its parts
        return r

    return apply


def _t4_group(group: str) -> Callable[[Report], Report]:
    def apply(r: Report) -> Report:
        r.cells[f"t4.{group}.total"] = r.number(f"t4.{group}.total") + 1
        return r

    return apply


def _set(**cells) -> Callable[[Report], Report]:
    def apply(r: Report) -> Report:
        for k, v in cells.items():
            r.cells[k.replace("__", ".")] = v
        r.fill_totals()
        return r

    return apply


def _zero_t3_with_result(r: Report) -> Report:
    for c in form.T3.cells:
        r.cells[c.id] = 0
    r.cells["t3.open.natural"] = 1
    r.cells["t3.carry_forward.natural"] = 0
    r.fill_totals()
    return r


def _zero_applications_with_cases(r: Report) -> Report:
    for c in form.T3.cells:
        r.cells[c.id] = 0
    r.cells["t4.review.upheld"] = 1
    r.fill_totals()
    r.narrative["s1.request"] = ""
    r.narrative["s4.note"] = ""
    return r


def _unpaid(r: Report) -> Report:
    r.cells["t3.other_unpaid.natural"] = r.number("t3.other_unpaid.natural") + 1
    r.cells["t3.new.natural"] = r.number("t3.new.natural") + 1
    r.fill_totals()
    r.fees["fee.notices"] = 0
    r.narrative["s1.request"] = ""
    return r


def _x_text_t3(r: Report) -> Report:
    return text(r, "s3.note", f"本年新收政府信息公开申请{int(r.number('t3.new.total')) + 3}件。")


def _x_text_t4(r: Report) -> Report:
    return text(r, "s4.note", f"全年发生政府信息公开行政复议{int(r.number('t4.review.total')) + 2}件。")


def _x_text_t2(r: Report) -> Report:
    return text(r, "s2.note", f"全年公开行政处罚决定{int(r.number('t2.penalty.decisions')) + 5}件。")


def _x_text_sum(r: Report) -> Report:
    return text(r, "s1.platform", "全年共主动公开信息382条，其中网站35条、媒体80条、微信2443条。")


def _no_fee_statement(r: Report) -> Report:
    r.narrative["s6"] = "无。"
    return r


def _no_assessment(r: Report) -> Report:
    r.narrative["s1.supervision"] = "我镇调整了政府信息公开工作领导小组，明确专人负责信息发布和保密审查。"
    return r


def _wrong_period(r: Report) -> Report:
    r.narrative["preamble"] = r.narrative["preamble"].replace(f"{r.year}年1月1日", f"{r.year - 1}年1月1日")
    return r


def _no_period(r: Report) -> Report:
    r.narrative["preamble"] = r.narrative["preamble"].split("本报告中所列数据的统计期限")[0]
    return r


def _cross_year(breaker: Callable[[Report, Report], None]) -> Callable[[Report], Case]:
    def apply(r: Report) -> Case:
        prev = last_year(r)
        breaker(r, prev)
        return r, prev

    return apply


def _carry(r: Report, prev: Report) -> None:
    prev.cells["t3.carry_forward.natural"] = prev.number("t3.carry_forward.natural") + 2
    prev.cells["t3.carry_forward.total"] = prev.number("t3.carry_forward.total") + 2


def _roll(r: Report, prev: Report) -> None:
    prev.cells["t2.normative.in_force"] = prev.number("t2.normative.in_force") + 4


def _other_unit(r: Report, prev: Report) -> None:
    prev.unit_name = "金竹乡人民政府"


def _s5_copied(r: Report, prev: Report) -> None:
    prev.narrative["s5"] = r.narrative["s5"]


def _dup(r: Report, prev: Report) -> None:
    prev.narrative = dict(r.narrative)


def _label(r: Report) -> Report:
    workbook(r).source.changed_labels["表三!A9"] = "1.属于国家机密"
    return r


def _formula(r: Report) -> Report:
    workbook(r).source.typed_totals.append("t3.new.total")
    r.source.cached_totals["t3.new.total"] = r.number("t3.new.total") + 2
    r.cells["t3.new.total"] = r.number("t3.new.total") + 2
    return r


def _sheets(r: Report) -> Report:
    workbook(r).source.sheets = [s for s in layout.TEMPLATE_SHEETS if s != "表四"] + ["Sheet1"]
    return r


def _input_formula(r: Report) -> Report:
    workbook(r).source.formula_inputs["t3.new.natural"] = "=D6+1"
    return r


def _blank_year(r: Report) -> Report:
    workbook(r).year = None  # the cover's 报告年度 left blank
    return r


def _version(r: Report) -> Report:
    workbook(r).source.template_version = "0.9"
    return r


def _macros(r: Report) -> Report:
    workbook(r).source.has_macros = True
    return r


#: rule id -> (base maker, breaker). The breaker returns the broken report (and last year's, if any).
BREAK: dict[str, tuple[Callable[[], Report], Callable[[Report], Report | Case]]] = {
    "CELL-INT": (base, _set(t2__penalty__decisions="3件")),
    "CELL-FEE": (base, _set(t2__fees__amount=-1.5)),
    "CELL-BLANK": (base, _set(t3__carried__business=None)),
    "CELL-FEE-UNIT": (base, _set(t2__fees__amount=25600)),
    "CELL-FORMULA": (base, _input_formula),
    "T2-MADE-LE": (lambda: base(unit_type="其他"), _set(t2__normative__issued=9, t2__normative__in_force=1, t2__normative__repealed=0)),
    "T2-REGS-LEVEL": (base, _set(t2__regs__issued=1, t2__regs__in_force=1)),
    "T3-ROW-TOTAL": (base, _typed("t3.new.total", 1)),
    "T3-RESULT-SUM": (base, _typed("t3.total.natural", 1)),
    "T3-BALANCE": (base, _t3_balance),
    "T3-CARRY-LE": (base, _set(t3__carry_forward__legal_service=50)),
    "T3-ZERO-CONSIST": (base, _zero_t3_with_result),
    "T4-REVIEW-SUM": (base, _t4_group("review")),
    "T4-LIT-DIRECT-SUM": (base, _t4_group("suit_direct")),
    "T4-LIT-AFTER-SUM": (base, _t4_group("suit_after_review")),
    "PLAUS-T3-FEE": (base, _unpaid),
    "PLAUS-T4-T3": (base, _zero_applications_with_cases),
    "X-TEXT-T3": (busy, _x_text_t3),
    "X-TEXT-T4": (busy, _x_text_t4),
    "X-TEXT-T2": (busy, _x_text_t2),
    "X-TEXT-ZERO": (base, lambda r: text(_set(**{f"t3__{row}__{c}": 0 for row in ("new", "carried") for c in form.T3_APPLICANT_COLUMNS})(_zero_t3_with_result(r)), "s5", "信息发布不及时，也造成了信息公开申请数量增加。")),
    "X-TEXT-SUM": (base, _x_text_sum),
    "X-FEE-STMT": (base, _no_fee_statement),
    "X-S1-ASSESS": (base, _no_assessment),
    "X-S5-PRIOR": (base, _cross_year(_s5_copied)),
    "META-YEAR": (base, _wrong_period),
    "META-PERIOD-STMT": (base, _no_period),
    "META-UNIT-NAME": (base, lambda r: text(r, "s1.request", "截止目前，金山镇依申请公开政府信息的条数为0。")),
    "META-ROLE": (base, lambda r: text(r, "s1.intro", "积极履行政府信息公开工作主管部门职责。")),
    "META-DUP": (base, _cross_year(_dup)),
    "META-STALE": (base, lambda r: text(r, "s1.management", "认真落实新修订的《中华人民共和国政府信息公开条例》。")),
    "TPL-DOCNO": (base, lambda r: text(r, "preamble", "依据国办政务公开办函〔2021〕30号编制。")),
    "TPL-WB-LABEL": (base, _label),
    "TPL-WB-FORMULA": (base, _formula),
    "TPL-WB-SHEETS": (base, _sheets),
    "TPL-WB-VERSION": (base, _version),
    "META-COVER": (base, _blank_year),
    "TPL-WB-MACROS": (base, _macros),
    "XY-T3-CARRY": (base, _cross_year(_carry)),
    "XY-T2-ROLL": (lambda: base(year=2022), _cross_year(_roll)),  # both years in the 2021 format
    "XY-UNIT": (base, _cross_year(_other_unit)),
}


def test_every_checked_rule_has_a_breaker():
    assert set(BREAK) == rules_checked()


def _run(case: Report | Case) -> list:
    report, previous = case if isinstance(case, tuple) else (case, None)
    return validate(report, previous)


@pytest.mark.parametrize("rule", sorted(BREAK), ids=str)
def test_rule_fires_on_broken_input_and_not_on_clean(rule):
    make, breaker = BREAK[rule]
    clean = make()
    clean_prev = last_year(clean)
    assert rule not in {f.rule for f in validate(clean, clean_prev)}, "clean input must pass"
    broken = breaker(make())
    found = [f for f in _run(broken) if f.rule == rule]
    assert found, f"{rule} must fire on the broken input"
    for f in found:
        assert f.message and f.severity in ("error", "warning")
        assert f.location, "every finding says where"


def test_clean_busy_report_passes_every_rule():
    r = busy()
    assert validate(r, last_year(r)) == []


def test_importing_one_family_first_still_loads_every_check():
    import subprocess
    import sys

    code = (
        "from gxexcel.rules.cross_year import carry_over\n"
        "from gxexcel.rules.engine import rules_checked\n"
        "print(len(rules_checked()))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout.strip().splitlines()[-1]) == len(rules_checked())


def test_explanations_attach_to_warnings_one_by_one_and_never_to_errors():
    r = workbook(base())
    for c in form.T3.cells:
        r.cells[c.id] = 0
    r.narrative["s1.request"] = ""
    r.narrative["s5"] = "信息发布不及时，造成申请数量增加。\n部分政策缺少解读材料。"
    r.cells["t2.normative.issued"] = 0
    r.cells["t3.carry_forward.natural"] = 1  # T3-BALANCE, an error
    r.fill_totals()
    first = validate(r)
    zero = [f for f in first if f.rule == "X-TEXT-ZERO"]
    assert len(zero) == 2 and zero[0].cell == zero[1].cell and zero[0].key != zero[1].key
    error = next(f for f in first if f.rule == "T3-BALANCE")
    r.explanations = {zero[0].key: "申请增加指的是咨询量，已核实。", error.key: "想说明一下"}
    again = {f.key: f for f in validate(r)}
    assert again[zero[0].key].explained and again[zero[0].key].explanation.startswith("申请增加")
    assert not again[zero[1].key].explained
    assert again[error.key].explanation == "" and not again[error.key].explained


def test_t2_roll_forward_is_not_checked_across_the_2020_to_2021_format_change():
    r = base(year=2022)
    prev = last_year(r)
    prev.cells["t2.normative.in_force"] = prev.number("t2.normative.in_force") + 4
    assert "XY-T2-ROLL" in {f.rule for f in validate(r, prev)}
    r.year, prev.year = 2021, 2020  # 2020 used the 2019 format: 表二 counted other things
    rules = {f.rule for f in validate(r, prev)}
    assert "XY-T2-ROLL" not in rules
    prev.cells["t3.carry_forward.total"] = prev.number("t3.carry_forward.total") + 1
    assert "XY-T3-CARRY" in {f.rule for f in validate(r, prev)}  # the carry-over still is


def test_x_s5_prior_needs_text_long_enough_to_be_copied():
    """“无。” in section 五 both years is not copying (the merge skips texts this short too)."""
    from gxexcel.rules.engine import validate

    r = base()
    prev = last_year(r)
    r.narrative["s5"] = prev.narrative["s5"] = "无。"
    assert "X-S5-PRIOR" not in {f.rule for f in validate(r, prev)}
    r.narrative["s5"] = prev.narrative["s5"] = "本年度存在的主要问题是公开内容不够全面、解读回应不够及时，" * 3
    assert "X-S5-PRIOR" in {f.rule for f in validate(r, prev)}


def test_meta_dup_with_last_year_measures_the_units_own_writing():
    """The parts gxexcel drafts from the figures are alike whenever the figures are: a unit
    that rewrote everything it writes itself is not a copy of last year, one that copied it is."""
    r = base()
    prev = last_year(r)
    own = [p.id for p in form.NARRATIVE_PARTS if not p.generated]
    drafted = [p.id for p in form.NARRATIVE_PARTS if p.generated]
    for pid in drafted:
        prev.narrative[pid] = r.narrative.get(pid, "")
    rng = random.Random(9)
    words = "政务公开平台建设监督保障培训检查栏目网站更新信息发布制度完善队伍责任考核评议追究"
    for pid in own:
        r.narrative[pid] = "".join(rng.choice(words) for _ in range(120)) + "。"
        prev.narrative[pid] = "".join(rng.choice(words) for _ in range(120)) + "。"
    assert "META-DUP" not in {f.rule for f in validate(r, prev)}
    for pid in own:
        prev.narrative[pid] = r.narrative[pid]
    (f,) = [f for f in validate(r, prev) if f.rule == "META-DUP"]
    assert "本单位撰写的部分" in f.section
