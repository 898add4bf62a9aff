"""Provincial variants of the tables (spec §2.4 TPL-LOCAL): an extra row such as Hubei's
``其他主动公开文件`` in 表二 is reported by its label, and the national cells around it are
read exactly as without it (the extra row's figures never land in a national cell).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gxexcel.importer import import_report
from gxexcel.rules.engine import validate

FIXTURES = Path(__file__).parent / "fixtures" / "import"
LOCAL_LABEL = "其他主动公开文件"

#: (fixture, the national row the extra row follows, that row with the extra row added)
VARIANTS = {
    "pipe": (
        "pipe_quirks.txt",
        "| 行政规范性文件 | 4 | 5 | 6 |",
        f"| 行政规范性文件 | 4 | 5 | 6 |\n| {LOCAL_LABEL} | 97 | 98 | 99 |",
    ),
    "html": (
        "html_spans.html",
        "<tr><th>行政规范性文件</th><td>4</td><td>5</td><td>6</td></tr>",
        "<tr><th>行政规范性文件</th><td>4</td><td>5</td><td>6</td></tr>\n"
        f"<tr><th>{LOCAL_LABEL}</th><td>97</td><td>98</td><td>99</td></tr>",
    ),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_extra_provincial_row_is_reported_and_national_cells_are_exact(variant, tmp_path):
    name, row, with_extra = VARIANTS[variant]
    original = (FIXTURES / name).read_text(encoding="utf-8")
    assert original.count(row) == 1
    path = tmp_path / name
    path.write_text(original.replace(row, with_extra), encoding="utf-8")

    plain = import_report(FIXTURES / name)
    local = import_report(path)

    assert local.cells == plain.cells
    assert not {97, 98, 99} & set(local.cells.values())
    found = [f for f in local.source.findings if f.rule == "TPL-LOCAL"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert LOCAL_LABEL in found[0].message and "表二" in found[0].message
    assert "TPL-LOCAL" not in {f.rule for f in plain.source.findings}
    # the other findings of the import are those of the national rendering
    others = lambda r: sorted(f.rule for f in r.source.findings if f.rule != "TPL-LOCAL")  # noqa: E731
    assert others(local) == others(plain)
    # validating the published report directly carries the warning too
    assert "TPL-LOCAL" in {f.rule for f in validate(local)}


def test_extra_row_reaches_the_validate_command_json(tmp_path):
    from click.testing import CliRunner

    from gxexcel.cli import cli

    name, row, with_extra = VARIANTS["pipe"]
    path = tmp_path / "湖北格式.txt"
    path.write_text((FIXTURES / name).read_text(encoding="utf-8").replace(row, with_extra), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path), "--json"])
    assert result.exit_code in (0, 1), result.output
    local = [f for f in json.loads(result.stdout) if f["rule"] == "TPL-LOCAL"]
    assert [f["severity"] for f in local] == ["warning"] and LOCAL_LABEL in local[0]["message"]
