"""Rules across years, when last year's report is given: XY-*, X-S5-PRIOR, META-DUP."""

from __future__ import annotations

import re
from typing import Iterator

from rapidfuzz import fuzz

from .. import form
from ..findings import Finding
from ..model import tidy_number
from .catalog import finding
from .engine import Context, check

#: Section 五 at least this similar to last year's counts as copied (percent).
S5_SIMILARITY = 85
#: The whole narrative at least this similar to last year's counts as a duplicate (percent).
DUP_SIMILARITY = 90


def _name_keys(name: str, parents: tuple[str, ...]) -> set[str]:
    """How a unit name is compared across years: the merge's name rule (城关镇 is 城关镇人民政府,
    东城街道 is 东城街道办事处), with or without its county in front (云溪县城关镇)."""
    from ..consolidation.roster import parent_key, unit_key

    key = unit_key(name)
    keys = {key}
    for parent in parents:
        county = parent_key(parent)
        if county:
            keys.add(re.sub(f"^{re.escape(county)}[县区市旗]?(?=..)", "", key))
    return keys


def right_year(ctx: Context) -> bool:
    """Last year's report is of the year before (when both years are known). Otherwise
    (the file itself picked again, a report two years old) only XY-UNIT is reported:
    its figures and section 五 are not last year's."""
    prev, cur = ctx.previous, ctx.report
    return prev.year is None or cur.year is None or prev.year == cur.year - 1


def same_unit(ctx: Context) -> bool:
    prev, cur = ctx.previous, ctx.report
    parents = (prev.parent, cur.parent)
    same_name = (not prev.unit_name.strip() or not cur.unit_name.strip()
                 or bool(_name_keys(prev.unit_name, parents) & _name_keys(cur.unit_name, parents)))
    return same_name and right_year(ctx)


@check("XY-UNIT", needs_previous=True)
def unit(ctx: Context) -> Iterator[Finding]:
    if same_unit(ctx):
        return
    prev, cur = ctx.previous, ctx.report
    yield finding(
        "XY-UNIT",
        previous_unit=prev.unit_name,
        previous_year=f"（{prev.year}年）" if prev.year else "",
        unit=cur.unit_name,
        year=f"（{cur.year}年）" if cur.year else "",
        **ctx.at_cover("unit_name"),
    )


@check("XY-T3-CARRY", needs_previous=True)
def carry_over(ctx: Context) -> Iterator[Finding]:
    if not right_year(ctx):
        return
    strict = same_unit(ctx)
    before = Context(ctx.previous)
    for col in form.T3.columns:
        # a figure typed as text or left blank (either year) is no 0: CELL-* report it
        if not ctx.known(f"t3.carried.{col.id}") or not before.known(f"t3.carry_forward.{col.id}"):
            continue
        carried = ctx.number(f"t3.carried.{col.id}")
        previous = ctx.previous.number(f"t3.carry_forward.{col.id}")
        if abs(carried - previous) <= 1e-9:
            continue
        severity = "error" if strict and col.id == "total" else "warning"
        yield finding(
            "XY-T3-CARRY",
            column=col.label,
            carried=tidy_number(carried),
            previous=tidy_number(previous),
            severity=severity,
            **ctx.at_cell(f"t3.carried.{col.id}"),
        )


#: First report year of the 2021 format; 表二 of earlier years counted other things.
FORMAT_2021_FIRST_YEAR = 2021


def previous_in_2021_format(ctx: Context) -> bool:
    prev = ctx.previous
    if prev.year is not None and prev.year < FORMAT_2021_FIRST_YEAR:
        return False
    return not any(f.rule.startswith("TPL-2019") for f in prev.source.findings)


@check("XY-T2-ROLL", needs_previous=True)
def roll_forward(ctx: Context) -> Iterator[Finding]:
    """Only between two 2021-format reports: across 2020 → 2021 表二 is not comparable (spec §2.4)."""
    if not right_year(ctx) or not previous_in_2021_format(ctx):
        return
    n, p = ctx.number, ctx.previous.number
    before = Context(ctx.previous)
    for row in form.T2.blocks[0].rows:
        cells = [f"t2.{row.id}.{c}" for c in ("in_force", "issued", "repealed")]
        if not ctx.known(*cells) or not before.known(cells[0]):
            continue
        in_force = n(f"t2.{row.id}.in_force")
        issued, repealed = n(f"t2.{row.id}.issued"), n(f"t2.{row.id}.repealed")
        previous = p(f"t2.{row.id}.in_force")
        expected = tidy_number(previous + issued - repealed)
        if abs(in_force - expected) > 1e-9:
            yield finding(
                "XY-T2-ROLL",
                row=row.labels[0],
                in_force=tidy_number(in_force),
                previous=tidy_number(previous),
                issued=tidy_number(issued),
                repealed=tidy_number(repealed),
                expected=expected,
                **ctx.at_cell(f"t2.{row.id}.in_force", f"t2.{row.id}.issued", f"t2.{row.id}.repealed"),
            )


def similarity(a: str, b: str) -> int:
    """Similarity of two texts in percent (rapidfuzz's normalised Indel ratio)."""
    if not a.strip() or not b.strip():
        return 0
    return round(fuzz.ratio(a, b))


@check("X-S5-PRIOR", needs_previous=True)
def s5_copied(ctx: Context) -> Iterator[Finding]:
    if not right_year(ctx):
        return
    score = copy_score(ctx.report.narrative.get("s5", "") or "", ctx.previous.narrative.get("s5", "") or "")
    if score >= S5_SIMILARITY:  # “无。” both years is too short to be copying
        yield finding("X-S5-PRIOR", similarity=score, **ctx.at_part("s5"))


def copy_score(a: str, b: str) -> int:
    """:func:`similarity`, or 0 when either text is too short to call copied (the merge's
    bound, :data:`gxexcel.consolidation.similarity.MIN_CHARS`)."""
    from ..consolidation.similarity import MIN_CHARS

    if min(len(re.sub(r"\s+", "", t)) for t in (a, b)) < MIN_CHARS:
        return 0
    return similarity(a, b)


def whole_text(report) -> str:
    """The parts only the unit can write (those gxexcel drafts from the figures are alike
    whenever the figures are): what copying is measured on, here as in the merge."""
    from ..consolidation.similarity import COMPARED_PARTS

    return "\n".join(report.narrative.get(p, "") or "" for p in COMPARED_PARTS)


@check("META-DUP", needs_previous=True)
def duplicate(ctx: Context) -> Iterator[Finding]:
    if not same_unit(ctx):
        return
    score = copy_score(whole_text(ctx.report), whole_text(ctx.previous))
    if score >= DUP_SIMILARITY:
        other = f"上年（{ctx.previous.year}年）报告" if ctx.previous.year else "上年报告"
        yield finding("META-DUP", other=other, similarity=score, section="全文（本单位撰写的部分）")
