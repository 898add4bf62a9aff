"""Which of the three tables a block of published table rows is, wherever it sits.

A report may print a table under the wrong section (表三 above its heading, in
section 二), or a section may hold the rows of two tables. The rows of one
published table (one ``Row.table`` number of a reader) are recognised by their
labels: a label that only one of 表二, 表三, 表四 prints (``商业企业``,
``行政许可``, ``未经复议直接起诉`` …) counts for that table; labels shared by
several tables (``总计``, ``其他``, ``结果维持``) count for none. The table whose
labels a block holds most (at least two of them) is its table; a block with
fewer (a local extra table, a layout table) belongs to none and is left where
it is. A block holding two of our tables run together is split where the rows'
own labels change table.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
import re
from functools import cache, lru_cache

from .. import form
from .items import Item, Row
from .labels import index
from .normalize import key

#: The tables a block of rows can be recognised as.
TABLE_IDS: tuple[str, ...] = tuple(s.table for s in form.SECTIONS if s.table)
#: A cell that is a figure or a blank mark, never a label.
_FIGURE = re.compile(r"^[\d.,/%-]*$")


@dataclass(frozen=True)
class Block:
    table: str | None  # recognised table id, None when no label tells
    items: tuple[int, ...]  # indices of its rows in the report's items

    @property
    def first(self) -> int:
        return self.items[0]


@cache
def _own_keys() -> dict[str, str]:
    """label key -> table id, for keys only one table prints."""
    owners: dict[str, set[str]] = {}
    for tid in TABLE_IDS:
        for label in index(tid).labels:
            if label.key:
                owners.setdefault(label.key, set()).add(tid)
    return {k: next(iter(t)) for k, t in owners.items() if len(t) == 1}


def _labels_in(cell: str) -> tuple[str, ...]:
    """Table ids of the distinctive labels in one cell (several when run together)."""
    return _labels_of_key(key(cell))


@lru_cache(maxsize=65536)
def _labels_of_key(k: str) -> tuple[str, ...]:
    own = _own_keys()
    if not k or _FIGURE.match(k):
        return ()
    if k in own:
        return (own[k],)
    out: list[str] = []
    for tid in TABLE_IDS:
        seg = index(tid).segment(k)
        if seg and len(seg) > 1:
            out.extend(own[lb.key] for lb in seg if lb.key in own)
    return tuple(out)


#: Distinct distinctive labels a block needs before it counts as one of the tables.
MIN_LABELS = 2


def _votes(cells: list[str], seen: set[str] | None = None) -> Counter[str]:
    """Distinct distinctive labels per table among ``cells`` (``seen``: keys already counted)."""
    votes: Counter[str] = Counter()
    seen = set() if seen is None else seen
    for cell in cells:
        k = key(cell)
        if not k or k in seen:
            continue
        seen.add(k)
        votes.update(_labels_in(cell))
    return votes


def _winner(votes: Counter[str], minimum: int) -> str | None:
    ranked = votes.most_common(2)
    if not ranked or ranked[0][1] < minimum or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def recognise(cells: list[str]) -> str | None:
    """The table whose distinctive labels the cells hold most (at least MIN_LABELS of
    them); None when none, too few or tied."""
    return _winner(_votes(cells), MIN_LABELS)


def _split(items: list[Item], rows: list[int]) -> list[Block]:
    """The rows of one published table, which may hold two of ours run together (the seed's
    one-cell-per-line layout joins tables with no text between them)."""
    row_votes = [_votes(items[i].cells) for i in rows]  # type: ignore[union-attr]
    total = _votes([c for i in rows for c in items[i].cells])  # type: ignore[union-attr]
    tables = {t for t, n in total.items() if n >= MIN_LABELS}
    if len(tables) <= 1:
        return [Block(recognise([c for i in rows for c in items[i].cells]), tuple(rows))]  # type: ignore[union-attr]
    # each row is the table its own labels name; a row without (figures) continues the one before
    named = [_winner(Counter({t: n for t, n in v.items() if t in tables}), 1) for v in row_votes]
    current = next((t for t in named if t), None)
    blocks: list[Block] = []
    run: list[int] = []
    for i, table in zip(rows, named):
        if table and table != current:
            if run:
                blocks.append(Block(current, tuple(run)))
            current, run = table, []
        run.append(i)
    blocks.append(Block(current, tuple(run)))
    return blocks


def table_blocks(items: list[Item]) -> list[Block]:
    """The published tables (rows with the same reader table number), recognised."""
    groups: dict[int, list[int]] = {}
    for i, item in enumerate(items):
        if isinstance(item, Row):
            groups.setdefault(item.table, []).append(i)
    blocks = [b for rows in groups.values() for b in _split(items, rows)]
    return sorted(blocks, key=lambda b: b.first)


def owners(blocks: list[Block]) -> dict[int, str]:
    """item index -> recognised table id, for every row of a recognised block."""
    return {i: b.table for b in blocks if b.table for i in b.items}
