"""The report as a sequence of blocks in publication order.

Title, preamble, then the six sections with their official headings; inside
一、总体情况 the sub-headed parts （一）–（五）; in sections 二–四 the table
first, then the part that explains it. Every renderer walks this one outline,
so text, pipe, HTML and Word exports have the same structure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Literal

from .. import form
from ..model import Report

BlockKind = Literal["title", "heading", "subheading", "paragraph", "table"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""
    section: str = ""  # section id ("" for the title and the preamble)
    part: str = ""  # narrative part id (subheadings and paragraphs)
    table: str = ""  # table id (table blocks)


def paragraphs(text: str | None) -> list[str]:
    """A narrative part's paragraphs: one per non-blank line, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _part_blocks(report: Report, part: form.NarrativePart) -> Iterator[Block]:
    if part.heading:
        yield Block("subheading", part.heading, part.section, part.id)
    for para in paragraphs(report.narrative.get(part.id)):
        yield Block("paragraph", para, part.section, part.id)


def outline(report: Report) -> list[Block]:
    blocks = [Block("title", report.title_text)]
    for part in form.NARRATIVE_PARTS:
        if part.section == "":
            blocks.extend(_part_blocks(report, part))
    for section in form.SECTIONS:
        blocks.append(Block("heading", section.heading, section.id))
        if section.table:
            blocks.append(Block("table", form.TABLES[section.table].name, section.id, table=section.table))
        for part in form.NARRATIVE_PARTS:
            if part.section == section.id:
                blocks.extend(_part_blocks(report, part))
    return blocks
