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

import re
from dataclasses import dataclass, replace

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
_CHUNK = 512

PAIR, PREVIOUS, CARRY = "单位间雷同", "与上年雷同", "上年结转核对"
TOTAL_NAME = "汇总"


@dataclass(frozen=True)
class SimilarPair:
    kind: str  # PAIR | PREVIOUS
    unit: str
    other: str  # the other unit, or "上年" + unit
    part: str  # narrative part id
    similarity: int
    file: str = ""
    other_file: str = ""


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


def similar_pairs(units: list[Unit], *, threshold: int = THRESHOLD) -> list[SimilarPair]:
    """Pairs of different units whose same narrative part is at least ``threshold`` % alike."""
    pairs: list[SimilarPair] = []
    for part in COMPARED_PARTS:
        entries = _texts(units, part)
        if len(entries) < 2:
            continue
        texts = [t for _, t in entries]
        for start in range(0, len(texts), _CHUNK):
            block = process.cdist(
                texts[start:start + _CHUNK], texts, scorer=fuzz.ratio, score_cutoff=threshold,
                dtype=np.uint8, workers=-1,
            )
            rows, cols = np.nonzero(block)
            for r, c in zip(rows.tolist(), cols.tolist()):
                i, j = start + r, c
                if j <= i:
                    continue
                a, b = units[entries[i][0]], units[entries[j][0]]
                if unit_key(a.unit_name) == unit_key(b.unit_name):
                    continue
                pairs.append(SimilarPair(PAIR, a.unit_name, b.unit_name, part, int(block[r, c]), a.file, b.file))
    pairs.sort(key=lambda p: (-p.similarity, p.part, unit_key(p.unit), unit_key(p.other)))
    return pairs[:MAX_PAIRS]


def previous_pairs(units: list[Unit], previous: dict[str, Unit], *, threshold: int = THRESHOLD) -> list[SimilarPair]:
    """Units whose narrative part barely changed from last year's."""
    out: list[SimilarPair] = []
    for u in units:
        prev = previous.get(unit_key(u.unit_name))
        if prev is None:
            continue
        for part in COMPARED_PARTS:
            a, b = _clean(u.text(part)), _clean(prev.text(part))
            if len(a) < MIN_CHARS or len(b) < MIN_CHARS:
                continue
            score = fuzz.ratio(a, b, score_cutoff=threshold)
            if score:
                out.append(SimilarPair(PREVIOUS, u.unit_name, f"上年{prev.unit_name}", part, round(score), u.file, prev.file))
    out.sort(key=lambda p: (-p.similarity, p.part, unit_key(p.unit)))
    return out[:MAX_PAIRS]


def dup_findings(pairs: list[SimilarPair]) -> dict[str, list[Finding]]:
    """META-DUP findings per unit name (both units of a pair get one)."""
    out: dict[str, list[Finding]] = {}
    text_sheet = layout.SHEET_TEXT
    for p in pairs:
        cell = layout.text_positions()[p.part].coordinate
        label = form.NARRATIVE[p.part].label
        if p.kind == PAIR:
            for unit, other in ((p.unit, p.other), (p.other, p.unit)):
                out.setdefault(unit, []).append(finding(
                    "META-DUP", other=f"{other}（{label}）", similarity=p.similarity, sheet=text_sheet, cell=cell))
        else:
            out.setdefault(p.unit, []).append(finding(
                "META-DUP", other=f"本单位上年报告（{label}）", similarity=p.similarity, sheet=text_sheet, cell=cell))
    return out


@dataclass(frozen=True)
class CarryCheck:
    unit: str  # unit name, or TOTAL_NAME
    finding: Finding


def carry_checks(units: list[Unit], previous_units: dict[str, Unit], total: Report, previous_total: Report,
                 same_unit_set: bool) -> list[CarryCheck]:
    """XY-T3-CARRY (the validation engine's check) for every counted unit that has last
    year's figures, and for the total: strict on 总计 only when the unit set is unchanged."""
    # Imported here: importing a rule family before the engine's first validate()
    # would keep the engine from loading the other families.
    from ..rules.engine import Context, validate
    from ..rules.cross_year import carry_over

    validate(Report())  # loads every rule family once
    out: list[CarryCheck] = []
    for u in units:
        prev = previous_units.get(unit_key(u.unit_name))
        if prev is None:
            continue
        for f in carry_over(Context(u.to_report(), prev.to_report())):
            out.append(CarryCheck(u.unit_name, f))
    for f in carry_over(Context(total, previous_total)):
        if not same_unit_set and f.severity == "error":
            f = replace(f, severity="warning")
        out.append(CarryCheck(TOTAL_NAME, f))
    return out
