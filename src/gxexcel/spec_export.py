"""The whole declaration as plain data, for ``gxexcel spec --json`` and the README."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from . import form, layout
from .rules.catalog import RULES


def spec_dict() -> dict[str, Any]:
    positions = layout.cell_positions()
    tables = []
    for table in form.TABLES.values():
        tables.append(
            {
                "id": table.id,
                "name": table.name,
                "section": table.section,
                "title": table.title,
                "notes": list(table.notes),
                "sheet": layout.TABLE_SHEETS[table.id],
                "cells": [
                    {
                        "id": c.id,
                        "row": c.row,
                        "column": c.column,
                        "row_labels": [x for x in c.row_labels if x],
                        "column_labels": list(c.column_labels),
                        "kind": c.kind,
                        "unit": "万元" if c.kind == "money" else "件",
                        "role": c.role,
                        "parts": list(form.total_parts(c.id)) if c.role == "total" else [],
                        "cell": positions[c.id].coordinate,
                        "defined_name": layout.defined_name(c.id),
                    }
                    for c in table.cells
                ],
            }
        )
    return {
        "format": {"id": form.FORMAT_ID, "title": form.FORMAT_TITLE},
        "template": {"id": layout.TEMPLATE_ID, "version": layout.TEMPLATE_VERSION},
        "sections": [asdict(s) for s in form.SECTIONS],
        "narrative_parts": [asdict(p) for p in form.NARRATIVE_PARTS],
        "fee_fields": [asdict(f) for f in form.FEE_FIELDS],
        "meta_fields": [asdict(f) for f in form.META_FIELDS],
        "unit_types": list(form.UNIT_TYPES),
        "tables": tables,
        "identities": [
            {
                "rule": i.rule,
                "key": i.key,
                "left": list(i.left),
                "right": list(i.right),
                "anchor": i.anchor,
            }
            for i in form.IDENTITIES
        ],
        "rules": [r.to_dict() for r in RULES.values()],
    }
