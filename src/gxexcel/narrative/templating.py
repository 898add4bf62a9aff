"""The Jinja2 environment for narrative and page templates, with the county's override folder.

Templates ship in the package (``gxexcel/templates``). A county office can copy any of
them into a folder of its own, change the wording, and point gxexcel at the folder
with ``--templates DIR`` or the ``GXEXCEL_TEMPLATES`` environment variable: a file found
there wins over the bundled one of the same name (``narrative/s1_active.j2`` …).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
    select_autoescape,
)

from ..errors import GxError

ENV_VAR = "GXEXCEL_TEMPLATES"


def template_dirs(override: str | os.PathLike[str] | None = None) -> list[Path]:
    """Override folders in priority order: the explicit one, then ``GXEXCEL_TEMPLATES``."""
    dirs = []
    for value in (override, os.environ.get(ENV_VAR)):
        if value:
            path = Path(value)
            if not path.is_dir():
                raise GxError(f"模板目录“{path}”不存在或不是文件夹")
            dirs.append(path)
    return dirs


def copy_bundled(folder: str | os.PathLike[str]) -> list[Path]:
    """Copy the bundled templates into ``folder`` (keeping sub-folders) for a county office to edit.
    Files already there are left alone."""
    from importlib import resources

    root = resources.files("gxexcel").joinpath("templates")
    written: list[Path] = []
    for sub in ("narrative", "publish"):
        for entry in root.joinpath(sub).iterdir():
            if not entry.name.endswith(".j2"):
                continue
            target = Path(folder) / sub / entry.name
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(entry.read_text(encoding="utf-8"), encoding="utf-8")
            written.append(target)
    return written


def environment(override: str | os.PathLike[str] | None = None) -> Environment:
    """The environment for the override folders in force now (cached: compiling templates
    is the slow part; edited template files are reloaded, Jinja2 checks their mtime)."""
    return _environment(tuple(str(d) for d in template_dirs(override)))


@lru_cache(maxsize=16)
def _environment(dirs: tuple[str, ...]) -> Environment:
    loaders = [FileSystemLoader(list(dirs))]
    loaders.append(PackageLoader("gxexcel", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    return env


def template_problem(name: str, exc: TemplateError) -> str:
    """What is wrong with a county's edited template, in Chinese (Jinja's own text is English)."""
    kind = "网页模板" if name.startswith("publish/") else "正文模板"
    if isinstance(exc, TemplateSyntaxError):
        return (f"{kind}“{exc.name or name}”第{exc.lineno}行有误：写法不完整，请检查该行及其前后的"
                "“{{ … }}”“{% … %}”是否完整、成对。")
    if isinstance(exc, UndefinedError):
        found = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", str(exc))
        what = (found.group(1) or found.group(2)) if found else ""
        named = f"“{what}”" if what.isascii() and what.isidentifier() else ""
        return (f"{kind}“{name}”有误：使用了不存在的变量{named}；可用的变量见 README"
                "“县级统一措辞（自定义模板）”一节和 gxexcel spec。")
    return f"{kind}“{name}”有误，无法使用；请对照内置模板（gxexcel narrate --copy-templates）改正。"
