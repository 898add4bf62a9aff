"""Plain text, one table cell per line, as a report's text is copied off a portal page.

The layout of the bundled seed report: headings and paragraphs one per line; each
table row is a run of lines ``\\t<cell>`` followed by a blank line. A cell merged
across columns is printed once; a cell merged down prints an empty ``\\t`` line in
each following row it covers (what copying an HTML or Word table gives).
"""

from __future__ import annotations

from ..model import Report
from .document import outline
from .grid import format_value, table_grid


def table_lines(report: Report, table_id: str) -> list[str]:
    grid = table_grid(table_id)
    lines: list[str] = []
    for r, row in enumerate(grid.slots()):
        for c, (cell, origin) in enumerate(row):
            if origin:
                text = format_value(report.cells.get(cell.cell_id)) if cell.is_data else cell.text
                lines.append("\t" + text)
            elif c == cell.col:  # merged down from a row above
                lines.append("\t")
        lines.append("")
    return lines


def render_text(report: Report) -> str:
    lines: list[str] = []
    for block in outline(report):
        if block.kind == "table":
            lines.extend(table_lines(report, block.table))
            lines.append("")
        else:
            lines.append(block.text)
    return "\n".join(lines) + "\n"
