"""帮助: the clerks' part of the README as a local HTML page.

The README is the one place the buttons are explained; the help button shows
its clerks' part (everything before the developers' section) rendered with
markdown-it, with pictures resolved next to the README.
"""

from __future__ import annotations

import html
import importlib.metadata
import tempfile
from pathlib import Path

from markdown_it import MarkdownIt

from ..atomic import write_text_atomic

DEVELOPERS_HEADING = "## 开发者"


def readme_path() -> Path | None:
    """The README beside the source tree (editable installs and checkouts)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "README.md"
        if candidate.is_file() and (parent / "pyproject.toml").is_file():
            return candidate
    return None


def readme_text() -> tuple[str, Path | None]:
    path = readme_path()
    if path is not None:
        return path.read_text(encoding="utf-8"), path.parent
    meta = importlib.metadata.metadata("gxexcel")
    return (meta.get_payload() or meta.get("Description") or ""), None


def clerks_part(text: str) -> str:
    """Everything before the developers' section."""
    head, _, _ = text.partition(DEVELOPERS_HEADING)
    return head.strip() + "\n"


def help_html() -> str:
    text, base = readme_text()
    body = MarkdownIt("commonmark").enable("table").render(clerks_part(text))
    base_tag = f'<base href="{html.escape(base.as_uri())}/">' if base else ""
    return (
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        f"{base_tag}<title>政务公开年报 帮助</title>"
        "<style>body{font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif;"
        "max-width:52em;margin:2em auto;line-height:1.7;padding:0 1em}img{max-width:100%}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em}</style>"
        f"</head><body>\n{body}</body></html>\n"
    )


def write_help_page(folder: str | Path | None = None) -> Path:
    target = Path(folder or tempfile.gettempdir()) / "gxexcel-帮助.html"
    write_text_atomic(target, help_html())
    return target
