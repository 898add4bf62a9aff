"""Plausible sample reports for a fictional county, with optional injected errors.

``sample_report`` makes one township's report: mostly small figures and many
zeros, now and then a large 行政许可 count (the seed report has 805), every sum
identity holding. Its narrative never names another unit: the parts gxexcel
drafts from the figures (statistical period, 信息处理费 …) are worded by
:mod:`gxexcel.narrative` — kept as drafted, with generation markers, by about
half the units, written around by the others — and the parts only a clerk can
write are composed from independently chosen fragments and the unit's own facts,
so that clean units stay below the consolidation's similarity threshold.

``write_samples`` writes N such reports as workbooks (through
:func:`gxexcel.writer.write_workbook`) and, with ``errors=True``, injects the
documented set of errors of :data:`ERROR_KINDS` (each found by checking the
workbook alone) and, when the county is large enough, one copied section 五
that only the consolidation finds (相似文本, META-DUP); it writes a manifest
(``manifest.json`` and a Chinese ``manifest.csv``) saying which workbook has
which error, which rule must find it and at which step. The same seed gives the same output.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import random
import re
from dataclasses import asdict, dataclass, field, replace
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
    """How the unit refers to itself in its report: 我镇 / 我乡 / 本街道 (as the narrative templates say)."""
    from .narrative.context import self_reference as reference

    return reference(Report(unit_name=unit_name))


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

# The clerk-written parts (``generated=False``) are composed from several independently
# chosen fragments, each filled with the unit's own facts (channels, counts, months), so
# that two units' texts differ as real townships' do and stay below the consolidation's
# similarity threshold. Fragments never state table figures (件), so the figure checks
# have nothing to compare them with; the parts gxexcel drafts come from the narrative
# templates (:mod:`gxexcel.narrative.draft`), the single source of their wording.

_CHANNELS = ("政务公开栏", "村（社区）公开栏", "便民服务中心电子显示屏", "政务服务大厅公示栏", "微信工作群", "乡村大喇叭")
_WECHAT_NAMES = ("幸福{s}", "{s}发布", "印象{s}", "美丽{s}", "{s}之声", "今日{s}", "{s}微讯")
_DESKS = ("党政办公室", "便民服务中心", "综合办公室", "党政综合办公室")


@dataclass
class _Facts:
    """What one unit says about itself besides its figures."""

    me: str
    year: int
    villages: int
    communities: int
    staff: int
    wechat: str
    posts: int
    published: int
    trainings: int
    trainees: int
    inspections: int
    meetings: int
    reviewed: int
    corrected: int
    boards: int
    updates: int
    month: int
    quarter: str
    channels: str
    desk: str
    grade: str


def _facts(rng: random.Random, report: Report) -> _Facts:
    villages = rng.randint(6, 32)
    reviewed = rng.randint(40, 380)
    return _Facts(
        me=self_reference(report.unit_name),
        year=report.year,
        villages=villages,
        communities=rng.randint(1, 6),
        staff=rng.randint(2, 6),
        wechat=rng.choice(_WECHAT_NAMES).format(s=short_name(report.unit_name)),
        posts=rng.randint(40, 520),
        published=rng.randint(60, 420),
        trainings=rng.randint(1, 6),
        trainees=rng.randint(20, 160),
        inspections=rng.randint(2, 12),
        meetings=rng.randint(1, 5),
        reviewed=reviewed,
        corrected=rng.randint(1, 9),
        boards=villages + rng.randint(1, 4),
        updates=rng.randint(4, 24),
        month=rng.randint(2, 11),
        quarter=rng.choice("一二三四"),
        channels="、".join(rng.sample(_CHANNELS, rng.randint(2, 3))),
        desk=rng.choice(_DESKS),
        grade=rng.choice(("优秀", "良好", "合格", "较好")),
    )


#: Words clerks use interchangeably; each occurrence in a composed text is worded independently.
_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("工作人员", "干部职工", "机关干部"),
    ("及时", "第一时间", "按时"),
    ("群众", "居民群众", "人民群众", "老百姓"),
    ("加强", "强化", "进一步加强"),
    ("全年", "本年度", "一年来"),
    ("确保", "保证", "做到"),
    ("方便", "便于", "利于"),
)
_SYNONYM_OF = {word: group for group in _SYNONYMS for word in group}
_SYNONYM_PATTERN = re.compile("|".join(sorted(_SYNONYM_OF, key=len, reverse=True)))


def _reword(rng: random.Random, text: str) -> str:
    return _SYNONYM_PATTERN.sub(lambda m: rng.choice(_SYNONYM_OF[m.group(0)]), text)


_WHEN: tuple[str, ...] = ("年初", "{month}月", "{month}月中旬", "{month}月下旬", "年中", "下半年", "第{quarter}季度")

#: Per part, what a unit did this year: (actions, objects), one of each makes the unit's own highlight.
_HIGHLIGHTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "s1.intro": (
        ("重点推进", "集中开展", "专项部署", "着力抓好", "牵头组织", "统筹安排"),
        ("涉农补贴资金公开", "村级财务公开规范化建设", "重大项目信息公开", "惠民政策进村入户宣传",
         "征地补偿信息公开", "民生实事项目公开", "乡村振兴项目公开"),
    ),
    "s1.management": (
        ("全面梳理", "集中清理", "重新核定", "逐件复核", "分类整理", "补充完善"),
        ("历年规范性文件", "主动公开事项清单", "公开属性认定台账", "已公开信息的保密审查记录",
         "政策文件汇编", "信息发布审核登记簿", "网站栏目设置"),
    ),
    "s1.platform": (
        ("升级改造", "新设", "统一更换", "集中规范", "调整优化", "充实完善"),
        ("村级政务公开栏", "便民服务中心查阅终端", "网站政策文件栏目", "公众号“政策解答”菜单",
         "政务公开专区导引标识", "电子显示屏发布内容", "公开栏内容模板"),
    ),
    "s1.supervision": (
        ("专题研究", "督促整改", "跟踪检查", "约谈提醒", "通报讲评", "现场督导"),
        ("各站所信息报送情况", "村级公开栏更新情况", "信息发布审核落实情况", "群众反映的公开问题",
         "公众号留言回复情况", "上级检查指出的问题", "年度公开任务完成情况"),
    ),
}


def _highlight(rng: random.Random, part: str) -> str:
    actions, objects = _HIGHLIGHTS[part]
    return f"{rng.choice(_WHEN)}，{{me}}{rng.choice(actions)}{rng.choice(objects)}。"


def _compose(rng: random.Random, f: _Facts, slots: list[tuple[str, ...]], keep: int,
             first: tuple[str, ...] = (), last: tuple[str, ...] = (), highlight: str = "") -> str:
    """``keep`` of the topic slots in random order, one phrasing from each, and the unit's
    own highlight of the year (for ``highlight``, a part id) among them, between an optional
    opening and closing phrasing, reworded and filled with the unit's facts."""
    chosen = [rng.choice(slot) for slot in rng.sample(slots, keep)]
    if highlight:
        chosen.insert(rng.randint(0, len(chosen)), _highlight(rng, highlight))
    opening = [rng.choice(first)] if first else []
    closing = [rng.choice(last)] if last else []
    return _reword(rng, "".join(opening + chosen + closing).format(**vars(f)))


_INTRO_FIRST: tuple[str, ...] = (
        "{year}年，{me}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外。",
        "{year}年，在县委、县政府的坚强领导下，{me}严格执行《中华人民共和国政府信息公开条例》。",
        "{year}年，{me}把政府信息公开作为转变政府职能、建设服务型政府的重要抓手。",
        "{year}年以来，{me}按照县政务公开工作要点的部署，稳步推进政府信息公开各项工作。",
        "过去一年，{me}始终把政务公开摆在重要位置，主要领导亲自过问，分管领导具体负责。",
        "{year}年，{me}紧扣乡村振兴和基层治理重点，把政务公开融入日常工作。",
)
_INTRO: list[tuple[str, ...]] = [
    (
        "{me}下辖{villages}个行政村、{communities}个社区，群众对惠民政策和村务信息的关注度较高。",
        "{me}辖区内共有{villages}个行政村和{communities}个社区，政务公开工作覆盖到每个村（社区）。",
        "针对辖区{villages}个行政村群众居住分散的特点，{me}把公开阵地延伸到村组。",
    ),
    (
        "{me}共配备专兼职信息公开工作人员{staff}名，{villages}个行政村均明确了一名村级信息员。",
        "{me}班子会议全年{meetings}次专题研究政务公开工作，及时解决工作中遇到的问题。",
        "{me}把政务公开列入班子重要议事日程，{month}月专门召开会议部署全年公开工作。",
        "机关各站所和{villages}个行政村都明确了公开工作联络人，形成上下联动的工作格局。",
    ),
    (
        "围绕群众关心关注的社会救助、涉农补贴、征地拆迁等事项，扎实推进决策、执行、管理、服务、结果公开。",
        "重点做好财政预决算、乡村振兴项目、民生实事等信息的公开，切实保障人民群众的知情权、参与权和监督权。",
        "健全工作机制，规范公开流程，把公开要求落实到政策制定、执行和监督的各个环节。",
        "注重公开实效，由“给什么看什么”向“要什么给什么”转变，提高政府工作透明度。",
        "以基层政务公开标准化规范化建设为抓手，逐项梳理公开事项，明确公开主体、时限和渠道。",
        "坚持公开与解读、回应同步推进，推动各项惠民政策落地见效。",
    ),
    (
        "坚持“谁制作、谁公开，谁保存、谁公开”，各站所按职责分工做好本领域信息公开。",
        "建立信息公开工作周调度机制，重要信息当日审核、当日发布。",
        "把政务公开与政务服务结合起来，群众办事所需的政策和流程在便民服务中心集中公开。",
        "推行村务、财务、党务“三务”同步公开，{villages}个行政村每季度至少更新一次公开内容。",
    ),
]
_INTRO_LAST: tuple[str, ...] = (
    "全年政府信息公开工作总体平稳有序。",
    "各项工作任务均按时完成，群众满意度进一步提升。",
    "政务公开工作取得新的进展。",
    "全年未发生因信息公开引发的舆情事件。",
    "政府工作透明度和群众满意度稳步提高。",
)

_MANAGEMENT: list[tuple[str, ...]] = [
    (
        "严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则，确保公开信息不涉密、涉密信息不公开。",
        "建立健全信息发布审核流程，按照拟稿、科室负责人审核、分管领导审签的程序发布信息。",
        "实行信息发布“三审三校”，所有拟公开信息均经分管领导审签后发布。",
        "落实公开属性源头认定，在公文起草时即明确主动公开、依申请公开或不予公开。",
    ),
    (
        "全年审查拟公开信息{reviewed}条，发现并纠正不宜公开的内容{corrected}处。",
        "{year}年共审核拟公开信息{reviewed}条，对其中{corrected}条涉及个人信息的内容作了去标识化处理。",
        "对{reviewed}条拟公开信息逐条开展保密和个人信息审查，退回修改{corrected}条。",
    ),
    (
        "及时梳理更新政府信息公开目录，对主动公开事项实行动态调整，做到应公开尽公开。",
        "按照基层政务公开标准目录，更新完善{me}政务公开事项清单。",
        "对照县里下发的公开事项目录逐项核对，补充完善了办事指南和政策文件栏目。",
    ),
    (
        "每季度对已公开信息开展一次自查，发现错误信息、过期链接及时更正、清理。",
        "全年开展公开内容自查{inspections}次，清理过期信息和失效链接。",
        "{month}月集中开展了一次已公开信息“回头看”，对表述不准确的内容及时作了更正。",
        "建立政府信息公开工作台账，发布、审核、更正情况逐条登记备查。",
    ),
    (
        "注重个人信息保护，公开涉及群众的补贴名单时隐去身份证号码、银行账号等信息。",
        "公开低保、特困等救助对象名单前，逐一核对并删除身份证号码、家庭住址等个人信息。",
        "对涉及个人隐私的信息一律不予公开，确需公开的作去标识化处理。",
    ),
    (
        "做好政府信息管理与档案管理的衔接，已公开信息按年度归档。",
        "对{year}年形成的政府信息逐件登记，按主动公开、依申请公开、不予公开分类管理。",
        "安排{staff}名工作人员负责信息的收集、审核和归档，做到专人专管。",
    ),
]

_PLATFORM: list[tuple[str, ...]] = [
    (
        "依托县人民政府门户网站政府信息公开专栏，及时更新机构职能、财政预决算、重点工作等栏目内容。",
        "{me}在县人民政府门户网站开设的信息公开专栏运行正常，全年发布信息{published}条。",
        "以县人民政府门户网站为第一平台，规范设置机构概况、法定主动公开内容、政策文件等栏目。",
    ),
    (
        "加强政务新媒体建设与管理，“{wechat}”微信公众号全年发布信息{posts}条，做到内容准确、更新及时。",
        "“{wechat}”微信公众号已成为群众了解{me}动态的重要窗口，全年推送{posts}条。",
        "用好“{wechat}”微信公众号，全年推送政策信息和工作动态{posts}条，及时回复群众留言。",
    ),
    (
        "在便民服务中心和{villages}个行政村设置政务公开栏{boards}块，方便群众就近查阅。",
        "规范政务公开专区建设，集中提供办事指南、政策文件和咨询服务，全年更新公开栏内容{updates}次。",
    ),
    (
        "通过{channels}等渠道，把惠民政策送到群众身边。",
        "利用{channels}等群众身边的渠道发布通知公告，弥补网站覆盖不足。",
        "在各村（社区）醒目位置张贴惠民政策明白纸，全年发放宣传资料{trainees}0余份。",
    ),
    (
        "在便民服务中心设置政府信息查阅点，配备查阅设备，为群众查阅信息提供便利。",
        "便民服务中心公开窗口公布咨询电话，工作日专人接听，解答群众对公开信息的疑问。",
        "在{villages}个村（社区）便民服务站配备政策文件汇编，方便群众查阅。",
    ),
]

_SUPERVISION: list[tuple[str, ...]] = [
    (
        "成立由主要领导任组长、分管领导任副组长的政务公开工作领导小组，明确专人负责日常工作。",
        "{month}月根据人事变动调整了政务公开工作领导小组，由{staff}名工作人员具体承办。",
        "明确党政办公室为政务公开工作机构，配备{staff}名工作人员，做到有人管事、有人干事。",
        "{me}主要负责同志全年{meetings}次听取政务公开工作汇报，研究部署重点任务。",
        "政务公开工作由{me}分管领导直接抓，{desk}具体负责，{villages}个行政村各明确一名联络员。",
    ),
    (
        "开展政务公开业务培训{trainings}次，参训{trainees}人次，提升工作人员的业务水平和保密意识。",
        "全年组织业务培训{trainings}次，对村（社区）信息员和机关干部开展条例解读。",
        "{month}月举办政务公开专题培训班，邀请县政务公开办同志授课，{trainees}人参训。",
        "选派{staff}名工作人员参加县里组织的政务公开业务培训，并在{me}内部开展集中学习{trainings}次。",
    ),
    (
        "通过设置意见箱、公布监督电话等方式，主动接受群众和社会各界监督。",
        "组织对村（社区）公开栏开展督查{inspections}次，督促整改发现的问题。",
        "聘请{staff}名群众代表担任政务公开监督员，定期听取意见建议。",
    ),
    (
        "制定政务公开工作制度和信息发布审核制度，做到有章可循。",
        "修订完善政务公开工作规则，明确各站所公开职责和时限。",
        "建立政务公开工作责任清单，把任务分解到站所、落实到人。",
    ),
    (
        "{month}月配合县政务公开办开展工作检查，对指出的问题逐项整改到位。",
        "对照县政务公开工作考核细则开展自查{inspections}次，及时补齐短板。",
        "把政务公开工作情况纳入机关干部日常考勤和绩效管理。",
    ),
    (
        "坚持重大事项公开前集体研究，重要政策出台前广泛听取群众意见。",
        "对群众反映的公开不到位问题建立台账，限期办结并回复。",
        "在{villages}个行政村推行“阳光村务”，村级重大事项全程公开、接受监督。",
        "每半年向县政务公开办报送一次工作情况，主动接受上级指导。",
    ),
]

_ASSESSMENT: tuple[str, ...] = (
    "{year}年政务公开工作纳入{me}年度目标考核，考核结果为{grade}；通过群众座谈、意见箱等方式开展社会评议，"
    "群众总体满意；全年未发生因政府信息公开工作不到位被责任追究的情况。",
    "工作考核、社会评议和责任追究结果情况：政务公开工作在县年度考核中评为{grade}，社会评议未收到负面意见，"
    "全年无因政务公开工作被责任追究的情况。",
    "{me}把政务公开列入村（社区）和站所年度考核内容，本年考核等次为{grade}；"
    "{month}月组织群众代表开展社会评议，满意率较高；未发生责任追究情况。",
    "在县对{me}的年度考核中，政务公开工作得分等次为{grade}。结合“两代表一委员”走访开展社会评议，收集意见建议{corrected}条，均已答复。"
    "本年度无因政务公开工作被问责或责任追究的情况。",
    "考核方面，政务公开作为单项指标纳入{me}对各站所、各村（社区）的目标管理，年底逐一考核；评议方面，"
    "在便民服务中心设置评议箱接受社会评议；{year}年未发生责任追究事项。",
)

_PROBLEMS: tuple[str, ...] = (
    "部分信息发布不够及时，个别栏目更新频率不高",
    "政策解读形式较为单一，图解、视频等解读方式运用不多",
    "村（社区）政务公开栏内容更新不够及时，{villages}个村中仍有少数村规范化水平不高",
    "工作人员多为兼职，{staff}名工作人员同时承担其他工作，业务能力有待提升",
    "公开内容与群众关注的热点结合不够紧密",
    "“{wechat}”微信公众号互动回应不够充分",
    "基层信息员流动较大，新任人员对公开要求掌握不够",
    "已公开信息的自查多在年底集中进行，日常检查不够",
    "个别信息公开前的审查把关不够细致，存在表述不规范的情况",
    "政务公开专区使用率不高，群众知晓度有待提升",
)
_MEASURES: tuple[str, ...] = (
    "建立信息发布台账，明确各栏目更新时限，定期检查、及时更新",
    "加强业务培训，计划组织集中学习不少于{trainings}次，提升工作人员业务能力",
    "加强对{villages}个行政村政务公开工作的指导和检查，推动公开栏规范化建设",
    "围绕群众关注的惠民政策、重大项目等内容，加大主动公开力度",
    "丰富政策解读形式，提高解读的针对性和可读性",
    "完善“{wechat}”留言办理机制，及时回应群众关切",
    "把日常自查改为按月开展，发现问题立即整改",
    "严格落实审核审签制度，做到先审后发",
    "在{next_year}年{month}月底前完成政务公开专区提档升级，并加强宣传引导",
    "将政务公开纳入村（社区）年度考核，压实工作责任",
)

_S5_HEADINGS: tuple[tuple[str, str], ...] = (
    ("（一）存在的主要问题", "（二）改进措施"),
    ("（一）存在的问题", "（二）改进情况"),
    ("一是存在的问题：", "二是改进措施："),
)

_S6_EXTRAS: tuple[str, ...] = (
    "",
    "{year}年{me}承办的人大代表建议和政协提案的办理结果均已按要求公开。",
    "{year}年{me}认真落实上级年度政务公开工作要点，各项任务均已完成。",
    "{year}年{me}未发生因政府信息公开引发的信访事项。",
)

#: How a clerk who wrote a drafted part by hand surrounds the figures (before, after).
_PREAMBLE_TAILS: tuple[str, ...] = (
    "本报告电子版可在{parent}人民政府门户网站政府信息公开专栏查阅或下载。",
    "本报告电子版可在{parent}人民政府门户网站查阅。如对本报告有疑问，请与{unit}{desk}联系（联系电话：{phone}）。",
    "如对本报告有任何疑问，请与{unit}{desk}联系（地址：{place}人民政府大院，电话：{phone}）。",
)
_ACTIVE_TAILS: tuple[str, ...] = (
    "全年通过{parent}人民政府门户网站、{channels}等渠道发布信息{published}条。",
    "通过“{wechat}”微信公众号和{channels}等渠道公开政府信息{published}条，内容涵盖财政预决算、惠民政策、重点项目等。",
    "",
)
_REQUEST_LEADS: tuple[str, ...] = (
    "{me}在{desk}设立政府信息公开申请受理点，公开受理地址、办公时间和联系电话。",
    "{me}由{desk}统一受理政府信息公开申请，严格按照法定程序和时限办理。",
    "",
)


def _problems_and_measures(rng: random.Random, report: Report, f: _Facts) -> str:
    interpret = bool(report.number("t2.normative.issued"))  # 政策解读 only for units that issue documents
    problems = [p for p in _PROBLEMS if "政策解读" not in p or interpret]
    measures = [m for m in _MEASURES if "政策解读" not in m or interpret]
    values = vars(f) | {"next_year": f.year + 1}
    picked_p = [p.format(**values) for p in rng.sample(problems, rng.randint(2, 3))]
    picked_m = [m.format(**values) for m in rng.sample(measures, rng.randint(2, 4))]
    first, second = rng.choice(_S5_HEADINGS)
    return (
        f"{first}\n" + "\n".join(f"{i}.{p}。" for i, p in enumerate(picked_p, 1))
        + f"\n{second}\n" + "\n".join(f"{i}.{m}。" for i, m in enumerate(picked_m, 1))
    )


def _clerk_parts(rng: random.Random, report: Report, f: _Facts) -> dict[str, str]:
    """The parts only a clerk can write (generated=False), composed for this unit."""
    supervision = _compose(rng, f, _SUPERVISION, keep=rng.randint(3, 4), highlight="s1.supervision")
    if report.unit_type in form.GOVERNMENT_UNIT_TYPES:
        supervision += _reword(rng, rng.choice(_ASSESSMENT).format(**vars(f)))
    else:
        supervision += f"{f.year}年{f.me}未发生因政府信息公开工作不到位被责任追究的情况。"
    return {
        "s1.intro": _compose(rng, f, _INTRO, keep=rng.randint(2, 3), first=_INTRO_FIRST, last=_INTRO_LAST,
                             highlight="s1.intro"),
        "s1.management": _compose(rng, f, _MANAGEMENT, keep=rng.randint(3, 4), highlight="s1.management"),
        "s1.platform": _compose(rng, f, _PLATFORM, keep=rng.randint(3, 4), highlight="s1.platform"),
        "s1.supervision": supervision,
        "s2.note": "",
        "s3.note": "",
        "s5": _problems_and_measures(rng, report, f),
    }


def _drafted_parts(rng: random.Random, report: Report, f: _Facts, *, as_drafted: bool) -> dict[str, str]:
    """The parts gxexcel drafts from the figures, worded by :mod:`gxexcel.narrative`.

    ``as_drafted``: the clerk pressed 生成总体情况 and kept the drafts (they carry
    generation markers); otherwise the clerk wrote the parts around the same
    sentences, adding what only the unit knows (website, contact, channels)."""
    from .narrative.draft import draft

    drafts, skipped = draft(report)
    assert not skipped, skipped  # sample figures are always complete
    if as_drafted:
        return drafts
    values = vars(f) | {
        "parent": report.parent, "unit": report.unit_name, "phone": report.phone, "place": place_name(report.unit_name)
    }
    return drafts | {
        "preamble": drafts["preamble"] + rng.choice(_PREAMBLE_TAILS).format(**values),
        "s1.active": drafts["s1.active"] + rng.choice(_ACTIVE_TAILS).format(**values),
        "s1.request": rng.choice(_REQUEST_LEADS).format(**values) + drafts["s1.request"],
        "s6": drafts["s6"] + rng.choice(_S6_EXTRAS).format(**values),
    }


def _narrative(rng: random.Random, report: Report) -> tuple[dict[str, str], dict[str, str]]:
    """Narrative text and generation markers of one unit."""
    from .narrative.marker import make_marker

    facts = _facts(rng, report)
    as_drafted = rng.random() < 0.5
    drafted = _drafted_parts(rng, report, facts, as_drafted=as_drafted)
    markers = {part: make_marker(text) for part, text in drafted.items()} if as_drafted else {}
    return _clerk_parts(rng, report, facts) | drafted, markers


def period_sentence(report: Report) -> str:
    """The statistical-period sentence as the narrative template words it for ``report.year``."""
    from .narrative.draft import draft_part

    return next(s + "。" for s in draft_part(report, "preamble").split("。") if "统计期限" in s)


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
    text, markers = _narrative(rng, report)
    report.narrative = {p.id: "" for p in form.NARRATIVE_PARTS} | text
    report.markers = markers
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
    other: str = ""  # for a copied text: the file it was copied from


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
    r.narrative["s1.request"] = r.narrative["s1.request"].replace(me, f"截止目前，{other}", 1)
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
        period_sentence(r), period_sentence(replace(r, year=wrong))
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

#: The one error only the county's consolidation can find: a township's section 五
#: copied word for word from another's (相似文本 sheet, META-DUP in 校验情况).
COPY_CODE, COPY_TITLE, COPY_RULE, COPY_PART = "copied_text", "正文整段照抄其他单位", "META-DUP", "s5"
#: Where each kind of error is found: by checking the workbook alone, or by the consolidation.
CHECK_WORKBOOK, CHECK_MERGE = "逐表校验", "全县汇总（相似文本）"


def copies_text(count: int, errors: bool) -> bool:
    """Whether a sample county gets the copied section 五: with errors, and a clean workbook left to copy into."""
    return errors and count > len(ERROR_KINDS)


def _copy_text(r: Report, source: Report, source_file: str) -> InjectedError:
    r.narrative[COPY_PART] = source.narrative[COPY_PART]
    pos = layout.locate(COPY_PART)
    label = form.NARRATIVE[COPY_PART].label
    return InjectedError(COPY_CODE, COPY_TITLE, COPY_RULE, pos.sheet, pos.coordinate,
                         f"“{label}”与{source.unit_name}（{source_file}）逐字相同", other=source_file)


# ---------------------------------------------------------------------------
# Writing a sample county
# ---------------------------------------------------------------------------


@dataclass
class SampleWorkbook:
    file: str  # file name inside the sample folder
    unit_name: str
    unit_type: str
    errors: list[InjectedError] = field(default_factory=list)
    #: Errors only the consolidation finds (the copied section 五).
    merge_errors: list[InjectedError] = field(default_factory=list)


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
        writer.writerow(["文件", "单位名称", "单位类型", "错误类型", "应发现的规则", "发现环节", "工作表", "单元格", "说明"])
        for wb in self.workbooks:
            if not wb.errors and not wb.merge_errors:
                writer.writerow([wb.file, wb.unit_name, wb.unit_type, "无（正确样例）", "", "", "", "", ""])
            for check, errors in ((CHECK_WORKBOOK, wb.errors), (CHECK_MERGE, wb.merge_errors)):
                for e in errors:
                    writer.writerow([wb.file, wb.unit_name, wb.unit_type, e.title, e.rule, check, e.sheet, e.cell, e.detail])
        return out.getvalue()

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        data = json.loads(text)
        data.pop("error_kinds", None)
        workbooks = [
            SampleWorkbook(**{**w, "errors": [InjectedError(**e) for e in w["errors"]],
                              "merge_errors": [InjectedError(**e) for e in w.get("merge_errors", [])]})
            for w in data.pop("workbooks")
        ]
        return cls(**data, workbooks=workbooks)

    def expected_rules(self, file: str) -> set[str]:
        """Rules that must fire when this workbook is checked alone."""
        return {e.rule for wb in self.workbooks if wb.file == file for e in wb.errors}

    def expected_merge_rules(self, file: str) -> set[str]:
        """Rules the consolidation of the sample county must report for this workbook, besides the above."""
        return {e.rule for wb in self.workbooks if wb.file == file for e in wb.merge_errors}

    def copied_pairs(self) -> list[tuple[str, str, str]]:
        """(copying unit, unit copied from, narrative part) for every injected copy."""
        by_file = {wb.file: wb.unit_name for wb in self.workbooks}
        return [(wb.unit_name, by_file[e.other], COPY_PART) for wb in self.workbooks for e in wb.merge_errors]


MANIFEST_STEM = "manifest"
MANIFEST_JSON = MANIFEST_STEM + ".json"
MANIFEST_CSV = MANIFEST_STEM + ".csv"


def manifest_beside(directory: str | Path) -> tuple[Path, str]:
    """Where ``gxexcel sample DIR`` writes its manifest: beside DIR, named after it
    (``DIR_清单.csv``), so that DIR holds the reports only and ``gxexcel merge DIR``
    reads every file in it. Returns (manifest_dir, manifest_stem)."""
    folder = Path(directory).resolve()
    return folder.parent, f"{folder.name}_清单"


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
    manifest_stem: str = MANIFEST_STEM,
) -> Manifest:
    """Write ``count`` township workbooks into ``directory`` and the manifest
    (``manifest_stem``.json/.csv into ``manifest_dir``, by default ``directory``);
    the same seed gives the same output."""
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
    # the last workbook (a clean one) copies section 五 of an earlier one
    copy_from = rng.randrange(count - 1) if copies_text(count, errors) else None
    sources: dict[int, tuple[Report, str]] = {}
    for i, ((name, kind), codes) in enumerate(zip(units, plan), 1):
        report = sample_report(random.Random(rng.getrandbits(64)), unit_name=name, unit_type=kind, parent=county, year=year)
        error_rng = random.Random(rng.getrandbits(64))
        others = [n for n in names if n != name]
        entry = SampleWorkbook(f"{i:02d}_{place_name(name)}.xlsx", name, kind)
        if copy_from is not None and i - 1 == copy_from:
            sources[i - 1] = (report, entry.file)
        if copy_from is not None and i == count:
            entry.merge_errors.append(_copy_text(report, *sources[copy_from]))
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
    manifest_dir.mkdir(parents=True, exist_ok=True)
    write_text_atomic(manifest_dir / f"{manifest_stem}.json", manifest.to_json())
    with atomic_path(manifest_dir / f"{manifest_stem}.csv") as tmp:
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
