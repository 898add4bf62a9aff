"""Text against tables and text against itself (spec §3.5, and X-TEXT-SUM).

Figures quoted in the narrative are found by :mod:`gxexcel.textfigures`.
"""

from __future__ import annotations

import re
from typing import Iterator

from .. import form
from .. import textfigures as tf
from ..findings import Finding
from ..model import tidy_number
from .catalog import finding
from .engine import Context, check


def _figures(ctx: Context) -> list[tf.Figure]:
    cached = ctx.__dict__.get("_figures")
    if cached is None:
        cached = ctx.__dict__["_figures"] = [
            f for pid, text in ctx.texts.items() for f in tf.find_figures(text, pid)
        ]
    return cached


@check("X-TEXT-T2", "X-TEXT-T3", "X-TEXT-T4")
def quoted_figures(ctx: Context) -> Iterator[Finding]:
    for mm in tf.mismatches(ctx.report, _figures(ctx)):
        fig = mm.figure
        if not ctx.known(*mm.measure.cells):
            continue  # a blank table cell is CELL-BLANK's business, not a contradiction
        yield finding(
            mm.measure.rule,
            # “未收到政府信息公开申请” quotes no figure: not “…”中为0, but what it claims
            "" if re.search(r"[\d０-９〇零一二两三四五六七八九十百千万]", fig.phrase) else "claim",
            phrase=fig.phrase,
            text_value=fig.value,
            table_label=mm.measure.label,
            table_value=mm.table_value,
            cells=list(mm.measure.cells),
            **ctx.at_part(fig.part, fig.sentence),
        )


_UPHELD = re.compile(r"(?:均|全部|都)(?:已)?(?:获|被|予以|得到)?(?:维持|胜诉)")
_NOT_UPHELD = tuple(
    f"t4.{gid}.{o}" for gid, _, _ in form.T4_GROUPS for o in ("corrected", "other", "pending")
)


@check("X-TEXT-T4")
def upheld_claims(ctx: Context) -> Iterator[Finding]:
    """“均获维持” requires 结果纠正 = 其他结果 = 尚未审结 = 0."""
    for pid, text in ctx.texts.items():
        for _, sentence in tf.sentences(text):
            m = _UPHELD.search(sentence)
            if not m or not re.search("复议|诉讼", sentence):
                continue
            value = tidy_number(sum(ctx.number(c) for c in _NOT_UPHELD))
            if value and ctx.known(*_NOT_UPHELD):
                labels = "、".join(dict.fromkeys(form.CELLS[c].column_labels[-1] for c in _NOT_UPHELD))
                yield finding(
                    "X-TEXT-T4",
                    "claim",
                    phrase=m.group(),
                    table_label=f"表四 {labels}合计",
                    table_value=value,
                    cells=[c for c in _NOT_UPHELD if ctx.number(c)],
                    **ctx.at_part(pid, sentence),
                )


_GROWTH = re.compile(
    r"申请(?:数量|量|件数|数)?(?:有所|明显|大幅|逐年|不断|持续)?(?:增加|增多|上升|增长)"
)
_INTERPRETATION = re.compile(
    r"(?:缺少|缺乏|没有|未|无)[^，。；,]{0,8}解读|解读[^，。；,]{0,12}(?:滞后|不及时|笼统|单一|不够|不足|缺失|不到位)"
)


@check("X-TEXT-ZERO")
def claims_about_nothing(ctx: Context) -> Iterator[Finding]:
    n = ctx.number
    no_applications = ctx.known("t3.new.total", "t3.carried.total") and not (
        n("t3.new.total") or n("t3.carried.total")
    )
    no_documents = ctx.known("t2.normative.issued", "t2.regs.issued") and not (
        n("t2.normative.issued") or n("t2.regs.issued")
    )
    cells = form.CELLS
    for pid, text in ctx.texts.items():
        for _, sentence in tf.sentences(text):
            if no_applications:
                m = _GROWTH.search(sentence)
                if m:
                    yield finding(
                        "X-TEXT-ZERO",
                        phrase=m.group(),
                        table_label=f"{form.T3.name} 本年新收与上年结转申请数量之和",
                        cells=["t3.new.total", "t3.carried.total"],
                        **ctx.at_part(pid, sentence),
                    )
            if no_documents and pid == "s5":
                m = _INTERPRETATION.search(sentence)
                if m:
                    yield finding(
                        "X-TEXT-ZERO",
                        phrase=m.group(),
                        table_label=f"{cells['t2.normative.issued'].label}（政策解读以本年制发的文件为对象）",
                        cells=["t2.normative.issued"],
                        **ctx.at_part(pid, sentence),
                    )


@check("X-TEXT-SUM")
def text_totals(ctx: Context) -> Iterator[Finding]:
    for pid, text in ctx.texts.items():
        for tp in tf.find_totals(text, pid):
            if tp.parts_sum > tp.total and not tp.overlapping:
                yield finding("X-TEXT-SUM", phrase=tp.phrase, parts=tp.parts_sum, total=tp.total, **ctx.at_part(pid, tp.phrase))
            elif tp.parts_sum < tp.total and not tp.open_ended:
                yield finding(
                    "X-TEXT-SUM",
                    "short",
                    phrase=tp.phrase,
                    parts=tp.parts_sum,
                    total=tp.total,
                    severity="warning",
                    **ctx.at_part(pid, tp.phrase),
                )
    # the application balance stated in one sentence: 新收 + 上年结转 = 办结 + 结转
    wanted = ("t3.new", "t3.carried", "t3.closed", "t3.carry_forward")
    by_sentence: dict[tuple[str, str], list[tf.Figure]] = {}
    for fig in _figures(ctx):
        if fig.measure in wanted:
            by_sentence.setdefault((fig.part, fig.sentence), []).append(fig)
    for (pid, sentence), figs in by_sentence.items():
        values = {}
        for fig in figs:
            values.setdefault(fig.measure, []).append(fig.value)
        if set(values) != set(wanted) or any(len(v) != 1 for v in values.values()):
            continue
        new, carried, closed, carry = (values[m][0] for m in wanted)
        if new + carried != closed + carry:
            yield finding(
                "X-TEXT-SUM",
                "balance",
                phrase=sentence.rstrip("。；;，, "),
                new=new,
                carried=carried,
                left=new + carried,
                closed=closed,
                carry=carry,
                right=closed + carry,
                **ctx.at_part(pid, sentence),
            )


_FEE_STATEMENT = re.compile(r"信息处理费|收费通知|(?:未|没有|不|无)(?:向申请人)?收取[^，。；]{0,10}费")


@check("X-FEE-STMT")
def fee_statement(ctx: Context) -> Iterator[Finding]:
    severity = "error" if ctx.is_template_output else "warning"
    text = ctx.report.narrative.get("s6") or ""
    if not _FEE_STATEMENT.search(text):
        yield finding("X-FEE-STMT", severity=severity, **ctx.at_part("s6", text.strip()[:60]))
    if ctx.is_template_output:
        missing = [f for f in form.FEE_FIELDS if ctx.report.fees.get(f.id) in (None, "")]
        if missing:
            where = ctx.at_part("s6")
            where.update({k: v for k, v in ctx.at_cover(missing[0].id).items() if k in ("sheet", "cell")})
            yield finding(
                "X-FEE-STMT", "fields", missing="、".join(f.label for f in missing), severity=severity, **where
            )
        yield from _fee_figures(ctx, text, severity)


def _fee_figures(ctx: Context, text: str, severity: str) -> Iterator[Finding]:
    """The figures 六 states (“未发出收费通知”, “实际收取信息处理费100元”) against the fee fields
    typed beside it: a statement drafted before the fields were filled in and never drafted again."""
    from ..importer.sections import fees_from  # the same reading as an import of the published text

    stated = fees_from(text)
    for field in form.FEE_FIELDS:
        value = ctx.report.fees.get(field.id)
        if field.id not in stated or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        if abs(stated[field.id] - value) > 1e-9:
            yield finding(
                "X-FEE-STMT",
                "mismatch",
                label=field.label,
                text_value=tidy_number(stated[field.id]),
                value=tidy_number(value),
                severity=severity,
                cells=[field.id],  # marked with the statement (the anchor): the field it contradicts
                **ctx.at_part("s6", text.strip()[:60]),
            )


#: 条例第五十条第四项: 工作考核、社会评议和责任追究结果情况.
ASSESSMENT_TERMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("工作考核", re.compile(r"考核")),
    ("社会评议", re.compile(r"评议")),
    ("责任追究", re.compile(r"责任追究|追究责任|追责|问责")),
)


@check("X-S1-ASSESS")
def assessment(ctx: Context) -> Iterator[Finding]:
    if ctx.report.unit_type not in form.GOVERNMENT_UNIT_TYPES:
        return
    narrative = ctx.report.narrative
    text = narrative.get("s1.supervision") or ""
    part = "s1.supervision"
    if not text.strip():
        text = "".join(narrative.get(p.id) or "" for p in form.NARRATIVE_PARTS if p.section == "s1")
        part = "s1.intro"
    missing = [name for name, pattern in ASSESSMENT_TERMS if not pattern.search(text)]
    if missing:
        yield finding(
            "X-S1-ASSESS",
            unit_type=ctx.report.unit_type,
            missing="“" + "”“".join(missing) + "”",
            # a workbook has a cell for （五）监督保障: that is where the clerk writes it
            **ctx.at_part("s1.supervision" if ctx.is_workbook else part),
        )
