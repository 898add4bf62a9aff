"""``gxexcel merge INPUT... -o OUT.xlsx [--roster R] [--previous P] [--json]``: consolidate a county."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..consolidation import consolidate
from ..consolidation.output import OutputIsInputError, check_target
from ..consolidation.submissions import ERRORS_NOT_COUNTED, STATUSES, UNREADABLE
from ..consolidation.workbook import python_status
from ..errors import GxError
from ..safety import display_path
from .common import EXIT_FINDINGS, EXIT_OK, console, echo_json, err_console, guarded, xlsx_output


@click.command("merge")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))  # unreadable files are reported in 报送情况
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              callback=xlsx_output,
              help="汇总结果工作簿（.xlsx）。它若在输入中，只替换本次汇总以前生成的结果，不覆盖报送的文件。")
@click.option("--roster", type=click.Path(dir_okay=False, path_type=Path),
              help="应报单位名册（.xlsx 或 .csv，列：单位名称、单位类型、单位代码）。")
@click.option("--previous", type=click.Path(dir_okay=False, path_type=Path),
              help="上年的汇总结果（用于核对上年结转、比对正文与上年雷同）。")
@click.option("--exclude-errors", is_flag=True, help="有错误的单位不计入汇总（默认计入）。")
@click.option("--no-cache", is_flag=True,
              help="不使用读取缓存（默认按文件内容缓存已读取和校验的结果，再次汇总时只读取新增和改动的文件）。")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="并行读取的进程数（默认：CPU 核数）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出汇总概况（供其他程序使用）。")
@guarded
def command(inputs: tuple[Path, ...], output: Path, roster: Path | None, previous: Path | None,
            exclude_errors: bool, no_cache: bool, workers: int | None, as_json: bool) -> None:
    """汇总各单位报表：INPUT 可以是文件夹（含子文件夹）、zip、7z 压缩包（RAR 压缩包须先解压）、填报模板工作簿、已发布的报告（纯文本 .txt、网页 .html/.htm/.shtml/.mht、Word .docx/.doc），或以前生成的汇总结果（如市里汇总各县的汇总结果）。

    生成的工作簿包含“汇总”“明细”“校验情况”“报送情况”“相似文本”“图表”六个工作表。

    退出码：0 没有问题；1 有单位存在错误或有文件无法读取；2 输入、名册或上年汇总无法使用；130 按 Ctrl+C 中断；143 被结束信号终止（中断时不写出任何不完整的文件）。"""
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console, transient=True, disable=as_json) as progress:
        task = progress.add_task("正在读取和校验报表", total=None)

        def advance(done: int, total: int, _file: str) -> None:
            progress.update(task, completed=done, total=total)

        try:
            check_target(output, inputs, roster=roster, previous=previous)
            result = consolidate(list(inputs), roster=roster, previous=previous, include_errors=not exclude_errors,
                                 exclude=[output], progress=advance, workers=workers,
                                 cache=not no_cache)
        except OutputIsInputError as exc:  # -o names a submission: nothing is written
            if as_json:
                echo_json(json.dumps({"output": str(output), "written": False, "error": str(exc)},
                                     ensure_ascii=False, indent=2))
            raise
        if not any(s.file for s in result.statuses):  # an empty folder: say so, write nothing
            raise GxError("没有找到任何报表文件（文件夹是空的或只有临时文件），未生成汇总。", path="、".join(map(str, inputs)))
        progress.update(task, description="正在写出汇总工作簿")
        result.to_excel(output)
    statuses = Counter(s.status for s in result.statuses)
    # a file seen again (the same SHA-256 through another consolidation) has its errors counted once
    errors = sum(s.unit.errors for s in result.statuses if s.unit is not None and s.unit.readable and not s.same_file)
    counted = result.counted
    carry_errors = sum(1 for c in result.carry if c.finding.severity == "error")
    # rows of 报送情况 whose report is of another year than the one merged (not counted)
    other_years = [s.unit.year for s in result.statuses if s.unit is not None and s.unit.readable
                   and result.year is not None and s.unit.year not in (None, result.year)]
    summary = {
        "output": str(output),
        "written": True,
        "replaced_earlier_result": bool(result.replaces),
        "year": result.year,
        "files": sum(1 for s in result.statuses if s.file),
        "units_counted": len(counted),
        "units_counted_with_errors": sum(1 for u in counted if u.errors),
        "statuses": {k: statuses.get(k, 0) for k in STATUSES},
        "errors": errors,
        "similar_pairs": len(result.pairs),
        "similar_to_previous": len(result.previous_pairs),
        "carry_over_findings": len(result.carry),
        "carry_over_errors": carry_errors,
        "summary_check": python_status(result),
        "files_of_other_years": len(other_years),
        "roster_lines_without_county": [
            {"row": line.row, "name": line.name, "counties": list(line.counties), "units": line.units,
             "message": line.message}
            for line in result.roster_lines_without_county
        ],
    }
    if as_json:
        echo_json(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        table = Table(title="报送情况", show_header=True)
        table.add_column("状态")
        table.add_column("数量", justify="right")
        for status in STATUSES:
            table.add_row(status, str(statuses.get(status, 0)))
        console.print(table)
        if exclude_errors:  # the counted units have no errors: say how many were left out for theirs
            # one row per such unit carries the note “有 N 个错误，未计入汇总” (the one its duplicates defer to)
            left_out = sum(1 for s in result.statuses if s.unit is not None and s.unit.errors and not s.counted
                           and f"有 {s.unit.errors} 个错误，{ERRORS_NOT_COUNTED}" in s.note.split("；"))
            console.print(f"计入汇总 {len(counted)} 个单位；另有 {left_out} 个有错误的单位未计入汇总（--exclude-errors）；"
                          f"汇总表校验：{summary['summary_check']}。")
        else:
            console.print(f"计入汇总 {len(counted)} 个单位，其中 {summary['units_counted_with_errors']} 个有错误"
                          f"（已计入）；汇总表校验：{summary['summary_check']}。")
        if other_years:  # e.g. last year's consolidation left in the folder outvoting this year's reports
            newer = any(y > result.year for y in other_years)
            console.print(f"[yellow]报告年度不符[/]：{len(other_years)} 份报表的报告年度不是本次汇总的{result.year}年度"
                          "（汇总年度取多数报表填写的报告年度），未计入汇总（见“报送情况”）。"
                          + ("如输入中有上年的汇总结果或上年的报表，请把它移出输入文件夹，或用 --previous 指定为上年汇总。"
                             if newer else ""))
        if result.pairs or result.previous_pairs:
            console.print(f"正文雷同：单位之间 {len(result.pairs)} 处，与上年 {len(result.previous_pairs)} 处（见“相似文本”）。")
        if result.carry:
            console.print(f"上年结转核对：{carry_errors} 个错误，{len(result.carry) - carry_errors} 个警告"
                          "（见“相似文本”和“校验情况”）。")
        for line in result.roster_lines_without_county:  # a city roster line that matches several counties' units
            console.print(f"[yellow]名册同名单位[/]：{escape(line.message)}（见“报送情况”）。")
        for s in result.statuses:
            if s.status == UNREADABLE:
                via = f"（经由汇总文件“{s.unit.via}”）" if s.unit is not None and s.unit.via else ""
                console.print(f"[yellow]无法读取[/]：{escape(s.file + via)}：{escape(s.note)}")  # names are not markup
        for earlier in result.replaces:
            console.print(f"替换以前的汇总结果：{escape(display_path(earlier))}（它在输入中，是本次汇总以前生成的结果，"
                          "其中各单位的报表本次都已读取或已换成新版本，未作为输入）。")
        console.print(f"汇总结果已写入：{escape(str(output))}")
    raise SystemExit(EXIT_FINDINGS if errors or carry_errors or statuses.get(UNREADABLE) else EXIT_OK)
