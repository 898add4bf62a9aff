"""Identity of the report (spec §3.6): year, statistical period, unit name, role, stale wording, document number."""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from .. import form
from .. import textfigures as tf
from ..findings import Finding
from .catalog import finding
from .engine import Context, check
from .gazetteer import own_places, place_names

_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
_PERIOD = re.compile(_DATE + r"(?:起)?\s*(?:至|到|—|－|-|~|～)\s*" + _DATE)
_MONTH_RUN_ON = re.compile(r"(?<!\d)\d{5,6}月")
_ODD_YEAR = re.compile(r"(?<![\d.])(?:\d{3}|\d{5})年(?!\d)")
_DATE_RE = re.compile(_DATE)
#: “2020年，我镇……” / “2020年度累计……”: the year a statement of the report's own work is about.
_TEXT_YEAR = re.compile(r"(?<!\d)(\d{4})年度?[，,]?(?:累计|共计|全年|共|我|本|全)")
#: Sentences that compare with or look back on another year are left alone.
_OTHER_YEAR_CONTEXT = re.compile(r"上年|上一年|去年|同比|较|比|以来|报告中|整改")
#: A plan for the next year (“2022年，我镇将……”), not a statement about the report year.
_PLAN = re.compile(r"将|计划|下一步|今后|力争|拟")
_SIGNATURE = re.compile(r"^\s*" + _DATE + r"\s*$")
_TITLE_YEAR = re.compile(r"(?<!\d)(\d{4})年")
#: “本年度（2023年）”, “本年（2023年度）”: the year named as this year.
_THIS_YEAR_NAMED = re.compile(r"本年度?\s*[（(]\s*(\d{4})\s*年?度?\s*[)）]")


def _valid_date(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
        return True
    except ValueError:
        return False


@check("META-YEAR")
def year(ctx: Context) -> Iterator[Finding]:
    report, y = ctx.report, ctx.report.year
    if y is not None and not _plausible_year(y):
        y = None  # not checked against year 21: META-COVER names the cover cell
    if report.title and y:
        for m in _TITLE_YEAR.finditer(report.title):
            if int(m.group(1)) != y:
                yield finding("META-YEAR", where="标题", found=m.group(1), year=y, section="标题", quote=report.title)
    for pid, text in ctx.texts.items():
        for m in _MONTH_RUN_ON.finditer(text):
            yield finding("META-YEAR", "malformed", found=m.group(), **ctx.at_part(pid, _quote(text, m.start())))
        for m in _ODD_YEAR.finditer(text):
            yield finding("META-YEAR", "malformed", found=m.group(), **ctx.at_part(pid, _quote(text, m.start())))
        for m in _DATE_RE.finditer(text):
            if not _valid_date(*(int(x) for x in m.groups())):
                # 2021年2月30日 is well written but no such day; 2021年13月 is not a month at all
                variant = "no_such_day" if 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31 else "malformed"
                yield finding("META-YEAR", variant, found=m.group(), **ctx.at_part(pid, _quote(text, m.start())))
        if not y:
            continue
        for m in _PERIOD.finditer(text):
            a = tuple(int(x) for x in m.groups()[:3])
            b = tuple(int(x) for x in m.groups()[3:])
            if a != (y, 1, 1) or b != (y, 12, 31):
                yield finding("META-YEAR", "period", found=m.group(), year=y, **ctx.at_part(pid, _quote(text, m.start())))
        for m in _THIS_YEAR_NAMED.finditer(text):
            if int(m.group(1)) != y:  # whatever the context: 本年 is the report year
                yield finding("META-YEAR", where="正文“本年”", found=m.group(1), year=y,
                              **ctx.at_part(pid, _quote(text, m.start())))
        for m in _TEXT_YEAR.finditer(text):
            if int(m.group(1)) == y or pid == "s5":
                continue
            sentence = _quote(text, m.start())
            if int(m.group(1)) == y + 1 and _PLAN.search(sentence):
                continue
            if not _OTHER_YEAR_CONTEXT.search(sentence):
                yield finding("META-YEAR", where="正文", found=m.group(1), year=y, **ctx.at_part(pid, sentence))
    # a signature date (a line holding only a date) at the very end, before the year ended
    if y and ctx.texts:
        pid, text = list(ctx.texts.items())[-1]
        lines = [line for line in text.strip().splitlines() if line.strip()]
        m = _SIGNATURE.match(lines[-1]) if lines else None
        if m:
            date = tuple(int(x) for x in m.groups())
            if _valid_date(*date) and date < (y, 12, 31):
                yield finding("META-YEAR", "early", found=m.group().strip(), year=y, **ctx.at_part(pid, m.group().strip()))


def _quote(text: str, pos: int) -> str:
    spans = tf.sentences(text)
    for start, sent in reversed(spans):
        if start <= pos:
            return sent
    return text.strip()


_PERIOD_WORDS = re.compile(r"统计(?:期限|时限|时间|期间|区间|周期)|" + _DATE + r"(?:起)?\s*(?:至|到)")
_VAGUE = re.compile(r"截[止至](?:到)?(?:目前|今日|当前|现在|本报告)")


@check("META-PERIOD-STMT")
def period_statement(ctx: Context) -> Iterator[Finding]:
    if any(_PERIOD_WORDS.search(t) for t in ctx.texts.values()):
        return
    year = ctx.report.year or "报告年度"
    for pid, text in ctx.texts.items():
        m = _VAGUE.search(text)
        if m:
            yield finding("META-PERIOD-STMT", "vague", found=m.group(), year=year, **ctx.at_part(pid, _quote(text, m.start())))
            return
    yield finding("META-PERIOD-STMT", year=year, **ctx.at_part("preamble"))


@check("META-COVER")
def cover(ctx: Context) -> Iterator[Finding]:
    """The cover's required fields (必填) of a template workbook: without them the county cannot merge it."""
    if not ctx.is_workbook:
        return
    for field in form.META_FIELDS:
        value = getattr(ctx.report, field.id)
        if field.id == "year" and (ctx.report.source.year_text or value is not None and not _plausible_year(value)):
            found = ctx.report.source.year_text or str(value)
            yield finding("META-COVER", "year", field=field.label, found=found, **ctx.at_cover(field.id))
        elif field.required and (value is None or not str(value).strip()):
            yield finding("META-COVER", field=field.label, **ctx.at_cover(field.id))
        elif field.id == "unit_type" and str(value).strip() not in form.UNIT_TYPES:
            yield finding("META-COVER", "type", field=field.label, found=str(value).strip(), **ctx.at_cover(field.id))


def _plausible_year(year: int) -> bool:
    """A four-digit report year; 21 or 99999 on a cover is a slip META-COVER names."""
    return 2000 <= year <= 2100


@check("META-UNIT-NAME")
def unit_name(ctx: Context) -> Iterator[Finding]:
    report = ctx.report
    if not ctx.texts or not (report.unit_name or "").strip():
        return  # without a unit name every place is “another unit's”: META-COVER says what is wrong
    own = own_places(report.unit_name, report.parent)
    seen: set[str] = set()
    for pid, text in ctx.texts.items():
        for pos, name in place_names(text):
            if name in own or name in seen:
                continue
            seen.add(name)
            yield finding("META-UNIT-NAME", name=name, unit=report.unit_name or "未填写", **ctx.at_part(pid, _quote(text, pos)))


_TOWNSHIP_TYPES = frozenset({"乡镇人民政府", "街道办事处"})
_COUNTY_TYPES = frozenset({"县级政府部门", "县级人民政府"})
#: (unit types the wording does not fit, pattern, reason)
ROLE_WORDING: tuple[tuple[frozenset[str], re.Pattern[str], str], ...] = (
    (
        _TOWNSHIP_TYPES,
        re.compile(r"(?:履行|作为|担负|承担|发挥)[^，。；]{0,12}主管部门(?:职责|作用)?"),
        "乡镇（街道）不是政府信息公开工作主管部门（条例第三条：主管部门为县级以上地方人民政府办公厅（室））",
    ),
    (
        _TOWNSHIP_TYPES,
        re.compile(r"(?:各|相关|有关)?(?:委)?办局"),
        "“办局”是县级政府部门的用语，乡镇（街道）没有办局",
    ),
    (
        _COUNTY_TYPES,
        re.compile(r"(?:我|本|全)(?:镇|乡|街道)(?![\u4e00-\u9fff]{0,1}[长区])"),
        "县级单位的报告不应以乡镇（街道）自称",
    ),
)


@check("META-ROLE")
def role(ctx: Context) -> Iterator[Finding]:
    unit_type = ctx.report.unit_type
    for types, pattern, reason in ROLE_WORDING:
        if unit_type not in types:
            continue
        for pid, text in ctx.texts.items():
            phrases = list(dict.fromkeys(m.group() for m in pattern.finditer(text)))
            if phrases:
                first = pattern.search(text)
                yield finding(
                    "META-ROLE",
                    phrase="”“".join(phrases),
                    unit_type=unit_type,
                    reason=reason,
                    **ctx.at_part(pid, _quote(text, first.start())),
                )


#: (first report year it applies to, pattern, reason)
STALE_WORDING: tuple[tuple[int, re.Pattern[str], str], ...] = (
    (
        2021,
        re.compile(r"新修订的?《(?:中华人民共和国)?政府信息公开条例》"),
        "条例于2019年修订施行，{year}年的报告仍称“新修订”，疑似沿用旧报告的表述",
    ),
    (
        2019,
        re.compile(r"国务院令第\s*492\s*号"),
        "引用的是2007年版条例（国务院令第492号），现行条例为国务院令第711号",
    ),
    (
        2021,
        re.compile(r"国办公开办函\s*[〔\[［(（]\s*2019\s*[〕\]］)）]\s*60\s*号"),
        "引用的是2019年的年度报告格式，{year}年度报告应使用" + form.FORMAT_ID,
    ),
)


@check("META-STALE")
def stale(ctx: Context) -> Iterator[Finding]:
    y = ctx.report.year
    if not y:
        return
    for since, pattern, reason in STALE_WORDING:
        if y < since:
            continue
        for pid, text in ctx.texts.items():
            m = pattern.search(text)
            if m:
                yield finding(
                    "META-STALE", phrase=m.group(), reason=reason.format(year=y), **ctx.at_part(pid, _quote(text, m.start()))
                )


_DOCNO = re.compile(r"国[\u4e00-\u9fff]{0,10}?函\s*[〔\[［(（]\s*2021\s*[〕\]］)）]\s*30\s*号")
_RIGHT_PREFIX = form.FORMAT_ID.split("〔")[0]


@check("TPL-DOCNO")
def document_number(ctx: Context) -> Iterator[Finding]:
    for pid, text in ctx.texts.items():
        for m in _DOCNO.finditer(text):
            if re.split(r"[〔\[［(（]", m.group())[0].strip() != _RIGHT_PREFIX:
                yield finding("TPL-DOCNO", found=m.group(), **ctx.at_part(pid, _quote(text, m.start())))
