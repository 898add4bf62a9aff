"""Write outputs atomically: to a temporary file beside the target, then move it in place."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import GxError


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces ``target``, on failure it is removed.

    An interrupted write never leaves a half-written file at ``target``.
    """
    target = Path(target)
    if _read_only(target):
        raise GxError("输出文件设为了只读，没有覆盖它。请取消文件的只读属性，或换一个输出文件名。", path=str(target))
    if _open_elsewhere(target):
        raise GxError(
            "文件正在 Excel、WPS、Word 或 LibreOffice 中打开，没有覆盖它。请先保存并关闭该文件，或换一个输出文件名"
            "（文件并未打开时，可删除同一文件夹中以“~$”或“.~lock.”开头、与它同名的临时文件）。",
            path=str(target),
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".~" + target.stem + "-", suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise _output_error(target, exc) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        try:
            yield tmp_path
        except Exception as exc:
            full = _no_room(exc)
            if full is None:
                raise
            raise _output_error(target, full) from None
        os.chmod(tmp_path, 0o666 & ~_umask())
        try:
            os.replace(tmp_path, target)
        except OSError as exc:
            raise _output_error(target, exc) from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _read_only(target: Path) -> bool:
    """An existing file marked read-only (no write permission bit for anyone): replacing it
    would succeed on Linux and macOS, as the folder is writable, but is not what its owner meant."""
    try:
        st = target.stat()
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and not st.st_mode & 0o222


def _open_elsewhere(target: Path) -> bool:
    """An existing output with an owner or lock file beside it: Excel's and WPS's ``~$<name>``,
    Word's ``~$`` over the first one or two characters of longer names, LibreOffice's
    ``.~lock.<name>#``. Only Windows refuses to replace a file open in Excel; on macOS and
    Linux the replacement would succeed and the clerk's next save would overwrite it."""
    if not target.is_file():
        return False
    name = target.name
    owners = {"~$" + name, "~$" + name[1:], "~$" + name[2:], f".~lock.{name}#"}
    return any((target.parent / owner).exists() for owner in owners if len(owner) > len("~$") + len(target.suffix))


#: Writes that fail because the output's disk, quota or file size limit has no room.
_NO_ROOM = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _no_room(exc: BaseException) -> OSError | None:
    """The OSError of a write that found no room, or None. lxml, which writes the sheets,
    reports it as ``SerialisationError: IO_EFBIG`` (``IO_ENOSPC``, …), not as an OSError."""
    if isinstance(exc, OSError):
        return exc if exc.errno in _NO_ROOM else None
    name = str(exc)
    if type(exc).__name__ == "SerialisationError" and name.startswith("IO_"):
        code = getattr(errno, name[3:], None)
        if code in _NO_ROOM:
            return OSError(code, os.strerror(code))
    return None


def _output_error(target: Path, exc: OSError) -> GxError:
    """Why an output cannot be written, in Chinese, naming the output file."""
    blocker = next((p for p in reversed(target.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        why = f"“{blocker}”是一个文件，不是文件夹，无法在其中写出文件，请换一个输出位置。"
    elif target.is_dir():
        why = "输出位置是一个已有的文件夹，请指定文件名。"
    elif exc.errno in _NO_ROOM:
        why = ("磁盘空间不足（或超过了磁盘配额、文件大小的限制），无法写出，原有的文件保持不变。"
               "请清理磁盘空间或换一个输出位置后重试。")
    elif exc.errno == errno.EROFS:
        why = "输出位置所在的磁盘是只读的（如设了写保护的 U 盘、光盘），无法写出，请换一个输出位置。"
    elif exc.errno == errno.ENAMETOOLONG:
        why = "文件名太长，磁盘上无法保存，请换一个短一些的文件名。"
    elif exc.errno == errno.ENOENT:
        why = "输出文件夹不存在（可能在写出时被删除、移走，或 U 盘已拔出），无法写出，请重新选择输出位置。"
    elif exc.errno == errno.EIO:
        why = "读写磁盘时出错（U 盘或网络盘可能已断开），无法写出，原有的文件保持不变。请检查磁盘后重试，或换一个输出位置。"
    elif isinstance(exc, PermissionError):
        why = "没有写入权限：文件可能正在 Excel（或 WPS）中打开，或所在文件夹是只读的。请关闭文件或换一个输出位置。"
    else:
        why = f"无法写出（{exc.strerror or exc}），请换一个输出位置。"
    return GxError(why, path=str(target))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(target: str | os.PathLike[str], text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
