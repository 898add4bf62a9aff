"""The declared form equals the format spec, label for label (spec §1.2–§1.5)."""

from __future__ import annotations

import re

from gxexcel import form


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    nxt = text.find("\n### ", start + 1)
    return text[start : nxt if nxt != -1 else None]


def _table_rows(md: str) -> list[list[str]]:
    rows = []
    for line in md.splitlines():
        if line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
    return rows


def test_section_headings_equal_spec(spec_text):
    rows = _table_rows(_section(spec_text, "### 1.2 The six sections"))
    headings = [r[1] for r in rows[1:]]
    assert headings == [s.heading for s in form.SECTIONS]


def test_table2_labels_equal_spec(spec_text):
    md = _section(spec_text, "### 1.3 表二")
    blocks = re.split(r"\*\*Block [A-D]: ", md)[1:]
    assert len(blocks) == len(form.T2.blocks)
    for chunk, block in zip(blocks, form.T2.blocks):
        assert chunk.split("**", 1)[0] == block.caption
        rows = _table_rows(chunk)
        assert rows[0] == [block.header] + [c.label for c in block.columns]
        assert [r[0] for r in rows[1:]] == [r.labels[0] for r in block.rows]
        kinds = {r[1] for r in rows[1:]}
        assert kinds == ({"decimal, 万元"} if block.kind == "money" else {"int"})
    assert len(form.T2.cells) == 10


def test_table3_labels_equal_spec(spec_text):
    md = _section(spec_text, "### 1.4 表三")
    rows = _table_rows(md)[1:]  # skip header row of the markdown table
    assert len(rows) == 25 == len(form.T3.rows)
    prev = ["", "", ""]
    for spec_row, row in zip(rows, form.T3.rows):
        levels = [c if c != "〃" else prev[i] for i, c in enumerate(spec_row[1:4])]
        levels = [re.sub(r"\s*\(exact\)$", "", x) for x in levels]
        assert tuple(levels) == row.labels, spec_row
        prev = levels
    columns = re.search(r"\*\*Columns, in order \(7\):\*\* (.+)", md).group(1)
    assert re.findall(r"`([^`]+)`", columns) == [c.label for c in form.T3.columns]
    assert f"`{form.T3.corner}`" in md
    assert f"`{form.T3.header_group}`" in md
    for note in form.T3.notes:
        assert note in md
    assert len(form.T3.cells) == 175


def test_table4_labels_equal_spec(spec_text):
    md = _section(spec_text, "### 1.5 表四")
    rows = _table_rows(md)[1:]
    assert len(rows) == 15 == len(form.T4.columns)
    group = ""
    for spec_row, col in zip(rows, form.T4.columns):
        group = spec_row[1] if spec_row[1] != "〃" else group
        assert col.label == spec_row[2]
        assert col.group.replace("/", " / ") == group
    assert len(form.T4.cells) == 15


def test_identities_cover_every_total():
    """Every 总计 cell is the anchor of a sum identity, and totals are what those sums say."""
    anchors = {i.anchor for i in form.IDENTITIES}
    row_totals = {i.left[0] for i in form.IDENTITIES if i.rule in ("T3-ROW-TOTAL", "T3-RESULT-SUM")}
    assert {c for c in form.TOTAL_CELLS if c.startswith("t3")} <= row_totals
    assert {c for c in form.TOTAL_CELLS if c.startswith("t4")} <= anchors
    assert len(form.T3_LEAF_RESULT_ROWS) == 21
    balance = [i for i in form.IDENTITIES if i.rule == "T3-BALANCE"]
    assert len(balance) == 7
    assert balance[0].left == ("t3.new.natural", "t3.carried.natural")
    assert balance[0].right == ("t3.total.natural", "t3.carry_forward.natural")
