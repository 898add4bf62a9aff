"""``gxexcel report``: the report as it is published (Word, HTML, text)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.markup import escape

from ..atomic import write_text_atomic
from .common import EXIT_FINDINGS, console, err_console, guarded
from .inputs import load_report

SUFFIX_FORMATS = {".docx": "docx", ".html": "html", ".htm": "html", ".txt": "text", ".md": "pipe"}
FORMAT_TEXT = {"docx": "Word文档", "html": "网页（HTML）", "text": "纯文本", "pipe": "纯文本（竖线表格）"}


@click.command("report")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="输出文件：.docx（Word）、.html（网页）、.txt（纯文本）或 .md（竖线表格）。")
@click.option("--format", "fmt", type=click.Choice(["docx", "html", "text", "pipe"]),
              help="输出格式；不指定时按输出文件的扩展名确定。")
@click.option("--typeface", type=click.Choice(["gb", "common"]), default="gb", show_default=True,
              help="Word 字体：gb＝方正小标宋简体/仿宋_GB2312/黑体/楷体_GB2312；common＝宋体/仿宋/黑体/楷体。")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="自定义模板文件夹（网页模板 publish/report.html.j2）。")
@guarded
def command(file: Path, output: Path, fmt: str | None, typeface: str, templates: Path | None) -> None:
    """生成对外公开的年度报告：标题、前言、六个部分及表二、表三、表四（官方表头、A4 版式）。"""
    fmt = fmt or SUFFIX_FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise click.BadParameter("无法从扩展名判断输出格式，请用 .docx/.html/.txt/.md 或指定 --format", param_hint="-o")
    if output.resolve() == file.resolve():
        raise click.BadParameter("输出文件不能与输入文件相同", param_hint="-o")
    report = load_report(file)
    from ..rules.engine import validate

    findings = validate(report)
    if fmt == "docx":
        from ..publish.docx import write_docx

        write_docx(report, output, typeface=typeface)
    else:
        from ..publish import render

        write_text_atomic(output, render(report, fmt, templates=templates))
    console.print(f"已生成{FORMAT_TEXT[fmt]}：{escape(str(output))}")
    from ..narrative.draft import empty_generated_parts, empty_written_parts

    empty = empty_generated_parts(report)
    if empty:
        err_console.print("[yellow]提示[/]：以下部分为空，可先运行 gxexcel narrate 生成：" + "、".join(empty))
    unwritten = empty_written_parts(report)
    if unwritten:
        err_console.print("[yellow]提示[/]：以下部分为空，需要本单位据实撰写后再发布：" + "、".join(unwritten))
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        err_console.print(f"[bold red]注意[/]：报告有 {len(errors)} 个错误，发布前请用 gxexcel validate 查看并修正。")
        sys.exit(EXIT_FINDINGS)

