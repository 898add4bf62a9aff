"""Property-based tests of the whole pipeline (hypothesis): random counties through the merge,
random figures through narrate → publish → import, random text through import → validate.

- on a random county (sample units with random figures, cover names written with spaces,
  ideographic spaces, 政府/人民政府/办事处 variants, random duplicates and years, a random roster
  in other spellings, a random previous year), ``consolidate`` never raises, lists every input
  file exactly once and every roster line, counts each unit at most once, its totals are the
  sums of the counted units, sources stay untouched, and the inputs in another order (and
  through the cache, cold and warm) give a byte-identical workbook;
- a consolidation of consolidations equals the direct consolidation, and beside the files
  it holds counts each submission once;
- narrate, render and validate never raise on any report; a sample report with random
  figures survives publication (text, pipe, html) and import unchanged;
- whatever text is imported, the report validates without raising;
- on workbooks edited as a clerk may (text, errors, dates, formulas in data cells, totals
  typed over or deleted) and saved with cached results by LibreOffice, what the reader
  takes from the safety scan (formulas, typed-over totals, error values) is what openpyxl,
  an independent reader, sees in the same file (one soffice call per batch);
- validate, narrate -o and report answer any workbook with exit code 0/1/2, no traceback,
  and leave it unchanged.

CI runs a bounded number of examples; before a release run more, e.g.::

    GXEXCEL_HYPOTHESIS_EXAMPLES=300 GXEXCEL_HYPOTHESIS_BATCHES=10 \\
        python3 -m pytest tests/test_reliability_pipeline_properties.py -p no:xdist
"""

from __future__ import annotations

import csv
import datetime
import os
import random
from collections import Counter
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxexcel import form, layout
from gxexcel.cli import cli
from gxexcel.consolidation import consolidate
from gxexcel.consolidation.roster import unit_key
from gxexcel.consolidation.submissions import MISSING, UNREADABLE
from gxexcel.errors import GxError
from gxexcel.findings import Finding
from gxexcel.importer import import_text
from gxexcel.model import Report
from gxexcel.libreoffice import recalculate
from gxexcel.narrative.draft import narrate
from gxexcel.publish import render
from gxexcel.reader import read_workbook
from gxexcel.rules.engine import validate
from gxexcel.sample import SAMPLE_UNITS, place_name, sample_report
from gxexcel.writer import write_workbook

from test_reliability_properties import wild_reports

EXAMPLES = int(os.environ.get("GXEXCEL_HYPOTHESIS_EXAMPLES", "30"))
MERGE_EXAMPLES = max(EXAMPLES // 3, 6)
SLOW = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
YEAR = 2021
BASE_MTIME = 1_700_000_000


def spellings(name: str) -> list[str]:
    """How a clerk or a roster may write one unit's name (all one unit under the name rule)."""
    place = place_name(name)
    organ = name[len(place):]
    out = [name, place, f" {place} {organ}", f"{place}\u3000{organ}", "\u3000".join(place) + organ]
    if organ == "人民政府":
        out.append(place + "政府")
    if organ == "办事处":
        out.append(place + "办")
    return out


@st.composite
def counties(draw) -> dict:
    """A county: files (unit index, cover name, parent, year, seed, mtime), a roster, a previous year."""
    n = draw(st.integers(1, 6))
    names = [SAMPLE_UNITS[i] for i in draw(st.lists(st.integers(0, len(SAMPLE_UNITS) - 1),
                                                    min_size=n, max_size=n, unique=True))]
    files = []
    for k, (name, kind) in enumerate(names):
        for _ in range(draw(st.integers(0 if k else 1, 3))):  # 0: not submitted; >1: duplicates
            files.append(dict(
                unit=k,
                cover=draw(st.sampled_from(spellings(name))),
                parent=draw(st.sampled_from(["云溪县", "云溪", " 云溪县", ""])),
                year=draw(st.sampled_from([YEAR, YEAR, YEAR, YEAR - 1])),
                seed=draw(st.integers(0, 2**32)),
                # same second, other second, or a sub-second difference
                mtime=BASE_MTIME + draw(st.sampled_from([0, 0.25, 0.75, 1, 60, 3600])),
            ))
    roster = None
    if draw(st.booleans()):
        listed = draw(st.lists(st.integers(0, n - 1), unique=True))
        roster = [draw(st.sampled_from(spellings(names[k][0]))) for k in listed]
        extra = [u for u in SAMPLE_UNITS if u not in names]
        roster += [u[0] for u in draw(st.lists(st.sampled_from(extra), unique=True, max_size=2))]
    previous = draw(st.one_of(st.none(), st.lists(st.integers(0, n - 1), unique=True, min_size=1)))
    blank = draw(st.booleans())  # one more file whose cover has no unit name
    # files in other forms: a unit's report as published (text, html), a broken file
    others = draw(st.lists(st.tuples(st.sampled_from(["txt", "html", "broken"]), st.integers(0, n - 1),
                                     st.integers(0, 2**32)), max_size=2))
    return dict(names=names, files=files, roster=roster, previous=previous, blank=blank, others=others)


def write_county(county: dict, folder: Path) -> tuple[list[Path], Path | None, Path | None]:
    src = folder / "src"
    src.mkdir(parents=True)
    paths = []
    for i, f in enumerate(county["files"]):
        name, kind = county["names"][f["unit"]]
        report = sample_report(random.Random(f["seed"]), unit_name=name, unit_type=kind,
                               parent=f["parent"], year=f["year"])
        report.unit_name = f["cover"]
        path = write_workbook(report, src / f"{i:02d}_{place_name(name)}.xlsx")
        os.utime(path, (f["mtime"], f["mtime"]))
        paths.append(path)
    if county["blank"]:
        report = sample_report(random.Random(1), unit_name="无名镇人民政府", year=YEAR)
        report.unit_name = ""
        paths.append(write_workbook(report, src / "99_未填名称.xlsx"))
    for i, (kind, k, seed) in enumerate(county.get("others", ())):
        name, unit_type = county["names"][k]
        path = src / f"{50 + i:02d}_{place_name(name)}.{'xlsx' if kind == 'broken' else kind}"
        if kind == "broken":
            path.write_bytes(b"PK\x03\x04 copied halfway")
        else:
            report = sample_report(random.Random(seed), unit_name=name, unit_type=unit_type, year=YEAR)
            path.write_text(render(report, "html" if kind == "html" else "text"), encoding="utf-8")
        os.utime(path, (BASE_MTIME, BASE_MTIME))
        paths.append(path)
    roster = None
    if county["roster"] is not None and county["roster"]:
        roster = folder / "名册.csv"
        with roster.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["单位名称"])
            w.writerows([r] for r in county["roster"])
    previous = None
    if county["previous"] is not None:
        last = folder / "last"
        last.mkdir()
        for k in county["previous"]:
            name, kind = county["names"][k]
            report = sample_report(random.Random(k), unit_name=name, unit_type=kind, year=YEAR - 1)
            write_workbook(report, last / f"{k:02d}.xlsx")
        previous = consolidate([last], workers=1).to_excel(folder / "上年汇总.xlsx")
    return paths, roster, previous


@settings(max_examples=MERGE_EXAMPLES, **SLOW)
@given(county=counties(), order=st.randoms(use_true_random=False))
def test_merge_accounts_for_every_file_and_is_order_free(tmp_path_factory, county, order):
    folder = tmp_path_factory.mktemp("county")
    paths, roster, previous = write_county(county, folder)
    before = {p: p.read_bytes() for p in paths}
    try:
        result = consolidate(paths, roster=roster, previous=previous, workers=1)
    except GxError as exc:  # last year's consolidation is not of the year before this one's
        assert previous is not None and "上年汇总的报告年度" in exc.message, exc
        previous = None
        result = consolidate(paths, roster=roster, previous=previous, workers=1)
    out = result.to_excel(folder / "汇总.xlsx")
    # every input file exactly once in 报送情况; every roster line there; nothing else
    rows = result.statuses
    files = Counter(s.file for s in rows if s.status != MISSING)
    assert files == Counter(str(p) for p in paths), files
    if roster is not None:
        for line in county["roster"]:
            mine = [s for s in rows if s.unit_name == line.strip()]  # the roster reader strips cells
            assert mine, line
            assert (all(s.status == MISSING for s in mine) and len(mine) == 1) or not any(
                s.status == MISSING for s in mine), (line, mine)
    blank = [s for s in rows if s.file.endswith("99_未填名称.xlsx")]
    assert all(s.status == UNREADABLE and not s.counted for s in blank)
    # each unit at most once; every counted unit of the consolidation's year
    counted = result.counted
    keys = Counter(unit_key(u.unit_name) for u in counted)
    assert all(v == 1 for v in keys.values()), keys
    assert all(u.year == result.year for u in counted)
    # a unit with a file of the consolidation's year (and in the roster, if any) is counted
    listed = {unit_key(r) for r in county["roster"] or ()} if roster is not None else None
    for k, (name, _) in enumerate(county["names"]):
        mine = [f for f in county["files"] if f["unit"] == k]
        mine += [dict(year=YEAR) for kind, j, _ in county["others"] if j == k and kind != "broken"]
        expected = any(f["year"] == result.year for f in mine) and (listed is None or unit_key(name) in listed)
        assert (unit_key(name) in keys) == expected, (name, mine, result.year)
    # totals are the sums of the counted units
    for cid in form.CELLS:
        assert abs(result.total.number(cid) - sum(u.number(cid) for u in counted)) < 1e-6, cid
    # sources untouched
    assert all(p.read_bytes() == data for p, data in before.items())
    # any order: the same workbook, byte for byte
    shuffled = list(paths)
    order.shuffle(shuffled)
    again = consolidate(shuffled, roster=roster, previous=previous, workers=1)
    second = again.to_excel(folder / "again.xlsx")
    assert second.read_bytes() == out.read_bytes()
    # and through the cache of read units, filled then used
    for run in ("cold", "warm"):
        cached = consolidate(shuffled, roster=roster, previous=previous, workers=1, cache=folder / "cache")
        assert cached.to_excel(folder / f"{run}.xlsx").read_bytes() == out.read_bytes(), run


@settings(max_examples=MERGE_EXAMPLES, **SLOW)
@given(county=counties(), split=st.randoms(use_true_random=False))
def test_consolidation_of_consolidations_equals_direct(tmp_path_factory, county, split):
    folder = tmp_path_factory.mktemp("nested")
    county = dict(county, roster=None, previous=None)
    paths, _, _ = write_county(county, folder)
    a, b = [], []
    for p in paths:
        (a if split.random() < 0.5 else b).append(p)
    parts = [consolidate(g, workers=1).to_excel(folder / f"{i}.xlsx") for i, g in enumerate((a, b)) if g]
    nested = consolidate(parts, workers=1)
    direct = consolidate(paths, workers=1)
    assert nested.total.cells == direct.total.cells
    assert nested.total.fees == direct.total.fees
    assert [(s.status, s.file, s.counted, s.unit_name) for s in nested.statuses] == [
        (s.status, s.file, s.counted, s.unit_name) for s in direct.statuses]
    assert nested.detail.drop(columns=["via"]).equals(direct.detail.drop(columns=["via"]))
    assert nested.summary.equals(direct.summary)
    # the files again beside the consolidations holding them: each submission counts once
    both = consolidate(paths + parts, workers=1)
    assert both.total.cells == direct.total.cells and both.total.fees == direct.total.fees
    assert sorted(u.file for u in both.counted) == sorted(u.file for u in direct.counted)
    # (an unreadable file is listed once, as read directly: the consolidations' rows add nothing)
    assert Counter((s.unit.via, s.file) for s in both.statuses if s.unit) == Counter(
        [("", str(p)) for p in paths] + [(u.via, u.file) for u in nested.units if u.readable])


@settings(max_examples=MERGE_EXAMPLES, **SLOW)
@given(county=counties().filter(lambda c: c["roster"]), split=st.randoms(use_true_random=False))
def test_consolidation_of_rostered_consolidations_agrees_with_the_direct_one(tmp_path_factory, county, split):
    """Two consolidations made with the county's roster, merged without one, carry its
    decisions: the statuses are those of the direct merge with the roster (未报送 named as
    the roster names them), and so are the totals."""
    folder = tmp_path_factory.mktemp("nested_roster")
    paths, roster, _ = write_county(dict(county, previous=None), folder)
    a, b = [], []
    for p in paths:
        (a if split.random() < 0.5 else b).append(p)
    parts = [consolidate(g, roster=roster, workers=1).to_excel(folder / f"{i}.xlsx") for i, g in enumerate((a, b)) if g]
    nested = consolidate(parts, workers=1)
    direct = consolidate(paths, roster=roster, workers=1)

    def seen(c):
        return sorted((s.status, s.file, s.counted, s.unit_name if s.status == MISSING else "") for s in c.statuses)

    assert seen(nested) == seen(direct)
    assert nested.total.cells == direct.total.cells and nested.total.fees == direct.total.fees


# -- one report through narrate, publish, import, validate ----------------------------------

INPUTS = [c for c in form.INPUT_CELLS if form.CELLS[c].kind == "count"]


@st.composite
def figured_reports(draw):
    """A sample report with random figures (large ones too) and random fees."""
    name, kind = draw(st.sampled_from(SAMPLE_UNITS))
    report = sample_report(random.Random(draw(st.integers(0, 2**32))), unit_name=name, unit_type=kind,
                           year=draw(st.integers(2008, 2035)))
    for cid, value in draw(st.lists(st.tuples(st.sampled_from(INPUTS), st.integers(0, 10**6)), max_size=8)):
        report.cells[cid] = value
    report.fill_totals()
    for fee in form.FEE_FIELDS:
        if draw(st.booleans()):
            money = st.one_of(st.integers(0, 10**5), st.sampled_from([0.5, 12.34, 1000.01]))
            report.fees[fee.id] = draw(st.integers(0, 500) if fee.kind == "count" else money)
    return report


@settings(max_examples=EXAMPLES, deadline=None)
@given(report=wild_reports(), year=st.one_of(st.none(), st.integers(-5, 100_000)))
def test_narrate_render_validate_never_raise_on_any_report(report, year):
    report.year = year if year != 0 else report.year
    narrate(report, force=True)
    for fmt in ("text", "pipe", "html"):
        assert render(report, fmt)
    assert all(isinstance(f, Finding) and f.message for f in validate(report))


@settings(max_examples=EXAMPLES, deadline=None)
@given(report=figured_reports(), fmt=st.sampled_from(["text", "pipe", "html"]))
def test_published_figures_come_back_on_import(report, fmt):
    narrate(report, force=True)
    back = import_text(render(report, fmt), kind="html" if fmt == "html" else "text")
    assert back.cells == report.cells
    assert back.year == report.year and back.unit_name == report.unit_name
    assert back.fees == report.fees
    findings = validate(back)
    assert all(isinstance(f, Finding) and f.message for f in findings)


_WORDS = ([s.heading for s in form.SECTIONS] + [x for c in form.CELLS.values() for x in c.row_labels + c.column_labels if x]
          + ["0", "12", "1,234", "１２", "-3", "0.5", "二〇二一年", "2021年", "2019年", "人民政府", "收费", "元", "万元",
             "城关镇人民政府2021年政府信息公开工作年度报告", "本年度未收取信息处理费", "<td>", "</td>"])


@settings(max_examples=EXAMPLES * 2, deadline=None)
@given(words=st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)), max_size=150),
       sep=st.sampled_from(["\n", " ", "\t", " | "]), previous=st.one_of(st.none(), wild_reports()))
def test_whatever_is_imported_validates_without_raising(words, sep, previous):
    for kind in ("text", "html"):
        try:
            report = import_text(sep.join(words), kind=kind)
        except GxError as exc:
            assert str(exc) and not str(exc).isascii()
            continue
        assert all(isinstance(f, Finding) and f.message for f in validate(report, previous))


# -- merge's fast path and validate agree on workbooks saved by a spreadsheet ----------------

BATCHES = int(os.environ.get("GXEXCEL_HYPOTHESIS_BATCHES", "1"))
DATA_CELLS = [c for c in form.INPUT_CELLS if form.CELLS[c].kind == "count"]
#: What a clerk may leave in a data cell: numbers, text, blanks, formulas, error values, dates.
data_value = st.one_of(
    st.integers(0, 9), st.sampled_from(["三", "5", " 3 ", "５", None, -1, 2.5, 10**10, True, "=2+3", "=1/0",
                                        "=A1", "#REF!", "#N/A", datetime.datetime(2021, 5, 3)]))
#: What a clerk may type over a 总计: a figure (the right sum too), text, an error, a date, another
#: formula, or nothing (the formula deleted).
total_value = st.one_of(st.integers(0, 40), st.sampled_from(
    ["无", 0, -1, 2.5, "#REF!", datetime.datetime(2021, 5, 3), None, "=1+1", "=SUM(A1:A2)"]))


@st.composite
def edited(draw) -> tuple[Report, dict, dict]:
    name, kind = draw(st.sampled_from(SAMPLE_UNITS))
    report = sample_report(random.Random(draw(st.integers(0, 2**32))), unit_name=name, unit_type=kind)
    data = dict(draw(st.lists(st.tuples(st.sampled_from(DATA_CELLS), data_value), max_size=3)))
    totals = dict(draw(st.lists(st.tuples(st.sampled_from(form.TOTAL_CELLS), total_value), max_size=2)))
    return report, data, totals


def _edit(path: Path, data: dict, totals: dict) -> None:
    positions = layout.cell_positions()
    book = openpyxl.load_workbook(path)
    for cid, value in {**data, **totals}.items():
        cell = book[positions[cid].sheet][positions[cid].coordinate]
        cell.value = value
        if isinstance(value, str) and value.startswith("#"):
            cell.data_type = "e"
    book.save(path)


def _reader_facts(path: Path) -> tuple:
    report = read_workbook(path)
    errors = {c: v for c, v in report.cells.items() if c in form.INPUT_CELLS and c not in report.source.formula_inputs
              and isinstance(v, str) and v.startswith("#")}
    return set(report.source.typed_totals), report.source.formula_inputs, errors


def _openpyxl_facts(path: Path) -> tuple:
    """The same facts as openpyxl reads them (formulas, not cached values)."""
    book = openpyxl.load_workbook(path)
    positions = layout.cell_positions()
    typed, formulas, errors = set(), {}, {}
    for cid, spec in form.CELLS.items():
        cell = book[positions[cid].sheet][positions[cid].coordinate]
        if spec.role == "total":
            if cell.data_type != "f":
                typed.add(cid)
        elif cell.data_type == "f":
            formulas[cid] = cell.value
        elif cell.data_type == "e":
            errors[cid] = cell.value
    return typed, formulas, errors


@settings(max_examples=BATCHES, **SLOW)
@given(batch=st.lists(edited(), min_size=12, max_size=12))
def test_reader_sees_the_formulas_openpyxl_sees(tmp_path_factory, batch):
    folder = tmp_path_factory.mktemp("formulas")
    paths = []
    for i, (report, data, totals) in enumerate(batch):
        path = write_workbook(report, folder / "in" / f"{i:02d}.xlsx")
        _edit(path, data, totals)
        paths.append(path)
    saved = recalculate(paths, folder / "out")  # cached values, as Excel or WPS would save them
    for path, (report, data, totals) in zip(saved, batch):
        assert _reader_facts(path) == _openpyxl_facts(path), (path.name, data, totals)


# -- the commands a clerk runs, on any workbook the template lets through ----------------------


@settings(max_examples=max(EXAMPLES // 3, 5), **SLOW)
@given(report=wild_reports(), force=st.booleans(), fmt=st.sampled_from(["txt", "html", "md"]))
def test_clerk_commands_answer_in_chinese_on_any_workbook(tmp_path_factory, report, force, fmt):
    folder = tmp_path_factory.mktemp("cli")
    path = write_workbook(report, folder / "单位.xlsx")
    source = path.read_bytes()
    runner = CliRunner()
    for args in (["validate", str(path)], ["narrate", str(path), "-o", str(folder / "起草.xlsx")] + (["--force"] * force),
                 ["report", str(path), "-o", str(folder / f"报告.{fmt}")]):
        result = runner.invoke(cli, args)
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output, result.exception)
        assert "Traceback" not in result.output and "Error" not in result.output, (args, result.output)
    assert path.read_bytes() == source  # narrate -o and report leave the source alone
