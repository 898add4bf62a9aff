"""The README's rule table is generated from the catalogue: it fails when they drift apart."""

from __future__ import annotations

from pathlib import Path

from gxexcel.rules.catalog import RULES, markdown_table

README = Path(__file__).resolve().parents[1] / "README.md"


def validation_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("<!-- BEGIN validation -->")
    end = text.index("<!-- END validation -->")
    return text[start:end]


def test_readme_rule_table_is_the_generated_one():
    section = validation_section()
    assert markdown_table() in section, (
        "README rule table differs from gxexcel.rules.catalog; regenerate it with "
        "python3 -c 'from gxexcel.rules.catalog import markdown_table; print(markdown_table())'"
    )


def test_every_rule_is_documented_once():
    section = validation_section()
    for rule_id in RULES:
        assert section.count(f"| `{rule_id}` |") == 1, rule_id


def test_explanation_workflow_is_documented():
    section = validation_section()
    assert "出错说明" in section and "--write-back" in section and "错误不能以说明代替" in section
