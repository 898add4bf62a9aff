"""Find the title, unit, year, the six sections and their parts in a published report.

Works on the items of any reader (:mod:`.items`). Headings are matched
tolerantly (numbering, punctuation, spaces, Traditional characters); a heading
reworded is reported (STRUCT-SECTIONS, warning), a missing one or one out of
the official order too (error); a heading out of order still opens its section.
Text is kept exactly as published: lines of a part are joined with line breaks,
sub-headings are not part of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .. import form
from ..findings import Finding
from ..rules.catalog import finding
from .items import Item, Line
from .normalize import key, simplified, width

_NUMBERED = re.compile(r"^\s*([一二三四五六七八九十])\s*[、.,，．:：]\s*(.*)$")
#: The official words numbered another way: 第一部分 总体情况, 1、总体情况, 1. 总体情况.
#: A section heading numbered otherwise: 第一部分, 1. or （一） (the form's sub-heading style, taken as a section
#: heading only with that section's official words, so 一's （一）主动公开 stays a sub-heading).
_OTHER_NUMBERING = re.compile(
    r"^\s*(?:第\s*([一二三四五六])\s*部分\s*[、.,，．:：]?|([1-6])\s*[、.,，．]|[（(]\s*([一二三四五六])\s*[)）]\s*[、.,，．:：]?)"
    r"\s*(.+)$")
_SUBHEAD = re.compile(r"^\s*[（(]\s*([一二三四五六七八九十])\s*[)）]\s*(.*)$")
_PROSE = re.compile(r"[。；;！？]")
_TITLE = re.compile(
    r"^(?P<pre>.*?)(?P<year>(?:19|20)\d{2})年度?(?P<post>.*?)(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)$"
)
#: Endings of report titles: the official 政府信息公开工作年度报告 and shortened forms seen on portals.
_TITLE_END = re.compile(r"信息公开(?:工作)?(?:年度)?(?:报告|年报)$")
#: A note after the title of a republished report: （更正）, (修订版), （更新稿）.
_VERSION_NOTE = re.compile(r"[（(](?:更正|修订|修正|更新|修改|最终|正式)[版稿后]?[)）]$")
#: Full-width digits (２０２１, typed with a Chinese input method) as ASCII; other characters of the title stay as published.
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
#: A year written in Chinese numerals (二〇二一年, 二○二一年, 二零二一年), as formal titles do.
_CHINESE_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})(?=年)")
_CHINESE_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")
_PERIOD_YEAR = re.compile(r"统计(?:期限|时限|期间|区间)?为?(?:自)?((?:19|20)\d{2})年1月1日")

#: Sub-parts of 一、总体情况 by meaning: (part id, keywords), checked in this order.
S1_MEANINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("s1.request", ("依申请",)),
    ("s1.platform", ("平台",)),
    ("s1.supervision", ("监督", "保障", "考核")),
    ("s1.management", ("管理",)),
    ("s1.active", ("主动公开",)),
)


@dataclass
class Outline:
    title: str = ""
    title_end: int = 0
    #: section id -> (index of its heading item, index after its last item)
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def heading_match(text: str, section: form.Section) -> str:
    """"exact", "reworded" or "" for a line against a section heading."""
    k, official = key(text), key(section.heading)
    if k == official or k == key(section.heading.split("、", 1)[1]):
        return "exact"  # without its numeral when Word numbered the heading automatically
    other = _OTHER_NUMBERING.match(width(simplified(text)))
    numeral = other and (other.group(1) or other.group(2) or other.group(3))
    if other and numeral in ("一二三四五六"[section.number - 1], str(section.number)):
        # numbered otherwise: only with the official words, so that a list item is never a heading
        return "reworded" if key(other.group(4)) == key(section.heading.split("、", 1)[1]) else ""
    m = _NUMBERED.match(width(simplified(text)))
    if not m or m.group(1) != "一二三四五六"[section.number - 1]:
        return ""
    rest, want = key(m.group(2)), key(section.heading.split("、", 1)[1])
    if rest == want:  # only the punctuation after the numeral differs (五．/五.)
        return "exact"
    if not rest or len(rest) > 2 * len(want) + 4 or _PROSE.search(m.group(2)):
        return ""
    if fuzz.ratio(rest, want) >= 60 or (len(rest) >= 4 and fuzz.partial_ratio(rest, want) >= 90):
        return "reworded"
    return ""


def find_title(items: list[Item], stop: int) -> tuple[str, int, int]:
    """(title, index of its first item, index after it) among items[:stop]; ("", 0, 0) if none.

    The title is the first line ending in 政府信息公开工作年度报告, joined with up to two
    lines before it when it was split (南定镇人民政府2021年政府信息公开 / 工作年度报告)."""
    for j in range(stop):
        if not isinstance(items[j], Line) or not _VERSION_NOTE.sub("", key(items[j].text)).endswith(("报告", "年报")):
            continue
        fallback = None
        for n in range(1, 4):
            i = j - n + 1
            if i < 0 or not all(isinstance(it, Line) for it in items[i : j + 1]):
                break
            joined = "".join(it.text for it in items[i : j + 1])
            if not _TITLE_END.search(_VERSION_NOTE.sub("", key(joined))) or len(key(joined)) > 60:
                continue
            if parse_title(joined)[0]:
                return joined, i, j + 1
            fallback = fallback or (joined, i, j + 1)
        if fallback:
            return fallback
    return "", 0, 0


def parse_title(title: str) -> tuple[str, int | None]:
    """(unit name, year) from a title such as 南定镇人民政府2021年政府信息公开工作年度报告."""
    flat = _VERSION_NOTE.sub("", re.sub(r"\s+", "", simplified(title)).translate(_FULL_WIDTH_DIGITS))
    flat = _CHINESE_YEAR.sub(lambda m: m.group(1).translate(_CHINESE_DIGITS), flat, count=1)
    m = _TITLE.match(flat)
    if not m:
        return "", None
    unit = re.sub(r"^(关于)?[“\"《]?|[”\"》]?(关于)?的?$", "", m.group("pre") or m.group("post"))
    return unit, int(m.group("year"))


def infer_unit_type(name: str) -> str:
    n = re.sub(r"\s+", "", name)
    if re.search(r"街道(办事处|办)?$", n):
        return "街道办事处"
    if re.search(r"(镇|乡|苏木)(人民政府|政府)?$", n):
        return "乡镇人民政府"
    if re.search(r"(县|区|旗)(人民政府|政府)$", n):
        return "县级人民政府"
    if re.search(r"(县|区|旗).*(局|委员会|委|办公室|办|中心|院|所|站|队|会)$", n):
        return "县级政府部门"
    return "其他"


def _contents_end(items: list[Item]) -> int:
    """Index after a list of the section headings printed as contents in the introduction
    (three or more headings in order on consecutive lines, repeated further on), else 0."""
    lines = [(i, text) for i, text in ((i, heading_text(it)) for i, it in enumerate(items)) if text.strip()]
    for n, (i, text) in enumerate(lines):
        if len(text) > 60:  # a paragraph, not a heading (as in outline)
            continue
        first = next((s for s in form.SECTIONS if heading_match(text, s)), None)
        if first is None:
            continue
        run = 1
        for _, later in lines[n + 1 :]:
            nxt = first.number + run
            if nxt > len(form.SECTIONS) or len(later) > 60 or not heading_match(later, form.SECTIONS[nxt - 1]):
                break
            run += 1
        if run < 3:
            return 0
        end = lines[n + run - 1][0] + 1
        again = any(len(t) <= 60 and heading_match(t, first) for _, t in lines[n + run :])
        return end if again else 0
    return 0


def heading_text(item: Item) -> str:
    """The text of an item that may be a heading: a line, or a table row holding one text
    only (a section heading printed as the table's first, merged row)."""
    if isinstance(item, Line):
        return item.text
    texts = {c.strip() for c in item.cells if c.strip()}
    return texts.pop() if len(texts) == 1 else ""


def outline(items: list[Item]) -> Outline:
    out = Outline()
    starts: dict[str, int] = {}
    reworded: dict[str, str] = {}

    def find(section: form.Section, positions: range) -> bool:
        for i in positions:
            text = heading_text(items[i])
            if i in starts.values() or not text or len(text) > 60:
                continue
            how = heading_match(text, section)
            if how:
                starts[section.id] = i
                if how == "reworded":
                    reworded[section.id] = text
                return True
        return False

    contents = pos = _contents_end(items)
    for section in form.SECTIONS:  # in the official order
        if find(section, range(pos, len(items))):
            pos = starts[section.id] + 1
    misplaced = {s.id for s in form.SECTIONS if s.id not in starts and find(s, range(contents, len(items)))}
    for section in form.SECTIONS:
        if section.id in misplaced:
            later = [s for s in form.SECTIONS if s.number < section.number and starts.get(s.id, -1) > starts[section.id]]
            out.findings.append(
                finding(
                    "STRUCT-SECTIONS",
                    heading=section.heading,
                    problem=f"顺序错误：出现在“{later[0].heading}”之前" if later else "顺序错误",
                    section=section.heading,
                    quote=heading_text(items[starts[section.id]]),
                )
            )
        elif section.id not in starts:
            out.findings.append(
                finding("STRUCT-SECTIONS", heading=section.heading, problem="缺失", section=section.heading)
            )
        if section.id in reworded:
            out.findings.append(
                finding(
                    "STRUCT-SECTIONS",
                    heading=section.heading,
                    problem=f"写作“{reworded[section.id]}”，与规定格式不一致",
                    severity="warning",
                    section=section.heading,
                    quote=reworded[section.id],
                )
            )
    ordered = sorted(starts.items(), key=lambda kv: kv[1])
    for n, (sid, start) in enumerate(ordered):
        end = ordered[n + 1][1] if n + 1 < len(ordered) else len(items)
        out.sections[sid] = (start, end)
    first = ordered[0][1] if ordered else len(items)
    out.title, _, out.title_end = find_title(items, first)
    return out


def lines_text(items: list[Item]) -> str:
    """The text of a part: its lines joined by line breaks (table rows are not text)."""
    return "\n".join(t for t in (it.text.strip() for it in items if isinstance(it, Line)) if t)


def split_subheading(text: str) -> tuple[str, str, str] | None:
    """(part id, heading, rest of the line) when the line starts with an 一、总体情况 sub-heading."""
    m = _SUBHEAD.match(text)
    if not m:
        return None
    body = m.group(2)
    head, rest = body, ""
    stop = re.search(r"[。：:]|\s", body)
    if stop:
        head, rest = body[: stop.start()], body[stop.end() :].strip()
    if not head or len(head) > 30 or _PROSE.search(head):
        return None
    k = key(head)
    for part, words in S1_MEANINGS:
        if any(w in k for w in words):
            return part, text[: len(text) - len(body)] + head, rest
    return None


def s1_parts(items: list[Item]) -> tuple[dict[str, str], list[str]]:
    """Texts of 一、总体情况's parts and the sub-headings found, from the items after its heading."""
    parts: dict[str, list[str]] = {}
    headings: list[str] = []
    current = "s1.intro"
    for item in items:
        if not isinstance(item, Line) or not item.text.strip():
            continue  # a table row is not narrative text
        text = item.text.strip()
        sub = split_subheading(text)
        if sub:
            current, heading, rest = sub
            headings.append(heading)
            parts.setdefault(current, [])
            if rest:
                parts[current].append(rest)
            continue
        parts.setdefault(current, []).append(text)
    return {k: "\n".join(v) for k, v in parts.items()}, headings


_FEE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("fee.notices", r"发出(?:信息处理费)?收费通知(?:书)?(?:共计|共|合计)?(\d+)件"),
    ("fee.billed", r"(?:收费通知(?:书)?)?列明的?(?:收费)?金额(?:共计|共|合计|为)?(\d+(?:\.\d+)?)元"),
    ("fee.collected", r"实际收取(?:的)?(?:信息处理费)?(?:共计|共|合计|为)?(\d+(?:\.\d+)?)元"),
    # “共收取信息处理费120元”, “实收100元”; not an amount to be paid (应收取、需收取)
    ("fee.collected", r"(?<![应需拟未])收取(?:的)?信息处理费(?:共计|共|合计|为)?(\d+(?:\.\d+)?)元"),
    ("fee.collected", r"实收(?:信息处理费)?(?:共计|共|合计|为)?(\d+(?:\.\d+)?)元"),
)


def fees_from(text: str) -> dict[str, int | float]:
    """The 信息处理费 figures section 六 states; figures not stated are left out."""
    flat = re.sub(r"\s+", "", width(simplified(text))).replace(",", "")
    out: dict[str, int | float] = {}
    for fid, pattern in _FEE_PATTERNS:
        m = re.search(pattern, flat)
        if m and fid not in out:
            raw = m.group(1)
            out[fid] = float(raw) if "." in raw else int(raw)
    if re.search(r"未(?:发出|发放|开具)(?:任何)?(?:信息处理费)?收费通知", flat):
        out.setdefault("fee.notices", 0)
        out.setdefault("fee.billed", 0)
    if re.search(
        r"(?:未|没有|无|不存在)(?:实际)?(?:向申请人)?收取(?:任何)?(?:的)?信息处理费|实际未收取|(?:未|没有)(?:产生|发生)(?:任何)?信息处理费",
        flat,
    ):
        out.setdefault("fee.collected", 0)
    return out


def period_year(text: str) -> int | None:
    m = _PERIOD_YEAR.search(re.sub(r"\s+", "", width(text)))
    return int(m.group(1)) if m else None
