"""A single self-contained HTML page of the report, fit for a government portal.

No external style sheet, script, font or image: the style is inline, the tables carry
the official merged headers (``rowspan``/``colspan`` from :mod:`gxexcel.publish.grid`).
Data cells carry ``data-cell`` ids and text blocks ``data-part`` ids; the fields a page
does not print are kept in ``<meta name="gxexcel-report">`` (see :mod:`.meta`). The page
is rendered from the template ``publish/report.html.j2`` (overridable like the narrative
templates).
"""

from __future__ import annotations

import os
from typing import Any

from jinja2 import TemplateError

from .. import form
from ..errors import GxError
from ..model import Report
from ..narrative.templating import environment, template_problem
from .document import outline
from .grid import format_value, table_grid
from .meta import META_NAME, hidden_json


def table_rows(report: Report, table_id: str) -> list[list[dict[str, Any]]]:
    grid = table_grid(table_id)
    return [
        [
            {
                "tag": "td" if cell.is_data else "th",
                "text": format_value(report.cells.get(cell.cell_id)) if cell.is_data else cell.text,
                "rowspan": cell.rowspan,
                "colspan": cell.colspan,
                "cell_id": cell.cell_id,
                "row_label": grid.is_row_label(cell),
            }
            for cell in row
        ]
        for row in grid.rows()
    ]


def render_html(report: Report, *, templates: str | os.PathLike[str] | None = None) -> str:
    blocks = []
    for block in outline(report):
        item = {"kind": block.kind, "text": block.text, "section": block.section, "part": block.part}
        if block.kind == "table":
            item["rows"] = table_rows(report, block.table)
            item["table"] = block.table
            item["ncols"] = table_grid(block.table).ncols
        blocks.append(item)
    name = "publish/report.html.j2"
    try:
        return environment(templates).get_template(name).render(
            title=report.title_text,
            blocks=blocks,
            meta_name=META_NAME,
            meta_json=hidden_json(report),
            format_id=form.FORMAT_ID,
            format_title=form.FORMAT_TITLE,
        )
    except TemplateError as exc:  # a county's edited page template
        raise GxError(template_problem(name, exc)) from exc
