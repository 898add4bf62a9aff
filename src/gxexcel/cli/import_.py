"""``gxexcel import REPORT [-o OUT.xlsx] [--json]``: import a published report (text, HTML, Word)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from .. import form
from ..errors import GxError
from ..findings import SEVERITY_TEXT
from ..model import Report, tidy_number
from ..overwrite import check_unit_workbook
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


_SHOWN_TOTALS = 10


def replaced_totals(report: Report) -> list[str]:
    """The published 总计 that the workbook's formulas replace by a different sum of the
    parts, one line each (“表三 …总计：已发布 X，工作簿 Y”); totals or parts that are blank or
    not numbers are left to validate."""
    out = []
    for cid in form.TOTAL_CELLS:
        values = [report.cells.get(c) for c in (cid, *form.total_parts(cid))]
        if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in values):
            continue
        computed = report.computed_total(cid)
        if abs(values[0] - computed) > 1e-9:
            out.append(f"{form.CELLS[cid].label}：已发布 {tidy_number(values[0])}，工作簿 {tidy_number(computed)}")
    return out


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
    """导入已发布的年度报告（纯文本 .txt、网页 .html/.htm/.shtml/.mht、Word .docx/.doc），可写成模板工作簿。"""
    from ..importer import import_report

    report = import_report(report_path)
    out = err_console if as_json else console
    if output is not None:
        if output.suffix.lower() != ".xlsx":
            raise GxError("输出文件应为 .xlsx 工作簿", path=str(output))
        if output.resolve() == report_path.resolve():
            raise GxError("输出文件不能与被导入的报告相同（不会改动原文件）", path=str(output))
        from ..writer import write_workbook

        check_unit_workbook(output, report, earlier="以前导入的工作簿", blank_ok=True, unnamed="未识别单位名称")
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
        replaced = replaced_totals(report)
        if replaced:
            out.print(
                f"[yellow]注意：[/]工作簿中的总计由公式按各项计算，以下 {len(replaced)} 个总计与已发布的数值不同"
                "（已发布报告的勾稽关系有误，可用 gxexcel validate 校验原报告）："
            )
            for line in replaced[:_SHOWN_TOTALS]:
                out.print("  " + escape(line))
            if len(replaced) > _SHOWN_TOTALS:
                out.print(f"  ……等 {len(replaced)} 个")
    errors = any(f.severity == "error" for f in report.source.findings)
    raise SystemExit(EXIT_FINDINGS if errors else EXIT_OK)
