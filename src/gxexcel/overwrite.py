"""Which existing file an output may replace: an earlier workbook of the same unit (or a blank
template), never another unit's report or a file that is not a template, so that a slip of the
``-o`` name never destroys a submission. A read-only file is left to :func:`atomic.atomic_path`,
which says so."""

from __future__ import annotations

from pathlib import Path

from . import form
from .errors import GxError
from .model import Report
from .safety import display_path

COVER_FIELDS = ("unit_name", "unit_type", "parent", "year", "contact", "phone")


def is_blank(report: Report) -> bool:
    """Nothing filled in: no cover field, no figure, no text."""
    cover = any(str(getattr(report, field) or "").strip() for field in COVER_FIELDS)
    data = any(report.cells.get(cell) is not None for cell in form.INPUT_CELLS)
    text = any(str(t or "").strip() for t in report.narrative.values())
    return not (cover or data or text)


def check_unit_workbook(target: Path, report: Report, *, earlier: str, blank_ok: bool = False,
                        unnamed: str = "未填单位名称") -> None:
    """Refuse to replace ``target`` unless it is a workbook of ``report``'s unit (or, with
    ``blank_ok``, a blank template). ``earlier`` says what may be replaced (以前导入的工作簿)."""
    if not target.is_file() or not target.stat().st_mode & 0o222:
        return  # nothing there, or marked read-only: writing it says so
    from .reader import read_workbook

    mine = report.unit_name.strip()
    try:
        there = read_workbook(target)
    except GxError:
        whose = "不是填报模板工作簿"
    else:
        name = there.unit_name.strip()
        if name == mine or (blank_ok and is_blank(there)):
            return
        whose = f"是“{name or '未填单位名称'}”的填报模板工作簿"
    raise GxError(f"输出文件已存在，且{whose}，不是本单位（{mine or unnamed}）{earlier}；为免覆盖其中的数据，未写入。"
                  "请为输出另取文件名，或先把它移走。", path=display_path(target))
