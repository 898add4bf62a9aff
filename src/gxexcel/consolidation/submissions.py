"""Who submitted what: one row per input file and per roster unit without a file.

Statuses (报送情况):

- 已报送: the file was read and its unit is in the roster (or no roster was given);
- 未报送: a roster unit for which no file was found;
- 重复报送: two or more files for one unit; all are listed and exactly one counts
  (:data:`DUPLICATE_RULE`);
- 名册外: the unit is not in the roster; listed, checked, but not counted;
- 无法读取: the file could not be read, with the reason.

A city that merges county consolidations without a roster of its own takes over the
counties' roster decisions (:data:`CARRIED_RULE`); with its own roster, that roster decides.

Whether units with errors enter the totals is an option (``include_errors``,
default yes).
"""

from __future__ import annotations

import re
from collections import Counter

from dataclasses import dataclass, replace
from typing import Callable, Iterable
from datetime import datetime

from .roster import RosterUnit, parent_key, plain_name, unit_key
from .units import Unit

SUBMITTED, MISSING, DUPLICATE, UNLISTED, UNREADABLE = "已报送", "未报送", "重复报送", "名册外", "无法读取"
STATUSES: tuple[str, ...] = (SUBMITTED, DUPLICATE, UNLISTED, UNREADABLE, MISSING)

DUPLICATE_RULE = (
    "同一单位有多份文件时，报告年度与汇总年度相符的优先，其中以文件修改时间最新的一份计入汇总；修改时间相同的，以错误较少的一份为准；"
    "仍相同的，以来源文件名排序在前的一份为准。其余各份列为重复报送、不计入汇总。"
)
SAME_FILE_RULE = ("同一份文件既直接报送、又包含在输入的汇总文件中时（来源文件 SHA-256 相同），只计一次，另一处列为重复报送，"
                  "其校验发现也只在校验情况中列出、计数一次。")
UNLISTED_RULE = "提供名册时，名册外单位的报表照常校验、列入明细，但不计入汇总。"
YEAR_RULE = "汇总年度取多数报表填写的报告年度；报告年度与之不同的报表（如误交上年报表）照常校验、列入明细，但不计入汇总。"
CARRIED_RULE = (
    "汇总各县（市、区）的汇总结果而未提供名册时，沿用各汇总结果依其名册作出的判断：其中列为名册外的单位仍列为名册外、不计入汇总"
    "（另一份汇总结果的名册列有该单位的除外），列为未报送的单位仍列为未报送（本次输入中有该单位报表的，列为已报送）；"
    "提供名册时，以本次的名册为准，汇总结果中的判断在说明栏写明。"
)
ERRORS_INCLUDED = "有错误的单位照常计入汇总（默认）。"
ERRORS_EXCLUDED = "有错误的单位不计入汇总（--exclude-errors）。"
NO_NAME = "封面未填写单位名称，无法确定是哪个单位的报表"


@dataclass(frozen=True)
class Submission:
    status: str
    unit_name: str = ""
    unit_type: str = ""
    code: str = ""
    file: str = ""
    counted: bool = False
    note: str = ""
    unit: Unit | None = None
    parent: str = ""  # 所属县 of a 未报送 row: carried from a county's consolidation, or given by the roster
    via: str = ""  # the consolidation such a row was carried from
    #: the same file (SHA-256) as another row's, seen again (through another consolidation, or a
    #: copy): 重复报送, and its findings are that row's, listed and counted once (:data:`SAME_FILE_RULE`)
    same_file: bool = False


#: How a unit whose cover leaves 所属县（市、区） blank is named where its county is needed.
NO_COUNTY = "所属县未填"


@dataclass(frozen=True)
class RosterLineWithoutCounty:
    """A roster line without its county (“城关镇”) that matches same-named units of several
    counties in a city's merge: each unit is listed and taken as that roster unit."""

    name: str  # as the roster writes it
    row: int  # in the roster file (0: not known)
    counties: tuple[str, ...]  # the units' 所属县（市、区）, sorted; 所属县未填 for a blank one
    units: int  # how many units it matches

    @property
    def message(self) -> str:
        """What 报送情况 says on each of these units' rows and ``gxexcel merge`` prints once."""
        example = next((c for c in self.counties if c != NO_COUNTY), "某县")
        line = f"名册第 {self.row} 行" if self.row else "名册中的"
        return (f"{line}“{self.name}”未写所属县（市、区），与{'、'.join(self.counties)}的{self.units}个同名单位都相符，"
                f"这些单位各自列出、均按名册单位处理；如名册只指其中一个，请写明所属县（如“{example}{self.name}”），"
                "各县的同名单位分行列出")


def assess(
    units: list[Unit], roster: list[RosterUnit] | None = None, *, include_errors: bool = True,
    missing: list[Unit] = (),  # type: ignore[assignment]
) -> list[Submission]:
    """Every input (units and unreadable files) and every missing roster unit, with its status.

    ``units`` must be sorted (see :func:`unit_order`); the result is in the
    roster's order for roster units, then units outside the roster, then files
    that could not be read."""
    return assess_roster(units, roster, include_errors=include_errors, missing=missing)[0]


def assess_roster(
    units: list[Unit], roster: list[RosterUnit] | None = None, *, include_errors: bool = True,
    missing: list[Unit] = (),  # type: ignore[assignment]
) -> tuple[list[Submission], list[RosterLineWithoutCounty]]:
    """:func:`assess`, and the roster lines without county that match same-named units of
    several counties (in roster order), which its rows' notes tell of.

    ``missing`` are the 未报送 rows of earlier consolidations (:data:`~.units.MISSING_KIND`), and
    units read from a consolidation made with a roster carry its decision (:attr:`Unit.listed`).
    Without ``roster`` these decisions stand (:data:`CARRIED_RULE`): a unit only left out
    (名册外) stays 名册外, a 未报送 unit no file answers stays 未报送; with ``roster`` it decides
    and the earlier decisions are told in the notes."""
    listed = {unit_key(r.key): r for r in roster or ()}
    year = consolidation_year(units)
    key_of = identity([*units, *missing])
    # the counties units of each name give: what a cover without its county cannot be told from
    named: dict[str, dict[str, str]] = {}
    for u in sorted((u for u in [*units, *missing] if u.readable and u.county), key=lambda u: u.county):
        named.setdefault(unit_key(u.unit_name), {}).setdefault(parent_key(u.county), u.county)
    carried: dict[str, list[Unit]] = {}  # 未报送 rows of earlier consolidations by unit
    for unit in missing:
        carried.setdefault(key_of(unit), []).append(unit)
    by_unit: dict[str, list[Unit]] = {}
    unreadable: list[Submission] = []
    direct = {u.file for u in units if not u.via}
    # files read through a consolidation, by file name and county: with the consolidations
    read_via: dict[tuple[str, str], set[str]] = {}
    for u in units:
        if u.via and u.readable and u.county:
            read_via.setdefault((u.file, parent_key(u.county)), set()).add(u.via)
    for unit in units:
        if not unit.readable:
            if unit.via and unit.file in direct:
                continue  # an earlier consolidation's 无法读取 row for a file read directly now
            if unit.via and unit.via_county and read_via.get((unit.file, parent_key(unit.via_county)), set()) - {unit.via}:
                continue  # read in another consolidation of that county: its corrected version
            unreadable.append(Submission(UNREADABLE, file=unit.file, note=unit.problem, unit=unit))
        elif not unit_key(unit.unit_name):
            unreadable.append(Submission(UNREADABLE, file=unit.file, note=NO_NAME, unit=unit))
        else:
            by_unit.setdefault(key_of(unit), []).append(unit)
    # each unit's roster entry: by its name, or by county and name (云溪县城关镇)
    entries: dict[str, str] = {}
    for key, group in [*by_unit.items(), *carried.items()]:
        names = sorted({c + unit_key(u.unit_name) for u in group for c in _county_spellings(u.county)}
                       | {unit_key(group[0].unit_name)}, key=lambda n: (-len(n), n))
        entries[key] = next((n for n in names if n in listed), "")

    def rows_for(key: str, entry: RosterUnit | None) -> list[Submission]:
        every = by_unit.get(key, [])
        said_missing = carried.get(key, [])
        if not every and entry is None:  # no roster here: an earlier consolidation's 未报送 row stands
            first = said_missing[0]
            return [Submission(MISSING, first.unit_name, first.unit_type, first.code,
                               note=f"{_by(said_missing)}依其名册列为未报送：名册中有此单位，但未找到其报表文件",
                               parent=first.county, via=first.via)]
        if not every:
            also = f"；{_by(said_missing)}亦列为未报送" if said_missing else ""
            county = entry.county or next((u.county for u in said_missing if u.county), "")
            return [Submission(MISSING, entry.name, entry.unit_type, entry.code, note="名册中有此单位，但未找到其报表文件" + also,
                               parent=county)]
        files, repeats = same_file_once(every)
        chosen = choose(files, year)
        left_out = [] if any(u.listed for u in every) else [u for u in every if u.listed is False]
        out = []
        for unit in files:
            if roster is not None and entry is None:
                status = UNLISTED
            elif roster is None and left_out:
                status = UNLISTED
            else:
                status = DUPLICATE if len(files) > 1 else SUBMITTED
            other_year = year is not None and unit.year not in (None, year)
            counted = (
                unit is chosen and status != UNLISTED and not other_year
                and (include_errors or unit.errors == 0)
            )
            note = _note(unit, chosen, files, status, entry, include_errors, other_year)
            if left_out and roster is None:
                note = "；".join(x for x in (f"{_by(left_out)}依其名册列为名册外，未计入汇总", *note.split("；"))
                                 if x and x != _NOT_LISTED)
            elif left_out:
                note = "；".join(x for x in (note, f"{_by(left_out)}依其名册列为名册外"
                                             + ("" if status == UNLISTED else "，本次名册列有该单位")) if x)
            if said_missing:
                note = "；".join(x for x in (note, f"{_by(said_missing)}依其名册列为未报送，本次收到了该单位的报表") if x)
            if unit.via_county and not unit.parent:
                note = "；".join(x for x in (note, _county_from(unit, key_of(unit) != unit_key(unit.unit_name))) if x)
            elif not unit.county and named.get(unit_key(unit.unit_name)):
                note = "；".join(x for x in (note, _no_county(sorted(named[unit_key(unit.unit_name)].values()),
                                                              key_of(unit) != unit_key(unit.unit_name))) if x)
            if other_year:
                note = "；".join(x for x in (f"报告年度为{unit.year}年，与本次汇总的{year}年度不符，未计入汇总", note) if x)
            out.append(_row(status, unit, entry, counted, _named_once(note)))
        for unit, original in repeats:  # the same file again (a copy, or through an earlier consolidation)
            seen = f"直接报送的“{original.file}”" if not original.via else _where(original)
            note = (f"经汇总文件“{unit.via}”再次出现，" if unit.via else "") + f"与{seen}是同一份文件（SHA-256 相同），不重复计入"
            out.append(replace(_row(DUPLICATE, unit, entry, False, note), same_file=True))
        return out

    rows: list[Submission] = []
    lines: list[RosterLineWithoutCounty] = []
    for name, entry in listed.items():
        keys = sorted(k for k in by_unit if entries[k] == name)
        shared = ""
        if len(keys) > 1:
            lines.append(_without_county(entry, [by_unit[k] for k in keys]))
            shared = lines[-1].message
        for key in keys or [min((k for k in carried if entries[k] == name), default="")]:
            rows.extend(replace(s, note="；".join(x for x in (s.note, shared) if x)) if shared else s
                        for s in rows_for(key, entry))
    # without a roster here, 未报送 rows of earlier consolidations that no file answers, among the units
    for key in sorted(k for k in {*by_unit, *(carried if roster is None else ())} if not entries[k]):
        rows.extend(rows_for(key, None))
    rows.extend(unreadable)
    return rows, lines


_CONSOLIDATION = re.compile(r"汇总文件“([^”]*)”")


def _named_once(note: str) -> str:
    """A note that names a consolidation right after naming it (its decision, then its file
    that counts) says 该汇总文件 the second time: “汇总文件“市/石桥县汇总.xlsx”依其名册列为名册外…；
    共 2 份文件，以该汇总文件中的“各乡镇报表/03_石门镇.xlsx”为准”."""
    out, last, at = [], None, 0
    for m in _CONSOLIDATION.finditer(note):
        out.append(note[at:m.start()])
        out.append("该汇总文件" if m.group(1) == last else m.group(0))
        # after a list (汇总文件“A”、“B”…) 该汇总文件 would not say which
        # (as after 汇总文件“县”（经汇总文件“市”汇入）: two named)
        last, at = (None if note.startswith(("、", "（", "汇入"), m.end()) else m.group(1)), m.end()
    return "".join(out) + note[at:]


def _by(units: list[Unit]) -> str:
    """The consolidations that made a decision on a unit, as 报送情况's notes name them."""
    return "汇总文件" + "、".join(dict.fromkeys(_decider(u) for u in units))


def _decider(unit: Unit) -> str:
    """The consolidation whose roster decided on ``unit``: the one it came through, or the county's
    that one carried the decision from (a city's consolidation made without a roster)."""
    if unit.decided_by and unit.decided_by != unit.via:
        return f"“{unit.decided_by}”（经汇总文件“{unit.via}”汇入）"
    return f"“{unit.via}”"


def _row(status: str, unit: Unit, entry: RosterUnit | None, counted: bool, note: str) -> Submission:
    """A file's row: named and typed as the roster gives it, else as the file does."""
    return Submission(
        status,
        entry.name if entry else unit.unit_name,
        entry.unit_type if entry and entry.unit_type else unit.unit_type,
        entry.code if entry else "",
        unit.file,
        counted,
        note,
        unit,
    )


def _county_from(unit: Unit, told_apart: bool) -> str:
    """What 报送情况 says of a unit whose cover left 所属县 blank, read from a consolidation
    that gives its county (:attr:`Unit.via_county`)."""
    where = f"按汇总文件“{unit.via}”所属的{unit.via_county}"
    return f"封面未填写所属县（市、区），{where}区分同名单位" if told_apart else f"封面未填写所属县（市、区），{where}列出"


def _no_county(counties: list[str], apart: bool) -> str:
    """What 报送情况 says of a unit whose cover leaves 所属县 blank (and no consolidation it came
    through gives one) when units of its name give ``counties``: listed as a unit of its own
    (``apart``: the name is several counties') or taken as that one county's unit."""
    if apart:
        return (f"封面未填写所属县（市、区），无法确定是{'、'.join(counties)}中哪个县的同名单位，按单独的单位列出；"
                "如是其中某县的报表，请在封面填写所属县后重新汇总，以免重复计入")
    return (f"封面未填写所属县（市、区），与{counties[0]}的同名单位按同一单位处理；"
            "如不是同一单位，请在封面填写所属县后重新汇总")


def _county_spellings(parent: str) -> set[str]:
    """How a roster may write a unit's county before its name: as the cover gives it, and,
    as :func:`parent_key` compares counties, 云溪 for 云溪县 and 云溪县 for 云溪."""
    key = parent_key(parent)
    return {unit_key(parent), key} | ({key + s for s in "县区市旗"} if key == unit_key(parent) and key else set())


def _without_county(entry: RosterUnit, groups: list[list[Unit]]) -> RosterLineWithoutCounty:
    """A roster line without its county that matches same-named units of several counties:
    each is listed and taken as that roster unit (nothing is dropped, nothing merged), and
    each row says so (:attr:`RosterLineWithoutCounty.message`)."""
    counties = sorted({next((u.county for u in g if u.county), "") or NO_COUNTY for g in groups})
    return RosterLineWithoutCounty(entry.name, entry.row, tuple(counties), len(groups))


def identity(units: Iterable[Unit]) -> Callable[[Unit], str]:
    """The key that tells units apart: the unit name (:func:`unit_key`), qualified by the
    所属县（市、区） (:func:`parent_key`) only when units of that name give different
    counties, as in a city's merge of two counties that each have a 城关镇; within one
    county a cover without its county is still the same unit."""
    shared = names_in_several_counties(u for u in units if u.readable)

    def key(unit: Unit) -> str:
        name = unit_key(unit.unit_name)
        return f"{name}\x1f{parent_key(unit.county)}" if name in shared else name

    return key


def unit_labels(units: Iterable[Unit]) -> Callable[[Unit], str]:
    """How the consolidated workbook names a unit in one column (相似文本, 校验情况, 图表):
    its name, followed by its 所属县（市、区） only when units of that name (as
    :func:`unit_key` compares them) give different counties among ``units``, as two
    counties' 城关镇 in a city's merge: ``城关镇人民政府（云溪县）``; otherwise the name alone."""
    shared = names_in_several_counties(units)

    def label(unit: Unit) -> str:
        if unit_key(unit.unit_name) not in shared:
            return unit.unit_name
        return f"{unit.unit_name}（{unit.county or NO_COUNTY}）"

    return label


def common_county(units: Iterable[Unit]) -> str:
    """The county all of ``units`` that give one give (its most frequent spelling): the
    county a consolidation of them is of and titled after; "" when they give several or none."""
    spellings = Counter(u.county for u in units if u.county)
    if len({parent_key(c) for c in spellings}) != 1:
        return ""
    return sorted(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def names_in_several_counties(units: Iterable[Unit]) -> set[str]:
    """The unit names (:func:`unit_key`) that units of different 所属县（市、区） give: two
    counties' 城关镇 in a city's merge are two units, told apart by their county."""
    counties: dict[str, set[str]] = {}
    for u in units:
        counties.setdefault(unit_key(u.unit_name), set()).add(parent_key(u.county))
    return {name for name, found in counties.items() if len(found - {""}) > 1}


def last_year(units: list[Unit], previous: list[Unit]) -> Callable[[Unit], Unit | None]:
    """Each unit's unit in last year's consolidation: the one of the same name and not of
    another 所属县（市、区） (a city's counties each have a 城关镇)."""
    by_name: dict[str, list[Unit]] = {}
    for p in previous:
        by_name.setdefault(unit_key(p.unit_name), []).append(p)

    def find(unit: Unit) -> Unit | None:
        county = parent_key(unit.county)
        found = [p for p in by_name.get(unit_key(unit.unit_name), [])
                 if not (county and parent_key(p.county) and parent_key(p.county) != county)]
        if len(found) > 1:
            found = [p for p in found if parent_key(p.county) == county]
        return found[0] if len(found) == 1 else None

    return find


def same_file_once(files: list[Unit]) -> tuple[list[Unit], list[tuple[Unit, Unit]]]:
    """One unit's files with each submitted file once: a row of an earlier consolidation
    whose source has the same SHA-256 as a file read directly (or as another such row) is
    the same submission seen again, not a second one (:data:`SAME_FILE_RULE`). Returns the
    distinct files and the (repeat, original) pairs; a direct file is the original."""
    originals: dict[str, Unit] = {}
    distinct: list[Unit] = []
    repeats: list[tuple[Unit, Unit]] = []
    for unit in sorted(files, key=lambda u: (bool(u.via), u.file)):
        original = originals.get(unit.sha256) if unit.sha256 else None
        if original is None:
            if unit.sha256:
                originals[unit.sha256] = unit
            distinct.append(unit)
        else:
            repeats.append((unit, original))
    kept = {id(d) for d in distinct}
    return [u for u in files if id(u) in kept], repeats


def consolidation_year(units: list[Unit]) -> int | None:
    """The report year of the consolidation: the year most readable units give (the
    earlier year on a tie). Units of another year are listed but not counted (:data:`YEAR_RULE`).
    A workbook without a unit name (:data:`NO_NAME`, 无法读取) has no say."""
    counts = Counter(u.year for u in units if u.readable and u.year is not None and unit_key(u.unit_name))
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def choose(files: list[Unit], year: int | None = None) -> Unit:
    """The file that counts among several for one unit (:data:`DUPLICATE_RULE`): a file of
    the consolidation's ``year`` before one of another year (last year's, sent later by mistake)."""
    return min(files, key=lambda u: (year is not None and u.year not in (None, year), -int(u.mtime), u.errors, u.file))


def unit_order(unit: Unit) -> tuple:
    """Deterministic order of units whatever order the inputs came in."""
    return (unit_key(unit.unit_name), unit.file, unit.sha256)


def _note(unit: Unit, chosen: Unit, files: list[Unit], status: str, entry: RosterUnit | None,
          include_errors: bool, other_year: bool = False) -> str:
    notes = []
    if status == UNLISTED:
        notes.append(_NOT_LISTED)
    if len(files) > 1:
        if unit is chosen and not other_year and status != UNLISTED and (include_errors or not unit.errors):
            notes.append(f"共 {len(files)} 份文件，本份（修改时间 {_time(unit.mtime)}）计入汇总")
        elif unit is chosen and not other_year:  # the unit is not counted at all (名册外, or errors excluded)
            notes.append(f"共 {len(files)} 份文件，以本份（修改时间 {_time(unit.mtime)}）为准")
        elif unit is chosen:
            notes.append(f"共 {len(files)} 份文件，均与汇总年度不符")
        else:
            notes.append(f"共 {len(files)} 份文件，以{_where(chosen, files)}为准，本份不计入汇总")
    # nothing to tell when the roster gives just the cover's name, or its county and name (a city's
    # roster: 云溪县城关镇人民政府; the county is in its own column)
    if entry and plain_name(entry.name) not in {plain_name(unit.unit_name), plain_name(unit.parent + unit.unit_name)}:
        notes.append(f"报表填写的单位名称为“{unit.unit_name}”，与名册“{entry.name}”按同一单位处理")
    if entry and entry.unit_type and unit.unit_type and entry.unit_type != unit.unit_type:
        notes.append(f"报表填写的单位类型为“{unit.unit_type}”，与名册“{entry.unit_type}”不一致")
    if unit.errors and unit is chosen and status != UNLISTED and not other_year:
        notes.append(f"有 {unit.errors} 个错误，" + ("已计入汇总" if include_errors else ERRORS_NOT_COUNTED))
    return "；".join(notes)


_NOT_LISTED = "不在名册中，未计入汇总"
#: The note of the file that stands for a unit left out by --exclude-errors (after “有 N 个错误，”).
ERRORS_NOT_COUNTED = "未计入汇总"


def _where(unit: Unit, among: Iterable[Unit] = ()) -> str:
    """A file as 报送情况's notes name it: with the consolidation it came through, since two
    counties' (or two versions of one county's) consolidations name the same 各乡镇报表/01_城关镇.xlsx;
    a file sent directly as 直接报送的 when one of ``among`` came through a consolidation under
    the same name (a township's corrected file beside the county's consolidation)."""
    if unit.via:
        return f"汇总文件“{unit.via}”中的“{unit.file}”"
    if any(u.via and u.file == unit.file for u in among):
        return f"直接报送的“{unit.file}”"
    return f"“{unit.file}”"


def _time(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S") if ts else "未知"
