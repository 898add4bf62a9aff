"""``gxexcel addin build`` and ``gxexcel addin install``: the Excel add-in (.xlam)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from .common import console, guarded


@click.group("addin")
def command() -> None:
    """Excel 加载项（“政务公开年报”选项卡）：制作与安装。"""


@command.command("build")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    default=Path("dist") / "gxexcel.xlam", show_default=True, help="加载项文件的保存位置。",
)
@click.option("--interpreter", default="", help="写入加载项配置的 Python 解释器路径（默认留空，使用 PATH 中的 Python）。")
@guarded
def build(output: Path, interpreter: str) -> None:
    """制作加载项：xlwings 的功能区加载项模板 + macros/ 中的 VBA 模块和功能区定义。"""
    from ..addin import Config, build_addin

    config = Config(interpreter_win=interpreter, interpreter_mac=interpreter) if interpreter else Config()
    path = build_addin(output, config=config).resolve()
    console.print(f"已制作加载项：{escape(str(path))}")


@command.command("install")
@click.option(
    "--dist", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"),
    show_default=True, help="制作出的加载项先保存在此文件夹。",
)
@guarded
def install(dist: Path) -> None:
    """按当前 Python 解释器制作加载项，并复制到 Excel 的启动文件夹（Windows、macOS）。"""
    from ..addin import install_addin

    result = install_addin(dist)
    console.print(f"已制作加载项：{escape(str(result.built))}")
    if result.installed is None:
        console.print(
            f"此系统（{result.system}）上没有 Microsoft Excel，未安装加载项。"
            f"请把 {escape(str(result.built))} 复制到装有 Excel 的 Windows 或 macOS 电脑，"
            "在该电脑上安装 gxexcel 后运行 gxexcel addin install。"
        )
        return
    console.print(f"已安装到 Excel 启动文件夹：{escape(str(result.installed))}")
    console.print("请重新启动 Excel，功能区将出现“政务公开年报”选项卡。")
