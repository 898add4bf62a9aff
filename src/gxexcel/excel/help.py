"""帮助: the clerks' part of the README as a local HTML page.

The README is the one place the buttons are explained; the help button shows
its clerks' part (everything before the developers' section) rendered with
markdown-it, with pictures resolved next to the README and headings carrying
GitHub's ids (mdit-py-plugins' anchors), so the links to sections work.
"""

from __future__ import annotations

import importlib.metadata
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

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
    # headings get the ids GitHub gives them, so the README's links to its sections work here too
    md = MarkdownIt("commonmark").enable("table").use(anchors_plugin, min_level=1, max_level=6)
    tokens = md.parse(clerks_part(text))
    if base is not None:
        _resolve_against(tokens, base.as_uri() + "/")
    body = md.renderer.render(tokens, md.options, {})
    return (
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
        "<title>政务公开年报 帮助</title>"
        "<style>body{font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',sans-serif;"
        "max-width:52em;margin:2em auto;line-height:1.7;padding:0 1em}img{max-width:100%}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .5em}</style>"
        f"</head><body>\n{body}</body></html>\n"
    )


def _resolve_against(tokens: list[Token], base: str) -> None:
    """Pictures and links relative to the README point into its folder; links to a section
    (``#…``) stay in the page (a ``<base>`` element would send them to the folder instead)."""
    for token in tokens:
        if token.children:
            _resolve_against(token.children, base)
        name = {"image": "src", "link_open": "href"}.get(token.type)
        target = str(token.attrGet(name) or "") if name else ""
        if target and not target.startswith("#") and not urlsplit(target).scheme:
            token.attrSet(name, urljoin(base, target))


def write_help_page(folder: str | Path | None = None) -> Path:
    target = Path(folder or tempfile.gettempdir()) / "gxexcel-帮助.html"
    write_text_atomic(target, help_html())
    return target
