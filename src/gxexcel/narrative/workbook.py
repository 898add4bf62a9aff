"""Fill the narrative cells of a template workbook with drafts (``gxexcel narrate``).

The figures are read with :func:`gxexcel.reader.read_workbook`; the workbook is then
opened with openpyxl and only the text cell (column B of 正文) and the marker cell
(column C) of each refreshed part change, everything else is kept (formulas,
protection, validation, styles; VBA of an .xlsm). The result is saved atomically,
in place or to ``out``; the source is never touched when ``out`` is given.
"""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import load_workbook

from .. import layout
from ..atomic import atomic_path
from ..consolidation.collect import PUBLISHED_SUFFIXES  # what gxexcel import reads
from ..errors import GxError, UnreadableError
from ..model import Report
from ..overwrite import check_unit_workbook
from ..reader import read_workbook
from ..template import fit_text_row
from .draft import Outcome, narrate




class WorkbookOpenError(GxError):
    """The workbook is open in Excel, WPS or LibreOffice (its lock file exists)."""


def lock_files(path: Path) -> list[Path]:
    """Files that say a workbook is open: Excel's and WPS's owner file ``~$<name>``,
    LibreOffice's ``.~lock.<name>#``."""
    return [path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#")]


def narrate_workbook(
    source: str | os.PathLike[str],
    out: str | os.PathLike[str] | None = None,
    *,
    force: bool = False,
    templates: str | os.PathLike[str] | None = None,
) -> tuple[Report, Outcome, Path]:
    """Draft the generated parts of ``source`` and write them to ``out`` (default: in place)."""
    source = Path(source)
    if source.suffix.lower() in PUBLISHED_SUFFIXES:
        raise GxError(
            "这是已发布的报告（文本、网页或 Word 文档），不是填报模板工作簿。请先用 gxexcel import 把它导入为工作簿"
            "（如 gxexcel import 报告.docx -o 报告.xlsx），再对导入的工作簿生成正文。",
            path=str(source),
        )
    target = Path(out) if out else source
    if target.exists() and any(lock.exists() for lock in lock_files(target)):
        raise WorkbookOpenError("文件正在 Excel（或 WPS、LibreOffice）中打开。请先保存并关闭该文件，再生成正文。", path=str(target))
    report = read_workbook(source)
    if out is not None and target.exists() and not target.samefile(source):
        check_unit_workbook(target, report, earlier="以前生成的正文")
    outcome = narrate(report, force=force, templates=templates)
    if not outcome.written and target == source:
        return report, outcome, target
    try:
        wb = load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnreadableError("工作簿已损坏，无法打开（可能下载或拷贝未完成）。", path=str(source)) from exc
    positions = layout.text_positions()
    for part_id in outcome.written:
        _put_text(wb, positions[part_id], report.narrative[part_id])
        fit_text_row(wb[positions[part_id].sheet], positions[part_id])
        _put_text(wb, layout.marker_position(part_id), report.markers[part_id])
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return report, outcome, target


def _put_text(wb, pos: layout.Position, text: str) -> None:
    cell = wb[pos.sheet].cell(row=pos.row, column=pos.col)
    cell.value = text
    cell.data_type = "s"  # text, never a formula
    cell.number_format = "@"
