"""``gxexcel narrate``: draft the narrative parts of a filled template from its figures."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from .. import form
from ..narrative.draft import describe_missing, kept_mismatches
from ..narrative.marker import STATE_TEXT
from ..narrative.templating import copy_bundled
from ..narrative.workbook import narrate_workbook
from ..safety import display_path
from .common import EXIT_FINDINGS, console, guarded


@click.command("narrate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="另存为此文件（原文件不变）；不指定时直接更新原文件。")
@click.option("--force", is_flag=True, help="连人工填写或修改过的正文也一并用生成的文字覆盖。")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="自定义正文模板所在文件夹（也可用环境变量 GXEXCEL_TEMPLATES 指定）。")
@click.option("--copy-templates", "copy_to", type=click.Path(file_okay=False, path_type=Path),
              help="把内置的正文模板复制到此文件夹，供修改措辞后用 --templates 使用。")
@guarded
def command(file: Path | None, output: Path | None, force: bool, templates: Path | None, copy_to: Path | None) -> None:
    """根据表格数字生成正文：前言（统计期限）、一（一）主动公开、一（二）依申请公开、四、六（信息处理费）。

    生成的段落在“正文”工作表 C 列留有标记；再次运行会按最新数字刷新这些段落，但人工填写或改动过的段落不会被覆盖（除非使用 --force）。
    """
    if copy_to:
        written = copy_bundled(copy_to)
        console.print(f"已复制 {len(written)} 个模板到 {escape(str(copy_to))}（已有的同名文件未改动）。")
        if file is None:
            return
    if file is None:
        raise click.UsageError("请指定要生成正文的填报模板文件。")
    if output and output.suffix.lower() != file.suffix.lower():
        raise click.BadParameter(f"输出文件应与原文件同为 {file.suffix} 格式", param_hint="-o")
    report, outcome, target = narrate_workbook(file, output, force=force, templates=templates)
    table = Table(title=escape(f"{report.title_text}：正文生成结果"), show_lines=False)
    table.add_column("部分")
    table.add_column("结果")
    for part in form.NARRATIVE_PARTS:
        if not part.generated:
            continue
        if part.id in outcome.written:
            result = "[green]已生成[/]"
        elif part.id in outcome.unchanged:
            result = "未变化（已是最新）"
        elif part.id in outcome.kept:
            result = f"[yellow]保留（{STATE_TEXT[outcome.kept[part.id]]}）[/]，如需覆盖请加 --force"
        else:
            result = "[red]未生成[/]（数字有误，见下）"
        table.add_row(part.label, result)
    console.print(table)
    for part_id, cells in outcome.skipped.items():
        console.print(f"[red]{form.NARRATIVE[part_id].label}[/]未生成：{describe_missing(cells)}")
    for part_id, messages in kept_mismatches(report, outcome.kept).items():
        console.print(
            f"[yellow]{form.NARRATIVE[part_id].label}[/]保留了"
            + ("人工填写" if outcome.kept[part_id] == "clerk" else "人工修改")
            + "的文字，其中的数字与表格不一致："
            + escape("；".join(messages))
            + "。请改正，或加 --force 按表格重新生成。"
        )
    if outcome.written:
        console.print(f"已写入：{escape(display_path(target))}")
    else:
        console.print("没有需要更新的段落，文件未改动。" if target == file else f"已写入：{escape(display_path(target))}")
    if outcome.skipped:
        sys.exit(EXIT_FINDINGS)
