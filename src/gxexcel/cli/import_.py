"""``gxexcel import REPORT [-o OUT.xlsx] [--json]``: import a published report (text, HTML, Word)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from .. import form
from ..errors import GxError
from ..findings import SEVERITY_TEXT
from ..model import Report
from ..safety import display_path
from .common import EXIT_FINDINGS, EXIT_OK, console, echo_json, err_console, guarded


def summary_lines(report: Report) -> list[str]:
    filled = sum(1 for v in report.cells.values() if v is not None)
    parts = sum(1 for p in form.NARRATIVE_PARTS if (report.narrative.get(p.id) or "").strip())
    return [
        f"单位：{report.unit_name or '（未识别）'}（{report.unit_type or '类型未识别'}）",
        f"报告年度：{report.year or '（未识别）'}",
        f"表格数值：读取 {filled} / {len(form.CELLS)} 个单元格",
        f"正文：{parts} / {len(form.NARRATIVE_PARTS)} 个部分有内容",
    ]


def findings_table(report: Report) -> Table:
    table = Table(title="导入时发现的问题", show_lines=False)
    for col in ("级别", "规则", "位置"):
        table.add_column(col, no_wrap=True)
    table.add_column("说明", overflow="fold")
    for f in report.source.findings:
        table.add_row(*map(escape, (SEVERITY_TEXT[f.severity], f.rule, f.location or "—", f.message)))
    return table


@click.command("import")
@click.argument("report_path", metavar="REPORT", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="写出填好的模板工作簿（.xlsx）。"
)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出导入的报告（单元格按 gxexcel spec --json 的编号）。")
@guarded
def command(report_path: Path, output: Path | None, as_json: bool) -> None:
    """导入已发布的年度报告（纯文本 .txt、网页 .html/.htm、Word .docx），可写成模板工作簿。"""
    from ..importer import import_report

    report = import_report(report_path)
    out = err_console if as_json else console
    if output is not None:
        if output.suffix.lower() != ".xlsx":
            raise GxError("输出文件应为 .xlsx 工作簿", path=str(output))
        if output.resolve() == report_path.resolve():
            raise GxError("输出文件不能与被导入的报告相同（不会改动原文件）", path=str(output))
        from ..writer import write_workbook

        write_workbook(report, output)
    if as_json:
        echo_json(report.to_json())
    out.print(f"[bold]已导入[/]“{escape(display_path(report_path))}”")  # GBK file names shown readably
    for line in summary_lines(report):
        out.print("  " + escape(line))
    if report.source.findings:
        out.print(findings_table(report))
    if output is not None:
        out.print(f"已写出工作簿“{escape(str(output))}”")
    errors = any(f.severity == "error" for f in report.source.findings)
    raise SystemExit(EXIT_FINDINGS if errors else EXIT_OK)
