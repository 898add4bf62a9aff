"""What the reader learns from the cells' formulas (noted by the safety scan's pass over the
worksheets), on workbooks as the writers a county office receives them from save them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from corpus import good_report, rezip
from gxexcel import layout
from gxexcel.reader import read_workbook
from gxexcel.rules.engine import validate
from gxexcel.writer import write_workbook

POS = layout.cell_positions()


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _findings(path: Path) -> list[tuple[str, str, str, str]]:
    return sorted((f.rule, f.sheet, f.cell, f.message) for f in validate(read_workbook(path)))


def _edited(tmp_path: Path, edits: dict[str, object]) -> Path:
    """A filled workbook written by gxexcel, then edited with openpyxl as a clerk would in Excel."""
    path = write_workbook(good_report("东林镇人民政府"), tmp_path / "filled.xlsx")
    wb = openpyxl.load_workbook(path)
    for cid, value in edits.items():
        wb[POS[cid].sheet][POS[cid].coordinate] = value
    wb.save(path)
    return path


STRICT = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
}


def test_a_strict_open_xml_workbook_keeps_its_total_formulas(tmp_path):
    """Excel's “Strict Open XML 电子表格” names the sheets' relationships in another namespace:
    the sheets' names were not found, no formula was placed on its sheet, and every 总计 of
    表三 and 表四 was reported as typed over (34 TPL-WB-FORMULA errors on a correct report)."""
    path = _edited(tmp_path, {"t3.open.natural": "=2+3", "t3.partial.total": 7})
    replace = {}
    for name, data in _parts(path).items():
        if name.endswith((".xml", ".rels")):
            for old, new in STRICT.items():
                data = data.replace(old, new)
            replace[name] = data
    strict = rezip(path, tmp_path / "strict.xlsx", replace=replace)
    assert b"purl.oclc.org/ooxml/officeDocument/relationships" in _parts(strict)["xl/workbook.xml"]
    report = read_workbook(strict)
    assert report.unit_name == "东林镇人民政府"  # python-calamine reads Strict workbooks
    assert report.source.typed_totals == ["t3.partial.total"]
    assert report.source.formula_inputs == {"t3.open.natural": "=2+3"}
    assert _findings(strict) == _findings(path)
