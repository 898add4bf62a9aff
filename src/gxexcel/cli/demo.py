"""``gxexcel demo [DIR]``: the main job on sample data, start to finish.

Builds the locked template, writes a sample county of 20 township workbooks
(19 generated, some with the documented injected errors, and 南定镇 built from
the bundled real report with its real errors), checks every workbook and
prints in Chinese what it did and found.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from .. import sample
from ..findings import Finding
from .common import console, guarded

DEFAULT_DIR = Path("gxexcel-demo")
REPORTS_DIR = "各乡镇报表"
TEMPLATE_NAME = "政府信息公开工作年度报告填报模板.xlsx"
SEED_RESOURCE = "seed_nanding_2021.txt"
TOWNSHIPS = 20
MERGED_NAME = "全县汇总.xlsx"


@dataclass
class Checked:
    file: Path
    unit_name: str
    findings: list[Finding]
    expected: set[str]  # rule ids the manifest says must be found

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)


def build_template_step(directory: Path) -> Path:
    from ..template import build_template

    return build_template(directory / TEMPLATE_NAME)


def samples_step(directory: Path, seed: int) -> sample.Manifest:
    return sample.write_samples(
        directory / REPORTS_DIR, TOWNSHIPS - 1, seed=seed, errors=True, manifest_dir=directory
    )


def seed_step(directory: Path, index: int) -> Path:
    """南定镇: the bundled real 2021 report, imported and written into the template."""
    from ..importer import import_report
    from ..writer import write_workbook

    with resources.as_file(resources.files("gxexcel") / "data" / SEED_RESOURCE) as seed_path:
        report = import_report(seed_path)
    report.parent = report.parent or sample.SAMPLE_COUNTY
    return write_workbook(report, directory / REPORTS_DIR / f"{index:02d}_{sample.place_name(report.unit_name)}.xlsx")


def check_step(files: list[Path], manifest: sample.Manifest) -> list[Checked]:
    from ..reader import read_workbook
    from ..rules.engine import validate

    checked = []
    for path in files:
        report = read_workbook(path)
        findings = validate(report)
        checked.append(Checked(path, report.unit_name, findings, manifest.expected_rules(path.name)))
    return checked


def merge_step(directory: Path) -> tuple[Path, object]:
    """Consolidate the sample county into one workbook (gxexcel merge)."""
    from ..consolidation import consolidate

    result = consolidate([directory / REPORTS_DIR])
    return result.to_excel(directory / MERGED_NAME), result


def _table(checked: list[Checked]) -> Table:
    table = Table(title="校验结果", header_style="bold")
    for header in ("文件", "单位", "错误", "警告", "注入的错误", "首个问题"):
        table.add_column(header, overflow="fold")
    for c in checked:
        first = next((f for f in c.findings if f.severity == "error"), c.findings[0] if c.findings else None)
        found = {f.rule for f in c.findings}
        if c.expected:
            injected = "已全部发现" if c.expected <= found else "[red]未发现：" + "、".join(sorted(c.expected - found)) + "[/]"
        else:
            injected = "—"
        table.add_row(
            escape(c.file.name),
            escape(c.unit_name),
            f"[red]{c.errors}[/]" if c.errors else "0",
            f"[yellow]{c.warnings}[/]" if c.warnings else "0",
            injected,
            f"{first.rule}：{escape(_short(first.message))}" if first else "[green]未发现问题[/]",
        )
    return table


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@click.command("demo")
@click.argument("directory", required=False, default=DEFAULT_DIR, type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", "-s", type=int, default=2021, show_default=True, help="示例数据的随机种子。")
@guarded
def command(directory: Path, seed: int) -> None:
    """演示主流程：生成模板、生成一个县 20 个乡镇的示例报表（含南定镇真实报告）、逐一校验，再汇总全县并写出汇总结果。"""
    directory.mkdir(parents=True, exist_ok=True)
    console.print(f"[bold]gxexcel 演示[/]：输出目录“{escape(str(directory))}”")

    template = build_template_step(directory)
    console.print(f"1. 已生成加锁的填报模板：{escape(str(template))}")

    manifest = samples_step(directory, seed)
    broken = sum(1 for wb in manifest.workbooks if wb.errors)
    console.print(
        f"2. 已生成{manifest.county} {len(manifest.workbooks)} 个乡镇（街道）的 {manifest.year} 年度示例报表，"
        f"其中 {broken} 个按清单注入了典型错误（清单：{escape(str(directory / sample.MANIFEST_CSV))}）。"
    )

    seed_file = seed_step(directory, len(manifest.workbooks) + 1)
    console.print(f"3. 已导入随附的南定镇 2021 年真实报告（含真实错误），写入模板：{seed_file.name}")

    files = sorted((directory / REPORTS_DIR).glob("*.xlsx"))
    checked = check_step(files, manifest)
    console.print(f"4. 已逐一校验 {len(checked)} 个报表：")
    console.print(_table(checked))
    clean = sum(1 for c in checked if not c.errors)
    expected = sum(len(c.expected) for c in checked)
    found = sum(len(c.expected & {f.rule for f in c.findings}) for c in checked)
    console.print(
        f"无错误的报表 {clean} 个，有错误的 {len(checked) - clean} 个；注入的 {expected} 个错误中发现 {found} 个。"
    )
    console.print(f"报表位于“{escape(str(directory / REPORTS_DIR))}”；可用 gxexcel validate 查看单个报表的全部问题。")

    merged, result = merge_step(directory)
    with_errors = sum(1 for u in result.counted if u.errors)
    console.print(
        f"5. 已汇总全县 {len(result.counted)} 个单位（其中 {with_errors} 个有错误，按默认规则计入汇总），"
        f"汇总结果（汇总、明细、校验情况、报送情况、相似文本、图表）：{merged}"
    )
    listed = {(frozenset((pair.unit, pair.other)), pair.part) for pair in result.pairs}
    copies = manifest.copied_pairs()
    caught = sum((frozenset((a, b)), part) in listed for a, b, part in copies)
    console.print(
        f"相似文本：列出 {len(result.pairs)} 处单位间正文高度雷同；注入的 {len(copies)} 处整段照抄中发现 {caught} 处"
        + "".join(f"（{escape(a)}照抄{escape(b)}）" for a, b, _ in copies) + "。"
    )
