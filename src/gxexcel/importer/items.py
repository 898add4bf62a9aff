"""What every reader turns a published report into: a sequence of lines and table rows.

A :class:`Line` is a heading or a paragraph (or, in text copied off a page, a
table cell that lost its row). A :class:`Row` is one row of a table as the
page shows it: merged cells appear once, cells covered by a merge from the row
above appear as ``""``. The text, HTML and Word readers produce these; the
section splitter and the table parser work on them alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Line:
    text: str


@dataclass
class Row:
    cells: list[str] = field(default_factory=list)
    table: int = 0  # which table of the document the row belongs to


Item = Line | Row


def item_text(item: Item) -> str:
    return item.text if isinstance(item, Line) else " ".join(c for c in item.cells if c)
