"""Chinese for click's own words (help headings, usage errors).

Click marks its messages for gettext (``from gettext import gettext as _`` in each
of its modules) but ships no translations, and a gettext catalogue would be chosen
by the ``LANGUAGE`` environment variable, which LibreOffice child processes would
inherit too. So gxexcel installs its own translation function in click's modules,
for gxexcel's process only. Unknown messages pass through unchanged, and
``tests/test_cli_i18n.py`` fails if a click upgrade stops using these functions.
"""

from __future__ import annotations

import importlib
import re
from typing import Callable

CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")

MESSAGES: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有“{name}”这个命令。",
    "No such option {name!r}.": "没有“{name}”这个选项。",
    "Option {name!r} does not take a value.": "选项“{name}”不需要值。",
    "Invalid value for {param_hint}: {message}": "{param_hint}的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "{name} {filename!r} does not exist.": "{name}“{filename}”不存在。",
    "{name} {filename!r} is a directory.": "{name}“{filename}”是文件夹。",
    "{name} {filename!r} is a file.": "{name}“{filename}”是文件。",
    "{name} {filename!r} is not readable.": "{name}“{filename}”无法读取（权限不足）。",
    "{name} {filename!r} is not writable.": "{name}“{filename}”无法写入（权限不足）。",
    "{name} {filename!r} is not executable.": "{name}“{filename}”不可执行。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的数值。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "Aborted!": "已取消。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
}

PLURAL_MESSAGES: dict[str, str] = {
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Option {name!r} requires an argument.": "选项“{name}”需要一个值。",
    "Did you mean {possibility}?": "是不是要输入 {possibility}？",
    "{value!r} is not {choice}.": "“{value}”不是可选值 {choice}。",
}


PLURAL_FORMS: dict[str, str] = {
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Option {name!r} requires {nargs} arguments.": "选项“{name}”需要 {nargs} 个值。",
    "(Did you mean one of: {possibilities}?)": "（是不是要输入以下之一：{possibilities}？）",
    "{value!r} is not one of {choices}.": "“{value}”不是可选值之一：{choices}。",
}


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if n == 1:
        return PLURAL_MESSAGES.get(singular, singular)
    return PLURAL_FORMS.get(plural, plural)


def install() -> None:
    """Put the Chinese functions where click's modules look up ``_`` and ``ngettext``.

    Click also quotes parameter names itself (``'FILES...'``, ``'--output' / '-o'``)
    and ends "Missing argument" with an ASCII full stop; those are put in Chinese
    quotation marks and punctuation here too.
    """
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        _replace(module, "_", gettext)
        _replace(module, "ngettext", ngettext)
    import click.core
    import click.exceptions

    for cls in (click.core.Parameter, click.core.Argument):
        if "get_error_hint" in vars(cls) and not getattr(cls.get_error_hint, "_gx", False):
            cls.get_error_hint = _argument_hint if cls is click.core.Argument else _error_hint
    if hasattr(click.exceptions, "_join_param_hints"):
        click.exceptions._join_param_hints = _join_param_hints
    missing = click.exceptions.MissingParameter
    if not getattr(missing.format_message, "_gx", False):
        missing.format_message = _missing_message(missing.format_message)


def _quoted(names: object) -> str:
    return "、".join(f"“{x}”" for x in names)


def _error_hint(self: object, ctx: object = None) -> str:
    return _quoted(getattr(self, "opts", None) or [getattr(self, "human_readable_name", "")])


def _argument_hint(self: object, ctx: object = None) -> str:
    return _quoted([self.make_metavar(ctx)])  # type: ignore[attr-defined]


_error_hint._gx = True  # type: ignore[attr-defined]
_argument_hint._gx = True  # type: ignore[attr-defined]


def _join_param_hints(param_hint: object) -> object:
    if param_hint is None:
        return None
    if isinstance(param_hint, str):
        return param_hint if param_hint.startswith("“") else _quoted([param_hint])
    return _quoted(param_hint)  # type: ignore[arg-type]


def _missing_message(original: Callable[..., str]) -> Callable[..., str]:
    """缺少参数 “FILES...”. -> 缺少参数“FILES...”。"""

    def format_message(self: object) -> str:
        text = original(self)
        for word in ("Missing argument", "Missing option", "Missing parameter"):
            head = gettext(word)
            if text.startswith(head):
                rest = text[len(head):]
                hint = re.match(r" ?(“[^”]*”(?:、“[^”]*”)*)?\.", rest)
                if hint:
                    return head + (hint.group(1) or "") + "。" + rest[hint.end():].lstrip()
        return text

    format_message._gx = True  # type: ignore[attr-defined]
    return format_message


def _replace(module: object, attr: str, func: Callable[..., str]) -> None:
    if hasattr(module, attr):
        setattr(module, attr, func)
