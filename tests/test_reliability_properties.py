"""Property-based tests over generated reports (hypothesis), issue 8 item 4.

- ``write_workbook`` then ``read_workbook`` gives the same report, whatever the
  values (text, negative numbers, decimals, blanks, formula-like text);
- the validator never raises, on wild reports and on workbooks made of them;
- on random figures (and typed-over totals) the validator's table findings and
  the template's live check cells, recalculated by LibreOffice, agree cell by
  cell. Workbooks are recalculated in one batch per example (one soffice call).

CI runs a bounded number of examples. Before a release run more, e.g.::

    GXEXCEL_HYPOTHESIS_EXAMPLES=500 GXEXCEL_HYPOTHESIS_BATCHES=25 \\
        python3 -m pytest tests/test_reliability_properties.py -p no:xdist
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxexcel import form, layout
from gxexcel.findings import Finding
from gxexcel.libreoffice import recalculate
from gxexcel.model import Report
from gxexcel.reader import read_workbook
from gxexcel.rules.engine import validate
from gxexcel.sample import SAMPLE_UNITS, sample_report, type_over_totals
from gxexcel.template import live_checks
from gxexcel.writer import write_workbook

EXAMPLES = int(os.environ.get("GXEXCEL_HYPOTHESIS_EXAMPLES", "30"))
BATCHES = int(os.environ.get("GXEXCEL_HYPOTHESIS_BATCHES", "1"))
BATCH_SIZE = 20
SLOW = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Text a clerk may type: any printable character (xlsx cannot hold control characters), formula-like starts.
_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
clerk_text = st.one_of(
    st.text(_chars, min_size=1, max_size=40),
    st.sampled_from(["=SUM(A1:A9)", "+1", "-2", "@A1", "=cmd|' /C calc'!A0", "五", "1,000", "0", " ", "#REF!"]),
    st.builds(lambda a, b: f"{a}\n{b}", st.text(_chars, min_size=1, max_size=10), st.text(_chars, min_size=1, max_size=10)),
)
count_value = st.one_of(
    st.integers(0, 30),
    st.integers(0, 10**9),
    st.integers(-50, -1),
    st.sampled_from([0.5, 2.5, 1.25]),
    st.none(),
    clerk_text,
)
money_value = st.one_of(st.integers(0, 10**6), st.floats(0, 10**4).map(lambda x: round(x, 4)), st.none(), clerk_text)


@st.composite
def wild_reports(draw) -> Report:
    """Any report a clerk could submit through the template, totals left to the formulas."""
    report = Report(
        unit_name=draw(st.text(_chars, min_size=1, max_size=20).map(str.strip).filter(bool)),
        unit_type=draw(st.sampled_from(form.UNIT_TYPES)),
        parent=draw(st.sampled_from(["云溪县", "", "=A1"])),
        year=draw(st.one_of(st.none(), st.integers(2000, 2100))),
        contact=draw(st.sampled_from(["", "张三", "-李四"])),
        phone=draw(st.sampled_from(["", "0731-1234567", "+86 731 1234567"])),
    )
    for cid in form.INPUT_CELLS:
        report.cells[cid] = draw(money_value if form.CELLS[cid].kind == "money" else count_value)
    report.fill_totals()
    for part in form.NARRATIVE_PARTS:
        if draw(st.booleans()):
            report.narrative[part.id] = draw(clerk_text)
    for fee in form.FEE_FIELDS:
        report.fees[fee.id] = draw(money_value)
    return report


@settings(max_examples=EXAMPLES, **SLOW)
@given(report=wild_reports())
def test_write_then_read_is_exact(tmp_path_factory, report):
    path = write_workbook(report, tmp_path_factory.mktemp("rt") / "r.xlsx")
    back = read_workbook(path)
    assert back.content() == report.content()
    assert back.source.typed_totals == [] and back.source.changed_labels == {}


@settings(max_examples=EXAMPLES * 5, deadline=None)
@given(report=wild_reports(), previous=st.one_of(st.none(), wild_reports()))
def test_validator_never_raises_on_any_report(report, previous):
    findings = validate(report, previous)
    assert all(isinstance(f, Finding) and f.message for f in findings)


@settings(max_examples=max(EXAMPLES // 3, 5), **SLOW)
@given(report=wild_reports())
def test_validator_never_raises_on_any_workbook(tmp_path_factory, report):
    path = write_workbook(report, tmp_path_factory.mktemp("wb") / "w.xlsx")
    findings = validate(read_workbook(path))
    assert all(isinstance(f, Finding) and f.message for f in findings)


# -- the validator and the template's live checks agree -------------------------------------

TABLE_CELLS = [c for c in form.INPUT_CELLS if form.CELLS[c].table in ("t3", "t4")]
IDENTITY_RULES = {r.id for r in form.IDENTITY_RULES}
#: Counts, a text, a blank, a negative number, a half: what SUM and the validator both see.
table_value = st.one_of(st.integers(0, 9), st.sampled_from(["三", None, -1, 2.5]))


@st.composite
def figures(draw) -> tuple[Report, dict[str, int]]:
    """A plausible report, some of its inputs changed and some totals typed over."""
    name, kind = draw(st.sampled_from(SAMPLE_UNITS))
    report = sample_report(random.Random(draw(st.integers(0, 2**32))), unit_name=name, unit_type=kind)
    for cid, value in draw(st.lists(st.tuples(st.sampled_from(TABLE_CELLS), table_value), max_size=4)):
        report.cells[cid] = value
    report.fill_totals()
    typed = dict(draw(st.lists(st.tuples(st.sampled_from(form.TOTAL_CELLS), st.integers(0, 40)), max_size=2)))
    return report, typed


def _identity_checks() -> list[tuple[form.Identity, layout.Position]]:
    out = []
    for table in ("t3", "t4"):
        instances = [i for r in form.IDENTITY_RULES if r.table == table for i in r.instances]
        checks = live_checks(table)[: len(instances)]
        out.extend((ident, pos) for ident, (pos, _) in zip(instances, checks, strict=True))
    return out


@settings(max_examples=BATCHES, **SLOW)
@given(batch=st.lists(figures(), min_size=BATCH_SIZE, max_size=BATCH_SIZE))
def test_validator_agrees_with_live_checks_recalculated_by_libreoffice(tmp_path_factory, batch):
    folder = tmp_path_factory.mktemp("agree")
    paths = []
    for i, (report, typed) in enumerate(batch):
        path = write_workbook(report, folder / "in" / f"{i:02d}.xlsx")
        if typed:
            type_over_totals(path, typed)
        paths.append(path)
    recalculated = recalculate(paths, folder / "out")  # one soffice call for the whole batch
    positions = layout.cell_positions()
    checks = _identity_checks()
    for path, done in zip(paths, recalculated):
        found = {
            (f.rule, f.sheet, f.cell) for f in validate(read_workbook(path)) if f.rule in IDENTITY_RULES
        }
        sheets = openpyxl.load_workbook(done, data_only=True)
        for ident, pos in checks:
            anchor = positions[ident.anchor]
            live = bool(sheets[pos.sheet][pos.coordinate].value)
            python = (ident.rule, anchor.sheet, anchor.coordinate) in found
            assert live == python, (path.name, ident.rule, ident.key, pos, live, python)
        status = sheets[layout.SHEET_COVER][layout.cover_positions()["status"].coordinate].value
        report = batch[int(path.stem)][0]
        blanks = any(report.cells[c] is None for c in form.INPUT_CELLS)
        assert (status == "全部通过") == (not found and not blanks), (path.name, status, found)
