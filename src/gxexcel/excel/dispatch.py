"""The one Python entry point of the ribbon: ``main(control_id, arg, addin_version, addin_file, formulas)``.

The add-in's single VBA callback passes the id of the clicked button (and, for
汇总文件夹, the folder the clerk picked) here through xlwings' ``RunPython``.
Every button id of ``macros/customUI.xml`` is a key of :data:`BUTTONS`; an
unknown id is reported to the clerk. Before anything else the add-in's version
is compared with the installed gxexcel, and a mismatch tells the clerk what to
run. ``addin_file`` is the add-in's own file name (``ThisWorkbook.Name`` in VBA):
校验 and 清除标记 call the add-in's notes macro by it. ``formulas`` is what the add-in's
VBA found of the form cells' formulas (:mod:`gxexcel.excel.formulas`): 校验, 生成总体情况
and 导出报告 read the workbook with it, as ``gxexcel validate`` reads a file. Older
add-ins pass only the first three or four arguments (values only, then).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..errors import GxError
from . import buttons, notes


@dataclass(frozen=True)
class Button:
    id: str
    label: str  # as on the ribbon (the customUI test checks they agree)
    func: Callable[..., buttons.Outcome]
    takes_arg: bool = False  # the VBA side passes a picked folder
    calls_addin: bool = False  # runs a macro of the add-in (needs its file name)
    reads_formulas: bool = False  # reads the form with the formulas the add-in passes


BUTTONS: dict[str, Button] = {
    b.id: b
    for b in (
        Button("gxValidate", "校验", buttons.validate_book, calls_addin=True, reads_formulas=True),
        Button("gxNarrate", "生成总体情况", buttons.narrate_book, reads_formulas=True),
        Button("gxClear", "清除标记", buttons.clear_marks, calls_addin=True),
        Button("gxExport", "导出报告", buttons.export_report, reads_formulas=True),
        Button("gxMerge", "汇总文件夹", buttons.merge_folder, takes_arg=True),
        Button("gxHelp", "帮助", buttons.help_page),
    )
}


def installed_version() -> str:
    from importlib.metadata import version

    return version("gxexcel")


def version_problem(addin_version: str) -> str:
    """A Chinese message when the add-in and the installed gxexcel differ, else ""."""
    installed = installed_version()
    if not addin_version or addin_version == installed:
        return ""
    return (
        f"加载项的版本（{addin_version}）与已安装的 gxexcel（{installed}）不一致。"
        "请关闭 Excel，在命令提示符中运行：gxexcel addin install ，然后重新打开 Excel。"
    )


def run(
    control_id: str, book: Any, arg: str = "", addin_version: str = "", addin_file: str = "",
    formulas: str | None = None,
) -> buttons.Outcome:
    """Run the button ``control_id`` on ``book``; every problem becomes a Chinese message."""
    problem = version_problem(addin_version)
    if problem:
        buttons.tell(book, problem)
        return buttons.Outcome(problem)
    button = BUTTONS.get(control_id)
    if button is None:
        message = f"未知的按钮“{control_id}”：此版本的 gxexcel 没有这个功能。请运行 gxexcel addin install 更新加载项。"
        buttons.tell(book, message)
        return buttons.Outcome(message)
    try:
        if button.takes_arg:
            if not arg:
                message = "没有选择文件夹，未进行汇总。"
                buttons.tell(book, message)
                return buttons.Outcome(message)
            return button.func(book, arg)
        kwargs: dict[str, Any] = {}
        if button.calls_addin:
            kwargs["addin_file"] = addin_file or notes.ADDIN_FILE
        if button.reads_formulas:
            kwargs["formulas"] = formulas
        return button.func(book, **kwargs)
    except GxError as exc:
        return buttons.report_error(book, exc)
    except Exception as exc:  # the last line of defence, as in the CLI: never a traceback in Excel
        message = (
            f"内部错误：{type(exc).__name__}: {exc}\n"
            "请将此信息和当前工作簿反馈给维护人员。"
        )
        buttons.tell(book, message)
        return buttons.Outcome(message)


def main(
    control_id: str, arg: str = "", addin_version: str = "", addin_file: str = "", formulas: str | None = None
) -> None:
    """Called from VBA (``RunPython``): the calling workbook is ``xw.Book.caller()``."""
    import xlwings as xw

    run(control_id, xw.Book.caller(), arg, addin_version, addin_file, formulas)
