"""Find every input of a consolidation: folders (recursively), zip files, single files.

Zip archives are read in memory: members are never extracted to a path taken
from the archive. Every file found is returned, readable or not, so that the
报送情况 sheet can account for each one.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Iterable

from ..errors import GxError
from ..safety import ARCHIVE_LIMITS, WORKBOOK_NAMES, display_path, inspect_bytes, inspect_file

#: Read as workbooks, by content (gxexcel.safety refuses .xls and .xlsb with the advice validate gives).
WORKBOOK_SUFFIXES = WORKBOOK_NAMES
#: Published reports: what ``gxexcel import`` reads (importer.SUFFIXES) and the .doc it reads
#: when it holds a web page or a .docx (a test keeps the two lists the same).
PUBLISHED_SUFFIXES = frozenset({".txt", ".text", ".md", ".html", ".htm", ".shtml", ".xhtml", ".mht", ".mhtml", ".docx", ".doc"})
#: The published reports above as the clerk is told about them (help texts and messages).
PUBLISHED_KINDS = "纯文本 .txt、网页 .html/.htm/.shtml/.mht、Word .docx/.doc"
ARCHIVE_SUFFIXES = frozenset({".zip"})
#: Separator between an archive and a member in the displayed name.
MEMBER_SEP = "!/"


@dataclass(frozen=True)
class InputFile:
    """One file to consolidate: a file on disk, or a member of a zip on disk."""

    display: str  # how the file is named to the user
    path: str  # the file on disk (the outermost archive for members)
    members: tuple[str, ...] = ()  # member names, outermost archive first
    mtime: float = 0.0  # modification time (seconds since the epoch)
    problem: str = ""  # why it cannot be read, found while collecting

    @property
    def suffix(self) -> str:
        name = self.members[-1] if self.members else self.path
        return PurePosixPath(name).suffix.lower()

    @property
    def name(self) -> str:
        return PurePosixPath(self.members[-1] if self.members else self.path).name

    def read_bytes(self) -> bytes:
        """The file's content; archive members are read in memory."""
        if not self.members:
            return Path(self.path).read_bytes()
        data = Path(self.path).read_bytes()
        for member in self.members:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                data = zf.read(member)
        return data


def collect(paths: Iterable[str | os.PathLike[str]], *, exclude: Iterable[str | os.PathLike[str]] = (),
            skipped: dict[str, tuple[Path, bool]] | None = None) -> list[InputFile]:
    """Every file under ``paths``, sorted by displayed name, duplicates of the same path removed.

    ``exclude`` names files never to take as input (the output being written); those that were
    found are put in ``skipped`` (by real path: the file as found, and whether in a folder).
    A path that does not exist raises :class:`GxError`.
    """
    skip = {os.path.realpath(p) for p in exclude}
    found: dict[tuple[str, tuple[str, ...]], InputFile] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise GxError("输入的文件或文件夹不存在。", path=str(path))
        for file in files_under(path):
            if os.path.realpath(file) in skip:
                if skipped is not None:
                    real = os.path.realpath(file)
                    skipped[real] = (file, skipped.get(real, (file, False))[1] or path.is_dir())
                continue
            for item in _expand(file):
                # the same file reached twice (a folder and a file in it, ./a and a) is one input,
                # shown under the smallest of its names whatever the order of the arguments
                key = (os.path.realpath(item.path), item.members)
                if key not in found or item.display < found[key].display:
                    found[key] = item
    return sorted(found.values(), key=lambda i: i.display)


def files_under(path: Path) -> list[Path]:
    """``path`` itself, or for a folder every file under it, sorted; Excel's lock files and our
    own unfinished writes left out, and entries that cannot even be looked up (a link into a
    place this user may not enter) skipped: they are no report, and must not stop the run."""
    if not path.is_dir():
        return [] if is_temporary(path.name) else [path]
    return sorted(p for p in path.rglob("*") if not is_temporary(p.name) and _is_file(p))


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def is_temporary(name: str) -> bool:
    """Excel lock files (~$x.xlsx) and our own unfinished atomic writes (.~x-…)."""
    return name.startswith("~$") or name.startswith(".~")


def _expand(file: Path) -> list[InputFile]:
    mtime = file.stat().st_mtime
    display = display_path(file)  # GBK file names from Windows USB sticks shown readably, never as surrogates
    if file.suffix.lower() not in ARCHIVE_SUFFIXES:
        return [InputFile(display, str(file), (), mtime)]
    try:
        inspect_file(file, limits=ARCHIVE_LIMITS)  # size, bombs, odd member names: before any member is read
        data = file.read_bytes()
        return _members(str(file), display, (), data)
    except GxError as exc:
        return [InputFile(display, str(file), (), mtime, f"压缩文件已损坏或加密，或不安全，无法打开（{exc.message}）")]
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
        return [InputFile(display, str(file), (), mtime, f"压缩文件已损坏或加密，无法打开（{exc}）")]


def _members(path: str, display: str, parents: tuple[str, ...], data: bytes) -> list[InputFile]:
    out: list[InputFile] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in sorted(zf.infolist(), key=lambda i: i.filename):
            if info.is_dir() or is_temporary(PurePosixPath(info.filename).name):
                continue
            name = _member_name(info)
            members = parents + (info.filename,)
            shown = f"{display}{MEMBER_SEP}{name}"
            mtime = _zip_time(info)
            if PurePosixPath(info.filename).suffix.lower() in ARCHIVE_SUFFIXES:
                try:
                    nested = zf.read(info)
                    inspect_bytes(nested, name=shown, limits=ARCHIVE_LIMITS)
                    out.extend(_members(path, shown, members, nested))
                except GxError as exc:
                    out.append(InputFile(shown, path, members, mtime, f"压缩文件已损坏或加密，或不安全，无法打开（{exc.message}）"))
                except (zipfile.BadZipFile, RuntimeError, ValueError) as exc:
                    out.append(InputFile(shown, path, members, mtime, f"压缩文件已损坏或加密，无法打开（{exc}）"))
                continue
            problem = "文件已加密，无法读取" if info.flag_bits & 0x1 else ""
            out.append(InputFile(shown, path, members, mtime, problem))
    return out


def _member_name(info: zipfile.ZipInfo) -> str:
    """Member names without the UTF-8 flag: UTF-8 from macOS Finder and Info-ZIP, GBK from
    Chinese Windows (GBK text is practically never valid UTF-8, so UTF-8 is tried first)."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _zip_time(info: zipfile.ZipInfo) -> float:
    try:
        return datetime(*info.date_time).timestamp()
    except ValueError:
        return 0.0
