"""``gxexcel template``: write the locked template workbook."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from .. import layout
from ..errors import GxError, NotOurTemplateError
from ..overwrite import COVER_FIELDS, is_blank
from ..safety import display_path
from ..template import build_template
from .common import console, guarded, xlsx_output

DEFAULT_NAME = "政府信息公开工作年度报告填报模板.xlsx"


@click.command("template")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path(DEFAULT_NAME),
              show_default=True, callback=xlsx_output, help="模板保存位置（.xlsx）。")
@guarded
def command(output: Path) -> None:
    """生成加锁的年度报告填报模板（封面、正文、表二、表三、表四、填报说明）。"""
    _check_replaceable(output)
    build_template(output)
    console.print(f"已生成填报模板：{escape(str(output))}（模板编号 {layout.TEMPLATE_ID}，版本 {layout.TEMPLATE_VERSION}）")


def _check_replaceable(output: Path) -> None:
    """An existing ``-o`` file is replaced only when it is a blank template (of this version, or
    of an earlier one: regenerating the committed template after a layout change); a filled
    report or any other file is kept (``gxexcel template -o 南定镇.xlsx`` over the clerk's report)."""
    if not output.is_file() or not output.stat().st_mode & 0o222:
        return  # nothing there, or marked read-only: writing it says so (atomic_path)
    from ..reader import read_workbook

    try:
        report = read_workbook(output)
    except NotOurTemplateError:
        filled = _earlier_version_filled(output)
        if filled is None:
            raise GxError("输出文件已存在，且不是 gxexcel 填报模板；为免覆盖其中的数据，未写入。"
                          "请为模板另取文件名，或先把它移走。", path=display_path(output)) from None
        unit = filled
    except GxError:
        raise GxError("输出文件已存在，且不是 gxexcel 填报模板；为免覆盖其中的数据，未写入。"
                      "请为模板另取文件名，或先把它移走。", path=display_path(output)) from None
    else:
        unit = "" if is_blank(report) else (report.unit_name.strip() or "未填单位名称")
    if unit:
        raise GxError(f"输出文件已存在，是已填报的工作簿（{unit}）；为免覆盖其中的数据，未写入。"
                      "请为模板另取文件名，或先把它移走。", path=display_path(output))


def _earlier_version_filled(output: Path) -> str | None:
    """For a template of another version: "" when its cover is blank, the unit (or a note) when
    filled, None when the file is not our template at all."""
    import openpyxl

    positions = layout.cover_positions()
    try:
        wb = openpyxl.load_workbook(output, read_only=True, data_only=True)
        try:
            cover = wb[layout.SHEET_COVER]
            values = {key: cover[positions[key].coordinate].value for key in (*COVER_FIELDS, "template_id")}
        finally:
            wb.close()
    except Exception:  # not a workbook we can open, or no 封面: not ours
        return None
    if str(values["template_id"] or "").strip() != layout.TEMPLATE_ID:
        return None
    if not any(str(values[key] or "").strip() for key in COVER_FIELDS):
        return ""
    return str(values["unit_name"] or "").strip() or "未填单位名称"
