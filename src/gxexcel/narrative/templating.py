"""The Jinja2 environment for narrative and page templates, with the county's override folder.

Templates ship in the package (``gxexcel/templates``). A county office can copy any of
them into a folder of its own, change the wording, and point gxexcel at the folder
with ``--templates DIR`` or the ``GXEXCEL_TEMPLATES`` environment variable: a file found
there wins over the bundled one of the same name (``narrative/s1_active.j2`` …).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape

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
