"""Errors a user can act on: each carries a Chinese message naming the file."""

from __future__ import annotations


class GxError(Exception):
    """A problem with an input the user can fix; ``str()`` is the Chinese message.

    ``exit_code`` follows the CLI convention: 2 = a file cannot be used.
    """

    exit_code = 2

    def __init__(self, message: str, *, path: str = "", sheet: str = "", cell: str = "") -> None:
        self.path, self.sheet, self.cell = path, sheet, cell
        where = "".join(
            part
            for part in (
                f"文件“{_readable(path)}”" if path else "",
                f"工作表“{sheet}”" if sheet else "",
                f"单元格 {cell}" if cell else "",
            )
        )
        self.message = message
        super().__init__(f"{where}：{message}" if where else message)


def _readable(path: str) -> str:
    """A file name that is not valid UTF-8 (GBK names from Windows) shown as GB18030 text."""
    from .safety import display_path  # safety imports this module: import on use

    return display_path(path)


class UnreadableError(GxError):
    """The file is not something gxexcel can read (not a workbook, corrupt, encrypted …)."""


class NotOurTemplateError(GxError):
    """A workbook, but not the gxexcel template (or an unknown template version)."""
