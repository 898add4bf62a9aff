"""Acceptance: the seed report (南定镇 2021) and the sample county, through real workbooks.

The seed is imported with the real importer, placed in the template with
write_workbook, read back with read_workbook and validated. Sample workbooks
with injected errors (the Foundation's generator) must give every injected
rule; clean sample workbooks must give no error.
"""

from __future__ import annotations

import pytest

from gxexcel.importer import import_report
from gxexcel.reader import read_workbook
from gxexcel.rules.engine import validate
from gxexcel.sample import ERROR_KINDS, Manifest, write_samples
from gxexcel.writer import write_workbook

TABLE_ARITHMETIC = {
    "CELL-INT", "CELL-FEE", "CELL-BLANK", "T3-ROW-TOTAL", "T3-RESULT-SUM", "T3-BALANCE",
    "T3-CARRY-LE", "T3-ZERO-CONSIST", "T4-REVIEW-SUM", "T4-LIT-DIRECT-SUM", "T4-LIT-AFTER-SUM",
    "T2-REGS-LEVEL", "TPL-WB-FORMULA",
}


@pytest.fixture(scope="module")
def seed_workbook_findings(tmp_path_factory, seed_path):
    report = import_report(seed_path)
    path = write_workbook(report, tmp_path_factory.mktemp("seed") / "南定镇.xlsx")
    back = read_workbook(path)
    return back, validate(back)


def test_seed_workbook_gives_the_documented_findings(seed_workbook_findings):
    _, findings = seed_workbook_findings
    rules = {f.rule for f in findings}
    assert {"META-UNIT-NAME", "X-FEE-STMT", "META-ROLE", "META-PERIOD-STMT", "X-TEXT-ZERO", "META-STALE"} <= rules
    assert not rules & TABLE_ARITHMETIC, "the seed's tables are consistent"


def test_seed_unit_name_finding_names_jinshan_and_points_at_the_text(seed_workbook_findings):
    _, findings = seed_workbook_findings
    (f,) = [f for f in findings if f.rule == "META-UNIT-NAME"]
    assert "金山镇" in f.message and "南定镇" in f.message
    assert f.severity == "error"
    assert (f.sheet, f.section) == ("正文", "一、总体情况（二）依申请公开")
    assert f.cell and "截止目前，金山镇" in f.quote
    # the unit's own name, written many times, is never flagged
    assert not any("“南定镇”" in x.message for x in findings)


def test_seed_other_documented_findings(seed_workbook_findings):
    _, findings = seed_workbook_findings
    by_rule = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    assert any("主管部门职责" in f.message for f in by_rule["META-ROLE"])
    assert any("办局" in f.message for f in by_rule["META-ROLE"])
    assert any("截止目前" in f.message for f in by_rule["META-PERIOD-STMT"])
    assert {f.severity for f in by_rule["X-FEE-STMT"]} == {"error"}  # a template workbook: error
    zero = " ".join(f.message for f in by_rule["X-TEXT-ZERO"])
    assert "申请数量增加" in zero and "解读" in zero
    assert "新修订" in by_rule["META-STALE"][0].message
    assert "X-S1-ASSESS" in by_rule


def test_seed_as_published_text_keeps_importer_findings_and_softens_fee_rule(seed_path):
    report = import_report(seed_path)
    findings = validate(report)
    rules = {f.rule for f in findings}
    assert {"META-UNIT-NAME", "TPL-LABEL-EXACT", "TPL-PRE2019"} <= rules
    assert {f.severity for f in findings if f.rule == "X-FEE-STMT"} == {"warning"}
    located = [f for f in findings if f.rule == "META-UNIT-NAME"][0]
    assert located.sheet == "" and located.section and "金山镇" in located.quote


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    directory = tmp_path_factory.mktemp("samples")
    manifest = write_samples(directory, len(ERROR_KINDS) + 3, seed=11, errors=True)
    return directory, manifest


def test_every_injected_error_is_found_and_clean_workbooks_have_no_error(samples):
    directory, manifest = samples
    assert isinstance(manifest, Manifest)
    clean = 0
    for entry in manifest.workbooks:
        findings = validate(read_workbook(directory / entry.file))
        found = {f.rule for f in findings}
        expected = manifest.expected_rules(entry.file)
        assert expected <= found, f"{entry.file}: missing {expected - found}"
        for e in entry.errors:  # and at the cell the manifest names
            if e.cell:
                assert any(f.rule == e.rule and (f.sheet, f.cell) == (e.sheet, e.cell) for f in findings), e
        if not entry.errors:
            clean += 1
            assert [f for f in findings if f.severity == "error"] == [], entry.file
    assert clean >= 3


def test_table_published_as_image_is_reported_once_not_as_175_blank_cells(seed_path):
    from gxexcel.importer import import_text

    text = seed_path.read_text(encoding="utf-8")
    start = text.index("三、收到和处理政府信息公开申请情况\n")
    end = text.index("四、政府信息公开行政复议")
    report = import_text(text[:start] + "三、收到和处理政府信息公开申请情况\n（表格见附件图片）\n\n" + text[end:])
    findings = validate(report)
    rules = [f.rule for f in findings]
    assert rules.count("TPL-IMAGE") == 1
    assert "CELL-BLANK" not in rules  # the importer already said why 表三 is blank
    # “申请数量增加” cannot be compared with a table that is not there; “缺少解读” still can
    zero = [f.message for f in findings if f.rule == "X-TEXT-ZERO"]
    assert len(zero) == 1 and "解读" in zero[0]
    assert "META-UNIT-NAME" in rules


def test_old_format_report_is_reported_as_old_format_not_as_blank_cells():
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / "import" / "format2019.html"
    rules = [f.rule for f in validate(import_report(path))]
    assert "TPL-2019-T2A" in rules and "TPL-2019-T3" in rules
    assert "CELL-BLANK" not in rules
