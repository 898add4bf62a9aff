"""``gxexcel template``: write the locked template workbook."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from .. import layout
from ..template import build_template
from .common import console, guarded, xlsx_output

DEFAULT_NAME = "政府信息公开工作年度报告填报模板.xlsx"


@click.command("template")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path(DEFAULT_NAME),
              show_default=True, callback=xlsx_output, help="模板保存位置（.xlsx）。")
@guarded
def command(output: Path) -> None:
    """生成加锁的年度报告填报模板（封面、正文、表二、表三、表四、填报说明）。"""
    build_template(output)
    console.print(f"已生成填报模板：{escape(str(output))}（模板编号 {layout.TEMPLATE_ID}，版本 {layout.TEMPLATE_VERSION}）")
