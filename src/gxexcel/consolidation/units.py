"""Read and validate one input into a compact :class:`Unit` (run in worker processes).

A unit keeps only what the consolidation needs: cover fields, cell values in
the order of :data:`CELL_IDS`, fees, narrative, findings as plain tuples, and
where it came from. Units are small and picklable, so a process pool can
stream them back to the parent.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import form
from ..errors import GxError
from ..findings import Finding
from ..model import CellValue, Report, Source
from .collect import PUBLISHED_KINDS, PUBLISHED_SUFFIXES, WORKBOOK_SUFFIXES, InputFile

CELL_IDS: tuple[str, ...] = tuple(form.CELLS)
FEE_IDS: tuple[str, ...] = tuple(f.id for f in form.FEE_FIELDS)
PART_IDS: tuple[str, ...] = tuple(p.id for p in form.NARRATIVE_PARTS)

#: A finding as a plain tuple: rule, severity, sheet, cell, message, explanation.
FindingRow = tuple[str, str, str, str, str, str]


@dataclass
class Unit:
    """One unit's submission as read from one file (or one 明细 row of a consolidation)."""

    file: str  # displayed source file
    sha256: str = ""
    mtime: float = 0.0
    kind: str = ""  # workbook | text | html | docx | consolidation
    problem: str = ""  # why the file could not be read ("" when it was)
    unit_name: str = ""
    unit_type: str = ""
    parent: str = ""
    year: int | None = None
    contact: str = ""
    phone: str = ""
    template_version: str = ""
    cells: tuple[CellValue, ...] = ()
    fees: tuple[CellValue, ...] = ()
    narrative: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    findings: tuple[FindingRow, ...] = ()
    via: str = ""  # the consolidation workbook this unit was read from ("" when direct)
    #: for a cover that leaves 所属县 blank, read from a consolidation: the county that
    #: consolidation gives it (its 报送情况, else the county the consolidation is of)
    via_county: str = ""
    #: read from a consolidation made with a roster: whether that roster listed the unit
    #: (False: 名册外 there); None when read directly or the consolidation had no roster
    listed: bool | None = None
    #: the consolidation whose roster made that decision (or listed this 未报送 row) when it is not
    #: :attr:`via` itself: a city merged without a roster carried it up from a county's ("" when via)
    decided_by: str = ""
    code: str = ""  # 单位代码 of a carried 未报送 row (kind MISSING_KIND)

    @property
    def county(self) -> str:
        """The 所属县（市、区） that tells same-named units apart: the cover's, else
        :attr:`via_county` (two counties' consolidations each with a 城关镇 whose cover left it
        blank); the cover as written stays :attr:`parent` (明细)."""
        return self.parent or self.via_county

    @property
    def readable(self) -> bool:
        return not self.problem

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f[1] == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f[1] == "warning")

    def cell(self, cid: str) -> CellValue:
        return self.cells[_CELL_INDEX[cid]] if self.cells else None

    def number(self, cid: str) -> float:
        value = self.cell(cid)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return 0
        return value

    @property
    def ref(self) -> tuple[str, str]:
        """Which submission this is: (consolidation it came through, source file). The file
        alone is not unique in a city's merge: two counties may both have 各乡镇/城关镇.xlsx."""
        return (self.via, self.file)

    def text(self, part: str) -> str:
        return self.narrative[_PART_INDEX[part]] if self.narrative else ""

    def generated(self, part: str) -> bool:
        return bool(self.markers and self.markers[_PART_INDEX[part]])

    def to_report(self) -> Report:
        """The unit as a :class:`Report` (for validation and publication)."""
        report = Report(
            unit_name=self.unit_name, unit_type=self.unit_type, parent=self.parent, year=self.year,
            contact=self.contact, phone=self.phone, template_version=self.template_version,
        )
        report.cells = dict(zip(CELL_IDS, self.cells))
        report.fees = dict(zip(FEE_IDS, self.fees))
        report.narrative = {p: t for p, t in zip(PART_IDS, self.narrative) if t}
        report.markers = {p: m for p, m in zip(PART_IDS, self.markers) if m}
        report.source = Source(path=self.file, kind=self.kind, sha256=self.sha256,
                               template_version=self.template_version)
        return report


#: :attr:`Unit.kind` of a roster unit an earlier consolidation listed as 未报送: no file, only
#: its name, type, code, county and the consolidation (:func:`~.submissions.assess_roster`)
MISSING_KIND = "missing"


def split_missing(units: list[Unit]) -> tuple[list[Unit], list[Unit]]:
    """The units read, and the 未报送 rows carried from earlier consolidations."""
    return [u for u in units if u.kind != MISSING_KIND], [u for u in units if u.kind == MISSING_KIND]


_CELL_INDEX = {cid: i for i, cid in enumerate(CELL_IDS)}
_PART_INDEX = {pid: i for i, pid in enumerate(PART_IDS)}


def finding_row(f: Finding) -> FindingRow:
    return (f.rule, f.severity, f.sheet, f.cell, f.message, f.explanation)


def unit_from_report(report: Report, item: InputFile, sha256: str, kind: str, findings: list[Finding]) -> Unit:
    return Unit(
        file=item.display,
        sha256=sha256,
        mtime=item.mtime,
        kind=kind,
        unit_name=report.unit_name.strip(),
        unit_type=report.unit_type.strip(),
        parent=report.parent.strip(),
        year=report.year,
        contact=report.contact,
        phone=report.phone,
        template_version=report.template_version or report.source.template_version,
        cells=tuple(report.cells.get(c) for c in CELL_IDS),
        fees=tuple(report.fees.get(f) for f in FEE_IDS),
        narrative=tuple(report.narrative.get(p, "") or "" for p in PART_IDS),
        markers=tuple(report.markers.get(p, "") or "" for p in PART_IDS),
        findings=tuple(finding_row(f) for f in sort_findings(findings)),
    )


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors first, then by rule and place; duplicates (same rule at the same place) once."""
    seen: dict[tuple, Finding] = {}
    for f in findings:
        seen.setdefault((f.rule, f.severity, f.sheet, f.cell, f.message), f)
    return sorted(seen.values(), key=lambda f: (f.severity != "error", f.rule, f.sheet, f.cell, f.message))


def cached_units(item: InputFile, cache_folder: str) -> list[Unit] | None:
    """The units of ``item`` from the cache, or None when the file (as it is now) is not in it."""
    from . import cache

    if item.problem:
        return None
    try:
        data = item.read_bytes()
    except (OSError, GxError):
        return None
    return cache.load(Path(cache_folder), hashlib.sha256(data).hexdigest(), file=item.display, mtime=item.mtime)


def read_input(item: InputFile, cache_folder: str | None = None) -> list[Unit]:
    """Read one input file into units (a consolidation gives many); never raises for bad input.
    With ``cache_folder``, units already read from the same bytes are taken from the cache."""
    if item.problem:
        return [Unit(file=item.display, mtime=item.mtime, problem=item.problem)]
    try:
        data = item.read_bytes()
    except GxError as exc:  # gone, a folder now, a pipe or a device
        return [Unit(file=item.display, mtime=item.mtime, problem=_reason(exc))]
    except OSError as exc:
        return [Unit(file=item.display, mtime=item.mtime, problem="没有读取该文件的权限（文件被锁定或权限不足）" if isinstance(exc, PermissionError) else f"无法读取文件：{exc.strerror or exc}")]
    sha256 = hashlib.sha256(data).hexdigest()
    if cache_folder:
        from . import cache

        hit = cache.load(Path(cache_folder), sha256, file=item.display, mtime=item.mtime)
        if hit is not None:
            return hit
    try:
        units = _read(item, data, sha256)
        if cache_folder:
            cache.store(Path(cache_folder), sha256, units)
        return units
    except GxError as exc:
        return [Unit(file=item.display, sha256=sha256, mtime=item.mtime, problem=_reason(exc))]
    except Exception as exc:  # a reader bug must not stop a county's whole consolidation
        return [Unit(file=item.display, sha256=sha256, mtime=item.mtime,
                     problem=f"读取时发生内部错误（{type(exc).__name__}: {exc}），请反馈给维护人员")]


def _reason(exc: GxError) -> str:
    """The message without the temporary path of archive members."""
    return exc.message + (f"（工作表“{exc.sheet}”" + (f" 单元格 {exc.cell}" if exc.cell else "") + "）" if exc.sheet else "")


def _read(item: InputFile, data: bytes, sha256: str) -> list[Unit]:
    suffix = item.suffix
    if suffix == ".csv":
        _refuse_roster(item, data)
    if suffix not in WORKBOOK_SUFFIXES | PUBLISHED_SUFFIXES | {".pdf"}:  # a PDF: the importer says what to do
        raise GxError(f"不是可汇总的报表文件（{suffix or '无扩展名'}）：只支持 .xlsx、.xlsm 工作簿和已发布的报告（{PUBLISHED_KINDS}）。")
    if suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(item, data, sha256)
    with _on_disk(item, data) as path:
        return [_read_published(item, path, sha256)]


def _read_workbook(item: InputFile, data: bytes, sha256: str) -> list[Unit]:
    """Our template read from the bytes already in hand (not the file again); an earlier
    consolidation is read back from disk."""
    from ..errors import NotOurTemplateError
    from ..reader import read_workbook
    from ..rules.engine import validate
    from .readback import is_consolidation, read_consolidation

    try:
        report = read_workbook(item.path if not item.members else item.display, data=data)
    except NotOurTemplateError:
        with _on_disk(item, data) as path:
            if is_consolidation(path):
                return read_consolidation(path, display=item.display, sha256=sha256)
        _refuse_roster(item, data)
        raise
    findings = validate(report)
    return [unit_from_report(report, item, sha256, "workbook", findings)]


def _refuse_roster(item: InputFile, data: bytes) -> None:
    """A roster among the submissions (a copy of the one given with --roster) is said to be one."""
    from .roster import ROSTER_AMONG_INPUTS, is_roster

    with _on_disk(item, data) as path:
        if is_roster(path):
            raise GxError(ROSTER_AMONG_INPUTS)


def _read_published(item: InputFile, path: Path, sha256: str) -> Unit:
    try:
        from ..importer import import_report
    except ImportError:
        raise GxError("本版本尚不能读取公开文本（.txt、.html、.docx），请使用填报模板。") from None
    from ..rules.engine import validate

    report = import_report(path)
    findings = validate(report)
    kind = report.source.kind or item.suffix.lstrip(".")
    return unit_from_report(report, item, sha256, kind, findings)


class _on_disk:
    """A path with the file's content: the file itself, or for archive members a
    private temporary file with a neutral name (never a name from the archive)."""

    def __init__(self, item: InputFile, data: bytes) -> None:
        self.item, self.data, self.tmp = item, data, None

    def __enter__(self) -> Path:
        if not self.item.members:
            return Path(self.item.path)
        fd, name = tempfile.mkstemp(prefix="gx-member-", suffix=self.item.suffix)
        with os.fdopen(fd, "wb") as fh:
            fh.write(self.data)
        self.tmp = Path(name)
        return self.tmp

    def __exit__(self, *exc: object) -> None:
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)
