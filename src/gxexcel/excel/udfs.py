"""Worksheet functions: ``=GX_CHECK()`` and ``=GX_NARRATIVE("依申请公开")``.

Declared with xlwings' ``@xw.func`` (the open-source desktop path, Windows). An
argument named ``caller`` receives the calling cell from xlwings; each function
reads the caller's workbook with one range read per sheet. The add-in carries
their VBA wrappers in ``macros/GxFunctions.bas`` (in the form xlwings' own
``ImportPythonUDFs`` writes them; a test checks both sides agree).
"""

from __future__ import annotations

import re

import xlwings as xw

from .. import form
from ..errors import GxError
from .bookread import read_book

UDF_MODULE = __name__


def check_status(findings: list) -> str:
    """通过 / n 个错误 / n 个警告 (errors first; explained warnings do not count)."""
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" and not f.explained for f in findings)
    if errors:
        return f"{errors} 个错误" + (f"，{warnings} 个警告" if warnings else "")
    if warnings:
        return f"{warnings} 个警告"
    return "通过"


def part_name(part: form.NarrativePart) -> str:
    """A part's bare name: its label without the numbering and the note in brackets
    ("（一）主动公开" -> "主动公开", "前言（法律依据、…）" -> "前言")."""
    name = re.sub(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)", "", part.label)
    return re.sub(r"（[^（）]*）$", "", name)


def find_part(name: str) -> form.NarrativePart | None:
    """A narrative part by id, name, heading or label: "依申请公开", "（二）依申请公开", "s1.request"."""
    key = str(name or "").strip()
    if not key:
        return None
    if key in form.NARRATIVE:
        return form.NARRATIVE[key]
    for part in form.NARRATIVE_PARTS:
        if key in (part.heading, part.label, part_name(part)):
            return part
    matches = [p for p in form.NARRATIVE_PARTS if key in p.label]
    return matches[0] if len(matches) == 1 else None


@xw.func(volatile=True)
def GX_CHECK(caller):  # no type hints: xlwings would take them as converters
    """校验状态：通过 / n 个错误 / n 个警告。"""
    from ..rules.engine import validate

    try:
        report = read_book(caller.sheet.book)
    except GxError as exc:
        return f"无法校验：{exc.message}"
    return check_status(validate(report))


@xw.func(volatile=True)
def GX_NARRATIVE(part, caller):
    """根据表格数据起草的一段正文，例如 =GX_NARRATIVE("依申请公开")。"""
    from ..narrative.draft import draft_part, missing_figures

    found = find_part(part)
    if found is None and not str(part or "").strip():
        names = "、".join(part_name(p) for p in form.NARRATIVE_PARTS if p.generated)
        return f"请指定正文部分，例如 =GX_NARRATIVE(\"依申请公开\")。可生成的部分：{names}"
    if found is None:
        names = "、".join(p.heading or p.label for p in form.NARRATIVE_PARTS if p.generated)
        return f"未知的正文部分“{part}”。可生成的部分：{names}"
    if not found.generated:
        return f"“{found.label}”需要人工填写，不能根据表格数据生成。"
    try:
        report = read_book(caller.sheet.book)
    except GxError as exc:
        return f"无法生成：{exc.message}"
    missing = missing_figures(report, found.id)
    if missing:
        return f"无法生成“{found.label}”：" + "；".join(missing)
    return draft_part(report, found.id)
