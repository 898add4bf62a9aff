"""Tolerant matching of published table labels against the official ones.

Every label of a table (captions, column headers, notes, row labels and the
group labels of 表三) comes from :mod:`gxexcel.form`; the labels of the
outdated 2019 format come from :mod:`.formats`. A published label matches when
its normalised key (:func:`.normalize.key`) equals the official one; a label
retyped with small errors (国家机密 for 国家秘密) matches by similarity and is
reported as TPL-LABEL-EXACT, never rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from rapidfuzz import fuzz, process

from .. import form
from . import formats
from .normalize import key

LabelKind = Literal["row", "group", "header", "note", "old"]

#: Minimum similarity (0–100) of a retyped label, and the shortest key matched by similarity.
FUZZY_CUTOFF = 80
FUZZY_MIN_LEN = 5
#: Most pieces one label is found split into: text copied from a PDF breaks a label of a narrow
#: column into a piece per printed line (“1.属” / “于国” / “家秘” / “密”).
MAX_LABEL_PARTS = 16


@dataclass(frozen=True)
class Label:
    text: str  # the official text
    key: str
    kind: LabelKind
    table: str
    row: str = ""  # row id (kind "row"; "" = 表四's single data row)
    values: int = 0  # how many figures follow a row label
    rule: str = ""  # TPL-2019-* rule when the label belongs to the 2019 format
    alias: bool = False  # a shortened form (row label without its printed note)


@dataclass(frozen=True)
class Match:
    labels: tuple[Label, ...]
    consumed: int  # how many tokens it used
    found: str  # the published text
    exact: bool


_NOTE = re.compile(r"^(.+?)[(（][^()（）]+[)）]$")


class LabelIndex:
    def __init__(self, table: str, labels: list[Label]) -> None:
        self.table = table
        self.labels = labels
        self.by_key: dict[str, Label] = {}
        for label in labels:
            if label.key:
                self.by_key.setdefault(label.key, label)
        self._choices = [lb.key for lb in labels if len(lb.key) >= FUZZY_MIN_LEN]
        self._by_len = sorted(self.by_key, key=len, reverse=True)

    @property
    def rows(self) -> list[Label]:
        return [lb for lb in self.labels if lb.kind == "row" and not lb.alias and not lb.rule]

    def exact(self, text: str) -> Label | None:
        return self.by_key.get(key(text))

    def segment(self, text: str) -> tuple[Label, ...] | None:
        """A cell holding several labels run together (``三、本年度办理结果（一）予以公开``)."""
        k = key(text)
        return self._segment(k, 0)

    def _segment(self, k: str, depth: int) -> tuple[Label, ...] | None:
        if k in self.by_key:
            return (self.by_key[k],)
        if depth > 2:
            return None
        for cand in self._by_len:
            if len(cand) >= 2 and k.startswith(cand) and len(k) > len(cand):
                rest = self._segment(k[len(cand) :], depth + 1)
                if rest:
                    return (self.by_key[cand],) + rest
        return None

    def fuzzy(self, text: str) -> tuple[Label, float] | None:
        k = key(text)
        if len(k) < FUZZY_MIN_LEN or not self._choices:
            return None
        hit = process.extractOne(k, self._choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if not hit:
            return None
        return self.by_key[hit[0]], hit[1]

    def match(self, texts: list[str]) -> Match | None:
        """The label starting at ``texts[0]``; ``texts`` are the next few text tokens
        (a label may be split over several of them, ``商业`` / ``企业``)."""
        texts = texts[:MAX_LABEL_PARTS]
        for n in range(len(texts), 0, -1):
            joined = "".join(texts[:n])
            hit = self.exact(joined)
            if hit:
                return Match((hit,), n, joined, True)
        seg = self.segment(texts[0])
        if seg and len(seg) > 1:
            return Match(seg, 1, texts[0], True)
        best: Match | None = None
        best_score = 0.0
        for n in range(1, len(texts) + 1):
            joined = "".join(texts[:n])
            hit = self.fuzzy(joined)
            if hit and hit[1] > best_score:
                best, best_score = Match((hit[0],), n, joined, False), hit[1]
        return best


def _row_labels(table: form.Table) -> list[Label]:
    out: list[Label] = []
    if table.blocks:
        for block in table.blocks:
            out.append(Label(block.caption, key(block.caption), "header", table.id))
            out.append(Label(block.header, key(block.header), "header", table.id))
            for col in block.columns:
                out.append(Label(col.label, key(col.label), "header", table.id))
            for row in block.rows:
                out.append(Label(row.labels[0], key(row.labels[0]), "row", table.id, row.id, len(block.columns)))
        return out
    if table.corner:
        out.append(Label(table.corner, key(table.corner), "note", table.id))
    for note in table.notes:
        out.append(Label(note, key(note), "note", table.id))
    if table.header_group:
        out.append(Label(table.header_group, key(table.header_group), "header", table.id))
    for col in table.columns:
        for text in (col.group.split("/") if col.group else []) + [col.label]:
            out.append(Label(text, key(text), "header", table.id))
    ncols = len(table.columns)
    for row in table.rows:
        levels = [x for x in row.labels if x]
        if not levels:  # 表四: one unnamed data row
            out.append(Label("", "", "row", table.id, row.id, ncols))
            continue
        for group in levels[:-1]:
            out.append(Label(group, key(group), "group", table.id))
        text = levels[-1]
        out.append(Label(text, key(text), "row", table.id, row.id, ncols))
        short = _NOTE.match(text)
        if short and row.id == "partial":
            out.append(Label(text, key(short.group(1)), "row", table.id, row.id, ncols, alias=True))
    # Group labels that are not the innermost label of any row (三、本年度办理结果, （三）不予公开 …).
    return out


@cache
def index(table_id: str) -> LabelIndex:
    labels = _row_labels(form.TABLES[table_id]) + list(formats.old_labels(table_id))
    # official labels first, so that an old label never hides an official one
    return LabelIndex(table_id, [lb for lb in labels if lb.key or lb.kind == "row"])
