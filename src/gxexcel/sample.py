"""Plausible sample reports for a fictional county, with optional injected errors.

``sample_report`` makes one township's report: mostly small figures and many
zeros, now and then a large 行政许可 count (the seed report has 805), every sum
identity holding, and narrative text per part that quotes the unit's own
figures, carries the statistical-period sentence and a 信息处理费 statement,
and never names another unit.

``write_samples`` writes N such reports as workbooks (through
:func:`gxexcel.writer.write_workbook`) and, with ``errors=True``, injects the
documented set of errors of :data:`ERROR_KINDS` and writes a manifest
(``manifest.json`` and a Chinese ``manifest.csv``) saying which workbook has
which error and which rule must find it. The same seed gives the same output.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from . import form, layout
from .atomic import atomic_path, write_text_atomic
from .model import Report

#: The fictional county the samples belong to.
SAMPLE_COUNTY = "云溪县"
SAMPLE_YEAR = 2021

#: Units of the sample county: (unit name, unit type). Fictional but realistic names.
SAMPLE_UNITS: tuple[tuple[str, str], ...] = (
    ("城关镇人民政府", "乡镇人民政府"),
    ("云溪镇人民政府", "乡镇人民政府"),
    ("石门镇人民政府", "乡镇人民政府"),
    ("桃源镇人民政府", "乡镇人民政府"),
    ("龙泉镇人民政府", "乡镇人民政府"),
    ("白沙镇人民政府", "乡镇人民政府"),
    ("青山镇人民政府", "乡镇人民政府"),
    ("河口镇人民政府", "乡镇人民政府"),
    ("双河镇人民政府", "乡镇人民政府"),
    ("金山镇人民政府", "乡镇人民政府"),
    ("高桥镇人民政府", "乡镇人民政府"),
    ("永安镇人民政府", "乡镇人民政府"),
    ("凤凰镇人民政府", "乡镇人民政府"),
    ("大坪乡人民政府", "乡镇人民政府"),
    ("柳林乡人民政府", "乡镇人民政府"),
    ("马鞍乡人民政府", "乡镇人民政府"),
    ("金竹乡人民政府", "乡镇人民政府"),
    ("东城街道办事处", "街道办事处"),
    ("西城街道办事处", "街道办事处"),
    ("南湖街道办事处", "街道办事处"),
    ("杨柳镇人民政府", "乡镇人民政府"),
    ("黄土乡人民政府", "乡镇人民政府"),
    ("三江镇人民政府", "乡镇人民政府"),
    ("新华街道办事处", "街道办事处"),
)

_SUFFIXES = ("人民政府", "办事处")


def place_name(unit_name: str) -> str:
    """``石门镇人民政府`` -> ``石门镇``; ``东城街道办事处`` -> ``东城街道``."""
    for suffix in _SUFFIXES:
        if unit_name.endswith(suffix):
            return unit_name[: -len(suffix)]
    return unit_name


def short_name(unit_name: str) -> str:
    """``石门镇人民政府`` -> ``石门``."""
    place = place_name(unit_name)
    for level in ("街道", "镇", "乡"):
        if place.endswith(level) and len(place) > len(level):
            return place[: -len(level)]
    return place


def self_reference(unit_name: str) -> str:
    """How the unit refers to itself in its report: 我镇 / 我乡 / 本街道 / 本单位."""
    place = place_name(unit_name)
    if place.endswith("街道"):
        return "本街道"
    if place.endswith("镇"):
        return "我镇"
    if place.endswith("乡"):
        return "我乡"
    return "本单位"


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------

#: Relative frequency of each 表三 result row for a township (予以公开 and 无法提供 dominate).
_RESULT_WEIGHTS: dict[str, float] = {
    "open": 45,
    "partial": 8,
    "deny_secret": 0.3,
    "deny_law": 0.5,
    "deny_safety": 0.3,
    "deny_third_party": 2,
    "deny_internal": 1.5,
    "deny_process": 2,
    "deny_case_file": 0.5,
    "deny_query": 1,
    "unable_no_info": 22,
    "unable_create": 3,
    "unable_unclear": 2,
    "reject_petition": 4,
    "reject_repeat": 2,
    "reject_publication": 0.5,
    "reject_mass": 0.3,
    "reject_confirm": 0.5,
    "other_no_correction": 2,
    "other_unpaid": 0.3,
    "other_other": 2,
}
assert set(_RESULT_WEIGHTS) == set(form.T3_LEAF_RESULT_ROWS)

#: (probability the applicant column is non-zero, range when it is) for new applications.
_APPLICANTS: dict[str, tuple[float, tuple[int, int]]] = {
    "natural": (0.9, (1, 14)),
    "business": (0.3, (1, 3)),
    "research": (0.03, (1, 1)),
    "public_interest": (0.05, (1, 2)),
    "legal_service": (0.12, (1, 2)),
    "other": (0.1, (1, 2)),
}
assert set(_APPLICANTS) == set(form.T3_APPLICANT_COLUMNS)


def _maybe(rng: random.Random, p: float, low: int, high: int) -> int:
    return rng.randint(low, high) if rng.random() < p else 0


def _table2(rng: random.Random, report: Report) -> None:
    c = report.cells
    for col in ("issued", "repealed", "in_force"):
        c[f"t2.regs.{col}"] = 0  # townships make no 规章 (T2-REGS-LEVEL)
    issued = _maybe(rng, 0.35, 1, 4)
    repealed = _maybe(rng, 0.2, 1, 2)
    c["t2.normative.issued"] = issued
    c["t2.normative.repealed"] = repealed
    c["t2.normative.in_force"] = issued + rng.randint(0, 6)
    roll = rng.random()
    if roll < 0.3:
        licenses = 0
    elif roll < 0.75:
        licenses = rng.randint(1, 60)
    else:
        licenses = rng.randint(100, 950)
    c["t2.license.decisions"] = licenses
    c["t2.penalty.decisions"] = _maybe(rng, 0.5, 1, 40)
    c["t2.enforcement.decisions"] = _maybe(rng, 0.15, 1, 6)
    c["t2.fees.amount"] = round(rng.uniform(0.05, 8.0), rng.choice((2, 2, 4))) if rng.random() < 0.2 else 0


def _table3(rng: random.Random, report: Report) -> None:
    c = report.cells
    has_requests = rng.random() < 0.6
    rows = list(_RESULT_WEIGHTS)
    weights = list(_RESULT_WEIGHTS.values())
    for col in form.T3_APPLICANT_COLUMNS:
        p, (low, high) = _APPLICANTS[col]
        new = _maybe(rng, p, low, high) if has_requests else 0
        carried = _maybe(rng, 0.15 if col == "natural" else 0.03, 1, 2) if has_requests else 0
        received = new + carried
        carry_forward = _maybe(rng, 0.2, 1, min(2, received)) if received else 0
        counts = dict.fromkeys(rows, 0)
        for row in rng.choices(rows, weights, k=received - carry_forward):
            counts[row] += 1
        c[f"t3.new.{col}"] = new
        c[f"t3.carried.{col}"] = carried
        c[f"t3.carry_forward.{col}"] = carry_forward
        for row, n in counts.items():
            c[f"t3.{row}.{col}"] = n


def _table4(rng: random.Random, report: Report) -> None:
    c = report.cells
    applications = sum(report.number(f"t3.new.{col}") for col in form.T3_APPLICANT_COLUMNS)
    active = applications > 0 and rng.random() < 0.2
    for gid, _, _ in form.T4_GROUPS:
        chance = 0.8 if gid == "review" else 0.25
        for outcome in ("upheld", "corrected", "other", "pending"):
            c[f"t4.{gid}.{outcome}"] = 0
        if active and rng.random() < chance:
            outcome = rng.choices(("upheld", "corrected", "other", "pending"), (6, 1, 1, 2))[0]
            c[f"t4.{gid}.{outcome}"] = 1


def _fees(rng: random.Random, report: Report) -> None:
    unpaid = sum(report.number(f"t3.other_unpaid.{col}") for col in form.T3_APPLICANT_COLUMNS)
    notices = max(unpaid, _maybe(rng, 0.08, 1, 2))
    billed = sum(rng.choice((50, 100, 150, 200)) for _ in range(notices))
    collected = billed if not unpaid else 0
    report.fees = {"fee.notices": notices, "fee.billed": billed, "fee.collected": collected}


# ---------------------------------------------------------------------------
# Narrative
# ---------------------------------------------------------------------------

_CHANNELS = ("政务公开栏", "村（社区）公开栏", "便民服务中心电子显示屏", "政务服务大厅公示栏", "微信工作群")
_WECHAT_NAMES = ("幸福{s}", "{s}发布", "印象{s}", "美丽{s}", "{s}之声")
_MANAGEMENT = (
    "严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则，确保公开信息不涉密、涉密信息不公开。",
    "建立健全信息发布审核流程，按照拟稿、科室负责人审核、分管领导审签的程序发布信息，确保信息准确、规范。",
    "及时梳理更新政府信息公开目录，对主动公开事项实行动态调整，做到应公开尽公开。",
    "规范公文办理，在公文起草时即明确公开属性，从源头上做好政府信息公开属性审查。",
    "对已公开信息开展定期自查，发现错误信息、过期链接及时更正、清理。",
)
_PLATFORM = (
    "依托县人民政府门户网站政府信息公开专栏，及时更新机构职能、财政预决算、重点工作等栏目内容。",
    "加强政务新媒体建设与管理，“{wechat}”微信公众号全年发布信息{posts}条，做到内容准确、更新及时。",
    "在便民服务中心和各村（社区）设置政务公开栏，方便群众就近查阅政府信息。",
    "在便民服务中心设置政府信息查阅点，配备查阅设备，为群众查阅信息提供便利。",
    "规范政务公开专区建设，集中提供办事指南、政策文件和咨询服务。",
)
_SUPERVISION = (
    "成立由主要领导任组长、分管领导任副组长的政务公开工作领导小组，明确专人负责政府信息公开日常工作。",
    "将政务公开工作纳入年度目标管理，与业务工作同部署、同检查、同考核。",
    "开展政务公开业务培训{train}次，提升工作人员的业务水平和保密意识。",
    "通过设置意见箱、公布监督电话等方式，主动接受群众和社会各界监督。",
)
_ASSESSMENT = (
    "工作考核、社会评议和责任追究结果情况：{year}年政务公开工作纳入{self_short}年度目标考核，考核结果为{grade}；"
    "通过群众座谈、意见箱等方式开展社会评议，群众总体满意；全年未发生因政府信息公开工作不到位被责任追究的情况。"
)
_PROBLEMS = (
    "部分信息发布不够及时，个别栏目更新频率不高",
    "政策解读形式较为单一，图解、视频等解读方式运用不多",
    "村（社区）政务公开栏内容更新不够及时，规范化水平有待提高",
    "工作人员多为兼职，业务能力有待进一步提升",
    "公开内容与群众关注的热点结合不够紧密",
    "政务新媒体互动回应不够充分",
)
_MEASURES = (
    "建立信息发布台账，明确各栏目更新时限，定期检查、及时更新",
    "加强业务培训，组织工作人员学习《中华人民共和国政府信息公开条例》和相关业务知识",
    "加强对村（社区）政务公开工作的指导和检查，推动公开栏规范化建设",
    "围绕群众关注的惠民政策、重大项目等内容，加大主动公开力度",
    "丰富政策解读形式，提高解读的针对性和可读性",
    "完善政务新媒体留言办理机制，及时回应群众关切",
)


def period_statement(year: int) -> str:
    """The customary statistical-period sentence (META-PERIOD-STMT, META-YEAR)."""
    return f"本报告中所列数据的统计期限为{year}年1月1日至{year}年12月31日。"


def fee_statement(report: Report, self_ref: str) -> str:
    """Section 六's 信息处理费 statement (X-FEE-STMT), from the structured fee figures."""
    notices = report.fees.get("fee.notices") or 0
    billed = report.fees.get("fee.billed") or 0
    collected = report.fees.get("fee.collected") or 0
    if not notices and not collected:
        return f"依据{form.FEE_LAW}，{report.year}年{self_ref}未发出收费通知，未收取信息处理费。"
    return (
        f"依据{form.FEE_LAW}，{report.year}年{self_ref}发出收费通知{notices}件，"
        f"收费通知列明的金额共计{billed}元，实际收取信息处理费{collected}元。"
    )


def _narrative(rng: random.Random, report: Report) -> dict[str, str]:
    unit, year, cells = report.unit_name, report.year, report.cells
    me = self_reference(unit)
    place = place_name(unit)
    wechat = rng.choice(_WECHAT_NAMES).format(s=short_name(unit))
    posts = rng.randint(40, 260)
    n = report.number
    text: dict[str, str] = {}
    text["preamble"] = (
        f"本报告根据《中华人民共和国政府信息公开条例》和《{form.FORMAT_TITLE}》（{form.FORMAT_ID}）要求，"
        f"由{unit}编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
        f"{period_statement(year)}本报告电子版可在{report.parent}人民政府门户网站政府信息公开专栏查阅或下载。"
        f"如对本报告有疑问，请与{unit}党政办公室联系（联系电话：{report.phone}）。"
    )
    text["s1.intro"] = rng.choice(
        (
            f"{year}年，{me}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
            "围绕群众关心关注的事项做好政府信息公开工作，不断提升政府工作透明度。",
            f"{year}年，在县委、县政府的领导下，{me}严格执行《中华人民共和国政府信息公开条例》，"
            "扎实推进决策、执行、管理、服务、结果公开，保障人民群众的知情权、参与权和监督权。",
            f"{year}年，{me}把政府信息公开作为转变政府职能、建设服务型政府的重要抓手，"
            "健全工作机制，规范公开流程，政府信息公开工作有序推进。",
        )
    )
    published = rng.randint(60, 420)
    channels = "、".join(rng.sample(_CHANNELS, 2))
    normative = ""
    if n("t2.normative.issued") or n("t2.normative.in_force"):
        normative = (
            f"本年制发行政规范性文件{cells['t2.normative.issued']}件，废止{cells['t2.normative.repealed']}件，"
            f"现行有效{cells['t2.normative.in_force']}件。"
        )
    text["s1.active"] = (
        f"{year}年，{me}通过{report.parent}人民政府门户网站、{channels}和“{wechat}”微信公众号等渠道"
        f"主动公开政府信息{published}条，内容涵盖机构职能、财政预决算、惠民政策、重点项目等。{normative}"
        f"公开行政许可处理决定{cells['t2.license.decisions']}件，行政处罚决定{cells['t2.penalty.decisions']}件，"
        f"行政强制决定{cells['t2.enforcement.decisions']}件。"
    )
    new, carried = n("t3.new.total"), n("t3.carried.total")
    done, carry_forward = n("t3.total.total"), n("t3.carry_forward.total")
    desk = rng.choice(("党政办公室", "便民服务中心", "综合办公室"))
    if not new and not carried:
        text["s1.request"] = (
            f"{me}在{desk}设立政府信息公开申请受理点，公开受理地址、办公时间和联系电话。"
            f"{year}年{me}未收到政府信息公开申请，无上年结转申请。"
        )
    else:
        opened = n("t3.open.total") + n("t3.partial.total")
        text["s1.request"] = (
            f"{me}在{desk}设立政府信息公开申请受理点，严格按照法定程序和时限办理申请。"
            f"{year}年{me}新收政府信息公开申请{new}件，上年结转{carried}件，办结{done}件，"
            f"其中予以公开和部分公开{opened}件；结转下年度继续办理{carry_forward}件。"
        )
    text["s1.management"] = "".join(rng.sample(_MANAGEMENT, 2))
    text["s1.platform"] = "".join(rng.sample(_PLATFORM, 2)).format(wechat=wechat, posts=posts)
    supervision = "".join(rng.sample(_SUPERVISION, 2)).format(train=rng.randint(1, 4))
    if report.unit_type in form.GOVERNMENT_UNIT_TYPES:
        supervision += _ASSESSMENT.format(
            year=year, self_short="全" + place[-1:], grade=rng.choice(("优秀", "良好", "合格"))
        )
    else:
        supervision += f"{year}年{me}未发生因政府信息公开工作不到位被责任追究的情况。"
    text["s1.supervision"] = supervision
    text["s2.note"] = ""
    text["s3.note"] = ""
    review = n("t4.review.total")
    suits = n("t4.suit_direct.total") + n("t4.suit_after_review.total")
    if not review and not suits:
        text["s4.note"] = f"{year}年{me}未发生政府信息公开行政复议、行政诉讼案件。"
    else:
        text["s4.note"] = (
            f"{year}年{me}发生政府信息公开行政复议{review}件，行政诉讼{suits}件，具体情况见上表。"
        )
    problems = rng.sample(
        [p for p in _PROBLEMS if "政策解读" not in p or n("t2.normative.issued")], 2
    )
    measures = rng.sample(
        [m for m in _MEASURES if "政策解读" not in m or n("t2.normative.issued")], 3
    )
    text["s5"] = (
        "（一）存在的主要问题\n"
        + "\n".join(f"{i}.{p}。" for i, p in enumerate(problems, 1))
        + "\n（二）改进措施\n"
        + "\n".join(f"{i}.{m}。" for i, m in enumerate(measures, 1))
    )
    extra = rng.choice(
        (
            "",
            f"{year}年{me}承办人大代表建议和政协提案的办理结果均已按要求公开。",
            f"{year}年{me}认真落实上级年度政务公开工作要点，各项任务均已完成。",
        )
    )
    text["s6"] = fee_statement(report, me) + extra
    return text


def sample_report(
    rng: random.Random,
    *,
    unit_name: str,
    unit_type: str = "乡镇人民政府",
    parent: str = SAMPLE_COUNTY,
    year: int = SAMPLE_YEAR,
) -> Report:
    """One plausible, internally consistent report of a township-level unit."""
    report = Report(
        unit_name=unit_name,
        unit_type=unit_type,
        parent=parent,
        year=year,
        contact=rng.choice("王李张刘陈杨黄赵吴周") + rng.choice(("丽", "军", "芳", "伟", "静", "磊", "敏", "勇")),
        phone=f"0{rng.randint(730, 799)}-{rng.randint(6000000, 8999999)}",
    )
    _table2(rng, report)
    _table3(rng, report)
    _table4(rng, report)
    report.fill_totals()
    _fees(rng, report)
    report.narrative = {p.id: "" for p in form.NARRATIVE_PARTS} | _narrative(rng, report)
    report.markers = {}
    return report


# ---------------------------------------------------------------------------
# Injected errors
# ---------------------------------------------------------------------------


@dataclass
class InjectedError:
    """One error put into one sample workbook, and the rule that must find it."""

    code: str
    title: str  # Chinese
    rule: str
    sheet: str = ""
    cell: str = ""
    detail: str = ""  # Chinese: what was changed


@dataclass(frozen=True)
class ErrorKind:
    code: str
    title: str
    rule: str
    #: Changes the report before it is written; returns the injected error.
    apply: Callable[[Report, random.Random, list[str]], InjectedError]
    #: For errors that only exist in the file (a total typed over): cell id typed over.
    typed_total: str = ""


def _at(code: str, cell_or_part: str, detail: str) -> InjectedError:
    kind = ERRORS[code]
    pos = layout.locate(cell_or_part)
    return InjectedError(
        kind.code, kind.title, kind.rule, pos.sheet if pos else "", pos.coordinate if pos else "", detail
    )


def _broken_balance(r: Report, rng: random.Random, others: list[str]) -> InjectedError:
    cid = "t3.carry_forward.natural"
    r.cells[cid] = r.number(cid) + rng.randint(1, 3)
    r.fill_totals()
    return _at("broken_balance", cid, f"结转下年度继续办理（自然人）改为 {r.cells[cid]}")


def _typed_total(r: Report, rng: random.Random, others: list[str]) -> InjectedError:
    cid = "t3.new.total"
    return _at("typed_total", cid, f"总计公式被改写为数字 {int(r.number(cid)) + 2}")


def _text_in_count(r: Report, rng: random.Random, others: list[str]) -> InjectedError:
    cid = "t2.penalty.decisions"
    r.cells[cid] = f"{int(r.number(cid))}件"
    return _at("text_in_count", cid, f"数量单元格填入文字“{r.cells[cid]}”")


def _negative(r: Report, rng: random.Random, others: list[str]) -> InjectedError:
    cid = "t2.enforcement.decisions"
    r.cells[cid] = -rng.randint(1, 5)
    return _at("negative", cid, f"数量单元格填入负数 {r.cells[cid]}")


def _decimal(r: Report, rng: random.Random, others: list[str]) -> InjectedError:
    cid = "t2.license.decisions"
    r.cells[cid] = r.number(cid) + 0.5
    return _at("decimal", cid, f"数量单元格填入小数 {r.cells[cid]}")


def _blank(r: Report, rng: random.Random, others: list[str]) -> InjectedError:
    cid = "t3.carried.business"
    r.cells[cid] = None
    r.fill_totals()
    return _at("blank", cid, "数据单元格留空（应填 0）")


def _other_unit_name(r: Report, rng: random.Random, others: list[str]) -> InjectedError:
    other = place_name(rng.choice(others))
    me = self_reference(r.unit_name)
    r.narrative["s1.request"] = r.narrative["s1.request"].replace(f"{r.year}年{me}", f"截止目前，{other}", 1)
    return _at("other_unit_name", "s1.request", f"正文“（二）依申请公开”中出现其他单位名称“{other}”")


def _fee_in_yuan(r: Report, rng: random.Random, others: list[str]) -> InjectedError:
    cid = "t2.fees.amount"
    r.cells[cid] = rng.choice((12800, 25600, 36000, 58000))
    return _at("fee_in_yuan", cid, f"行政事业性收费按元填写为 {r.cells[cid]}（单位应为万元）")


def _missing_fee_statement(r: Report, rng: random.Random, others: list[str]) -> InjectedError:
    r.narrative["s6"] = "无。"
    r.fees = {f.id: None for f in form.FEE_FIELDS}
    return _at("missing_fee_statement", "s6", "“六、其他需要报告的事项”写为“无。”，信息处理费数据留空")


def _wrong_period_year(r: Report, rng: random.Random, others: list[str]) -> InjectedError:
    wrong = r.year - 1
    r.narrative["preamble"] = r.narrative["preamble"].replace(
        period_statement(r.year), period_statement(wrong)
    )
    return _at("wrong_period_year", "preamble", f"统计期限写为{wrong}年1月1日至{wrong}年12月31日")


def _regs_township(r: Report, rng: random.Random, others: list[str]) -> InjectedError:
    r.cells["t2.regs.issued"] = 1
    r.cells["t2.regs.in_force"] = 1
    return _at("regs_township", "t2.regs.issued", "乡镇（街道）填报了规章 1 件")


#: The documented set of injected errors, in the order they are handed out.
ERROR_KINDS: tuple[ErrorKind, ...] = (
    ErrorKind("broken_balance", "勾稽关系不符（第一项加第二项之和≠第三项加第四项之和）", "T3-BALANCE", _broken_balance),
    ErrorKind("typed_total", "总计公式被改写为数字", "TPL-WB-FORMULA", _typed_total, typed_total="t3.new.total"),
    ErrorKind("text_in_count", "数量单元格中填入文字", "CELL-INT", _text_in_count),
    ErrorKind("negative", "数量单元格中填入负数", "CELL-INT", _negative),
    ErrorKind("decimal", "数量单元格中填入小数", "CELL-INT", _decimal),
    ErrorKind("blank", "数据单元格留空", "CELL-BLANK", _blank),
    ErrorKind("other_unit_name", "正文中出现其他单位名称", "META-UNIT-NAME", _other_unit_name),
    ErrorKind("fee_in_yuan", "行政事业性收费按元而非万元填写", "CELL-FEE-UNIT", _fee_in_yuan),
    ErrorKind("missing_fee_statement", "缺少信息处理费情况说明", "X-FEE-STMT", _missing_fee_statement),
    ErrorKind("wrong_period_year", "统计期限年度错误", "META-YEAR", _wrong_period_year),
    ErrorKind("regs_township", "乡镇（街道）填报规章", "T2-REGS-LEVEL", _regs_township),
)
ERRORS: dict[str, ErrorKind] = {k.code: k for k in ERROR_KINDS}


# ---------------------------------------------------------------------------
# Writing a sample county
# ---------------------------------------------------------------------------


@dataclass
class SampleWorkbook:
    file: str  # file name inside the sample folder
    unit_name: str
    unit_type: str
    errors: list[InjectedError] = field(default_factory=list)


@dataclass
class Manifest:
    seed: int
    count: int
    year: int
    county: str
    errors_injected: bool
    workbooks: list[SampleWorkbook] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["error_kinds"] = [{"code": k.code, "title": k.title, "rule": k.rule} for k in ERROR_KINDS]
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_csv(self) -> str:
        """Chinese table, one row per injected error and one per clean workbook."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["文件", "单位名称", "单位类型", "错误类型", "应发现的规则", "工作表", "单元格", "说明"])
        for wb in self.workbooks:
            if not wb.errors:
                writer.writerow([wb.file, wb.unit_name, wb.unit_type, "无（正确样例）", "", "", "", ""])
            for e in wb.errors:
                writer.writerow([wb.file, wb.unit_name, wb.unit_type, e.title, e.rule, e.sheet, e.cell, e.detail])
        return out.getvalue()

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        data = json.loads(text)
        data.pop("error_kinds", None)
        workbooks = [
            SampleWorkbook(**{**w, "errors": [InjectedError(**e) for e in w["errors"]]})
            for w in data.pop("workbooks")
        ]
        return cls(**data, workbooks=workbooks)

    def expected_rules(self, file: str) -> set[str]:
        return {e.rule for wb in self.workbooks if wb.file == file for e in wb.errors}


MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"


_STEM_FIRST = "红黄金银铜松柏梅兰竹杏枣茶稻"
_STEM_SECOND = "岭坪塘坝岗湾冲垭铺店"
_STEM_MIDDLE = "石水山田家上下中大小"


def sample_units(count: int) -> list[tuple[str, str]]:
    """The first ``count`` units of the sample county; beyond :data:`SAMPLE_UNITS`,
    further townships get two-character names made from a fixed list (deterministic)."""
    units = list(SAMPLE_UNITS[:count])
    used = {short_name(name) for name, _ in SAMPLE_UNITS}
    two = (a + b for a in _STEM_FIRST for b in _STEM_SECOND)
    three = (a + c + b for a in _STEM_FIRST for c in _STEM_MIDDLE for b in _STEM_SECOND)
    numbered = (f"{a}{b}{n}" for n in itertools.count(2) for a in _STEM_FIRST for b in _STEM_SECOND)
    stems = (stem for stem in itertools.chain(two, three, numbered) if stem not in used)
    while len(units) < count:
        stem = next(stems)
        units.append((f"{stem}镇人民政府", "乡镇人民政府") if len(units) % 4 else (f"{stem}乡人民政府", "乡镇人民政府"))
    return units


def assign_errors(count: int) -> list[list[str]]:
    """Which error codes go into which workbook: kind k goes to workbook k mod count."""
    plan: list[list[str]] = [[] for _ in range(count)]
    for k, kind in enumerate(ERROR_KINDS):
        plan[k % count].append(kind.code)
    return plan


def write_samples(
    directory: str | Path,
    count: int,
    *,
    seed: int = 0,
    errors: bool = False,
    year: int = SAMPLE_YEAR,
    county: str = SAMPLE_COUNTY,
    progress: Callable[[SampleWorkbook], None] | None = None,
    manifest_dir: str | Path | None = None,
) -> Manifest:
    """Write ``count`` township workbooks into ``directory`` and the manifest (into
    ``manifest_dir``, by default ``directory``); the same seed gives the same output."""
    from .writer import write_workbook  # file I/O layer, imported when needed

    if count < 1:
        raise ValueError("count must be at least 1")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    units = sample_units(count)
    plan = assign_errors(count) if errors else [[] for _ in range(count)]
    manifest = Manifest(seed=seed, count=count, year=year, county=county, errors_injected=errors)
    names = [name for name, _ in units]
    for i, ((name, kind), codes) in enumerate(zip(units, plan), 1):
        report = sample_report(random.Random(rng.getrandbits(64)), unit_name=name, unit_type=kind, parent=county, year=year)
        error_rng = random.Random(rng.getrandbits(64))
        others = [n for n in names if n != name]
        entry = SampleWorkbook(f"{i:02d}_{place_name(name)}.xlsx", name, kind)
        typed: dict[str, int] = {}
        for code in codes:
            injected = ERRORS[code].apply(report, error_rng, others)
            entry.errors.append(injected)
            if ERRORS[code].typed_total:
                typed[ERRORS[code].typed_total] = int(report.number(ERRORS[code].typed_total)) + 2
        target = directory / entry.file
        with atomic_path(target) as tmp:
            write_workbook(report, tmp)
            if typed:
                type_over_totals(tmp, typed)
        manifest.workbooks.append(entry)
        if progress:
            progress(entry)
    manifest_dir = Path(manifest_dir) if manifest_dir is not None else directory
    write_text_atomic(manifest_dir / MANIFEST_JSON, manifest.to_json())
    with atomic_path(manifest_dir / MANIFEST_CSV) as tmp:
        # utf-8 with BOM so that Excel and WPS open the Chinese CSV correctly
        tmp.write_text(manifest.to_csv(), encoding="utf-8-sig", newline="")
    return manifest


def type_over_totals(path: str | Path, values: dict[str, int | float]) -> None:
    """Replace the formula of total cells by typed numbers, as a clerk overtyping them would."""
    import openpyxl

    positions = layout.cell_positions()
    book = openpyxl.load_workbook(path)
    for cid, value in values.items():
        pos = positions[cid]
        book[pos.sheet][pos.coordinate].value = value
    book.save(path)
