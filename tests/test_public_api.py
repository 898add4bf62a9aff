"""The public Python API: ``import gxexcel`` gives the functions a notebook needs."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

import gxexcel
from gxexcel.model import Report


def test_round_trip_validate_and_consolidate_through_the_package(tmp_path):
    folder = tmp_path / "各乡镇报表"
    for name, new in (("甲镇人民政府", 2), ("乙镇人民政府", 3)):
        r = gxexcel.Report.zeros(unit_name=name, unit_type="乡镇人民政府", parent="示例县", year=2024)
        r.cells["t3.new.natural"] = new
        r.cells["t3.open.natural"] = new
        gxexcel.write_workbook(r.fill_totals(), folder / f"{name}.xlsx")
    back = gxexcel.read_workbook(folder / "甲镇人民政府.xlsx")
    assert isinstance(back, Report) and back.cells["t3.new.total"] == 2
    assert not [f for f in gxexcel.validate(back) if f.rule.startswith("T3-")]
    c = gxexcel.consolidate([folder])
    assert isinstance(c.detail, pd.DataFrame) and len(c.detail) == 2
    totals = c.summary.set_index("单元格编号")["汇总值"]
    assert totals["t3.new.natural"] == 5 and totals["t3.total.total"] == 5 and totals["t3.new.business"] == 0
    assert gxexcel.__version__


def test_import_gxexcel_is_light():
    code = "import sys, gxexcel; print('pandas' in sys.modules, 'xlwings' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
