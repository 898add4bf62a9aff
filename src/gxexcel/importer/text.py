"""Plain-text reports: one cell per line, pipe tables, tab-separated rows, one-line bodies.

Lines starting with a tab are table cells, one per line; a blank line ends the
row (the layout of text copied off a portal page, and of the bundled seed).
``| a | b |`` lines are pipe-table rows (Markdown separators are skipped);
``a<TAB>b<TAB>c`` lines are tab-separated rows. Everything else is a heading
or paragraph. A body run together on one line is split at its spaces.
"""

from __future__ import annotations

import re

from .. import form
from ..errors import UnreadableError
from .items import Item, Line, Row
from .normalize import clean_line, key

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_HEADING_KEYS = tuple(key(s.heading) for s in form.SECTIONS)


def decode(data: bytes, path: str = "") -> str:
    """Bytes of a text file as str: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if not data.strip():
        raise UnreadableError("文件是空的，没有可导入的报告内容", path=path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UnreadableError("不是文本文件（无法按 UTF-8 或 GB18030 解码），无法导入", path=path)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    if "\x00" in text or controls > max(3, len(text) // 100):
        raise UnreadableError("不是文本文件（含有二进制内容），无法导入", path=path)
    return text


def _pipe_cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells = re.split(r"(?<!\\)\|", body)
    return [clean_line(c.replace("\\|", "|")) for c in cells]


def _one_line_body(line: str) -> bool:
    k = key(line)
    return sum(1 for h in _HEADING_KEYS if h in k) >= 2


def text_items(text: str) -> list[Item]:
    items: list[Item] = []
    cells: list[str] | None = None
    table = 0
    in_pipe = False

    def end_row() -> None:
        nonlocal cells
        if cells is not None:
            items.append(Row(cells, table))
            cells = None

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    few_lines = sum(1 for x in lines if x.strip()) <= 3
    for raw in lines:
        stripped = raw.strip()
        if stripped.startswith("|"):
            end_row()
            if not in_pipe:
                table += 1
                in_pipe = True
            if not _SEPARATOR.match(stripped):
                items.append(Row(_pipe_cells(stripped), table))
            continue
        in_pipe = False
        if raw.startswith("\t") and "\t" not in raw.strip():
            if cells is None:
                if not items or not isinstance(items[-1], Row):
                    table += 1
                cells = []
            cells.append(clean_line(raw))
            continue
        if not stripped:
            end_row()
            continue
        end_row()
        parts = [p for p in raw.split("\t")]
        if len([p for p in parts if p.strip()]) >= 2:
            if not items or not isinstance(items[-1], Row):
                table += 1
            items.append(Row([clean_line(p) for p in parts], table))
            continue
        line = clean_line(raw)
        if _one_line_body(line) or (few_lines and len(line) > 300 and line.count(" ") >= 20):
            items.extend(Line(w) for w in line.split())
        else:
            items.append(Line(line))
    end_row()
    return items
