"""Near-identical narrative between units, and against last year (META-DUP); and the
carry-over check against last year's consolidation (XY-T3-CARRY), per unit and for the total.

Only the parts only a clerk can write are compared (``generated=False`` in
:data:`gxexcel.form.NARRATIVE_PARTS`: 概述, 政府信息管理, 平台建设, 监督保障,
表外说明, 问题及改进): the preamble, the figure paragraphs and section 六 are
formulaic by design, whoever wrote them. Similarity is
rapidfuzz's normalised Indel similarity (``fuzz.ratio``, 0–100) on the text
without whitespace; short parts (fewer than :data:`MIN_CHARS` characters,
e.g. “无。”) are skipped.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np
from rapidfuzz import fuzz, process

from .. import form, layout
from ..findings import Finding
from ..model import Report
from ..rules.catalog import finding
from .roster import unit_key
from .units import Unit

THRESHOLD = 90  # percent
MIN_CHARS = 50
MAX_PAIRS = 5000  # rows kept per kind, most similar first
_CHUNK = 256

PAIR, PREVIOUS, CARRY = "单位间雷同", "与上年雷同", "上年结转核对"
TOTAL_NAME = "汇总"
#: Key of the total's findings among the units' (:attr:`Unit.ref`).
TOTAL_REF: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class SimilarPair:
    kind: str  # PAIR | PREVIOUS
    unit: str
    other: str  # the other unit, or "上年" + unit
    part: str  # narrative part id
    similarity: int
    file: str = ""
    other_file: str = ""
    ref: tuple[str, str] = ("", "")  # the unit's :attr:`Unit.ref`, for attaching findings


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


#: The parts compared: those gxexcel cannot draft from the figures.
COMPARED_PARTS: tuple[str, ...] = tuple(p.id for p in form.NARRATIVE_PARTS if not p.generated)


def _texts(units: list[Unit], part: str) -> list[tuple[int, str]]:
    out = []
    for i, u in enumerate(units):
        text = _clean(u.text(part))
        if len(text) >= MIN_CHARS:
            out.append((i, text))
    return out


@dataclass(frozen=True)
class Echo:
    """A unit's narrative part that other units' texts nearly repeat."""

    unit: str
    part: str
    count: int  # how many other units
    other: str  # the most similar other unit
    similarity: int
    ref: tuple[str, str] = ("", "")  # the unit's :attr:`Unit.ref` (names alone are not unique in a city's merge)


def _name(unit: Unit) -> str:
    return unit.unit_name


def compare_units(units: list[Unit], *, threshold: int = THRESHOLD,
                  label: Callable[[Unit], str] = _name) -> tuple[list[SimilarPair], list[Echo]]:
    """Pairs of different units whose same narrative part is at least ``threshold`` % alike
    (the :data:`MAX_PAIRS` most similar), and for every unit and part how many units repeat it.
    Units are named by ``label`` (with their county where names collide, :func:`~.submissions.unit_labels`).

    Identical texts are grouped first, so only distinct texts are compared (copying
    makes many identical texts); the comparison runs in chunks to bound memory."""
    pairs: list[SimilarPair] = []
    echoes: list[Echo] = []
    for part in COMPARED_PARTS:
        groups: dict[str, list[int]] = {}
        for i, u in enumerate(units):
            text = _clean(u.text(part))
            if len(text) >= MIN_CHARS:
                groups.setdefault(text, []).append(i)
        texts, members = list(groups), list(groups.values())
        if sum(len(m) for m in members) < 2:
            continue
        links: list[tuple[int, int, int]] = []  # (-score, a, b) with a <= b, distinct texts
        neighbours: dict[int, list[tuple[int, int]]] = {}
        found: list[tuple[int, int, int]] = []  # (a, b, score) with a <= b
        for start in range(0, len(texts), _CHUNK):
            # the score is symmetric: each chunk is compared with itself and the texts after it only
            block = process.cdist(texts[start:start + _CHUNK], texts[start:], scorer=fuzz.ratio,
                                  score_cutoff=threshold, dtype=np.uint8, workers=-1)
            rows, cols = np.nonzero(block)
            for r, c in zip(rows.tolist(), cols.tolist()):
                a, b = start + r, start + c
                if a <= b:
                    found.append((a, b, int(block[r, c])))
        for a, b, score in found:
            if a == b and len(members[a]) < 2:
                continue
            neighbours.setdefault(a, []).append((b, score))
            if a != b:
                neighbours.setdefault(b, []).append((a, score))
            links.append((-score, a, b))
        for a, near in neighbours.items():
            count = sum(len(members[b]) for b, _ in near) - (1 if any(b == a for b, _ in near) else 0)
            best_b, best = min(near, key=lambda x: (-x[1], x[0] != a, x[0]))
            for i in members[a]:
                others = [j for j in members[best_b] if j != i]
                echoes.append(Echo(label(units[i]), part, count, label(units[others[0]]), best, units[i].ref))
        links.sort()
        kept = 0
        for neg, a, b in links:
            combos = itertools.combinations(members[a], 2) if a == b else itertools.product(members[a], members[b])
            for i, j in combos:
                x, y = sorted((i, j))
                pairs.append(SimilarPair(PAIR, label(units[x]), label(units[y]), part, -neg,
                                         units[x].file, units[y].file))
                kept += 1
                if kept >= MAX_PAIRS:
                    break
            if kept >= MAX_PAIRS:
                break
    pairs.sort(key=lambda p: (-p.similarity, p.part, unit_key(p.unit), unit_key(p.other)))
    echoes.sort(key=lambda e: (unit_key(e.unit), COMPARED_PARTS.index(e.part)))
    return pairs[:MAX_PAIRS], echoes


def previous_pairs(units: list[Unit], previous: Callable[[Unit], Unit | None], *,
                   threshold: int = THRESHOLD, label: Callable[[Unit], str] = _name) -> list[SimilarPair]:
    """Units whose narrative part barely changed from last year's (``previous`` gives a
    unit's last-year unit), named by ``label`` (last year's as ``上年`` + its label)."""
    out: list[SimilarPair] = []
    for u in units:
        prev = previous(u)
        if prev is None:
            continue
        for part in COMPARED_PARTS:
            a, b = _clean(u.text(part)), _clean(prev.text(part))
            if len(a) < MIN_CHARS or len(b) < MIN_CHARS:
                continue
            score = fuzz.ratio(a, b, score_cutoff=threshold)
            if score:
                out.append(SimilarPair(PREVIOUS, label(u), "上年" + _last_year_label(u, prev, label), part,
                                       round(score), u.file, prev.file, u.ref))
    out.sort(key=lambda p: (-p.similarity, p.part, unit_key(p.unit)))
    return out[:MAX_PAIRS]


def _last_year_label(unit: Unit, prev: Unit, label: Callable[[Unit], str]) -> str:
    """Last year's unit named as this year's is: with the county when this year's needs it
    (a cover that left 所属县 blank last year is still this county's unit)."""
    return label(replace(prev, parent=prev.county or unit.county))


def dup_findings(echoes: list[Echo], previous: list[SimilarPair]) -> dict[tuple[str, str], list[Finding]]:
    """META-DUP findings per unit (:attr:`Unit.ref`): one per part other units repeat, one
    per part that barely changed from last year."""
    out: dict[tuple[str, str], list[Finding]] = {}
    positions = layout.text_positions()
    for e in echoes:
        several = {"count": e.count} if e.count > 1 else {}
        out.setdefault(e.ref, []).append(finding(
            "META-DUP", "parts" if several else "part", heading=form.NARRATIVE[e.part].label, other=e.other,
            similarity=e.similarity, sheet=layout.SHEET_TEXT, cell=positions[e.part].coordinate, **several))
    for p in previous:
        out.setdefault(p.ref, []).append(finding(
            "META-DUP", "part", heading=form.NARRATIVE[p.part].label, other="本单位上年报告",
            similarity=p.similarity, sheet=layout.SHEET_TEXT, cell=positions[p.part].coordinate))
    return out


@dataclass(frozen=True)
class CarryCheck:
    unit: str  # unit name, or TOTAL_NAME
    finding: Finding
    ref: tuple[str, str] = TOTAL_REF  # the unit's :attr:`Unit.ref` (TOTAL_REF for the total)


def carry_checks(units: list[Unit], previous_units: Callable[[Unit], Unit | None], total: Report, previous_total: Report,
                 same_unit_set: bool, *, label: Callable[[Unit], str] = _name) -> list[CarryCheck]:
    """XY-T3-CARRY (the validation engine's check) for every counted unit that has last
    year's figures, and for the total: strict on 总计 only when the unit set is unchanged.
    Units are named by ``label``."""
    # Imported here: importing a rule family before the engine's first validate()
    # would keep the engine from loading the other families.
    from ..rules.engine import Context, validate
    from ..rules.cross_year import carry_over

    validate(Report())  # loads every rule family once
    out: list[CarryCheck] = []
    for u in units:
        prev = previous_units(u)
        if prev is None:
            continue
        for f in carry_over(Context(u.to_report(), prev.to_report())):
            out.append(CarryCheck(label(u), f, u.ref))
    for f in carry_over(Context(total, previous_total)):
        if not same_unit_set and f.severity == "error":
            f = replace(f, severity="warning")
        out.append(CarryCheck(TOTAL_NAME, f))
    return out
