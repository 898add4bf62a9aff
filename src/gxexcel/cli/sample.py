"""``gxexcel sample DIR --count N [--seed S] [--errors]``: write sample township workbooks."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.progress import Progress

from .. import sample
from .common import console, guarded


@click.command("sample")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--count", "-n", type=click.IntRange(1, 500), default=20, show_default=True, help="生成的乡镇报表数量。")
@click.option("--seed", "-s", type=int, default=0, show_default=True, help="随机种子：相同种子生成相同的数据。")
@click.option("--errors", is_flag=True, help="按清单注入一组典型错误（清单写在目录旁边：目录名_清单.csv / 目录名_清单.json）。")
@click.option("--year", type=click.IntRange(2021, 2100), default=sample.SAMPLE_YEAR, show_default=True, help="报告年度。")
@guarded
def command(directory: Path, count: int, seed: int, errors: bool, year: int) -> None:
    """生成示例乡镇年度报表（填好的模板工作簿），可选注入典型错误。"""
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("正在生成示例报表", total=count)
        manifest_dir, stem = sample.manifest_beside(directory)
        manifest = sample.write_samples(
            directory, count, seed=seed, errors=errors, year=year, progress=lambda _: progress.advance(task),
            manifest_dir=manifest_dir, manifest_stem=stem,
        )
    console.print(
        f"已在“{escape(str(directory))}”生成 {manifest.county} {count} 个单位的 {year} 年度示例报表（随机种子 {seed}）。"
    )
    if errors:
        broken = [wb for wb in manifest.workbooks if wb.errors or wb.merge_errors]
        console.print(f"其中 {len(broken)} 个报表注入了错误：")
        for wb in broken:
            for e in wb.errors:
                where = f"{e.sheet}!{e.cell}" if e.cell else e.sheet
                console.print(f"  {escape(wb.file)}：{e.title}（{where}，应由规则 {e.rule} 发现）")
            for e in wb.merge_errors:
                console.print(f"  {escape(wb.file)}：{e.title}，{escape(e.detail)}（汇总时应在“相似文本”中列出，规则 {e.rule}）")
    listed = [manifest_dir / f"{stem}{suffix}" for suffix in (".csv", ".json")]
    console.print(f"清单（写在文件夹旁边，不影响汇总该文件夹）：{'、'.join(escape(str(p)) for p in listed)}")
