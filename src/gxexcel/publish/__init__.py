"""Renderers of a :class:`~gxexcel.model.Report` as it is published.

``render(report, fmt)`` for the text formats (``text``: one cell per line like copied
portal text; ``pipe``: pipe tables; ``html``: a self-contained portal page) and
:func:`gxexcel.publish.docx.write_docx` for Word. All walk the same outline
(:mod:`.document`) and the same table grids (:mod:`.grid`).
"""

from __future__ import annotations

import os

from ..model import Report

TEXT_FORMATS = ("text", "pipe", "html")


def render(report: Report, fmt: str, *, templates: str | os.PathLike[str] | None = None) -> str:
    if fmt == "text":
        from .text import render_text

        return render_text(report)
    if fmt == "pipe":
        from .pipe import render_pipe

        return render_pipe(report)
    if fmt == "html":
        from .html import render_html

        return render_html(report, templates=templates)
    raise ValueError(f"unknown format {fmt!r}")
