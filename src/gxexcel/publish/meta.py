"""Fields of the model a published page does not print (unit type, county, contact,
structured 信息处理费 figures, generation markers …).

The HTML export keeps them in ``<meta name="gxexcel-report">`` and the Word export
in the document variable ``gxexcel-report`` (``w:docVars``; read it with
:func:`gxexcel.publish.docx.hidden_json_of`), both as one JSON object, so that
importing our own export gives back the identical model. Everything a reader
sees (title, text, tables) is printed and must be parsed from what is printed.

The clerk's explanations of warnings (出错说明) are notes for the county's review,
not for the public: they are never put into a published file.
"""

from __future__ import annotations

import json
from typing import Any

from ..model import Report

META_NAME = "gxexcel-report"
_FIELDS = (
    "unit_name",
    "unit_type",
    "parent",
    "year",
    "contact",
    "phone",
    "title",
    "template_id",
    "template_version",
    "fees",
    "markers",
)


def hidden_fields(report: Report) -> dict[str, Any]:
    return {name: getattr(report, name) for name in _FIELDS}


def hidden_json(report: Report) -> str:
    return json.dumps(hidden_fields(report), ensure_ascii=False, sort_keys=True)


def apply_hidden_json(report: Report, text: str) -> Report:
    """Set the fields carried by :func:`hidden_json` on ``report`` (for importers)."""
    data = json.loads(text)
    for name in _FIELDS:
        if name in data:
            setattr(report, name, data[name])
    return report
