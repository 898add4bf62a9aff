"""``consolidate(paths, roster=None, previous=None)``: read, validate and consolidate
every input; the result has one DataFrame per sheet of the consolidated workbook.

Inputs are read in a process pool over the machine's cores and streamed back
as compact :class:`~.units.Unit` records; everything after that is ordered so
that the same inputs in any order give the same result.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ..errors import GxError
from ..findings import Finding
from ..model import Report
from . import similarity
from .collect import InputFile, close_archives, collect
from .roster import RosterUnit, read_roster, unit_key
from .submissions import (RosterLineWithoutCounty, Submission, assess_roster, common_county, identity, last_year,
                          unit_labels, unit_order)
from .totals import summed_report
from .units import Unit, cached_units, read_input, split_missing

if TYPE_CHECKING:
    import pandas as pd

_PARTS = ("s1.intro", "s5")
#: Below this many files the pool costs more than it saves.
POOL_THRESHOLD = 24
_CHUNKSIZE = 16
#: Small inputs read in one forked process (not macOS: forking there may crash system libraries).
_FORK_SMALL = sys.platform != "darwin"

Progress = Callable[[int, int, str], None]  # done, total, file just read


@dataclass
class Consolidation:
    """Everything a consolidation found; ``sheets`` gives one DataFrame per workbook sheet."""

    units: list[Unit]
    statuses: list[Submission]
    total: Report
    include_errors: bool = True
    roster: list[RosterUnit] | None = None
    previous: "Consolidation | None" = None
    pairs: list[similarity.SimilarPair] = field(default_factory=list)
    previous_pairs: list[similarity.SimilarPair] = field(default_factory=list)
    carry: list[similarity.CarryCheck] = field(default_factory=list)
    #: Findings made by the consolidation itself (META-DUP, XY-T3-CARRY), by unit file.
    extra_findings: dict[tuple[str, str], list[Finding]] = field(default_factory=dict)
    title: str = ""
    #: Roster lines without county matching same-named units of several counties (a city's roster).
    roster_lines_without_county: list[RosterLineWithoutCounty] = field(default_factory=list)
    #: Earlier results of this same merge found among the inputs (``exclude``), left out and to be replaced.
    replaces: list[Path] = field(default_factory=list)
    #: The files read (real paths), the roster and last year's consolidation: never written over by :meth:`to_excel`.
    inputs: frozenset[str] = frozenset()
    _label: Callable[[Unit], str] | None = field(default=None, init=False, repr=False, compare=False)

    def label(self, unit: Unit) -> str:
        """How the workbook names ``unit``: its name, and its 所属县（市、区） when units of
        that name of several counties are merged (:func:`~.submissions.unit_labels`)."""
        if self._label is None:
            self._label = unit_labels(u for u in self.units if u.readable)
        return self._label(unit)

    @property
    def counted(self) -> list[Unit]:
        return [s.unit for s in self.statuses if s.counted and s.unit is not None]

    @property
    def year(self) -> int | None:
        return self.total.year

    def status_of(self, unit: Unit) -> Submission | None:
        return next((s for s in self.statuses if s.unit is unit), None)

    # -- DataFrames ---------------------------------------------------------

    @property
    def sheets(self) -> dict[str, "pd.DataFrame"]:
        from .sheets import frames

        return frames(self)

    @property
    def summary(self) -> "pd.DataFrame":
        from .sheets import summary_frame

        return summary_frame(self)

    @property
    def detail(self) -> "pd.DataFrame":
        from .sheets import detail_frame

        return detail_frame(self)

    @property
    def findings(self) -> "pd.DataFrame":
        from .sheets import findings_frame

        return findings_frame(self)

    @property
    def submissions(self) -> "pd.DataFrame":
        from .sheets import submissions_frame

        return submissions_frame(self)

    @property
    def similar(self) -> "pd.DataFrame":
        from .sheets import similar_frame

        return similar_frame(self)

    @property
    def charts(self) -> "pd.DataFrame":
        from .sheets import charts_frame

        return charts_frame(self)

    def to_excel(self, path: str | os.PathLike[str]) -> Path:
        """Write the consolidated workbook (atomically) and return its path; a file read as one
        of the inputs is refused (:class:`~.output.OutputIsInputError`), never written over."""
        from .output import refusal
        from .workbook import write_consolidation

        if os.path.realpath(path) in self.inputs:
            raise refusal(path, "报送的文件不能用来存放汇总结果")
        return write_consolidation(self, path)


def consolidate(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    roster: str | os.PathLike[str] | list[RosterUnit] | None = None,
    previous: str | os.PathLike[str] | None = None,
    *,
    include_errors: bool = True,
    exclude: Iterable[str | os.PathLike[str]] = (),
    progress: Progress | None = None,
    workers: int | None = None,
    title: str = "",
    cache: bool | str | os.PathLike[str] = False,
) -> Consolidation:
    """Read, validate and consolidate every input under ``paths`` (folders, zip files,
    single files; our workbooks, earlier consolidations, published reports).

    ``roster`` is a roster file (or parsed :class:`RosterUnit` list) of the units
    that must report; ``previous`` last year's consolidation workbook, for the
    year-on-year checks. ``exclude`` names the output to be written: found among the inputs, it
    is left out only when it is an earlier result of this same merge (each of its units read again
    here; listed in ``replaces``), else :class:`~.output.OutputIsInputError` is raised. Raises
    :class:`GxError` for a missing input path or a bad roster or previous consolidation; files
    that cannot be read are reported, not raised.
    """
    from .output import earlier_results

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    skipped: dict[str, tuple[Path, bool]] = {}
    # the roster and last year's consolidation kept in an input folder are what they were named as,
    # not submissions (the roster was 无法读取; last year's units outvoted this year's)
    named = {os.path.realpath(p) for p in (roster, previous) if isinstance(p, (str, os.PathLike))}
    items = collect(paths, exclude=[*exclude, *named], skipped=skipped)
    # a submission named as the output is refused before reading
    earlier = earlier_results({real: found for real, found in skipped.items() if real not in named})
    roster_units = read_roster(roster) if isinstance(roster, (str, os.PathLike)) else roster
    folder = None
    if cache:
        from .cache import default_folder

        folder = str(default_folder() if cache is True else Path(cache))
    before = _previous(previous)  # a missing or wrong file is said before the inputs are read
    units, missing = split_missing(sorted(read_all(items, progress=progress, workers=workers, cache=folder),
                                          key=unit_order))
    if before is not None:
        _check_previous_year(before, units, previous)
    for result in earlier:
        result.check(units)
    consolidation = build(units, roster_units, before, include_errors=include_errors, title=title, missing=missing)
    consolidation.replaces = [r.path for r in earlier]
    consolidation.inputs = frozenset(os.path.realpath(item.path) for item in items) | named  # never written over
    return consolidation


def _check_previous_year(before: Consolidation, units: list[Unit], path: str | os.PathLike[str]) -> None:
    """Last year's consolidation must be of the year before (not this year's own, picked by mistake)."""
    from .submissions import consolidation_year

    year = consolidation_year(units)
    if before.year and year and before.year != year - 1:
        raise GxError(f"上年汇总的报告年度为{before.year}年，而本次汇总的报告年度为{year}年；"
                      f"请使用{year - 1}年度的汇总结果作为上年汇总。", path=str(path))


def build(
    units: list[Unit], roster: list[RosterUnit] | None, previous: "Consolidation | None", *,
    include_errors: bool = True, title: str = "", compare: bool = True, missing: list[Unit] = (),  # type: ignore[assignment]
) -> Consolidation:
    """The consolidation of already-read units (sorted with :func:`unit_order`) and the 未报送
    rows carried from earlier consolidations (``missing``, :func:`~.units.split_missing`);
    ``compare=False`` skips the text comparisons (last year's units need only figures and text)."""
    statuses, without_county = assess_roster(units, roster, include_errors=include_errors, missing=missing)
    counted = [s.unit for s in statuses if s.counted and s.unit is not None]
    year = _common(u.year for u in counted)
    # a county's name titles the consolidation only when every counted unit gives that county
    # (a city's merge of several counties is not titled after the largest)
    parent = common_county(counted)
    total = summed_report(counted, title=title or parent, year=year, parent=parent)
    result = Consolidation(units, statuses, total, include_errors, roster, previous, title=title or parent,
                           roster_lines_without_county=without_county)
    chosen = _one_per_unit(statuses, identity([*units, *missing]))
    result.pairs, echoes = similarity.compare_units(chosen, label=result.label) if compare else ([], [])
    extra: dict[tuple[str, str], list[Finding]] = {}
    if previous is not None:
        before = last_year(units, previous.counted)
        result.previous_pairs = similarity.previous_pairs(chosen, before, label=result.label)
        matched = {id(before(u)) for u in counted if before(u) is not None}
        same = len(matched) == len(counted) == len(previous.counted)
        previous_total = summed_report(previous.counted, title=total.unit_name,
                                       year=total.year - 1 if total.year else None)
        result.carry = similarity.carry_checks(counted, before, total, previous_total, same, label=result.label)
    for ref, found in similarity.dup_findings(echoes, result.previous_pairs).items():
        extra.setdefault(ref, []).extend(found)
    for check in result.carry:
        extra.setdefault(check.ref, []).append(check.finding)
    result.extra_findings = extra
    return result


def _one_per_unit(statuses: list[Submission], key: Callable[[Unit], str]) -> list[Unit]:
    """One unit per unit (:func:`~.submissions.identity`): the one that counts (or would
    count) among duplicates."""
    from .submissions import choose, consolidation_year

    groups: dict[str, list[Unit]] = {}
    for s in statuses:
        if s.unit is not None and s.unit.readable and unit_key(s.unit.unit_name):
            groups.setdefault(key(s.unit), []).append(s.unit)
    year = consolidation_year([s.unit for s in statuses if s.unit is not None])  # as assess() does
    return [choose(g, year) for _, g in sorted(groups.items())]


def _common(values: Iterable) -> object:
    counts = Counter(v for v in values if v not in (None, ""))
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[0][0]


def _archive(path: Path) -> str:
    """The kind of archive ``path`` is by content (zip, 7z, rar; an Office workbook, itself a zip,
    is none), else ""."""
    from ..safety import ARCHIVE_LIMITS, inspect_file

    try:
        kind = inspect_file(path, limits=ARCHIVE_LIMITS).kind
    except GxError:  # damaged or beyond the limits: not named an archive
        return ""
    return kind if kind in ("zip", "7z", "rar") else ""


def _previous(previous: str | os.PathLike[str] | None) -> Consolidation | None:
    if previous is None:
        return None
    from .readback import is_consolidation, read_consolidation

    path = Path(previous)
    if not path.is_file():
        raise GxError("上年汇总文件不存在。", path=str(path))
    if not is_consolidation(path):
        kind = _archive(path)
        if kind:  # last year's consolidation as it was kept or sent: packed
            raise GxError(f"这是 {kind} 压缩包；--previous 需要上年的汇总结果工作簿（.xlsx），"
                          "请先解压，再用 --previous 指定其中的汇总结果。", path=str(path))
        raise GxError("这不是 gxexcel 汇总生成的汇总工作簿（--previous 需要上年的汇总结果）。", path=str(path))
    units, _ = split_missing(sorted(read_consolidation(path, display=str(path), sha256="", carried=False), key=unit_order))
    return build(units, None, None, compare=False)


def read_all(items: list[InputFile], *, progress: Progress | None = None, workers: int | None = None,
             cache: str | None = None) -> Iterator[Unit]:
    """Read every input, in a process pool when there are many; yields units as they come.
    With a cache folder, files already in the cache are taken from it first and only the
    others are read."""
    try:
        yield from _read_all(items, progress=progress, workers=workers, cache=cache)
    finally:
        close_archives()  # the archives read stay in memory only while their members are read


def _read_all(items: list[InputFile], *, progress: Progress | None, workers: int | None,
              cache: str | None) -> Iterator[Unit]:
    total, done = len(items), 0
    if cache:
        pending = []
        for item in items:
            hit = cached_units(item, cache)
            if hit is None:
                pending.append(item)
                continue
            done += 1
            if progress:
                progress(done, total, item.display)
            yield from hit
        items = pending
    read = functools.partial(read_input, cache_folder=cache)
    methods = multiprocessing.get_all_start_methods()
    # an explicit worker count is obeyed; by default small inputs are read in one forked process
    # where forking is cheap and safe (Linux: no slower, measured), so that a reader that crashes
    # costs only its file, and in this process elsewhere (spawning one costs seconds on Windows)
    chunksize = _CHUNKSIZE
    if workers is None and len(items) < POOL_THRESHOLD:
        workers, chunksize = (1, 1) if _FORK_SMALL and "fork" in methods else (0, 0)
    elif workers is None:
        workers = os.cpu_count() or 1
    elif workers <= 1:
        workers = 0  # --workers 1: in this process, as asked
    if not workers or not items:
        results: Iterable[list[Unit]] = map(read, items)
        yield from _report(results, items, progress, done, total)
        return
    _warm_up()  # forked workers inherit the loaded rules instead of each loading them
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    gc.freeze()  # forked workers' collections then never walk (and so copy) the pages they inherit
    try:
        yield from _report(_pooled(read, items, workers, context, chunksize), items, progress, done, total)
    finally:
        gc.unfreeze()


def _pooled(read: Callable[[InputFile], list[Unit]], items: list[InputFile], workers: int,
            context: multiprocessing.context.BaseContext, chunksize: int = _CHUNKSIZE) -> Iterator[list[Unit]]:
    """The units of each item, in order, read in a process pool. A worker that dies (a file
    that crashes the reader, the OOM killer, a clerk's task manager) breaks the pool: the items
    not yet read are then read each in its own process, so that only the file whose reading
    killed its process is lost (listed as 无法读取), and every other file is still read.
    When no process can be started (a process limit, no memory to fork) the items are read here."""
    finished = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for units in pool.map(read, items, chunksize=chunksize):
                finished += 1
                yield units
    except BrokenProcessPool:
        yield from _isolated(read, items[finished:], workers, context)
    except OSError:
        if finished:
            raise
        yield from map(read, items)


def _isolated(read: Callable[[InputFile], list[Unit]], items: list[InputFile], workers: int,
              context: multiprocessing.context.BaseContext) -> Iterator[list[Unit]]:
    """Each item read in a process of its own (at most ``workers`` at a time), in order."""
    from multiprocessing.connection import wait

    results: dict[int, list[Unit]] = {}
    running: dict[int, tuple[multiprocessing.process.BaseProcess, Connection]] = {}
    started = emitted = 0
    try:
        while emitted < len(items):
            while started < len(items) and len(running) < workers:
                receiver, sender = context.Pipe(duplex=False)
                process = context.Process(target=_read_one, args=(read, items[started], sender), daemon=True)
                process.start()
                sender.close()
                running[started] = (process, receiver)
                started += 1
            ready = wait([receiver for _, receiver in running.values()])
            for k, (process, receiver) in list(running.items()):
                if receiver not in ready:
                    continue
                try:
                    results[k] = receiver.recv()
                except (EOFError, OSError):  # the process died before it could say anything
                    results[k] = [_died(items[k])]
                receiver.close()
                process.join()
                del running[k]
            while emitted in results:
                yield results.pop(emitted)
                emitted += 1
    finally:
        for process, receiver in running.values():
            process.kill()
            process.join()
            receiver.close()


def _read_one(read: Callable[[InputFile], list[Unit]], item: InputFile, sender: Connection) -> None:
    sender.send(read(item))
    sender.close()


def _died(item: InputFile) -> Unit:
    """The 无法读取 unit of a file whose reading process died."""
    import hashlib

    try:
        sha256 = hashlib.sha256(item.read_bytes()).hexdigest()
    except (OSError, GxError):
        sha256 = ""
    return Unit(file=item.display, sha256=sha256, mtime=item.mtime,
                problem="读取该文件时读取进程意外终止（可能是文件触发了程序缺陷，或内存不足），该文件未能读取，"
                        "其他文件照常汇总；请重新汇总一次，仍无法读取时请将此文件反馈给维护人员")


def _warm_up() -> None:
    """Load the reader and every rule's data (the place-name gazetteer, ~50 ms) once in
    the parent, so forked workers share it instead of each loading it."""
    from .. import reader  # noqa: F401
    from ..rules.engine import validate

    validate(Report(unit_name="城关镇人民政府", unit_type="乡镇人民政府", year=2021,
                    narrative={part: "2021年，城关镇人民政府认真做好政府信息公开工作。" for part in _PARTS}))


def _report(results: Iterable[list[Unit]], items: list[InputFile], progress: Progress | None,
            done: int, total: int) -> Iterator[Unit]:
    for k, (item, units) in enumerate(zip(items, results), done + 1):
        if progress:
            progress(k, total, item.display)
        yield from units
