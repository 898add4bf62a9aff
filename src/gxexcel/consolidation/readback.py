"""Read a consolidated workbook (our own output) back as units, so that a city can
merge county consolidations and ``--previous`` can compare with last year."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from ..errors import GxError
from ..findings import SEVERITY_TEXT
from ..reader import cell_text
from . import columns as C
from .submissions import DUPLICATE, MISSING, SUBMITTED, UNLISTED, UNREADABLE, common_county, unit_labels
from .units import CELL_IDS, FEE_IDS, MISSING_KIND, PART_IDS, FindingRow, Unit

_SEVERITY = {text: key for key, text in SEVERITY_TEXT.items()}


def _open(path: str | Path) -> CalamineWorkbook:
    """The workbook at ``path`` judged by its content, as merge judges inputs: a consolidation
    a county office sent renamed 汇总.xls (an .xlsx) opens as the .xlsx it is (calamine's
    ``from_path`` goes by the file name and reads an .xls name as an old binary workbook)."""
    with open(path, "rb") as fh:
        return CalamineWorkbook.from_filelike(fh)


def is_consolidation(path: str | Path) -> bool:
    """Whether ``path`` is a workbook written by ``gxexcel merge`` (its 汇总 stamp)."""
    try:
        wb = _open(path)
    except (CalamineError, OSError, ValueError):
        return False
    try:
        if C.SHEET_SUMMARY not in wb.sheet_names or C.SHEET_DETAIL not in wb.sheet_names:
            return False
        rows = wb.get_sheet_by_name(C.SHEET_SUMMARY).to_python(skip_empty_area=False, nrows=max(C.STAMP_ROWS) + 1)
        return _stamp(rows, 0) == C.CONSOLIDATION_ID
    except (CalamineError, IndexError, ValueError):
        return False
    finally:
        wb.close()


def _stamp(rows: list[list[Any]], i: int) -> Any:
    r, c = C.STAMP_ROWS[i] - 1, C.STAMP_COL - 1
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else None


def unit_sources(path: str | Path) -> list[tuple[str, str, str, str]] | None:
    """Each unit of the 明细 sheet as (unit name, 来源文件, 经由汇总文件, 来源文件SHA-256);
    None when the sheet cannot be read or lacks the 来源文件 or SHA-256 column."""
    try:
        wb = _open(path)
        try:
            detail = wb.get_sheet_by_name(C.SHEET_DETAIL).to_python(skip_empty_area=False)
        finally:
            wb.close()
    except (CalamineError, OSError, ValueError):
        return None
    keys = [cell_text(k) for k in detail[0]] if detail else []
    if "file" not in keys or "sha256" not in keys:
        return None
    at = {k: keys.index(k) for k in ("unit_name", "file", "via", "sha256") if k in keys}
    get = lambda row, key: cell_text(row[at[key]]) if key in at and at[key] < len(row) else ""  # noqa: E731
    return [(get(row, "unit_name"), get(row, "file"), get(row, "via"), get(row, "sha256"))
            for row in detail[C.DETAIL_HEAD_ROWS:] if get(row, "unit_name")]


def read_consolidation(path: str | Path, *, display: str, sha256: str, carried: bool = True) -> list[Unit]:
    """Every unit of the 明细 sheet, with its findings from 校验情况 (those found by
    the units' validation; the consolidation's own comparisons are made again). ``carried``:
    its roster decisions are to be carried on (an input, not last year's), so a consolidation
    that lost its 报送情况 sheet is refused."""
    try:
        wb = _open(path)
        try:
            summary = wb.get_sheet_by_name(C.SHEET_SUMMARY).to_python(skip_empty_area=False, nrows=20)
            detail = wb.get_sheet_by_name(C.SHEET_DETAIL).to_python(skip_empty_area=False)
            findings = wb.get_sheet_by_name(C.SHEET_FINDINGS).to_python(skip_empty_area=False) \
                if C.SHEET_FINDINGS in wb.sheet_names else []
            submissions = wb.get_sheet_by_name(C.SHEET_SUBMISSIONS).to_python(skip_empty_area=False) \
                if C.SHEET_SUBMISSIONS in wb.sheet_names else []
        finally:
            wb.close()
    except (CalamineError, OSError) as exc:
        raise GxError(f"汇总工作簿无法读取（{exc}）。", path=display) from None
    version = _stamp(summary, 1)
    if str(version) != C.CONSOLIDATION_VERSION:
        raise GxError(f"汇总文件版本为“{version}”，本程序只能读取版本“{C.CONSOLIDATION_VERSION}”。",
                      path=display, sheet=C.SHEET_SUMMARY)
    if not detail:
        raise GxError("汇总工作簿的“明细”工作表是空的。", path=display, sheet=C.SHEET_DETAIL)
    keys = [str(k) if k is not None else "" for k in detail[0]]
    missing = [label for key, label in C.DETAIL_COLUMNS if key not in keys]
    if missing:
        raise GxError(f"“明细”工作表缺少列：{'、'.join(missing[:5])}{'等' if len(missing) > 5 else ''}。",
                      path=display, sheet=C.SHEET_DETAIL, cell="第 1 行")
    index = {k: i for i, k in enumerate(keys)}
    by_unit = _findings(findings)
    units = []
    came_through: dict[int, str] = {}  # each unit's 经由汇总文件 in that consolidation, to find its findings
    counts: list[tuple[int | None, int | None]] = []  # each unit's 错误数 and 警告数 in 明细
    counted: list[Unit] = []  # the units it counted (计入汇总 是): the county it is of
    cleared: list[Unit] = []  # rows whose unit name was cleared by hand: listed, not dropped unsaid
    statuses: list[str] = []  # each unit's 报送状态 in 明细 (what 报送情况 also says of it)
    for number, row in enumerate(detail[C.DETAIL_HEAD_ROWS:], start=C.DETAIL_HEAD_ROWS + 1):
        get = lambda key: row[index[key]] if index[key] < len(row) else None  # noqa: E731
        name = cell_text(get("unit_name"))
        if not name:
            if any(cell_text(v) for v in row):
                cleared.append(Unit(file=cell_text(get("file")), sha256=cell_text(get("sha256")), via=display,
                                    problem=BLANK_DETAIL_NAME.format(row=number, sheet=C.SHEET_DETAIL)))
            continue
        file = cell_text(get("file"))
        came_through[len(units)] = cell_text(get("via"))
        statuses.append(cell_text(get("status")))
        counts.append((_int(get("errors")), _int(get("warnings"))))
        in_total = cell_text(get("counted")) == C.YES
        units.append(Unit(
            file=file,
            sha256=cell_text(get("sha256")),
            mtime=_time(get("mtime")),
            kind=cell_text(get("kind")),
            unit_name=name,
            unit_type=cell_text(get("unit_type")),
            parent=cell_text(get("parent")),
            year=_int(get("year")),
            contact=cell_text(get("contact")),
            phone=cell_text(get("phone")),
            template_version=cell_text(get("template_version")),
            cells=tuple(_value(get(cid)) for cid in CELL_IDS),
            fees=tuple(_value(get(fid)) for fid in FEE_IDS),
            narrative=tuple(cell_text(get(pid)) for pid in PART_IDS),
            markers=tuple(cell_text(get("marker:" + pid)) for pid in PART_IDS),
            via=display,
        ))
        if in_total:
            counted.append(units[-1])
    # 校验情况 names a unit as the merge labelled it (城关镇人民政府（云溪县） where counties'
    # names collide; consolidations written before that give the name alone), with its source
    # file and the consolidation it came through (two versions of a county's consolidation both
    # name 各乡镇报表/01_城关镇.xlsx; older consolidations have no such column: read as "")
    label = unit_labels(units)
    via_column = _has_via(findings)
    county = common_county(counted)
    _counties_of_blank_covers(units, came_through, county, submissions)
    if carried:
        _check_submissions_sheet(summary, submissions, display)
    missing = _roster_decisions(units, came_through, _had_roster(summary), submissions, display, county)
    if not _usable(submissions):  # 报送情况 deleted: 明细 still says which units were 名册外
        for k, unit in enumerate(units):
            if statuses[k] == UNLISTED:
                unit.listed, unit.decided_by = False, "" if _had_roster(summary) else came_through[k]
    sharing: dict[tuple[str, str, str], list[int]] = {}
    for k, unit in enumerate(units):
        via = came_through[k] if via_column else ""
        key = next((key for key in ((label(unit), unit.file, via), (unit.unit_name, unit.file, via)) if key in by_unit), None)
        if key is not None:
            sharing.setdefault(key, []).append(k)
    for key, ks in sharing.items():
        for k, found in zip(ks, _split(by_unit[key], [counts[k] for k in ks])):
            units[k].findings = found
    # a file seen again (重复报送, the same SHA-256) has its findings listed once, under the other row
    by_file = {u.sha256: u.findings for u in units if u.sha256 and u.findings}
    for k, unit in enumerate(units):
        if not unit.findings and unit.sha256 in by_file and counts[k] != (0, 0):
            found = by_file[unit.sha256]
            if counts[k] == (sum(f[1] == "error" for f in found), sum(f[1] == "warning" for f in found)):
                unit.findings = found
    for unit in cleared:
        unit.via_county = county
    return units + _unreadable(submissions, display, county) + missing + cleared


#: A 明细 row with figures but no unit name (cleared by hand): which unit it is cannot be told.
BLANK_DETAIL_NAME = ("汇总结果“{sheet}”工作表第 {row} 行的单位名称是空的（汇总结果可能被手工修改过），无法确定是哪个单位，"
                     "该行未计入汇总；请向报送单位索取未经修改的汇总结果")
#: Counts on 汇总 of what only 报送情况 lists, by label: how a message names them.
_DECIDED = {"未报送单位数": "{n}个未报送单位", "无法读取文件数": "{n}个无法读取的文件"}


def _usable(submissions: list[list[Any]]) -> bool:
    """Whether the 报送情况 sheet is there with the columns read back."""
    header = {cell_text(h) for h in submissions[0]} if submissions else set()
    return {"报送状态", "来源文件", "单位名称", "说明"} <= header


def _check_submissions_sheet(summary: list[list[Any]], submissions: list[list[Any]], display: str) -> None:
    """A consolidation whose 报送情况 sheet was deleted (or its columns) loses what only it says:
    the units its roster found 未报送 and the files it could not read (名册外 is in 明细 too). When
    汇总 says there were any (or cannot say), the consolidation is refused, naming the sheet."""
    if _usable(submissions):
        return
    facts = {cell_text(row[0]): _int(row[C.STAMP_COL - 1]) for row in summary if row and len(row) >= C.STAMP_COL}
    lost = "、".join(text.format(n=f"{facts[label]} ") if facts.get(label) is not None else text.replace("{n}个", "")
                    for label, text in _DECIDED.items() if facts.get(label) != 0)
    if lost:
        lost = (" " if lost[0].isdigit() else "") + lost  # “该表列出的 1 个未报送单位”, as counts are written elsewhere
        raise GxError(f"汇总结果中没有“{C.SHEET_SUBMISSIONS}”工作表（或其列不全，可能被手工删改过），该表列出的"
                      f"{lost}无法沿用，该汇总文件未汇总；"
                      "请向报送单位索取未经修改的汇总结果，或直接汇总各单位的报表。", path=display)


def _counties_of_blank_covers(units: list[Unit], came_through: dict[int, str], county: str,
                              submissions: list[list[Any]]) -> None:
    """A unit whose cover left 所属县 blank is of the county 报送情况 gives it (a city's
    consolidation names it), else of the county the consolidation is of (the county all its
    counted units give), so that two counties' 城关镇 stay two units (:attr:`Unit.via_county`)."""
    if all(u.parent for u in units):
        return
    given: dict[tuple[str, str], str] = {}
    header = [cell_text(h) for h in submissions[0]] if submissions else []
    if {C.PARENT_LABEL, "来源文件", "经由汇总文件"} <= set(header):
        at = [header.index(h) for h in (C.PARENT_LABEL, "来源文件", "经由汇总文件")]
        for row in submissions[1:]:
            parent, file, via = (cell_text(row[i]) if i < len(row) else "" for i in at)
            if parent and file:
                given[(file, via)] = parent
    for k, unit in enumerate(units):
        if not unit.parent:
            unit.via_county = given.get((unit.file, came_through[k]), "") or county


def _split(rows: list[FindingRow], counts: list[tuple[int | None, int | None]]) -> list[tuple[FindingRow, ...]]:
    """The findings 校验情况 lists under one (unit, source file, 经由汇总文件) for each of the units
    that share it, by their 明细 错误数 and 警告数. Units share it only in a consolidation written
    before the 经由汇总文件 column (two versions of a county's consolidation both name
    各乡镇报表/01_城关镇.xlsx): 校验情况 lists errors first, then warnings, each in 明细 order.
    When the counts do not tell (a sheet edited by hand), the first unit has them all: none twice."""
    if len(counts) == 1:
        return [tuple(rows)]
    errors = [r for r in rows if r[1] == "error"]
    others = [r for r in rows if r[1] != "error"]
    if any(e is None or w is None for e, w in counts) or sum(e for e, _ in counts) != len(errors) \
            or sum(w for _, w in counts) != len(others):
        return [tuple(rows)] + [()] * (len(counts) - 1)
    out, e0, w0 = [], 0, 0
    for e, w in counts:
        out.append(tuple(errors[e0:e0 + e]) + tuple(others[w0:w0 + w]))
        e0, w0 = e0 + e, w0 + w
    return out


def _had_roster(summary: list[list[Any]]) -> bool:
    """Whether 汇总 says the consolidation was made with a roster (名册单位数 a number)."""
    value = next((row[C.STAMP_COL - 1] for row in summary
                  if row and cell_text(row[0]) == C.ROSTER_COUNT_LABEL and len(row) >= C.STAMP_COL), None)
    return cell_text(value) not in ("", C.NO_ROSTER)


def _roster_decisions(units: list[Unit], came_through: dict[int, str], had_roster: bool,
                      submissions: list[list[Any]], display: str, county: str) -> list[Unit]:
    """What the consolidation decided by its roster, for a merge of it to carry on
    (:data:`~.submissions.CARRIED_RULE`): each unit's :attr:`Unit.listed` (False for 名册外,
    True for a unit its roster listed) and its 未报送 rows, as :data:`~.units.MISSING_KIND`
    units of the county 报送情况 gives them, else of the county the consolidation is of."""
    header = [cell_text(h) for h in submissions[0]] if submissions else []
    if not {"报送状态", "来源文件", "单位名称"} <= set(header):
        return []
    at = {h: header.index(h) for h in ("单位名称", "单位类型", C.PARENT_LABEL, "单位代码", "报送状态", "来源文件", "经由汇总文件")
          if h in header}
    status: dict[tuple[str, str], str] = {}
    missing: list[Unit] = []
    for row in submissions[1:]:
        get = lambda h: cell_text(row[at[h]]) if h in at and at[h] < len(row) else ""  # noqa: E731
        if get("报送状态") == MISSING and get("单位名称"):
            # without a roster of its own the consolidation carried the row from the one it names
            missing.append(Unit(file="", kind=MISSING_KIND, unit_name=get("单位名称"), unit_type=get("单位类型"),
                                code=get("单位代码"), via=display, via_county=get(C.PARENT_LABEL) or county, listed=True,
                                decided_by="" if had_roster else get("经由汇总文件")))
        elif get("来源文件"):
            status[(get("来源文件"), get("经由汇总文件"))] = get("报送状态")
    for k, unit in enumerate(units):
        found = status.get((unit.file, came_through[k]))
        if found == UNLISTED:
            unit.listed = False
            unit.decided_by = "" if had_roster else came_through[k]  # a county's roster, carried up
        elif found in (SUBMITTED, DUPLICATE) and had_roster:
            unit.listed = True
    return missing


def _unreadable(rows: list[list[Any]], display: str, county: str = "") -> list[Unit]:
    """The files 报送情况 lists as 无法读取 (not in 明细: they have no unit), with their
    reason, so that a merge of consolidations still accounts for them; of the ``county`` the
    consolidation is of (:attr:`Unit.via_county`), so that a corrected consolidation of that
    county which reads the file can stand for it."""
    if not rows:
        return []
    header = [cell_text(h) for h in rows[0]]
    if not {"报送状态", "来源文件", "说明"} <= set(header):
        return []
    status, file, note = header.index("报送状态"), header.index("来源文件"), header.index("说明")
    get = lambda row, i: cell_text(row[i]) if i < len(row) else ""  # noqa: E731
    return [Unit(file=get(row, file), problem=get(row, note) or UNREADABLE, via=display, via_county=county)
            for row in rows[1:] if get(row, status) == UNREADABLE and get(row, file)]


def _header(rows: list[list[Any]]) -> list[str]:
    return [C.FINDING_ALIASES.get(str(h), str(h)) for h in rows[0]] if rows else []


def _has_via(rows: list[list[Any]]) -> bool:
    return "经由汇总文件" in _header(rows)


def _findings(rows: list[list[Any]]) -> dict[tuple[str, str, str], list[FindingRow]]:
    """校验情况's findings of the units' own validation by (unit, source file, 经由汇总文件)."""
    out: dict[tuple[str, str, str], list[FindingRow]] = {}
    header = _header(rows)
    if not set(C.FINDING_COLUMNS) - C.FINDING_OPTIONAL <= set(header):
        return out
    i = {h: header.index(h) for h in C.FINDING_COLUMNS if h in header}
    for row in rows[1:]:
        get = lambda h: cell_text(row[i[h]]) if h in i and i[h] < len(row) else ""  # noqa: E731
        if get("发现环节") != C.FOUND_BY_UNIT:
            continue
        out.setdefault((get("单位名称"), get("来源文件"), get("经由汇总文件")), []).append((
            get("规则"), _SEVERITY.get(get("级别"), get("级别")), get("工作表"), get("单元格"),
            get("问题"), get("出错说明"),
        ))
    return out


def _int(value: Any) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _value(value: Any) -> Any:
    """A cell as the unit entered it: int where whole, float, text, or None."""
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _time(value: Any) -> float:
    if isinstance(value, datetime):  # written to the second; a date read from its serial may be off by microseconds
        return float(round(value.timestamp()))
    try:
        return datetime.strptime(str(value), C.TIME_FORMAT).timestamp()
    except ValueError:
        return 0.0
