"""The rule engine: runs every registered check over a report and returns findings.

Checks live in modules by family (:mod:`.cells`, :mod:`.tables`,
:mod:`.text_vs_tables`, :mod:`.identity`, :mod:`.template_integrity`,
:mod:`.cross_year`). Each is a function ``(ctx) -> Iterable[Finding]``
registered with :func:`check` under the rule ids it reports; the findings'
wording comes from :mod:`.catalog`. The engine adds the findings the readers
and importers made (``report.source.findings``), the file name, and the
clerk's explanations (出错说明): a warning with an explanation is reported as
explained; an error cannot be explained away.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Callable, Iterable

from .. import form, layout
from ..findings import Finding
from ..model import Report
from . import catalog

CheckFunc = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    rules: tuple[str, ...]
    func: CheckFunc
    needs_previous: bool = False


CHECKS: list[Check] = []

_FAMILIES = ("cells", "tables", "text_vs_tables", "identity", "template_integrity", "cross_year")


def check(*rule_ids: str, needs_previous: bool = False) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check function for ``rule_ids`` (each must be declared in the catalogue)."""
    for rule_id in rule_ids:
        if rule_id not in catalog.RULES:
            raise KeyError(f"rule {rule_id} is not declared in the catalogue")

    def register(func: CheckFunc) -> CheckFunc:
        CHECKS.append(Check(rule_ids, func, needs_previous))
        return func

    return register


_loaded = False


def _load_families() -> None:
    """Import every check module once (importing one family alone does not load the others)."""
    global _loaded
    if _loaded:
        return
    for name in _FAMILIES:
        importlib.import_module(f"{__package__}.{name}")
    _loaded = True


class Context:
    """What a check sees: the report, last year's report, and helpers for locations."""

    def __init__(self, report: Report, previous: Report | None = None) -> None:
        self.report = report
        self.previous = previous

    @cached_property
    def is_workbook(self) -> bool:
        return self.report.source.kind == "workbook"

    @cached_property
    def is_template_output(self) -> bool:
        """Made with our template (or a consolidation of it), not imported from a publication."""
        return self.report.source.kind in ("workbook", "", "json", "consolidation")

    def number(self, cell_id: str) -> float:
        return self.report.number(cell_id)

    def known(self, *cell_ids: str) -> bool:
        """Whether the cells hold a figure that can be compared with text or tested for 0.

        Blank and text cells (“12件”) do not: CELL-BLANK and CELL-INT report them, and
        reading them as 0 would report contradictions nobody entered. A workbook's 总计 is
        computed from its parts, so it is known only when they are (unless typed in)."""
        cells = self.report.cells
        typed = self.report.source.typed_totals
        for c in cell_ids:
            value = cells.get(c)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                return False
            if self.is_workbook and form.CELLS[c].role == "total" and c not in typed and not self.known(*form.total_parts(c)):
                return False
        return True

    @cached_property
    def reported_cells(self) -> frozenset[str]:
        """Cells a reader or importer already reported on (a table published as an image, a lost row …)."""
        return frozenset(c for f in self.report.source.findings for c in f.cells)

    def at_cell(self, cell_id: str, *more: str) -> dict[str, Any]:
        """Location fields of a finding about table cells (the first is the anchor)."""
        cells = [cell_id, *more]
        out: dict[str, Any] = {"cells": cells}
        cell = form.CELLS.get(cell_id)
        if cell is not None:
            out["section"] = form.section(form.TABLES[cell.table].section).heading
        if self.is_workbook:
            pos = layout.locate(cell_id)
            if pos is not None:
                out["sheet"], out["cell"] = pos.sheet, pos.coordinate
        return out

    def at_part(self, part_id: str, quote: str = "") -> dict[str, Any]:
        """Location fields of a finding about narrative text (section heading and quoted sentence)."""
        part = form.NARRATIVE.get(part_id)
        heading = ""
        if part is not None:
            sec = form.section(part.section).heading if part.section else "前言"
            heading = sec + (part.heading if part.heading and part.heading not in sec else "")
        out: dict[str, Any] = {"section": heading, "quote": quote}
        if self.is_workbook:
            pos = layout.locate(part_id)
            if pos is not None:
                out["sheet"], out["cell"] = pos.sheet, pos.coordinate
        return out

    def at_cover(self, field_id: str) -> dict[str, Any]:
        out: dict[str, Any] = {"section": "封面"}
        if self.is_workbook:
            pos = layout.locate(field_id)
            if pos is not None:
                out["sheet"], out["cell"] = pos.sheet, pos.coordinate
        return out

    @cached_property
    def texts(self) -> dict[str, str]:
        """Narrative part id -> text, in the order of the form (empty parts left out)."""
        narrative = self.report.narrative
        return {p.id: narrative[p.id] for p in form.NARRATIVE_PARTS if narrative.get(p.id)}


def validate(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every finding for ``report``: the readers' and importers', then every rule's.

    ``previous`` is last year's report of the same unit (enables the XY-* rules
    and X-S5-PRIOR). Explanations in ``report.explanations`` (by
    :attr:`Finding.key`) are attached to warnings.
    """
    _load_families()
    ctx = Context(report, previous)
    findings: list[Finding] = [replace(f) for f in report.source.findings]
    for chk in CHECKS:
        if chk.needs_previous and previous is None:
            continue
        findings.extend(chk.func(ctx))
    return finish(findings, report)


def finish(findings: list[Finding], report: Report) -> list[Finding]:
    """Attach the file name and the clerk's explanations; drop exact duplicates."""
    seen: set[tuple[str, str, str]] = set()
    out: list[Finding] = []
    path = report.source.path
    explanations = report.explanations
    for f in findings:
        ident = (f.rule, f.location, f.message)
        if ident in seen:
            continue
        seen.add(ident)
        if path and not f.file:
            f.file = path
        if f.severity == "warning" and not f.explanation:
            f.explanation = explanations.get(f.key, "")
        elif f.severity == "error":
            f.explanation = ""  # an error cannot be explained away
        out.append(f)
    return out


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def rules_checked() -> set[str]:
    """Rule ids the engine itself evaluates."""
    _load_families()
    return {r for c in CHECKS for r in c.rules}
