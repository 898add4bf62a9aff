"""Look at a submitted file before anything parses it.

County offices receive workbooks by e-mail and USB stick; some are broken, some
are the wrong file and a few are hostile. :func:`inspect_file` finds out what
a file really is (whatever its extension says) and refuses, with a Chinese
message naming the file, anything that could hurt the machine or hang the
reader:

- not a regular file, unreadable (permissions), empty, or larger than
  :attr:`Limits.max_file_bytes`;
- a zip (xlsx/xlsm/docx) that is corrupt, has too many entries, too much
  uncompressed data or an entry compressed suspiciously well (zip bomb),
  encrypted entries, duplicate entries, or entry names that are absolute or
  contain ``..`` (such names are never used as disk paths anyway: nothing is
  ever extracted to disk);
- a 7z archive (a township's archive of submissions): the same bounds on its entries, as its
  header declares them (the ratio is that of the solid block an entry is in), and entries or
  names protected by a password; a RAR archive is recognised only, to say what to do with it;
- XML parts with a DOCTYPE or entity declaration (billion laughs, external
  entities); every XML part is streamed through defusedxml, nothing is expanded;
- worksheets whose used range is larger than :attr:`Limits.max_sheet_rows` ×
  :attr:`Limits.max_sheet_cols` (a million-row sheet, or one cell at XFD1048576).

VBA macros (``xl/vbaProject.bin``) are flagged in :attr:`FileInfo.has_macros`;
they are never run: gxexcel only reads cell values.

:func:`check_workbook` is what the workbook reader calls: it also refuses,
with a specific message, files that are not xlsx/xlsm (old .xls, encrypted
workbooks, PDF, text, Word documents, other archives).
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import re
import stat
import threading
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO, Literal

from defusedxml import DefusedXmlException
from lxml import etree

from .cellfacts import CellFacts, Formulas, column_of, last_column, range_size, row_number as number_of_row
from .errors import UnreadableError

Kind = Literal["xlsx", "xlsm", "xlsb", "xls", "encrypted", "docx", "zip", "7z", "rar", "ole", "pdf", "html", "text",
               "unknown"]

KIND_TEXT: dict[str, str] = {
    "xlsx": "Excel 工作簿（.xlsx）",
    "xlsm": "含宏的 Excel 工作簿（.xlsm）",
    "xlsb": "Excel 二进制工作簿（.xlsb）",
    "xls": "旧版 Excel 97-2003 工作簿（.xls）",
    "encrypted": "加密的 Office 文件",
    "docx": "Word 文档（.docx）",
    "zip": "压缩包",
    "7z": "7z 压缩包",
    "rar": "RAR 压缩包",
    "ole": "旧版 Office 文件",
    "pdf": "PDF 文件",
    "html": "网页（HTML）文件",
    "text": "文本文件",
    "unknown": "无法识别的文件",
}


@dataclass(frozen=True)
class Limits:
    """Every bound :func:`inspect_file` enforces (README section 安全与可靠性 lists them)."""

    #: Largest file accepted. A filled template is about 25 KB.
    max_file_bytes: int = 30 * 1024 * 1024
    #: Most entries in a zip or 7z archive (a filled template has 14).
    max_zip_entries: int = 500
    #: Largest total of declared uncompressed sizes of all entries.
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    #: Largest uncompressed size of one entry.
    max_entry_bytes: int = 100 * 1024 * 1024
    #: Highest compression ratio of one entry, checked for entries above ``ratio_floor_bytes``.
    max_compression_ratio: int = 200
    ratio_floor_bytes: int = 1024 * 1024
    #: Largest used range of one worksheet (our sheets use under 40 rows and 20 columns).
    max_sheet_rows: int = 20_000
    max_sheet_cols: int = 1_000


LIMITS = Limits()
#: For archives of submissions (a county's zip of workbooks): bigger and with more
#: entries, but each entry still bounded, so no member can inflate without limit.
ARCHIVE_LIMITS = Limits(max_file_bytes=500 * 1024 * 1024, max_zip_entries=10_000)


@dataclass
class FileInfo:
    path: str
    kind: Kind
    size: int
    sha256: str
    has_macros: bool = False
    #: Worksheet part name -> (rows, columns) of its used range (xlsx/xlsm only).
    sheet_sizes: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: Cells holding an error value (``#REF!`` …): (sheet name, A1 coordinate) -> the error.
    #: python-calamine reads them as blank; the worksheet scan sees them on the way.
    error_cells: dict[tuple[str, str], str] = field(default_factory=dict)
    #: Cells holding a formula: (sheet name, A1 coordinate) -> the formula as Excel shows
    #: it (``=SUM(D9:D10)``). python-calamine gives values only; the scan sees the formulas.
    formula_cells: Formulas = field(default_factory=Formulas)
    #: Ranges of array and data-table formulas: sheet name -> (first row, first column, last row,
    #: last column, formula). The formula is stored in the first cell only; Excel shows it in each.
    formula_ranges: dict[str, list[tuple[int, int, int, int, str]]] = field(default_factory=dict)

    def formula_at(self, sheet: str, coordinate: str) -> str | None:
        """The formula Excel shows in a cell (its own, or that of the array formula or data
        table it belongs to), None for a cell holding a value."""
        found = self.formula_cells.get((sheet, coordinate))
        if found is not None or sheet not in self.formula_ranges:
            return found
        row, col = range_size(coordinate)
        return next((formula for first_row, first_col, last_row, last_col, formula in self.formula_ranges[sheet]
                     if first_row <= row <= last_row and first_col <= col <= last_col), None)

    @property
    def is_workbook(self) -> bool:
        return self.kind in ("xlsx", "xlsm")

    @property
    def kind_text(self) -> str:
        return KIND_TEXT[self.kind]


def display_path(path: str | os.PathLike[str]) -> str:
    """The path as a person can read it, even when the file name is not valid UTF-8
    (e.g. GBK names from a Windows USB stick): such bytes are decoded as GB18030."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = os.fsencode(text)
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return raw.decode("utf-8", errors="replace")


def _fail(path: str | os.PathLike[str], message: str) -> UnreadableError:
    return UnreadableError(message, path=display_path(path))


# ---------------------------------------------------------------------------
# Reading the bytes
# ---------------------------------------------------------------------------


#: A pipe, socket or device where a file was expected: never opened (reading would wait or run forever).
NOT_REGULAR = "这不是普通文件（可能是设备或管道），已拒绝读取。"


def _read_bounded(path: str | os.PathLike[str], limits: Limits) -> bytes:
    """The file's bytes, read once, never opened for writing."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise _fail(path, "文件不存在。") from None
    except PermissionError:
        raise _fail(path, "没有权限访问该文件，请检查文件权限。") from None
    except OSError as exc:
        raise _fail(path, f"无法访问该文件（{exc.strerror or exc}）。") from None
    if stat.S_ISDIR(st.st_mode):
        raise _fail(path, "这是一个文件夹，不是文件。")
    if not stat.S_ISREG(st.st_mode):
        raise _fail(path, NOT_REGULAR)
    if st.st_size > limits.max_file_bytes:
        raise _fail(path, f"文件大小 {_mb(st.st_size)} 超过上限 {_mb(limits.max_file_bytes)}，已拒绝读取。")
    try:
        with open(path, "rb") as f:
            data = f.read(limits.max_file_bytes + 1)
    except PermissionError:
        raise _fail(path, "没有读取该文件的权限（文件可能被锁定或权限不足），请检查文件权限后重新报送。") from None
    except OSError as exc:
        raise _fail(path, f"读取文件失败（{exc.strerror or exc}）。") from None
    if len(data) > limits.max_file_bytes:
        raise _fail(path, f"文件大小超过上限 {_mb(limits.max_file_bytes)}，已拒绝读取。")
    if not data:
        raise _fail(path, "文件是空的（0 字节），可能拷贝或下载未完成。")
    return data


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


# ---------------------------------------------------------------------------
# What the file is
# ---------------------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"
#: RAR 1.5–4.x and RAR 5 archives.
RAR_MAGICS = (b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00")
#: What to do with a RAR archive: no library reads RAR without the unrar program, which a
#: county office's PC does not have. ``merge``, ``validate`` and ``import`` all say this.
RAR_ADVICE = ("这是 RAR 压缩包，gxexcel 无法打开 RAR 格式。请用电脑上的解压软件（如 WinRAR、7-Zip、360压缩、"
              "Bandizip）把它解压，将其中的 .xlsx 文件放入汇总文件夹；或请报送单位直接发送 .xlsx 文件，"
              "或改用 .zip、.7z 压缩包发送。")


#: File names of archives (what an archive is, its content says: a zip renamed .rar is a zip).
ARCHIVE_NAMES: frozenset[str] = frozenset({".zip", ".7z", ".rar"})


#: A volume of an archive split in pieces (7-Zip, WinRAR, 360压缩 “分卷”): 补报.7z.001, 补报.zip.002, 补报.z01.
SPLIT_VOLUME = re.compile(r"\.(?:7z|zip|rar)\.\d{3}$|\.z\d{2}$", re.IGNORECASE)
SPLIT_ADVICE = ("这是分卷压缩包的一部分，gxexcel 不能读取分卷压缩包。请把全部分卷放在同一个文件夹中，用解压软件"
                "（如 7-Zip、WinRAR、360压缩、Bandizip）解压，将其中的 .xlsx 文件放入汇总文件夹；或请报送单位不分卷，"
                "直接发送 .xlsx 文件或单个 .zip、.7z 压缩包。")


def archive_advice(kind: str) -> str:
    """What ``validate`` and ``import`` say of an archive given to them: a RAR gets
    :data:`RAR_ADVICE`, the text ``merge`` gives it; ``merge`` reads zip and 7z archives."""
    if kind == "rar":
        return RAR_ADVICE
    return (f"这是 {kind} 压缩包，不是报表文件。gxexcel merge 可以直接汇总 .zip、.7z 压缩包中的报表；"
            "校验或导入请先解压，再对其中的文件运行本命令。")


def check_not_archive(path: str | os.PathLike[str]) -> None:
    """Refuse with :func:`archive_advice` a file named as an archive or holding a 7z or RAR
    archive (an Office file under its own name is a zip and passes), and a split archive's
    volume with :data:`SPLIT_ADVICE`."""
    if SPLIT_VOLUME.search(os.fspath(path)):
        raise _fail(path, SPLIT_ADVICE)
    try:
        with open(path, "rb") as fh:
            kind = archive_kind(fh.read(8))
    except OSError:
        return  # the reader says why it cannot be read
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    if kind is None and suffix in ARCHIVE_NAMES:
        kind = "7z" if suffix == ".7z" else suffix[1:]  # damaged: its name says what it was
    if kind in ("7z", "rar") or (kind == "zip" and suffix in ARCHIVE_NAMES):
        raise _fail(path, archive_advice(kind))


def archive_kind(data: bytes) -> Literal["zip", "7z", "rar"] | None:
    """Which kind of archive ``data`` is by its first bytes, whatever the file is called
    (an Office file is a zip too: :func:`inspect_bytes` tells them apart)."""
    if data.startswith(ZIP_MAGICS):
        return "zip"
    if data.startswith(SEVEN_ZIP_MAGIC):
        return "7z"
    if data.startswith(RAR_MAGICS):
        return "rar"
    return None


_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<table|<meta)", re.I)


def inspect_file(path: str | os.PathLike[str], *, limits: Limits = LIMITS) -> FileInfo:
    """What ``path`` really is; raises :class:`UnreadableError` (Chinese) for files
    that are empty, unreadable, corrupt or hostile."""
    return inspect_bytes(_read_bounded(path, limits), name=path, limits=limits)


def inspect_bytes(data: bytes, *, name: str | os.PathLike[str], limits: Limits = LIMITS) -> FileInfo:
    """:func:`inspect_file` for content already in memory (an archive member);
    ``name`` is how messages name it."""
    if len(data) > limits.max_file_bytes:
        raise _fail(name, f"文件大小 {_mb(len(data))} 超过上限 {_mb(limits.max_file_bytes)}，已拒绝读取。")
    if not data:
        raise _fail(name, "文件是空的（0 字节），可能拷贝或下载未完成。")
    info = FileInfo(
        path=display_path(name), kind="unknown", size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )
    if data.startswith(ZIP_MAGICS):
        _inspect_zip(name, data, info, limits)
    elif data.startswith(SEVEN_ZIP_MAGIC):
        info.kind = "7z"
        _check_entries(name, seven_zip_entries(name, data), limits)
    elif data.startswith(RAR_MAGICS):
        info.kind = "rar"
    elif data.startswith(OLE_MAGIC):
        info.kind = _ole_kind(name, data)
    elif data.lstrip()[:5] == b"%PDF-":
        info.kind = "pdf"
    elif _HTML.match(data[:2048].lstrip(b"\xef\xbb\xbf")):
        info.kind = "html"
    elif _is_text(data):
        info.kind = "text"
    return info


def _is_text(data: bytes) -> bool:
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-16 with BOM
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 4:  # cut in the middle of a character
                return True
    return False


def _ole_kind(path: str | os.PathLike[str], data: bytes) -> Kind:
    import msoffcrypto
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, IndexError):
        raise _fail(path, "文件已损坏，无法识别（旧版 Office 文件结构不完整）。") from None
    try:
        streams = {"/".join(s).lower() for s in ole.listdir(streams=True, storages=True)}
    finally:
        ole.close()
    if "encryptedpackage" in streams or "encryptioninfo" in streams:
        return "encrypted"
    try:
        encrypted = msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()
    except Exception:  # msoffcrypto raises its own and generic errors for unknown layouts
        encrypted = False
    if encrypted:
        return "encrypted"
    if "workbook" in streams or "book" in streams:
        return "xls"
    return "ole"


def _inspect_zip(path: str | os.PathLike[str], data: bytes, info: FileInfo, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _fail(path, "文件已损坏（压缩结构不完整，可能下载或拷贝未完成）。") from None
    with archive:
        _check_entries(path, [Entry(e.filename, e.file_size, e.compress_size, bool(e.flag_bits & 0x1))
                              for e in entries], limits)
        names = {e.filename for e in entries}
        if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
            info.has_macros = any(n.lower().endswith("vbaproject.bin") for n in names)
            info.kind = "xlsm" if info.has_macros else "xlsx"
            if "xl/workbook.xml" not in names:
                info.kind = "xlsb"  # binary sheets: no XML to bound or check, whatever the file's name says
                return
        elif "word/document.xml" in names:
            info.kind = "docx"
            info.has_macros = any(n.lower().endswith("vbaproject.bin") for n in names)
        else:
            info.kind = "zip"
            return
        noted: dict[str, CellFacts] = {}
        naming: dict[str, bytes] = {}  # the parts that name the sheets, as the scan inflated them
        for entry in entries:
            if not entry.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            is_sheet = info.kind in ("xlsx", "xlsm") and entry.filename.startswith("xl/worksheets/")
            facts = CellFacts() if is_sheet else None
            size = _scan_xml(path, archive, entry, limits, full=is_sheet, facts=facts, keep=naming)
            if is_sheet:
                info.sheet_sizes[entry.filename] = size
            if facts and (facts.errors or facts.formulas):
                noted[entry.filename] = facts
        if noted:  # every part has passed the scan: the sheets' names can be read safely
            names = _sheet_names(archive, naming)
            for part, facts in noted.items():
                sheet = names.get(part, posixpath.basename(part))
                info.error_cells.update({(sheet, ref): value for ref, value in facts.errors.items()})
                info.formula_cells.add(sheet, facts)
                if facts.ranges:
                    info.formula_ranges.setdefault(sheet, []).extend(facts.ranges)


@dataclass(frozen=True)
class Entry:
    """One entry of an archive (zip or 7z) as its directory declares it."""

    filename: str
    file_size: int  # uncompressed
    compress_size: int  # compressed (for a 7z: of the solid block the entry is in)
    encrypted: bool


#: 7z's AES-256 coder: the entries of a block using it need a password.
_7Z_AES = b"\x06\xf1\x07\x01"


def seven_zip_entries(path: str | os.PathLike[str], data: bytes) -> list[Entry]:
    """The entries of a 7z archive as its header declares them (nothing is decompressed but the
    header); raises :class:`UnreadableError` for a damaged archive or one whose names are encrypted."""
    import py7zr

    try:
        with py7zr.SevenZipFile(io.BytesIO(data)) as archive:
            streams = archive.header.main_streams
            packed: dict[int, int] = {}
            encrypted: set[int] = set()
            if streams is not None and streams.unpackinfo is not None:
                sizes, start = list(streams.packinfo.packsizes or []), 0
                for folder in streams.unpackinfo.folders:
                    count = max(len(folder.packed_indices), 1)
                    packed[id(folder)] = sum(sizes[start:start + count])
                    start += count
                    if any(coder.get("method") == _7Z_AES for coder in folder.coders):
                        encrypted.add(id(folder))
            return [
                Entry(f.filename, f.uncompressed or 0, packed.get(id(f.folder), 0) if f.folder is not None else 0,
                      f.folder is not None and id(f.folder) in encrypted)
                for f in archive.files if not f.is_directory
            ]
    except py7zr.PasswordRequired:
        raise _fail(path, "7z 压缩包设置了密码（连文件名也已加密），无法读取。请报送单位取消密码后重新发送，"
                          "或直接发送 .xlsx 文件。") from None
    except Exception as exc:  # py7zr raises its own and generic errors for damaged headers
        raise _fail(path, "文件已损坏（7z 压缩包的目录无法读取，可能下载或拷贝未完成）。") from None


def _check_entries(path: str | os.PathLike[str], entries: list[Entry], limits: Limits) -> None:
    if len(entries) > limits.max_zip_entries:
        raise _fail(path, f"压缩包内有 {len(entries)} 个条目，超过上限 {limits.max_zip_entries}，已拒绝读取。")
    total = 0
    seen: set[str] = set()
    for e in entries:
        name = e.filename
        if _unsafe_name(name):
            raise _fail(path, f"压缩包内含有可疑的路径“{name}”（绝对路径或含“..”），已拒绝读取。")
        if name in seen:
            raise _fail(path, f"压缩包内有重复的条目“{name}”，文件可能被篡改，已拒绝读取。")
        seen.add(name)
        if e.encrypted:
            raise _fail(path, f"压缩包内的条目“{name}”已加密（设置了密码），无法读取。请报送单位取消密码后重新发送，"
                              "或直接发送 .xlsx 文件。")
        if e.file_size > limits.max_entry_bytes:
            raise _fail(
                path, f"条目“{name}”解压后为 {_mb(e.file_size)}，超过上限 {_mb(limits.max_entry_bytes)}，已拒绝读取（疑似压缩炸弹）。"
            )
        if e.file_size > limits.ratio_floor_bytes and e.file_size > limits.max_compression_ratio * max(e.compress_size, 1):
            raise _fail(
                path,
                f"条目“{name}”压缩比为 {e.file_size // max(e.compress_size, 1)} 倍，超过上限 {limits.max_compression_ratio} 倍，"
                "已拒绝读取（疑似压缩炸弹）。",
            )
        total += e.file_size
        if total > limits.max_uncompressed_bytes:
            raise _fail(
                path, f"解压后总大小超过上限 {_mb(limits.max_uncompressed_bytes)}，已拒绝读取（疑似压缩炸弹）。"
            )


def _unsafe_name(name: str) -> bool:
    if "\x00" in name:
        return True
    normalized = name.replace("\\", "/")
    if normalized.startswith("/") or re.match(r"^[A-Za-z]:", normalized):
        return True
    return ".." in normalized.split("/") or posixpath.isabs(normalized)


class _Counted(io.RawIOBase):
    """A reader that hands out at most ``chunk`` bytes per read and stops with an
    error once more than ``limit`` bytes came out."""

    def __init__(self, raw: IO[bytes], limit: int, chunk: int = 65536) -> None:
        self.raw, self.left, self.chunk = raw, limit, chunk

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        data = self.raw.read(min(len(buffer), self.chunk))
        self.left -= len(data)
        if self.left < 0:
            raise OverflowError
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:  # parsers call read(n) directly
        data = self.raw.read(min(size, self.chunk) if size and size > 0 else self.chunk)
        self.left -= len(data)
        if self.left < 0:
            raise OverflowError
        return data


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


#: lxml parser options: entities are never expanded, no DTD and no network resource is loaded.
_SAFE_PARSE = dict(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


#: XML parts up to this uncompressed size (the central directory's ``file_size``, which
#: :mod:`zipfile` enforces while inflating) are parsed whole in one C call: a filled
#: template's parts are all under 40 KB. Larger parts are streamed, in bounded memory.
WHOLE_PART_BYTES = 2 * 1024 * 1024
_PARSERS = threading.local()  # an lxml parser must not be shared between threads


def _whole_parser() -> etree.XMLParser:
    parser = getattr(_PARSERS, "whole", None)
    if parser is None:
        parser = _PARSERS.whole = etree.XMLParser(**_SAFE_PARSE, remove_comments=True, remove_pis=True)
    return parser


def _scan_xml(
    path: str | os.PathLike[str], archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limits: Limits, *, full: bool,
    facts: "CellFacts | None" = None, keep: dict[str, bytes] | None = None,
) -> tuple[int, int]:
    """Refuse a DTD or entity declaration in one XML part (small parts are parsed whole
    without expanding anything, large ones only up to their prolog); for worksheets
    (``full``) also measure the used range and note in ``facts`` the cells holding an
    error value or a formula. Returns (rows, columns). The bytes of a small part that
    names the sheets (:data:`_NAMING_PARTS`) are put in ``keep``, for :func:`_sheet_names`."""
    rows = cols = 0
    try:
        if entry.file_size <= WHOLE_PART_BYTES:
            # zipfile stops inflating at the declared file_size (and checks the CRC), so at
            # most WHOLE_PART_BYTES come out; lxml keeps entity references unexpanded.
            data = archive.read(entry)
            if keep is not None and entry.filename in _NAMING_PARTS:
                keep[entry.filename] = data
            if not full and _cannot_declare_dtd(data):
                return 0, 0
            try:
                root = etree.fromstring(data, _whole_parser())
            except etree.XMLSyntaxError:
                # a damaged or hostile part: the streaming scan finds and names what is wrong
                # (a DTD in the prolog; for other parts than worksheets only the prolog must be sound)
                root = None
                rows, cols = _stream_xml(archive, entry, limits, full=full, facts=facts)
            if root is not None and _has_doctype(root):
                raise DefusedXmlException
            if root is not None and full:
                rows, cols = _used_range_of_tree(root)
                if facts is not None:
                    facts.note(root, maybe_errors=_may_hold_errors(data))
        else:
            rows, cols = _stream_xml(archive, entry, limits, full=full, facts=facts)
    except DefusedXmlException:
        raise _fail(
            path, f"条目“{entry.filename}”含有 XML 实体或文档类型声明（可能是 XML 实体攻击），已拒绝读取。"
        ) from None
    except etree.XMLSyntaxError as exc:
        raise _fail(path, f"条目“{entry.filename}”不是有效的 XML，文件已损坏：{exc}") from None
    except OverflowError:
        raise _fail(path, f"条目“{entry.filename}”解压后超过上限 {_mb(limits.max_entry_bytes)}，已拒绝读取。") from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise _fail(path, f"文件已损坏（条目“{entry.filename}”无法解压）：{exc}") from None
    if rows > limits.max_sheet_rows or cols > limits.max_sheet_cols:
        raise UnreadableError(
            f"工作表的使用范围达 {rows} 行 × {cols} 列，超过上限 "
            f"{limits.max_sheet_rows} 行 × {limits.max_sheet_cols} 列，已拒绝读取。",
            path=display_path(path),
            sheet=_sheet_name(archive, entry.filename),
        )
    return rows, cols


#: ``t="e"`` in any spelling XML allows (another attribute ending in t only costs a search)
_ERROR_TYPE = re.compile(rb"""t\s*=\s*["']e["']""")


def _may_hold_errors(data: bytes) -> bool:
    """False when a worksheet's bytes plainly hold no cell of the error type (``t="e"``, in any
    spelling XML allows): the search for error cells can be skipped. A part that is not in an
    ASCII-compatible encoding (UTF-16, UTF-32) is always searched."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.startswith(b"<") or b"\x00" in data[:4]:
        return True
    return _ERROR_TYPE.search(data) is not None


#: An XML declaration naming an encoding in which ``<!DOCTYPE`` is spelled with its ASCII bytes.
_ASCII_DECLARATION = re.compile(
    rb"<\?xml[^>]*?encoding\s*=\s*[\"'](?:utf-8|utf8|us-ascii|ascii)[\"']", re.IGNORECASE)


def _cannot_declare_dtd(data: bytes) -> bool:
    """True when a part plainly holds no document type declaration, so parsing it can be
    skipped: it is UTF-8 (no byte-order mark other than UTF-8's, no XML declaration naming
    another encoding) and the bytes ``<!DOCTYPE`` and ``<!ENTITY`` occur nowhere in it.
    Anything else (another encoding, or those bytes anywhere, even in a comment) is
    parsed by lxml as before, which names what it finds. Parts other than worksheets are
    not measured, only checked for a DTD, and this check costs a byte search instead
    of a parse (about half of the scan of a filled template)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.startswith(b"<") or b"\x00" in data:
        return False  # UTF-16 or UTF-32 (with or without a byte-order mark), or not XML at all
    if data.startswith(b"<?xml"):
        end = data.find(b"?>")
        head = data[: end if end > 0 else 200]
        if b"encoding" in head and not _ASCII_DECLARATION.match(head):
            return False
    return b"<!DOCTYPE" not in data and b"<!ENTITY" not in data


def _stream_xml(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limits: Limits, *, full: bool, facts: "CellFacts | None" = None,
) -> tuple[int, int]:
    """:func:`_scan_xml` for a large part: only its prolog is read (a DTD must sit there),
    or for a worksheet every ``<row>`` streamed past in bounded memory."""
    rows = cols = 0
    with archive.open(entry) as raw:
        stream = _Counted(raw, limits.max_entry_bytes, 65536 if full else 4096)
        # worksheets: only <worksheet> and <row> reach Python (filtered in C); other parts: the first element
        tags = {"tag": (_WORKSHEET, _ROW)} if full else {}
        events = etree.iterparse(stream, events=("start", "end"), **tags, **_SAFE_PARSE)
        for event, elem in events:
            if _has_doctype(elem):
                raise DefusedXmlException
            if not full:
                break  # the prolog, where a DTD must sit, is behind us
            rows, cols = _used_range(events, limits, facts)
            break
        if events.root is not None and _has_doctype(events.root):
            raise DefusedXmlException
    return rows, cols


def _has_doctype(elem: etree._Element) -> bool:
    info = elem.getroottree().docinfo
    return bool(info.doctype) or info.internalDTD is not None


#: Rows in any namespace: calamine matches elements by their local name.
_ROW = "{*}row"
_WORKSHEET = f"{{{_MAIN_NS}}}worksheet"


def _used_range(events, limits: Limits, facts: "CellFacts | None" = None) -> tuple[int, int]:
    """(last row, last column) that any cell of a worksheet reaches, from the ``<row>``
    elements of the rest of the parse (noting error values and formulas in ``facts``).
    Stops as soon as a limit is passed."""
    rows = cols = row_number = 0
    for event, elem in events:
        if event != "end" or etree.QName(elem).localname != "row":
            continue
        row_number = number_of_row(elem, row_number)
        rows = max(rows, row_number)
        cols = max(cols, last_column(elem))
        if facts is not None:
            facts.note(elem, row_number)
        elem.clear()
        parent = elem.getparent()
        while elem.getprevious() is not None:
            del parent[0]
        if rows > limits.max_sheet_rows or cols > limits.max_sheet_cols:
            break
    return rows, cols


def _used_range_of_tree(root: etree._Element) -> tuple[int, int]:
    """(last row, last column) that any cell of a parsed worksheet reaches: the largest
    ``r`` of any ``<row>`` and ``<c>`` (a row or cell without ``r`` follows the previous one)."""
    rows = cols = row_number = 0
    for row in root.iter(_ROW):  # number_of_row and last_column, inlined: this loop sees every cell
        r = row.get("r", "")
        row_number = int(r) if r.isdigit() else row_number + 1
        if row_number > rows:
            rows = row_number
        col = 0
        for cell in row:
            ref = cell.get("r")
            col = column_of(ref) if ref else col + 1
            if col > cols:
                cols = col
    return rows, cols


def _sheet_name(archive: zipfile.ZipFile, part: str) -> str:
    """The name a person sees for worksheet part ``xl/worksheets/sheetN.xml``."""
    return _sheet_names(archive).get(part, posixpath.basename(part))


#: A sheet's ``r:id``, in transitional and in Strict Open XML (Excel's “Strict Open XML 电子表格”).
_REL_IDS = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id",
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}id",
)


#: The parts :func:`_sheet_names` reads: the workbook's relationships and the workbook.
_NAMING_PARTS = ("xl/_rels/workbook.xml.rels", "xl/workbook.xml")


def _sheet_names(archive: zipfile.ZipFile, parts: dict[str, bytes] | None = None) -> dict[str, str]:
    """Worksheet part name (``xl/worksheets/sheetN.xml``) -> the sheet's name. ``parts``: the
    bytes of :data:`_NAMING_PARTS` already inflated (by the scan), the others are read here."""
    parts = parts or {}
    try:
        rels_xml, book_xml = (parts.get(name) or archive.read(name) for name in _NAMING_PARTS)
        rels = etree.fromstring(rels_xml, _whole_parser())
        targets = {
            r.get("Id"): posixpath.normpath(posixpath.join("xl", r.get("Target", "").lstrip("/").removeprefix("xl/")))
            for r in rels.iter("{*}Relationship")
        }
        names = {}
        for sheet in _sheets_of(book_xml):
            rel = next((sheet.get(ns) for ns in _REL_IDS if sheet.get(ns) is not None), None)
            if rel in targets:
                names[targets[rel]] = sheet.get("name", "")
        return names
    except Exception:  # the names are a nicety; part names are shown instead
        return {}


#: Bytes of ``xl/workbook.xml`` fed to the parser at a time: ``</sheets>`` ends about 1.2 KB into a
#: filled template's, and each chunk is parsed whole before its events are read.
_BOOK_CHUNK = 512


def _sheets_of(book_xml: bytes) -> list[etree._Element]:
    """The ``<sheet>`` elements (any namespace) of ``xl/workbook.xml``, parsed only up to the end
    of ``<sheets>``: the defined names after it (most of the part) are never parsed."""
    parser = etree.XMLPullParser(events=("end",), tag=("{*}sheet", "{*}sheets"), **_SAFE_PARSE)
    found = []
    for start in range(0, len(book_xml), _BOOK_CHUNK):
        parser.feed(book_xml[start:start + _BOOK_CHUNK])
        for _, elem in parser.read_events():
            if etree.QName(elem).localname == "sheets":
                return found
            found.append(elem)
    parser.close()
    return found


# ---------------------------------------------------------------------------
# What the reader accepts
# ---------------------------------------------------------------------------

#: File names a workbook goes by. ``validate`` and ``merge`` judge such a file by what it holds
#: (:func:`check_workbook`): an Excel 97-2003 or binary workbook is told what to do
#: (:data:`_NOT_A_WORKBOOK`, one text for both commands), and a real .xlsx saved as .xls is read.
WORKBOOK_NAMES: frozenset[str] = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb"})

_NOT_A_WORKBOOK: dict[str, str] = {
    "xlsb": "这是 Excel 二进制工作簿（.xlsb），gxexcel 只读取 .xlsx 模板。请用 Excel 打开后“另存为”Excel 工作簿（.xlsx）"
    "后重新报送。",
    "xls": "这是旧版 Excel 97-2003 工作簿（.xls），gxexcel 只读取 .xlsx 模板。请用 Excel 或 WPS 打开后"
    "“另存为”Excel 工作簿（.xlsx），或在 gxexcel 模板中重新填写。",
    "encrypted": "工作簿设置了打开密码（文件已加密），无法读取。请在 Excel 中清除打开密码"
    "（文件 → 信息 → 保护工作簿 → 用密码进行加密）后重新报送。",
    "ole": "这是旧版 Office 文件（不是 Excel 工作簿），无法读取。",
    "docx": "这是 Word 文档，不是 Excel 工作簿。已发布的报告请用“gxexcel import”导入。",
    "zip": "这是普通压缩包，不是 Excel 工作簿。请解压后报送其中的 .xlsx 文件。",
    "7z": "这是 7z 压缩包，不是 Excel 工作簿。请解压后报送其中的 .xlsx 文件。",
    "rar": RAR_ADVICE,
    "pdf": "这是 PDF 文件，不是 Excel 工作簿（可能是扩展名被改成了 .xlsx）。",
    "html": "这是网页（HTML）文件，不是 Excel 工作簿。已发布的报告请用“gxexcel import”导入。",
    "text": "这是文本文件，不是 Excel 工作簿（可能是扩展名被改成了 .xlsx）。",
    "unknown": "无法识别的文件格式，不是 Excel 工作簿。",
}


def check_workbook(path: str | os.PathLike[str], *, data: bytes | None = None, limits: Limits = LIMITS) -> FileInfo:
    """Inspect ``path`` (or its content ``data``, already read) and accept only a safe xlsx/xlsm
    workbook (macros are flagged, never run); anything else raises :class:`UnreadableError`
    saying what the file is."""
    info = inspect_file(path, limits=limits) if data is None else inspect_bytes(data, name=path, limits=limits)
    if not info.is_workbook:
        raise _fail(path, _NOT_A_WORKBOOK[info.kind])
    return info

