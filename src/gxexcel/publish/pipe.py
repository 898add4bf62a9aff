"""Plain text with the tables as pipe tables (``| a | b |``), as Markdown converters print them.

Every row has one field per grid column; the text of a merged cell is printed in its
top-left field and the fields it covers are left empty. The first row of each table
is followed by the ``|---|`` separator line.
"""

from __future__ import annotations

from ..model import Report
from .document import outline
from .grid import format_value, table_grid


def _field(text: str) -> str:
    return text.replace("|", "\\|")


def table_lines(report: Report, table_id: str) -> list[str]:
    grid = table_grid(table_id)
    lines: list[str] = []
    for r, row in enumerate(grid.slots()):
        fields = []
        for cell, origin in row:
            text = ""
            if origin:
                text = format_value(report.cells.get(cell.cell_id)) if cell.is_data else cell.text
            fields.append(_field(text))
        lines.append("| " + " | ".join(fields) + " |")
        if r == 0:
            lines.append("|" + "---|" * grid.ncols)
    return lines


def render_pipe(report: Report) -> str:
    lines: list[str] = []
    for block in outline(report):
        if block.kind == "table":
            lines.append("")
            lines.extend(table_lines(report, block.table))
            lines.append("")
        else:
            lines.append(block.text)
    return "\n".join(lines) + "\n"
