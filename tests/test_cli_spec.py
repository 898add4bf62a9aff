"""``gxexcel spec --json``: the whole declaration, for other tools."""

from __future__ import annotations

import json
import subprocess
import sys

from gxexcel import form, layout


def test_spec_json_lists_every_cell_identity_and_rule():
    out = subprocess.run(
        [sys.executable, "-m", "gxexcel", "spec", "--json"], capture_output=True, text=True, check=True
    ).stdout
    data = json.loads(out)
    assert [s["heading"] for s in data["sections"]] == [s.heading for s in form.SECTIONS]
    cells = {c["id"]: c for t in data["tables"] for c in t["cells"]}
    assert len(cells) == 200
    assert cells["t3.new.natural"]["row_labels"] == ["一、本年新收政府信息公开申请数量"]
    assert cells["t3.new.natural"]["column_labels"] == ["自然人"]
    assert cells["t2.fees.amount"]["kind"] == "money" and cells["t2.fees.amount"]["unit"] == "万元"
    assert cells["t3.total.total"]["role"] == "total"
    assert cells["t4.review.total"]["parts"] == [f"t4.review.{k}" for k in ("upheld", "corrected", "other", "pending")]
    assert cells["t4.review.upheld"]["cell"] == layout.cell_positions()["t4.review.upheld"].coordinate
    assert len(data["identities"]) == len(form.IDENTITIES)
    rule_ids = {r["id"] for r in data["rules"]}
    assert {"T3-BALANCE", "T3-ROW-TOTAL", "T3-RESULT-SUM", "T4-REVIEW-SUM"} <= rule_ids
    assert all(r["severity"] in ("error", "warning") for r in data["rules"])


def test_spec_human_output_is_chinese():
    out = subprocess.run([sys.executable, "-m", "gxexcel", "spec"], capture_output=True, text=True, check=True).stdout
    assert "表三：175 个单元格" in out and "勾稽关系" in out
