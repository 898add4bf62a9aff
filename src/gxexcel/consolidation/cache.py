"""A cache of read-and-validated units keyed by file content, so that merging again after a
late submission only reads the new and changed files.

An entry is the unit as JSON after a line with its SHA-256 (a damaged entry is read again),
stored under the SHA-256 of the file's bytes in a folder
named after a fingerprint of gxexcel's own source code: any change to the reader or the
rules starts a fresh folder, so a cached result is always what reading the file now
would give. Only content-derived fields are stored; the file's name and time come from
the input each time.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, fields, replace
from functools import cache
from pathlib import Path

from ..atomic import write_text_atomic
from ..errors import GxError
from .units import Unit

_PER_INPUT = {"file", "mtime", "via"}


def default_folder() -> Path:
    base = os.environ.get("GXEXCEL_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "gxexcel")
    return Path(base) / "merge"


@cache
def code_fingerprint() -> str:
    """SHA-256 over gxexcel's Python sources and bundled data (paths and contents)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".py", ".txt", ".json", ".csv"}):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _entry(folder: Path, sha256: str) -> Path:
    return folder / code_fingerprint() / sha256[:2] / f"{sha256}.json"


def load(folder: Path, sha256: str, *, file: str, mtime: float) -> list[Unit] | None:
    """The cached units, or None when there is no entry or it is damaged (truncated, zeroed, a
    figure changed by a bad sector): an entry whose checksum does not match is read again."""
    try:
        digest, _, text = _entry(folder, sha256).read_text(encoding="utf-8").partition("\n")
        if digest != _checksum(text):
            return None
        return [_unit(d, file, mtime) for d in json.loads(text)]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def store(folder: Path, sha256: str, units: list[Unit]) -> None:
    if not units or any(u.via for u in units):
        return  # consolidations keep their source names per row: not cached
    data = [{k: v for k, v in asdict(u).items() if k not in _PER_INPUT} for u in units]
    try:
        text = json.dumps(data, ensure_ascii=False)
        write_text_atomic(_entry(folder, sha256), _checksum(text) + "\n" + text)
    except (OSError, GxError):  # atomic writes say why in a GxError (no room, a file in the way)
        pass  # a cache that cannot be written is no cache, not an error (not a file 无法读取)


def _checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_TUPLES = {f.name for f in fields(Unit) if str(f.type).startswith("tuple")}


def _unit(data: dict, file: str, mtime: float) -> Unit:
    values = {k: (tuple(tuple(x) if isinstance(x, list) else x for x in v) if k in _TUPLES else v)
              for k, v in data.items()}
    return replace(Unit(file=file), **values, mtime=mtime)
