"""``gxexcel spec``: print the declaration of the form (sections, tables, cells, identities, rules)."""

from __future__ import annotations

import json

import click

from ..spec_export import spec_dict
from .common import console, echo_json, guarded


@click.command("spec")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出完整声明（供其他工具使用）。")
@guarded
def command(as_json: bool) -> None:
    """输出年度报告格式的完整声明：章节、表格、单元格编号、勾稽关系和校验规则。"""
    data = spec_dict()
    if as_json:
        echo_json(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{data['format']['title']}[/]（{data['format']['id']}）")
    for s in data["sections"]:
        console.print(f"  {s['heading']}")
    for t in data["tables"]:
        console.print(f"{t['name']}：{len(t['cells'])} 个单元格")
    console.print(f"勾稽关系：{len(data['identities'])} 条；校验规则：{len(data['rules'])} 条")
    console.print("使用 --json 查看完整声明。")
