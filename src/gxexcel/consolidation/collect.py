"""Find every input of a consolidation: folders (recursively), zip and 7z archives, single files.

Archives are read in memory, one reader per kind (:data:`READERS`, the kind told by the
content, not the name): members are never extracted to a path taken from the archive.
A RAR archive is not opened: it is listed with advice (:data:`~gxexcel.safety.RAR_ADVICE`).
Every file found is returned, readable or not, so that the 报送情况 sheet can account for each one.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Iterable

from ..errors import GxError
from ..safety import (ARCHIVE_LIMITS, ARCHIVE_NAMES, NOT_REGULAR, RAR_ADVICE, SPLIT_ADVICE, SPLIT_VOLUME, WORKBOOK_NAMES,
                      archive_kind, display_path, inspect_bytes, inspect_file)

#: Read as workbooks, by content (gxexcel.safety refuses .xls and .xlsb with the advice validate gives).
WORKBOOK_SUFFIXES = WORKBOOK_NAMES
#: Published reports: what ``gxexcel import`` reads (importer.SUFFIXES) and the .doc it reads
#: when it holds a web page or a .docx (a test keeps the two lists the same).
PUBLISHED_SUFFIXES = frozenset({".txt", ".text", ".md", ".html", ".htm", ".shtml", ".xhtml", ".mht", ".mhtml", ".docx", ".doc"})
#: The published reports above as the clerk is told about them (help texts and messages).
PUBLISHED_KINDS = "纯文本 .txt、网页 .html/.htm/.shtml/.mht、Word .docx/.doc"
#: Names of archives; what an archive is, is told by its content (a zip renamed .rar is read as a zip).
ARCHIVE_SUFFIXES = ARCHIVE_NAMES
#: Separator between an archive and a member in the displayed name.
MEMBER_SEP = "!/"


@dataclass(frozen=True)
class InputFile:
    """One file to consolidate: a file on disk, or a member of an archive on disk."""

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
        """The file's content; archive members are read in memory. A file that is no longer
        a file (deleted, replaced by a folder) or never was one (a named pipe, a device: reading
        would wait or run forever) raises :class:`GxError` saying so in Chinese."""
        if not self.members:
            return _read_regular(self.path)
        data = None  # the archive on disk is read only when it is not open already
        for depth, member in enumerate(self.members):
            try:
                data = _open_reader(self.path, self.members[:depth], data).read(member)
            except (OSError, GxError):  # unreadable, or gone (said in Chinese)
                raise
            except Exception as exc:  # the archive changed since it was listed, or is damaged
                raise DamagedMember(member, exc) from exc
        return data


#: A file listed when the merge started that is no longer there, or is now a folder.
GONE = "文件已被删除或移走（汇总开始后、读取之前），未能读取。"
NOW_FOLDER = "这是一个文件夹，不是文件（汇总开始后被换成了文件夹）。"


def _stat_regular(path: str) -> os.stat_result:
    """``os.stat`` of a file still there and still a regular file, else :class:`GxError`."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise GxError(GONE, path=path) from None
    if stat.S_ISDIR(st.st_mode):
        raise GxError(NOW_FOLDER, path=path)
    if not stat.S_ISREG(st.st_mode):
        raise GxError(NOT_REGULAR, path=path)
    return st


def _read_regular(path: str) -> bytes:
    _stat_regular(path)
    try:  # it may still go between the look and the read
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise GxError(GONE, path=path) from None
    except IsADirectoryError:
        raise GxError(NOW_FOLDER, path=path) from None


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
        if not path.exists() and not _broken_link(path):
            raise GxError("输入的文件或文件夹不存在。", path=str(path))
        unlisted: list[tuple[Path, OSError]] = []
        for file in files_under(path, unlisted):
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
        for place, exc in unlisted:  # a folder that cannot be opened: its files are not lost unsaid
            found.setdefault((str(place), ("",)), InputFile(display_path(place), str(place), (), 0.0, _unlisted(exc)))
    return sorted(found.values(), key=lambda i: i.display)


def files_under(path: Path, unlisted: list[tuple[Path, OSError]] | None = None) -> list[Path]:
    """``path`` itself, or for a folder every file under it, sorted; Excel's lock files and our
    own unfinished writes left out, and entries that cannot even be looked up (a link into a
    place this user may not enter) skipped: they are no report, and must not stop the run.
    Folders that cannot be opened (no permission, nested past the longest path the system
    allows) and files too deep to reach are put in ``unlisted`` with the reason."""
    if not path.is_dir():
        return [] if is_temporary(path.name) else [path]
    found: list[Path] = []

    def cannot_open(exc: OSError) -> None:
        if unlisted is not None and exc.filename is not None:
            unlisted.append((Path(os.fsdecode(exc.filename)), exc))

    for top, _dirs, names in os.walk(path, onerror=cannot_open):  # symlinked folders not entered, as rglob
        for name in names:
            file = Path(top) / name
            if is_temporary(name):
                continue
            try:
                if file.is_file() or _broken_link(file) or _special(file):
                    found.append(file)
            except OSError as exc:
                if exc.errno == errno.ENAMETOOLONG:
                    cannot_open(exc)
    return sorted(found)


#: Names that a submission may have: a link of such a name leading nowhere is listed, not left out.
REPORT_SUFFIXES = WORKBOOK_SUFFIXES | PUBLISHED_SUFFIXES | ARCHIVE_SUFFIXES | {".csv", ".pdf"}


def _broken_link(path: Path) -> bool:
    """A symbolic link named like a submission whose target is gone or which leads back to itself."""
    if path.suffix.lower() not in REPORT_SUFFIXES or not path.is_symlink():
        return False
    try:
        path.stat()
    except OSError as exc:
        return exc.errno in (errno.ENOENT, errno.ELOOP, errno.ENOTDIR)
    return False


def _special(path: Path) -> bool:
    """A pipe, socket or device named like a submission (管道.xlsx): listed as 无法读取 (its
    reason is given before it is opened, see :func:`_expand`), not silently left out."""
    if path.suffix.lower() not in REPORT_SUFFIXES:
        return False
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _link_problem(exc: OSError) -> str:
    """Why a file reached through a symbolic link (a shortcut) cannot be read."""
    if exc.errno == errno.ELOOP:
        return "这是一个链接（快捷方式），链接循环（指向自身或互相指向），找不到实际的文件，未能读取；请报送单位重新发送该文件。"
    return "这是一个链接（快捷方式），链接指向的文件不存在（可能已被删除或移走），未能读取；请找到原文件放入文件夹后重新汇总。"


def _unlisted(exc: OSError) -> str:
    """Why a folder (or a file deep in one) under an input folder could not be opened."""
    if exc.errno == errno.ENAMETOOLONG:
        return "路径太长（文件夹层级太深或名称太长，超过了系统允许的长度），其中的文件无法读取；请把它移到层级较浅的位置后重新汇总。"
    if isinstance(exc, PermissionError):
        return "没有权限打开该文件夹，其中的文件未能读取；请检查文件夹的权限后重新汇总。"
    return f"无法打开该文件夹（{exc.strerror or exc}），其中的文件未能读取。"


def is_temporary(name: str) -> bool:
    """Excel lock files (~$x.xlsx) and our own unfinished atomic writes (.~x-…)."""
    return name.startswith("~$") or name.startswith(".~")


def _expand(file: Path) -> list[InputFile]:
    display = display_path(file)  # GBK file names from Windows USB sticks shown readably, never as surrogates
    try:
        st = file.stat()
    except OSError as exc:  # gone since the folder was listed: said when it is read
        if file.is_symlink() and exc.errno in (errno.ENOENT, errno.ELOOP, errno.ENOTDIR):
            return [InputFile(display, str(file), (), 0.0, _link_problem(exc))]
        return [InputFile(display, str(file))]
    mtime = st.st_mtime
    if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):  # opening a pipe would wait forever
        return [InputFile(display, str(file), (), mtime, NOT_REGULAR)]
    if SPLIT_VOLUME.search(file.name):
        return [InputFile(display, str(file), (), mtime, SPLIT_ADVICE)]
    if file.suffix.lower() not in ARCHIVE_SUFFIXES:
        return [InputFile(display, str(file), (), mtime)]
    try:
        with file.open("rb") as fh:
            kind = archive_kind(fh.read(8))
        if kind == "rar":
            return [InputFile(display, str(file), (), mtime, RAR_ADVICE)]
        inspect_file(file, limits=ARCHIVE_LIMITS)  # size, bombs, odd member names: before any member is read
        return _members(str(file), display, (), file.read_bytes()) or [InputFile(display, str(file), (), mtime, EMPTY)]
    except GxError as exc:
        return [InputFile(display, str(file), (), mtime, f"{UNSAFE}：{exc.message}")]
    except ARCHIVE_ERRORS as exc:
        return [InputFile(display, str(file), (), mtime, f"{BROKEN}（{exc}）")]


#: Why an archive or a nested archive cannot be read.
UNSAFE = "压缩包无法打开"  # followed by what the inspection found: damaged, encrypted, too large, odd names
BROKEN = "压缩文件已损坏或加密，无法打开"
#: An archive with no file in it (only folders, or nothing): listed, so that the office sees it came.
EMPTY = "压缩包中没有文件，请报送单位重新打包发送（应包含 .xlsx 报表或汇总结果）"


def _members(path: str, display: str, parents: tuple[str, ...], data: bytes) -> list[InputFile]:
    out: list[InputFile] = []
    reader = open_archive(data)
    for member in reader.members():
        if is_temporary(PurePosixPath(member.key).name):
            continue
        members = parents + (member.key,)
        shown = f"{display}{MEMBER_SEP}{member.name}"
        if PurePosixPath(member.key).suffix.lower() in ARCHIVE_SUFFIXES and not member.encrypted:
            try:
                nested = reader.read(member.key)
                if archive_kind(nested) == "rar":
                    out.append(InputFile(shown, path, members, member.mtime, RAR_ADVICE))
                    continue
                inspect_bytes(nested, name=shown, limits=ARCHIVE_LIMITS)
                out.extend(_members(path, shown, members, nested) or [InputFile(shown, path, members, member.mtime, EMPTY)])
            except GxError as exc:
                out.append(InputFile(shown, path, members, member.mtime, f"{UNSAFE}：{exc.message}"))
            except ARCHIVE_ERRORS as exc:
                out.append(InputFile(shown, path, members, member.mtime, f"{BROKEN}（{exc}）"))
            continue
        problem = "文件已加密，无法读取" if member.encrypted else ""
        out.append(InputFile(shown, path, members, member.mtime, problem))
    return out


@dataclass(frozen=True)
class Member:
    """A file in an archive: ``key`` as stored (to read it), ``name`` as shown."""

    key: str
    name: str
    mtime: float
    encrypted: bool = False


class ZipReader:
    """A zip archive in memory."""

    def __init__(self, data: bytes) -> None:
        self.archive = zipfile.ZipFile(io.BytesIO(data))

    def members(self) -> list[Member]:
        return [Member(i.filename, _member_name(i), _zip_time(i), bool(i.flag_bits & 0x1))
                for i in sorted(self.archive.infolist(), key=lambda i: i.filename) if not i.is_dir()]

    def read(self, key: str) -> bytes:
        try:
            return self.archive.read(key)
        except Exception as exc:  # a bad CRC, a damaged deflate stream, an unknown method
            raise DamagedMember(key, exc) from exc


class SevenZipReader:
    """A 7z archive in memory (py7zr). Its members are decompressed into memory all in one
    pass on the first read (a solid archive is decompressed from its start whichever member
    is read), each bounded by the size the header declares; nothing is written to disk."""

    def __init__(self, data: bytes) -> None:
        import py7zr

        self.data = data
        with py7zr.SevenZipFile(io.BytesIO(data)) as archive:
            self.files = [f for f in archive.files if not f.is_directory]
        self.contents: dict[str, bytes] | None = None

    def members(self) -> list[Member]:
        return [Member(f.filename, f.filename, _seven_zip_time(f)) for f in sorted(self.files, key=lambda f: f.filename)]

    def read(self, key: str) -> bytes:
        sizes = {f.filename: f.uncompressed or 0 for f in self.files}
        if self.contents is None:
            try:
                self.contents = _seven_zip_contents(self.data, sizes)
            except Exception:  # a damaged member: the others are still read, one by one
                self.contents = {}
        if key not in self.contents:
            try:
                self.contents.update(_seven_zip_contents(self.data, {key: sizes[key]}))
            except Exception as exc:  # a bad CRC, damaged LZMA data, an unsupported method
                raise DamagedMember(key, exc) from exc
        return self.contents[key]


class DamagedMember(OSError):
    """A member whose bytes cannot be decompressed, though the archive's directory is sound."""

    def __init__(self, key: str, exc: Exception) -> None:
        super().__init__(f"压缩包内的“{key}”已损坏，无法解压（{type(exc).__name__}: {exc}），请报送单位重新发送")


#: The reader of each kind of archive (``safety.archive_kind``); a RAR is never opened.
READERS: dict[str, type[ZipReader] | type[SevenZipReader]] = {"zip": ZipReader, "7z": SevenZipReader}
#: What a damaged archive raises while it is read (besides GxError from the safety check).
ARCHIVE_ERRORS: tuple[type[BaseException], ...] = (zipfile.BadZipFile, OSError, RuntimeError, ValueError, KeyError,
                                                   EOFError)


def open_archive(data: bytes) -> ZipReader | SevenZipReader:
    """The reader for an archive held in memory, chosen by its content; ValueError for anything else."""
    kind = archive_kind(data)
    if kind not in READERS:
        raise ValueError(RAR_ADVICE if kind == "rar" else "不是 zip 或 7z 压缩包")
    try:
        return READERS[kind](data)
    except ARCHIVE_ERRORS:
        raise
    except Exception as exc:  # py7zr's own errors for damaged or encrypted archives
        raise ValueError(str(exc) or type(exc).__name__) from exc


#: The archives open in this process (the one on disk and those nested in it, by the members
#: leading to them), with the modification time and size of the file on disk when it was read.
#: The members of one archive are read one after another (sorted by name, in the same worker's
#: chunk): the archive is read and its directory parsed once, and a 7z decompressed once.
_OPEN: dict[tuple[str, tuple[str, ...]], tuple[tuple[int, int], ZipReader | SevenZipReader]] = {}


def close_archives() -> None:
    """Forget the archives kept open (at the end of a merge: a long-lived process, such as the
    add-in's, must not hold them)."""
    _OPEN.clear()


def _open_reader(path: str, parents: tuple[str, ...], data: bytes | None) -> ZipReader | SevenZipReader:
    """The reader of the archive ``path`` (``parents`` empty, ``data`` None: read from disk) or of
    one nested in it (``data``: its bytes), kept open while members of the same file are read."""
    st = _stat_regular(path)  # the archive may be gone since it was listed
    stamp = (st.st_mtime_ns, st.st_size)
    hit = _OPEN.get((path, parents))
    if hit is not None and hit[0] == stamp:
        return hit[1]
    if any(opened != path for opened, _ in _OPEN):
        _OPEN.clear()  # one file's archives at a time: memory stays bounded by the archive limits
    reader = open_archive(_read_regular(path) if data is None else data)
    _OPEN[(path, parents)] = (stamp, reader)
    return reader


class _Collected:
    """py7zr's writer of one member into memory, refusing more bytes than the header declared
    (py7zr stops at that size itself; this makes sure)."""

    def __init__(self, limit: int) -> None:
        self.buffer, self.limit = io.BytesIO(), limit

    def write(self, data: bytes | bytearray) -> int:
        if self.buffer.tell() + len(data) > self.limit:
            raise ValueError("7z 压缩包内的文件比其目录声明的更大，文件可能被篡改")
        return self.buffer.write(data)

    def read(self, size: int | None = None) -> bytes:
        return self.buffer.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.buffer.seek(offset, whence)

    def flush(self) -> None:
        pass

    def size(self) -> int:
        return self.buffer.getbuffer().nbytes

    def close(self) -> None:
        pass


def _seven_zip_contents(data: bytes, sizes: dict[str, int]) -> dict[str, bytes]:
    """The files named in ``sizes`` (stored name -> declared size) of a 7z archive, decompressed in memory."""
    import py7zr
    from py7zr.helpers import get_sanitized_output_path
    from py7zr.io import Py7zIO, WriterFactory

    # py7zr names what it makes by the member's normalised name; names that cannot be normalised
    # (``..``, absolute) were refused by the safety check before anything is read
    keys = {name: get_sanitized_output_path(name, None).as_posix() for name in sizes}
    limits = {keys[name]: size for name, size in sizes.items()}
    made: dict[str, _Collected] = {}

    class Factory(WriterFactory):
        def create(self, filename: str) -> Py7zIO:
            made[filename] = _Collected(limits.get(filename, 0))
            return made[filename]  # type: ignore[return-value]

    with py7zr.SevenZipFile(io.BytesIO(data), max_extract_size=ARCHIVE_LIMITS.max_uncompressed_bytes) as archive:
        archive.extract(targets=list(sizes), factory=Factory())
    return {name: made[key].buffer.getvalue() if key in made else b"" for name, key in keys.items()}


def _seven_zip_time(f) -> float:
    try:
        return f.lastwritetime.totimestamp() if f.lastwritetime is not None else 0.0
    except (ValueError, OverflowError, OSError):
        return 0.0


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
