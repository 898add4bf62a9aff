"""Generated text passes the validator's text-versus-table rules, and those rules do read it."""

from __future__ import annotations

import copy

import pytest

from gxexcel.narrative.draft import narrate
from gxexcel.rules.engine import validate

from narrative_reports import busy_report, many_reports

TEXT_RULES = {"X-TEXT-T2", "X-TEXT-T3", "X-TEXT-T4", "X-TEXT-SUM", "X-TEXT-ZERO", "X-FEE-STMT", "META-PERIOD-STMT", "META-YEAR"}
REPORTS = many_reports(count=45, seed=2021)


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.unit_name)
def test_generated_text_passes_the_text_rules(report):
    narrate(report)
    found = [f"{f.rule}: {f.message}" for f in validate(report) if f.rule in TEXT_RULES]
    assert found == []


def _drafted_busy():
    import random

    report = busy_report(random.Random(77))
    for row in ("open", "partial", "deny_secret", "unable_no_info", "reject_repeat", "other_other"):
        report.cells[f"t3.{row}.natural"] = 3  # every result group present
    report.cells["t3.new.natural"] += 6 * 3
    for cid in ("t4.review.upheld", "t4.suit_direct.pending", "t2.normative.issued", "t2.license.decisions",
                "t2.penalty.decisions", "t2.enforcement.decisions"):
        report.cells[cid] = 5
    report.fill_totals()
    narrate(report)
    return report


DRAFTED = _drafted_busy()
CHANGED = {
    "t3.new.natural": "X-TEXT-T3",
    "t3.carried.natural": "X-TEXT-T3",
    "t3.carry_forward.natural": "X-TEXT-T3",
    "t3.open.natural": "X-TEXT-T3",
    "t3.partial.natural": "X-TEXT-T3",
    "t3.deny_secret.natural": "X-TEXT-T3",
    "t3.unable_no_info.natural": "X-TEXT-T3",
    "t3.reject_repeat.natural": "X-TEXT-T3",
    "t3.other_other.natural": "X-TEXT-T3",
    "t2.normative.issued": "X-TEXT-T2",
    "t2.normative.in_force": "X-TEXT-T2",
    "t2.license.decisions": "X-TEXT-T2",
    "t2.penalty.decisions": "X-TEXT-T2",
    "t2.enforcement.decisions": "X-TEXT-T2",
    "t4.review.upheld": "X-TEXT-T4",
    "t4.suit_direct.pending": "X-TEXT-T4",
}


@pytest.mark.parametrize("cell_id", CHANGED)
def test_the_validator_reads_every_figure_of_the_generated_text(cell_id):
    """Change a cell after drafting: the stale sentence is caught, so the passing test above means something."""
    assert not [f for f in validate(DRAFTED) if f.rule in TEXT_RULES]
    stale = copy.deepcopy(DRAFTED)
    stale.cells[cell_id] += 1
    stale.fill_totals()
    assert CHANGED[cell_id] in {f.rule for f in validate(stale)}
    narrate(stale)  # refreshing the untouched drafts mends it
    assert not [f for f in validate(stale) if f.rule in TEXT_RULES]
