"""``gxexcel validate``: check template workbooks and published reports against every rule."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ..errors import GxError, UnreadableError
from ..safety import display_path
from ..findings import SEVERITY_TEXT, Finding
from ..model import Report
from .common import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE, console, echo_json, err_console, guarded
from .inputs import WORKBOOK_SUFFIXES, expand_folders, load_report

#: Fields of each finding in ``--json`` output.
JSON_FIELDS = ("file", "rule", "severity", "sheet", "cell", "section", "quote", "message", "explanation")


def validate_file(path: Path, previous: Report | None) -> tuple[Report, list[Finding]]:
    from ..rules.engine import validate

    report = load_report(path)
    return report, validate(report, previous)


def _load_previous(path: Path) -> Report:
    """Last year's report (--previous); what cannot be used is named as 上年报告."""
    if path.is_dir():
        raise UnreadableError("上年报告（--previous）应为本单位上年的一份报告（填报模板工作簿、.json 或已发布的报告），"
                              "不能是文件夹。", path=str(path))
    try:
        return load_report(path)
    except GxError as exc:
        if path.suffix.lower() in WORKBOOK_SUFFIXES and path.is_file():
            from ..consolidation.readback import is_consolidation

            if is_consolidation(path):
                raise UnreadableError("这是县级汇总工作簿；上年报告（--previous）应为本单位上年的报告。"
                                      "与上年汇总比对请使用 gxexcel merge 文件夹 -o 汇总.xlsx --previous 上年汇总.xlsx。",
                                      path=str(path)) from None
        raise type(exc)("上年报告（--previous）无法使用：" + exc.message, path=exc.path, sheet=exc.sheet,
                        cell=exc.cell) from None


def _table(findings: list[Finding]) -> Table:
    table = Table(show_lines=False, expand=False, header_style="bold")
    for header in ("级别", "规则", "位置", "问题", "出错说明"):
        table.add_column(header, overflow="fold")
    for f in findings:
        style = "red" if f.severity == "error" else ("green" if f.explained else "yellow")
        level = SEVERITY_TEXT[f.severity] + ("（已说明）" if f.explained else "")
        where = f.location
        if f.section and f.section != where:
            where += f"\n{f.section}"
        if f.quote:
            where += f"\n“{f.quote[:40]}{'…' if len(f.quote) > 40 else ''}”"
        # text from the report (quotes, file names) is shown as is, never read as rich markup
        table.add_row(f"[{style}]{level}[/]", *map(escape, (f.rule, where, f.message, f.explanation)))
    return table


def _summary(findings: list[Finding]) -> str:
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    explained = sum(f.explained for f in findings)
    if not findings:
        return "[green]未发现问题。[/]"
    # the add-in's wording (校验 message, GX_CHECK): “n 个错误，n 个警告”
    text = f"{errors} 个错误，{warnings} 个警告"
    if explained:
        text += f"（其中 {explained} 个已说明）"
    return ("[red]" if errors else "[yellow]") + text + "。[/]"


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))  # gxexcel.safety explains unreadable files in Chinese
@click.option(
    "--previous",
    "previous_path",
    type=click.Path(path_type=Path),
    help="上年度报告（模板工作簿或已发布报告），用于跨年度校验（上年结转、现行有效件数、第五部分）。",
)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出全部问题（供其他程序使用）。")
@click.option(
    "--write-back",
    is_flag=True,
    help="在原文件旁另存一份“*_校验.xlsx”，含“校验结果”工作表并标出出错单元格；原文件不会被修改。"
         "再次校验“*_校验.xlsx”时依次另存为“*_校验2.xlsx”“*_校验3.xlsx”……，不覆盖已有文件。",
)
@guarded
def command(files: tuple[Path, ...], previous_path: Path | None, as_json: bool, write_back: bool) -> None:
    """校验填报模板工作簿或已发布的年度报告（纯文本 .txt、网页 .html/.htm/.shtml/.mht、Word .docx/.doc）；给出文件夹时校验其中（含子文件夹）的全部报表。

    退出码：0 无错误；1 有错误；2 有文件无法使用。
    """
    files = tuple(expand_folders(files))
    previous = _load_previous(previous_path) if previous_path is not None else None
    everything: list[Finding] = []
    unusable = False
    for path in files:
        try:
            report, findings = validate_file(path, previous)
        except GxError as exc:
            unusable = True
            err_console.print(f"[bold red]无法处理[/]：{escape(str(exc))}")
            continue
        for f in findings:
            f.file = f.file or str(path)
        everything.extend(findings)
        written = None
        if write_back:
            if path.suffix.lower() in WORKBOOK_SUFFIXES:
                from ..findings_sheet import write_back as do_write_back

                written = do_write_back(path, findings)
            else:
                err_console.print(f"[yellow]“{escape(str(path))}”不是工作簿，--write-back 不适用。[/]")
        if not as_json:
            title = f"[bold]{escape(display_path(path))}[/]"  # GBK file names shown readably
            named = " ".join(x for x in (report.unit_name, f"{report.year}年" if report.year else "") if x)
            if named:  # a blank 单位名称 or 报告年度 leaves no gap (“（ 2023年）”, “（…人民政府 年）”)
                title += escape(f"（{named}）")
            console.print(title)
            if findings:
                console.print(_table(findings))
            console.print(_summary(findings))
            if written is not None:
                console.print(f"已写出校验结果：{escape(str(written))}")
            console.print()
    if as_json:
        echo_json(
            json.dumps([{k: getattr(f, k) for k in JSON_FIELDS} for f in everything], ensure_ascii=False, indent=2)
        )
    if unusable:
        sys.exit(EXIT_UNUSABLE)
    sys.exit(EXIT_FINDINGS if any(f.severity == "error" for f in everything) else EXIT_OK)
