"""Figures quoted in narrative text, found in the common phrasings of real reports.

Real reports repeat their table figures in the text: “新收政府信息公开申请10件，
上年结转0件，办结9件，结转下年度继续办理1件”, “公开行政许可处理决定805件”,
“发生政府信息公开行政复议2件”, “未收到政府信息公开申请”. This module finds such
figures and says which table figure each one quotes (a :class:`Measure`), so
that the validator (X-TEXT-T2/T3/T4, X-TEXT-SUM) and the narrative tests can
compare text with tables.

Main entry points::

    find_figures(text, part="")      -> list[Figure]       # one text
    report_figures(report)           -> list[Figure]       # every narrative part
    table_value(report, measure_id)  -> int | float        # what the tables say
    mismatches(report)               -> list[Mismatch]     # quoted figure != table
    find_totals(text, part="")       -> list[TotalAndParts]  # “共X条，其中A条、B条”
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from . import form

if TYPE_CHECKING:  # pragma: no cover
    from .model import Report


@dataclass(frozen=True)
class Measure:
    """A table figure that narrative text quotes."""

    id: str
    rule: str  # the X-TEXT rule that compares it
    cells: tuple[str, ...]  # the cells whose sum is the figure

    @property
    def label(self) -> str:
        """Chinese name of the figure, from the form's labels."""
        if self.id.startswith("t4.suits."):  # 表四 行政诉讼（未经复议直接起诉、复议后起诉） 结果维持之和
            heads = [form.CELLS[c].column_labels[0].split("/") for c in self.cells]  # 行政诉讼/复议后起诉
            groups = "、".join(h[-1] for h in heads)
            return f"{form.T4.name} {heads[0][0]}（{groups}） {form.CELLS[self.cells[0]].column_labels[-1]}之和"
        if len(self.cells) == 1:
            return form.CELLS[self.cells[0]].label
        first = form.CELLS[self.cells[0]]
        table = form.TABLES[first.table]
        if first.table == "t3":  # 表三 三、本年度办理结果（三）不予公开 总计
            rows = dict.fromkeys(form.CELLS[c].row_labels[1] for c in self.cells)
            return f"{table.name} {first.row_labels[0]}" + "、".join(rows) + " 总计"
        if first.table == "t4":  # 表四 行政复议、行政诉讼 总计
            groups = dict.fromkeys(form.CELLS[c].column_labels[0].split("/")[0] for c in self.cells)
            return f"{table.name} " + "、".join(groups) + " 总计"
        return f"{table.name} " + "、".join(form.CELLS[c].label for c in self.cells)


def _t3_rows(*rows: str) -> tuple[str, ...]:
    return tuple(f"t3.{r}.total" for r in rows)


def _t3_group(row: str) -> tuple[str, ...]:
    """The 总计 cells of the 表三 result group (``form.T3_RESULT_GROUPS``) that holds ``row``."""
    return _t3_rows(*next(rows for _, rows in form.T3_RESULT_GROUPS if row in rows))


def _t3_group_word(row: str) -> str:
    """The words of the 表三 result group holding ``row``, without its numbering and note:
    （二）部分公开（区分处理的，……） -> 部分公开."""
    label = next(label for label, rows in form.T3_RESULT_GROUPS if row in rows)
    return re.sub(r"^[（(][一二三四五六七八九十]+[)）]|[（(][^（）()]*[)）]$", "", label)


def _t2_row_word(row: str) -> str:
    """The row label of a 表二 row (行政许可, 规章 …), from the form."""
    return next(c.row_labels[-1] for c in form.T2.cells if c.row == row)


_SUITS = ("t4.suit_direct.total", "t4.suit_after_review.total")
#: 表三 result rows that belong to a group of several (（三）不予公开 1.属于国家秘密 …).
_DETAIL_ROWS = tuple(r for _, rows in form.T3_RESULT_GROUPS if len(rows) > 1 for r in rows)


def _detail_word(row: str) -> str:
    """The words of a 表三 result row without its number (1.属于国家秘密 -> 属于国家秘密)."""
    return re.sub(r"^\d+\.", "", form.CELLS[f"t3.{row}.total"].row_labels[-1]).split("（", 1)[0]
#: 表四's outcome columns of each group (结果维持, 结果纠正, 其他结果, 尚未审结).
_T4_OUTCOMES = tuple(c.id.rsplit(".", 1)[1] for c in form.T4.cells if c.id.startswith("t4.review.") and c.role != "total")

MEASURES: dict[str, Measure] = {
    m.id: m
    for m in (
        Measure("t3.new", "X-TEXT-T3", ("t3.new.total",)),
        Measure("t3.carried", "X-TEXT-T3", ("t3.carried.total",)),
        Measure("t3.closed", "X-TEXT-T3", ("t3.total.total",)),
        Measure("t3.carry_forward", "X-TEXT-T3", ("t3.carry_forward.total",)),
        Measure("t3.open", "X-TEXT-T3", ("t3.open.total",)),
        Measure("t3.partial", "X-TEXT-T3", ("t3.partial.total",)),
        Measure("t3.open_partial", "X-TEXT-T3", ("t3.open.total", "t3.partial.total")),
        Measure("t3.deny", "X-TEXT-T3", _t3_group("deny_secret")),
        Measure("t3.unable", "X-TEXT-T3", _t3_group("unable_no_info")),
        Measure("t3.reject", "X-TEXT-T3", _t3_group("reject_petition")),
        Measure("t3.other", "X-TEXT-T3", _t3_group("other_no_correction")),
        Measure("t4.review", "X-TEXT-T4", ("t4.review.total",)),
        Measure("t4.suits", "X-TEXT-T4", _SUITS),
        Measure("t4.cases", "X-TEXT-T4", ("t4.review.total",) + _SUITS),
        Measure("t2.regs.issued", "X-TEXT-T2", ("t2.regs.issued",)),
        Measure("t2.regs.repealed", "X-TEXT-T2", ("t2.regs.repealed",)),
        Measure("t2.regs.in_force", "X-TEXT-T2", ("t2.regs.in_force",)),
        Measure("t2.normative.issued", "X-TEXT-T2", ("t2.normative.issued",)),
        Measure("t2.normative.repealed", "X-TEXT-T2", ("t2.normative.repealed",)),
        Measure("t2.normative.in_force", "X-TEXT-T2", ("t2.normative.in_force",)),
        Measure("t2.license", "X-TEXT-T2", ("t2.license.decisions",)),
        Measure("t2.penalty", "X-TEXT-T2", ("t2.penalty.decisions",)),
        Measure("t2.enforcement", "X-TEXT-T2", ("t2.enforcement.decisions",)),
        Measure("t2.fees", "X-TEXT-T2", ("t2.fees.amount",)),
        # 表三 result rows, as detailed in brackets after their group's figure (“无法提供2件（本机关……2件）”)
        *(Measure(f"t3.{r}", "X-TEXT-T3", (f"t3.{r}.total",)) for r in _DETAIL_ROWS),
        # the two kinds of suit, as detailed in brackets after the 行政诉讼 figure
        *(Measure(c.rsplit(".", 1)[0], "X-TEXT-T4", (c,)) for c in _SUITS),
        # 表四 outcomes, as listed after the 行政复议 / 行政诉讼 figure (“其中结果维持1件”)
        *(Measure(f"t4.review.{o}", "X-TEXT-T4", (f"t4.review.{o}",)) for o in _T4_OUTCOMES),
        *(Measure(f"t4.suits.{o}", "X-TEXT-T4", tuple(c.replace("total", o) for c in _SUITS)) for o in _T4_OUTCOMES),
        # 本年新收 by applicant, as listed after the new-application figure (“其中自然人申请5件”)
        *(Measure(f"t3.new.{c}", "X-TEXT-T3", (f"t3.new.{c}",)) for c in form.T3_APPLICANT_COLUMNS),
    )
}

# ---------------------------------------------------------------------------
# Phrasings
# ---------------------------------------------------------------------------

_APP = r"(?:政府信息公开|信息公开|依申请公开)?(?:的)?申请"
_DOC = r"(?:行政)?规范性文件"
#: Table words as the form prints them (group and row labels without numbering), so
#: that no label is written twice.
_OPEN, _PARTIAL, _DENY, _UNABLE, _REJECT, _OTHER = (
    re.escape(_t3_group_word(row))
    for row in ("open", "partial", "deny_secret", "unable_no_info", "reject_petition", "other_no_correction")
)
#: 表四's two groups, as its column headings print them (form.T4_GROUPS).
_REVIEW, _SUIT = (re.escape(g) for g in dict.fromkeys(top for _, top, _ in form.T4_GROUPS))
_REGS, _LICENSE, _PENALTY, _ENFORCEMENT, _FEES = (
    re.escape(_t2_row_word(row)) for row in ("regs", "license", "penalty", "enforcement", "fees")
)
#: 表三's applicant columns as a list of new applications names them (narrate writes 其他 as
#: 其他法人或其他组织, :mod:`gxexcel.narrative`), with the optional “申请”/“提出申请”.
_APPLICANT: dict[str, str] = {
    c.id: ("其他法人或其他组织" if c.id == "other" else re.escape(c.label)) + r"(?:提出(?:的)?)?(?:申请)?"
    for c in form.T3.columns
    if c.id in form.T3_APPLICANT_COLUMNS
}
#: (measure, keyword regex). Earlier entries win where phrases overlap.
_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("t4.cases", rf"{_REVIEW}(?:和|及|、|与){_SUIT}(?:案件)?"),
    ("t3.carried", r"上一?年(?:度)?结转(?:的)?(?:" + _APP + r")?"),
    ("t3.carry_forward", r"结转(?:至|到|入)?下一?年(?:度)?(?:继续办理)?(?:的)?(?:" + _APP + r")?"),
    ("t3.carry_forward", r"(?<![年度])结转(?:的)?(?:" + _APP + r")?"),
    ("t3.new", r"(?:本年|全年|年内)?新收(?:到)?(?:各类)?(?:" + _APP + r")?"),
    ("t3.new", r"(?:共|累计|全年)?(?:收到|受理|接收|接到)(?:各类)?" + _APP),
    ("t3.closed", r"(?:全部)?办结(?:的)?" + _APP),
    # “办结5件” alone: applications only right after an application figure (not 便民服务、信访 work)
    ("t3.?closed", r"(?:全部)?办结"),
    ("t3.open_partial", rf"(?<!不){_OPEN}(?:和|及|与|、){_PARTIAL}"),
    ("t3.open", rf"(?<!不){_OPEN}"),
    ("t3.partial", rf"(?<!{_OPEN}和)(?<!{_OPEN}及)(?<!{_OPEN}、){_PARTIAL}"),
    ("t3.deny", _DENY),
    ("t3.unable", _UNABLE),
    ("t3.reject", _REJECT),
    ("t3.other", _OTHER),
    ("t4.review", rf"{_REVIEW}(?:案件)?"),
    ("t4.suits", rf"{_SUIT}(?:案件)?"),
    ("t2.regs.issued", r"(?:制发|制定|出台|印发)(?:的)?" + _REGS),
    ("t2.regs.repealed", r"废止(?:的)?" + _REGS),
    ("t2.regs.in_force", r"现行有效(?:的)?" + _REGS),
    ("t2.normative.issued", r"(?:制发|制定|出台|印发)(?:的)?" + _DOC),
    ("t2.normative.repealed", r"废止(?:的)?" + _DOC),
    ("t2.normative.in_force", r"现行有效(?:的)?" + _DOC),
    ("t2.license", _LICENSE + r"(?:处理)?决定"),
    ("t2.penalty", _PENALTY + r"(?:处理)?决定"),
    ("t2.enforcement", _ENFORCEMENT + r"(?:处理)?决定"),
    # “（本机关不掌握相关政府信息1件，……）” right after its result group's figure: resolved by context
    *((f"t3.?{r}", re.escape(_detail_word(r))) for r in _DETAIL_ROWS),
    # “（未经复议直接起诉1件、复议后起诉1件）” right after the 行政诉讼 figure: resolved by context
    *((f"t4.?{gid}", re.escape(sub)) for gid, _, sub in form.T4_GROUPS if sub),
    # “其中结果维持1件、结果纠正1件” right after a 行政复议 / 行政诉讼 figure: resolved by context
    *((f"t4.?.{o}", re.escape(form.CELLS[f"t4.review.{o}"].column_labels[-1])) for o in _T4_OUTCOMES),
    # “其中自然人申请5件、商业企业申请2件” right after the 本年新收 figure: resolved by context
    *((f"t3.new.?{c}", _APPLICANT[c]) for c in form.T3_APPLICANT_COLUMNS),
    # “废止2件，现行有效5件” right after a 规范性文件/规章 figure: resolved by context
    ("t2.?.repealed", r"废止"),
    ("t2.?.in_force", r"现行有效"),
)

_GAP = r"(?P<gap>[^，。；、,;：:！!？?\d（）()“”\n]{0,12}?)"
#: A time limit, not a count: “自收到申请之日起20个工作日内”, “办结时限为15个工作日”, “3天内”.
_NOT_TIME = r"(?!\d|\s*个?(?:工作日|自然日|天|小时|月|周|星期))"
#: Chinese numerals (“一百零五件”, “两件”); counted only with a unit after them.
_CN = "零〇一二两三四五六七八九十百千"
_NUM = (
    r"(?P<num>\d{1,3}(?:,\d{3})+" + _NOT_TIME  # 1,050
    + r"|\d+" + _NOT_TIME
    + rf"|(?<![{_CN}])[{_CN}]+" + _NOT_TIME + ")"
)
_UNIT = r"\s*(?P<unit>件|条|个|起|项|宗|次|份)?"
_NOT_AFTER = r"(?![\d.年月日%％万元])"
_UNITLESS_GAP_END = ("为", "是", "达", "达到")
#: Words between a keyword and its number that make the number count something else: training
#: sessions, meetings or documents about 行政复议 (“开展行政复议和行政诉讼培训2次”, “行政复议决定书2份”).
_OTHER_THING = re.compile(r"培训|讲座|学习|宣传|会议|座谈|演练|活动|课|文书|决定书|案例|材料")

#: Statements of zero without a number.
_ZERO_CLAIMS: tuple[tuple[str, str], ...] = (
    ("t3.new", r"(?:未|没有)(?:收到|受理|接到|接收)(?:任何|过)?(?:各类)?" + _APP),
    ("t3.carried", r"(?:无|没有)上一?年(?:度)?结转(?:的)?(?:" + _APP + r")?"),
    ("t4.cases", rf"(?:未|没有)(?:发生|收到|出现)(?:任何|过)?(?:因)?(?:政府信息公开)?(?:工作)?(?:引起的)?{_REVIEW}(?:和|及|、|与){_SUIT}"),
    ("t4.review", rf"(?:未|没有)(?:发生|收到|出现)(?:任何|过)?(?:政府信息公开)?(?:类)?{_REVIEW}(?![和及、与]{_SUIT})"),
    ("t4.suits", rf"(?:未|没有)(?:发生|收到|出现)(?:任何|过)?(?:政府信息公开)?(?:类)?{_SUIT}"),
    ("t2.fees", rf"(?:未|没有)收取(?:任何)?{_FEES}"),
)
#: 表二's 行政事业性收费 in 万元, as narrate drafts it (“本年行政事业性收费金额1.2万元”): an amount,
#: not a count, so it has its own phrasing; an amount in 元 is not this figure.
_FEE_AMOUNT = re.compile(
    rf"(?P<key>{_FEES}(?:金额|总额)?){_GAP}(?P<num>\d+(?:\.\d+)?|\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?)\s*万元"
)


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """(measure, pattern, words every match contains) of each keyword."""
    return tuple(
        (measure, re.compile(f"(?P<key>{key}){_GAP}{_NUM}{_UNIT}{_NOT_AFTER}"), required_words(key))
        for measure, key in _KEYWORDS
    )


@cache
def _zero_patterns() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    return tuple((measure, re.compile(key), required_words(key)) for measure, key in _ZERO_CLAIMS)


def required_words(pattern: str) -> str:
    """The longest run of characters that every match of the regex ``pattern`` contains
    (“结转” for ``上一?年(?:度)?结转…``), or "" when none is certain. A text without them
    cannot match, so the pattern is not run over it (most keywords are absent from most parts)."""
    try:
        from re import _parser as parser  # type: ignore[attr-defined]  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse as parser  # type: ignore[no-redef]
    best = ""

    def walk(items: Any) -> None:
        nonlocal best
        run = ""
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                run += chr(arg)
                continue
            best, run = max(best, run, key=len), ""
            if name == "SUBPATTERN":  # a group that must match: what it must contain counts
                walk(arg[-1])
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and arg[0] >= 1:
                walk(arg[2])
            # alternatives (BRANCH), character sets and optional parts promise nothing
        best = max(best, run, key=len)

    walk(parser.parse(pattern))
    return best


_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


@dataclass(frozen=True)
class Figure:
    """A figure quoted in the text."""

    measure: str  # key of MEASURES
    value: int
    phrase: str  # the matched words, e.g. “新收政府信息公开申请10件”
    sentence: str  # the whole sentence it sits in (the finding's quote)
    part: str = ""  # narrative part id
    start: int = 0  # offset of the phrase in the text
    end: int = 0


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) for each sentence of ``text``."""
    return [(m.start(), m.group().strip()) for m in _SENTENCE.finditer(text) if m.group().strip()]


def _sentence_at(spans: list[tuple[int, str]], text: str, pos: int) -> str:
    for start, sent in reversed(spans):
        if start <= pos:
            return sent
    return text.strip()


_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def _value(num: str) -> int:
    """1050, “1,050” or a Chinese numeral (一百零五, 十二, 两) as an int."""
    if num[0] not in _CN_DIGIT and num[0] not in _CN_UNIT:
        return int(num.replace(",", ""))
    total, digit = 0, 0
    for ch in num:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        else:
            total += (digit or 1) * _CN_UNIT[ch]
            digit = 0
    return total + digit


def find_figures(text: str, part: str = "") -> list[Figure]:
    """Every figure quoted in ``text``, in order of appearance; overlapping phrases keep the first pattern."""
    if not text:
        return []
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for measure, pattern, words in _patterns():
        if words not in text:
            continue
        for m in pattern.finditer(text):
            gap, num = m.group("gap"), m.group("num")
            if not m.group("unit") and (not gap.endswith(_UNITLESS_GAP_END) or num[0] in _CN[1:]):
                continue
            if _OTHER_THING.search(gap):
                continue
            a, b = m.start(), m.end()
            if not free(a, b):
                continue
            taken.append((a, b))
            found.append((a, b, measure, _value(m.group("num"))))
    for m in _FEE_AMOUNT.finditer(text):
        a, b = m.start(), m.end()
        if free(a, b) and not re.search(r"减|免|退|增|降|同比|上年|较|占", m.group("gap")):
            taken.append((a, b))
            amount = float(m.group("num").replace(",", ""))
            found.append((a, b, "t2.fees", int(amount) if amount.is_integer() else amount))
    for measure, pattern, words in _zero_patterns():
        if words not in text:
            continue
        for m in pattern.finditer(text):
            a, b = m.start(), m.end()
            if free(a, b):
                taken.append((a, b))
                found.append((a, b, measure, 0))
    found.sort()
    spans = sentences(text)
    out: list[Figure] = []
    for a, b, measure, value in found:
        sentence = _sentence_at(spans, text, a)
        if measure.startswith("t2.?."):
            measure = _resolve_t2(out, sentence, measure)
        elif measure == "t3.?closed":
            measure = _resolve_t3(out, spans, a)
        elif measure.startswith("t3.?"):
            measure = _resolve_detail(out, sentence, text, a, measure)
        elif measure.startswith("t4.?."):
            measure = _resolve_outcome(out, sentence, text, a, measure)
        elif measure.startswith("t4.?"):
            measure = _resolve_suit_kind(out, sentence, text, a, measure)
        elif measure.startswith("t3.new.?"):
            measure = _resolve_applicant(out, sentence, text, a, measure)
        if not measure:
            continue  # a figure that needs a context it does not have
        out.append(Figure(measure, value, text[a:b], sentence, part, a, b))
    return out


def _resolve_t2(before: list[Figure], sentence: str, measure: str) -> str:
    """“废止2件” / “现行有效5件” belong to the 规章 or 规范性文件 figure just before, in the same sentence."""
    for fig in reversed(before):
        if fig.sentence != sentence:
            break
        if fig.measure.startswith(("t2.regs.", "t2.normative.")):
            row = fig.measure.split(".")[1]
            return f"t2.{row}.{measure.rsplit('.', 1)[1]}"
    return ""


def _resolve_detail(before: list[Figure], sentence: str, text: str, pos: int, measure: str) -> str:
    """“本机关不掌握相关政府信息1件” is that 表三 row only in the brackets right after the figure of
    its result group (“无法提供2件（……）”), or after another row of that group in them."""
    if not before or before[-1].sentence != sentence:
        return ""
    last, row = before[-1], measure.removeprefix("t3.?")
    siblings = next(rows for _, rows in form.T3_RESULT_GROUPS if row in rows)
    between = text[last.end : pos]
    if MEASURES[last.measure].cells == _t3_rows(*siblings):
        return f"t3.{row}" if re.fullmatch(r"\s*[（(]\s*", between) else ""
    if last.measure.removeprefix("t3.") in siblings and re.fullmatch(r"[、，,\s]*", between):
        return f"t3.{row}"
    return ""


def _resolve_suit_kind(before: list[Figure], sentence: str, text: str, pos: int, measure: str) -> str:
    """“复议后起诉1件” is that kind of suit only in the brackets right after the 行政诉讼 figure
    (“行政诉讼案件2件（未经复议直接起诉1件、复议后起诉1件）”), or after the other kind in them."""
    if not before or before[-1].sentence != sentence:
        return ""
    last, between = before[-1], text[before[-1].end : pos]
    kinds = tuple(c.rsplit(".", 1)[0] for c in _SUITS)
    if last.measure == "t4.suits" and re.fullmatch(r"\s*[（(]\s*", between):
        return measure.replace("?", "")
    if last.measure in kinds and re.fullmatch(r"[、，,\s]*", between):
        return measure.replace("?", "")
    return ""


def _resolve_outcome(before: list[Figure], sentence: str, text: str, pos: int, measure: str) -> str:
    """“结果维持1件” is an outcome of 行政复议 or of 行政诉讼 (both kinds of suit) only in the list
    “其中……” that follows that group's figure in the same sentence (or another outcome of it)."""
    if not before or before[-1].sentence != sentence:
        return ""
    last, outcome = before[-1], measure.rsplit(".", 1)[1]
    if last.measure in ("t4.review", "t4.suits") and "其中" in text[last.end : pos]:
        return f"{last.measure}.{outcome}"
    # “行政诉讼案件2件（未经复议直接起诉1件、复议后起诉1件），其中结果维持2件”
    if last.measure in tuple(c.rsplit(".", 1)[0] for c in _SUITS) and re.fullmatch(r"[)）]\s*[，,]?\s*其中", text[last.end : pos]):
        return f"t4.suits.{outcome}"
    group = last.measure.rsplit(".", 1)[0]
    if group in ("t4.review", "t4.suits") and re.fullmatch(r"[、，,\s]*", text[last.end : pos]):
        return f"{group}.{outcome}"
    return ""


def _resolve_applicant(before: list[Figure], sentence: str, text: str, pos: int, measure: str) -> str:
    """“自然人申请5件” is 本年新收 by that applicant only in the list “其中……” that follows the
    本年新收 figure in the same sentence (or another applicant of that list): not after 上年结转 or
    a result, where the applicants would be of another row."""
    if not before or before[-1].sentence != sentence:
        return ""
    last = before[-1]
    if last.measure == "t3.new" and "其中" in text[last.end : pos]:
        return measure.replace("?", "")
    if last.measure.startswith("t3.new.") and re.fullmatch(r"[、，,\s]*", text[last.end : pos]):
        return measure.replace("?", "")
    return ""


def _resolve_t3(before: list[Figure], spans: list[tuple[int, str]], pos: int) -> str:
    """A bare “办结N件” is 表三's 办结 when an application figure comes just before it,
    in the same sentence or the one before (“共收到申请5件。已全部办结5件。”)."""
    if not before or not before[-1].measure.startswith("t3."):
        return ""
    starts = [start for start, _ in spans]
    here = sum(1 for start in starts if start <= pos) - 1
    there = sum(1 for start in starts if start <= before[-1].start) - 1
    return "t3.closed" if here - there <= 1 else ""


def report_figures(report: "Report") -> list[Figure]:
    """Figures quoted in every narrative part of ``report``."""
    out: list[Figure] = []
    for part in form.NARRATIVE_PARTS:
        out.extend(find_figures(report.narrative.get(part.id) or "", part.id))
    return out


def table_value(report: "Report", measure_id: str) -> int | float:
    """What the tables of ``report`` say for a measure."""
    total = sum(report.number(c) for c in MEASURES[measure_id].cells)
    return int(total) if float(total).is_integer() else total


@dataclass(frozen=True)
class Mismatch:
    figure: Figure
    measure: Measure
    table_value: int | float


def mismatches(report: "Report", figures: list[Figure] | None = None) -> list[Mismatch]:
    """Quoted figures that differ from the tables."""
    out = []
    for fig in report_figures(report) if figures is None else figures:
        value = table_value(report, fig.measure)
        if value != fig.value:
            out.append(Mismatch(fig, MEASURES[fig.measure], value))
    return out


# ---------------------------------------------------------------------------
# A total and its parts: “共主动公开信息382条，其中网站35条、媒体80条、微信2443条”
# ---------------------------------------------------------------------------

_TOTAL = re.compile(
    r"(?:共|累计|合计|总计|总共|全年)[^，。；;、\d（）()]{0,15}?(?P<total>\d+)\s*(?P<unit>条|件|个|篇|次|期|项)"
    r"(?P<rest>[^。；;\n]*)"
)
_PART = re.compile(r"(?P<num>\d+)\s*(?P<unit>条|件|个|篇|次|期|项)")
_PART_STOP = re.compile(r"办结|结转|上年|答复|同比|较上年|增长|下降|占|另")
_NOT_DUPLICATE_FREE = ("重复不计", "不重复计", "有重复", "交叉")


@dataclass(frozen=True)
class TotalAndParts:
    """A stated total with its listed parts."""

    phrase: str
    total: int
    parts: tuple[int, ...]
    unit: str
    open_ended: bool  # the list ends with “等”: parts may fall short
    overlapping: bool  # parts may overlap (“重复不计”): parts may exceed
    part: str = ""
    start: int = 0

    @property
    def parts_sum(self) -> int:
        return sum(self.parts)


def find_totals(text: str, part: str = "") -> list[TotalAndParts]:
    """Stated totals followed by “其中” and their parts (same unit), in ``text``."""
    out: list[TotalAndParts] = []
    for m in _TOTAL.finditer(text or ""):
        rest = m.group("rest")
        idx = rest.find("其中")
        if idx < 0 or _PART_STOP.search(rest[:idx]):
            continue
        unit = m.group("unit")
        parts: list[int] = []
        tail_start = m.start("rest") + idx + 2
        tail = rest[idx + 2 :]
        listed_end = 0
        for seg in re.finditer(r"[^，,、]+", tail):
            if _PART_STOP.search(seg.group()):
                break
            nums = [p for p in _PART.finditer(seg.group()) if p.group("unit") == unit]
            if not nums:
                if parts and not tail.startswith("、", seg.end()):
                    break
                continue  # words listed inside one part (“南定村、汇龙湖社区等……56条”)
            parts.append(int(nums[0].group("num")))
            listed_end = seg.end()
        if len(parts) < 2:
            continue
        listed = tail[:listed_end]
        phrase = text[m.start() : tail_start + listed_end]
        out.append(
            TotalAndParts(
                phrase=phrase.strip(),
                total=int(m.group("total")),
                parts=tuple(parts),
                unit=unit,
                open_ended="等" in listed,
                overlapping=any(w in rest for w in _NOT_DUPLICATE_FREE),
                part=part,
                start=m.start(),
            )
        )
    return out
