"""Draft the narrative parts that follow from the figures, and merge them into a report.

Each generated part (``form.NARRATIVE_PARTS`` with ``generated=True``) has a Jinja2
template ``narrative/<part id with . as _>.j2`` (``s1.request`` -> ``s1_request.j2``).
Template layout: a blank line separates paragraphs; the lines of one paragraph are
joined without spaces (Chinese text). A part is drafted only when the cells it speaks
about hold valid figures; otherwise the part is skipped with a reason naming the cells.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from jinja2 import Environment, TemplateError

from .. import form, layout
from ..errors import GxError
from ..model import Report
from ..publish.grid import format_value
from .context import template_context
from .marker import make_marker, may_replace, part_state
from .templating import environment, template_problem

GENERATED_PARTS: tuple[str, ...] = tuple(p.id for p in form.NARRATIVE_PARTS if p.generated)


#: Parts of the official format only the unit can write (一（三）至（五）, 五): nothing is drafted for them.
WRITTEN_PARTS: tuple[str, ...] = ("s1.management", "s1.platform", "s1.supervision", "s5")


def empty_written_parts(report: Report) -> list[str]:
    """Labels of the parts the unit must write itself that are still empty: a published report
    would print their headings with nothing under them."""
    return [form.NARRATIVE[p].label for p in WRITTEN_PARTS if not (report.narrative.get(p) or "").strip()]


def empty_generated_parts(report: Report) -> list[str]:
    """Labels of the parts gxexcel drafts that are still empty (“生成总体情况” / narrate fills them)."""
    return [form.NARRATIVE[p].label for p in GENERATED_PARTS if not (report.narrative.get(p) or "").strip()]


def template_name(part_id: str) -> str:
    return "narrative/" + part_id.replace(".", "_") + ".j2"


def _source_keys(part_id: str) -> tuple[str, ...]:
    """The cells and fields a generated part states figures from."""
    table = {"s1.active": "t2", "s1.request": "t3", "s4.note": "t4"}.get(part_id)
    if table:
        return tuple(c.id for c in form.TABLES[table].cells if c.role == "input")
    if part_id == "s6":
        return tuple(f.id for f in form.FEE_FIELDS)
    return ()


def _invalid(report: Report, key: str) -> bool:
    value = report.fees.get(key) if key.startswith("fee.") else report.cells.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        return True
    if key in form.CELLS:
        money = form.CELLS[key].kind == "money"
    else:
        money = any(f.id == key and f.kind == "yuan" for f in form.FEE_FIELDS)
    return not money and isinstance(value, float) and not value.is_integer()


def _where(key: str) -> str:
    pos = layout.locate(key)
    return str(pos) if pos else key


def missing_figures(report: Report, part_id: str) -> list[str]:
    """Where the figures a part needs are blank, text, negative or fractional counts."""
    problems = [_where(k) for k in _source_keys(part_id) if _invalid(report, k)]
    if not isinstance(report.year, int) or not 2000 <= report.year <= 2100:  # blank, text or a slip (99999, 21)
        problems.append(_where("year"))
    return list(dict.fromkeys(problems))


def describe_missing(cells: list[str], limit: int = 8) -> str:
    """Why a part was not drafted, for the clerk: the problem and the first ``limit`` cells."""
    year = _where("year")
    out = []
    if year in cells:  # the cover's year is not a count: say what it should be
        label = next(f.label for f in form.META_FIELDS if f.id == "year")
        out.append(f"封面“{label}”（{year}）未填写或不是四位数字的年份")
        cells = [c for c in cells if c != year]
    if cells:
        shown = "、".join(cells[:limit]) + (f" 等{len(cells)}处" if len(cells) > limit else "")
        out.append(f"以下单元格为空、不是数字或为负数（件数须为整数），请先修正：{shown}")
    return "；".join(out)


def _paragraphs(rendered: str) -> str:
    paras = re.split(r"\n\s*\n", rendered.strip())
    return "\n".join("".join(line.strip() for line in p.splitlines()) for p in paras if p.strip())


def narrative_environment(templates: str | os.PathLike[str] | None = None) -> Environment:
    """The template environment with the ``n`` filter (a figure as printed: 12, 0.5, 6.77)."""
    env = environment(templates)
    env.filters.setdefault("n", format_value)
    return env


def draft_part(
    report: Report,
    part_id: str,
    *,
    templates: str | os.PathLike[str] | None = None,
    env: Environment | None = None,
    context: dict | None = None,
) -> str:
    env = env or narrative_environment(templates)
    name = template_name(part_id)
    try:
        return _paragraphs(env.get_template(name).render(context or template_context(report)))
    except TemplateError as exc:
        raise GxError(template_problem(name, exc)) from exc


@dataclass
class Outcome:
    """What happened to each generated part in one run."""

    written: list[str] = field(default_factory=list)  # filled or refreshed
    unchanged: list[str] = field(default_factory=list)  # generated text already current
    kept: dict[str, str] = field(default_factory=dict)  # part -> state (clerk / edited)
    skipped: dict[str, list[str]] = field(default_factory=dict)  # part -> cells to fix


def draft(report: Report, *, templates: str | os.PathLike[str] | None = None) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Drafts of every generated part whose figures are valid, and the parts skipped."""
    drafts: dict[str, str] = {}
    skipped: dict[str, list[str]] = {}
    env = narrative_environment(templates)
    context = template_context(report)
    for part_id in GENERATED_PARTS:
        problems = missing_figures(report, part_id)
        if problems:
            skipped[part_id] = problems
        else:
            drafts[part_id] = draft_part(report, part_id, env=env, context=context)
    return drafts, skipped


def narrate(report: Report, *, force: bool = False, templates: str | os.PathLike[str] | None = None) -> Outcome:
    """Put drafts into ``report.narrative`` with their markers; never replace clerk text unless ``force``."""
    drafts, skipped = draft(report, templates=templates)
    outcome = Outcome(skipped=skipped)
    for part_id, text in drafts.items():
        current, marker = report.narrative.get(part_id, ""), report.markers.get(part_id, "")
        if not may_replace(current, marker, force=force):
            outcome.kept[part_id] = part_state(current, marker)
            continue
        if current == text and marker == make_marker(text):
            outcome.unchanged.append(part_id)
            continue
        report.narrative[part_id] = text
        report.markers[part_id] = make_marker(text)
        outcome.written.append(part_id)
    return outcome


def kept_mismatches(report: Report, kept: Iterable[str]) -> dict[str, list[str]]:
    """Figures in the kept (clerk's or edited) parts that differ from the tables, as validate
    words them (X-TEXT-T2/T3/T4): a part kept after the tables changed may now contradict them."""
    if not kept:
        return {}
    from ..rules.engine import validate  # imported on use: the engine loads every rule family

    where = {str(layout.locate(p)): p for p in kept if layout.locate(p) is not None}
    out: dict[str, list[str]] = {}
    for f in validate(report):
        part = where.get(f"{f.sheet}!{f.cell}")
        if part and f.rule in ("X-TEXT-T2", "X-TEXT-T3", "X-TEXT-T4"):
            out.setdefault(part, []).append(f.message)
    return out
