"""The figures a narrative template sees, taken from the cells (labels from gxexcel.form)."""

from __future__ import annotations

import re
from typing import Any

from .. import form
from ..model import Report
from ..publish.grid import format_value


#: How a unit names itself, by the end of its name (after 人民政府/办事处 is dropped).
SELF_REFERENCES: tuple[tuple[str, str], ...] = (
    ("街道", "本街道"),
    ("镇", "我镇"),
    ("乡", "我乡"),
    ("县", "我县"),
    ("区", "我区"),
    ("市", "我市"),
    ("局", "我局"),
    ("委员会", "我委"),
    ("委", "我委"),
    ("办公室", "我办"),
)


def self_reference(report: Report) -> str:
    """How a unit names itself in its report: 我镇 / 我乡 / 本街道 / 我县 / 我局 … or 本单位."""
    name = report.unit_name
    for suffix in ("人民政府", "办事处"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    for ending, reference in SELF_REFERENCES:
        if name.endswith(ending):
            return reference
    return "本单位"


def figure(report: Report, cell_id: str) -> int | float:
    """A cell's figure: the value entered, or for an empty 总计 the sum of its parts."""
    value = report.cells.get(cell_id)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    if form.CELLS[cell_id].role == "total":
        return report.computed_total(cell_id)
    return 0


def plain_label(label: str) -> str:
    """``（二）部分公开（区分处理的…）`` -> ``部分公开``; ``1.属于国家秘密`` -> ``属于国家秘密``."""
    label = re.sub(r"^（[一二三四五六七八九十]+）", "", label)
    label = re.sub(r"^\d+\.", "", label)
    return label.split("（", 1)[0]


def _nested(report: Report, table_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for cell in form.TABLES[table_id].cells:
        parts = cell.id.split(".")[1:]
        node = out
        for key in parts[:-1]:
            node = node.setdefault(key, {})
        node[parts[-1]] = figure(report, cell.id)
    return out


def _fee(report: Report, field_id: str) -> int | float:
    value = report.fees.get(field_id)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    return 0


def template_context(report: Report) -> dict[str, Any]:
    t3_total = lambda row: figure(report, f"t3.{row}.total")  # noqa: E731
    applicants = [
        {"id": col, "label": form.CELLS[f"t3.new.{col}"].column_labels[-1], "count": figure(report, f"t3.new.{col}")}
        for col in form.T3_APPLICANT_COLUMNS
        if figure(report, f"t3.new.{col}")
    ]
    results = []
    for group_label, rows in form.T3_RESULT_GROUPS:
        count = sum(t3_total(r) for r in rows)
        if not count:
            continue
        details = [
            {"label": plain_label(form.CELLS[f"t3.{r}.total"].row_labels[2]), "count": t3_total(r)}
            for r in rows
            if len(rows) > 1 and t3_total(r)
        ]
        results.append({"label": plain_label(group_label), "count": count, "details": details})
    review_group, *suit_groups = (gid for gid, _, _ in form.T4_GROUPS)
    review = _cases(report, (review_group,))
    litigation = _cases(report, tuple(suit_groups))
    litigation["parts"] = [
        {"id": gid, "label": sub, "total": figure(report, f"t4.{gid}.total")}
        for gid, _, sub in form.T4_GROUPS
        if gid in suit_groups and figure(report, f"t4.{gid}.total")
    ]
    decisions = [
        {"id": row.id, "label": row.labels[0], "count": figure(report, f"t2.{row.id}.decisions")}
        for block in form.T2.blocks
        for row in block.rows
        if any(c.id == "decisions" for c in block.columns)
    ]
    return {
        "unit": (report.unit_name or "").strip() or self_reference(report),  # "本单位" before the cover is filled
        "unit_type": report.unit_type,
        "parent": report.parent,
        "year": report.year,
        "me": self_reference(report),
        "t2": _nested(report, "t2"),
        "t3": _nested(report, "t3"),
        "t4": _nested(report, "t4"),
        "applicants": applicants,
        "decisions": decisions,
        "results": results,
        "review": review,
        "litigation": litigation,
        "fees": {f.id.split(".", 1)[1]: _fee(report, f.id) for f in form.FEE_FIELDS},
        "fee_law": form.FEE_LAW,
        "format_id": form.FORMAT_ID,
        "format_title": form.FORMAT_TITLE,
        "section_names": [s.heading.split("、", 1)[1] for s in form.SECTIONS],
    }


#: 表四 outcome column ids in table order (结果维持, 结果纠正, 其他结果, 尚未审结), without 总计.
T4_OUTCOMES: tuple[str, ...] = tuple(
    c.id.split(".")[1] for c in form.T4.columns if c.id.startswith(form.T4_GROUPS[0][0] + ".") and form.CELLS[f"t4.{c.id}"].role == "input"
)


def _cases(report: Report, groups: tuple[str, ...]) -> dict[str, Any]:
    """Cases of one or more 表四 groups: total and the non-zero outcomes, summed over the groups."""
    outcomes = []
    for outcome in T4_OUTCOMES:
        count = sum(figure(report, f"t4.{g}.{outcome}") for g in groups)
        if count:
            outcomes.append({"id": outcome, "label": form.CELLS[f"t4.{groups[0]}.{outcome}"].column_labels[-1], "count": count})
    return {"total": sum(figure(report, f"t4.{g}.total") for g in groups), "outcomes": outcomes}
