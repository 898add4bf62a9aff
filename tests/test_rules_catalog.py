"""The rule catalogue: every rule id of the format spec is declared, messages fill."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gxexcel import form
from gxexcel.rules import catalog

SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec" / "annual-report-format.md"

# Rules of the spec that no program can check (help text only) or that merely say "pass".
NOT_RULES = {"T3-PARTIAL-EXCL", "PLAUS-T4-COUNT", "TPL-2021-OK"}
OUR_RULES = {"X-TEXT-SUM", "META-COVER", "TPL-WB-LABEL", "TPL-WB-FORMULA", "TPL-WB-SHEETS", "TPL-WB-VERSION", "TPL-WB-MACROS", "CELL-FORMULA"}


def spec_rule_ids() -> set[str]:
    text = SPEC.read_text(encoding="utf-8")
    start = text.index("### 2.4")
    end = text.index("## 4.")
    return set(re.findall(r"^\| ([A-Z0-9]+(?:-[A-Z0-9]+)+) \|", text[start:end], flags=re.M))


def test_every_spec_rule_is_declared():
    ids = spec_rule_ids()
    assert len(ids) > 40
    assert ids - NOT_RULES <= set(catalog.RULES)
    # beyond the spec: our template-integrity rules and the importer's IMP-* rules
    assert {r for r in set(catalog.RULES) - ids if not r.startswith("IMP-")} == OUR_RULES


def test_identity_rules_come_from_the_form():
    for rule in form.IDENTITY_RULES:
        assert catalog.RULES[rule.id].title == rule.statement


def test_message_fills_with_the_figures():
    f = catalog.finding(
        "T3-BALANCE",
        table="表三",
        where=" 自然人列",
        left_text="一＋二",
        left=5,
        right_text="三（七）＋四",
        right=4,
        sheet="表三",
        cell="D29",
    )
    assert f.message == "表三 自然人列：一＋二＝5，三（七）＋四＝4，勾稽关系不符"
    assert (f.severity, f.sheet, f.cell, f.key) == ("error", "表三", "D29", "T3-BALANCE@表三!D29")


def test_variants_and_severity_override():
    f = catalog.finding("X-TEXT-SUM", "short", phrase="共10条，其中网站5条", parts=5, total=10, severity="warning")
    assert f.severity == "warning" and "少于总数10" in f.message
    with pytest.raises(KeyError):
        catalog.finding("X-TEXT-SUM", phrase="x")  # a missing parameter is a programming error


@pytest.mark.parametrize("rule", list(catalog.RULES.values()), ids=lambda r: r.id)
def test_every_template_is_chinese_and_fills(rule):
    assert rule.severity in ("error", "warning")
    assert rule.checker in catalog.CHECKERS
    for variant, names in rule.params.items():
        f = rule.finding(variant, **{n: "9" for n in names})
        assert re.search(r"[\u4e00-\u9fff]", f.message)
        assert "{" not in f.message


def test_spec_json_lists_every_rule():
    from click.testing import CliRunner

    from gxexcel.cli import cli

    out = CliRunner().invoke(cli, ["spec", "--json"])
    assert out.exit_code == 0
    rules = {r["id"]: r for r in json.loads(out.output)["rules"]}
    assert set(rules) == set(catalog.RULES)
    assert rules["META-UNIT-NAME"]["params"] == {"": ["name", "unit"]}
