"""The pandas DataFrames of ``gxexcel.consolidate()`` have the dtypes an analyst expects:
counts are integers (12, not 12.0) also where a blank cell, an unreadable file or a
missing unit leaves a gap (<NA>), amounts are floats, and a column holding text a clerk
typed keeps the text with its numbers as entered.

The county: sample townships with the sample's injected errors (text, a decimal and a
blank in count cells), a file that is not a workbook, a roster unit without a file, and
last year's consolidation whose carry-over disagrees (a 相似文本 row without a similarity).
"""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from pandas.api.types import is_bool_dtype, is_datetime64_dtype, is_float_dtype, is_integer_dtype, is_object_dtype

import gxexcel.consolidation as gc
from gxexcel import form
from gxexcel.consolidation import columns as C
from gxexcel.consolidation.api import build
from gxexcel.consolidation.readback import read_consolidation
from gxexcel.consolidation.sheets import detail_units
from gxexcel.reader import read_workbook
from gxexcel.sample import write_samples
from gxexcel.writer import write_workbook

COUNT = 14
MISSING = "未报送镇人民政府"


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    root = tmp_path_factory.mktemp("frames")
    now = root / "乡镇"
    manifest = write_samples(now, COUNT, seed=11, errors=True, manifest_dir=root)
    (now / "说明.xlsx").write_bytes(b"not a workbook at all")
    roster = root / "名册.csv"
    roster.write_text("单位名称\n" + "".join(f"{wb.unit_name}\n" for wb in manifest.workbooks) + MISSING + "\n",
                      encoding="utf-8-sig")
    before = root / "2020"
    before.mkdir()
    for i, wb in enumerate(manifest.workbooks):
        old = read_workbook(now / wb.file)
        old.year -= 1
        for col in form.T3.columns:
            if col.id != "total":
                old.cells[f"t3.carry_forward.{col.id}"] = old.cells[f"t3.carried.{col.id}"]
        if i == 0:  # last year's unit 0 carried more forward than this year says: a 相似文本 row (XY-T3-CARRY)
            old.cells["t3.carry_forward.natural"] = int(old.number("t3.carried.natural")) + 1
        write_workbook(old, before / wb.file)
    gc.consolidate(before).to_excel(root / "上年汇总.xlsx")
    return gc.consolidate(now, roster=roster, previous=root / "上年汇总.xlsx")


def _whole(v: object) -> bool:
    return isinstance(v, int) or (isinstance(v, float) and v.is_integer())


def test_summary_counts_are_ints_and_amounts_floats(merged):
    totals = merged.summary.set_index("单元格编号")["汇总值"]
    assert totals.index.tolist() == list(form.CELLS)
    for cid, value in totals.items():
        expected = merged.total.cells[cid]
        assert value == pytest.approx(expected), cid
        if form.CELLS[cid].kind == "count" and _whole(expected):
            assert isinstance(value, int), (cid, value)
        else:
            assert isinstance(value, float), (cid, value)
    assert str(totals["t3.new.total"]) == str(int(merged.total.number("t3.new.total")))


def test_detail_count_columns_are_integers_with_na_for_blanks(merged):
    detail = merged.detail
    units = [u for u, _ in detail_units(merged)]
    kinds = {cid: form.CELLS[cid].kind for cid in form.CELLS} | {f.id: f.kind for f in form.FEE_FIELDS}
    seen = {"int": 0, "blank": 0, "text": 0, "decimal": 0}
    for key, kind in kinds.items():
        entered = [u.cell(key) if key in form.CELLS else u.fees[[f.id for f in form.FEE_FIELDS].index(key)]
                   for u in units]
        column = detail[key]
        if any(isinstance(v, str) for v in entered):
            seen["text"] += 1
            assert is_object_dtype(column), key
            assert [type(v) for v in column] == [type(v) if v is not None else type(None) for v in entered], key
        elif kind == "count" and all(v is None or _whole(v) for v in entered):
            seen["int"] += 1
            seen["blank"] += any(v is None for v in entered)
            assert is_integer_dtype(column), (key, column.dtype)
            assert [None if pd.isna(v) else int(v) for v in column] == [None if v is None else int(v) for v in entered]
        else:
            seen["decimal"] += kind == "count"
            assert is_float_dtype(column), (key, column.dtype)
    # the sample's injected errors put text, a blank and a decimal into count cells
    assert seen["text"] and seen["blank"] and seen["decimal"] and seen["int"] > 150, seen
    for key in ("year", "errors", "warnings"):
        assert is_integer_dtype(detail[key]), key


def test_submission_counts_are_integers_with_na_where_no_unit_was_read(merged):
    df = merged.submissions
    assert {"未报送", "无法读取"} <= set(df["报送状态"])
    for column in ("错误数", "警告数"):
        assert is_integer_dtype(df[column]), (column, df[column].dtype)
        gaps = df["报送状态"].isin(["未报送", "无法读取"])
        assert df.loc[gaps, column].isna().all() and df.loc[~gaps, column].notna().all()
    assert df["错误数"].sum() == sum(u.errors for u in merged.units if u.readable)


def test_similarity_and_chart_figures_are_integers(merged):
    similar = merged.similar
    carry = similar["类型"].str.startswith("上年结转核对")
    assert carry.any() and (~carry).any()
    assert is_integer_dtype(similar["相似度（%）"]), similar["相似度（%）"].dtype
    assert similar.loc[carry, "相似度（%）"].isna().all()
    charts = merged.charts
    assert is_integer_dtype(charts["数值"]) or (is_float_dtype(charts["数值"])
                                              and not all(_whole(v) for v in charts["数值"])), charts["数值"].dtype
    assert merged.sheets[C.SHEET_SUMMARY].equals(merged.summary)


def test_detail_file_time_is_a_datetime_and_counted_a_bool(merged):
    """明细's 文件修改时间 is a datetime64 column (to sort, filter by date, subtract) and 计入汇总
    a bool column (to filter with), not the text 是/否."""
    detail = merged.detail
    pairs = detail_units(merged)
    assert is_datetime64_dtype(detail["mtime"]), detail["mtime"].dtype
    assert detail["mtime"].tolist() == [pd.Timestamp(datetime.fromtimestamp(int(u.mtime))) for u, _ in pairs]
    assert is_bool_dtype(detail["counted"]), detail["counted"].dtype
    assert detail["counted"].tolist() == [s.counted for _, s in pairs]
    assert merged.sheets[C.SHEET_DETAIL]["counted"].dtype == detail["counted"].dtype
    # with --exclude-errors the units with errors are 否: False
    strict = build(merged.units, merged.roster, None, include_errors=False)
    counted = strict.detail["counted"]
    assert is_bool_dtype(counted) and counted.any() and not counted.all()
    assert counted.tolist() == [s.counted for _, s in detail_units(strict)]


def test_detail_sheet_writes_the_file_time_as_an_excel_date_and_reads_it_back(merged, tmp_path):
    """The workbook's 明细 has the file time as a real date (sortable, filterable by date in Excel)
    shown to the second, and 计入汇总 as 是/否 as before; a city merge reads the time back exactly."""
    path = merged.to_excel(tmp_path / "汇总.xlsx")
    ws = openpyxl.load_workbook(path)[C.SHEET_DETAIL]
    keys = [c.value for c in ws[1]]
    time_col, counted_col = keys.index("mtime") + 1, keys.index("counted") + 1
    pairs = detail_units(merged)
    rows = range(C.DETAIL_HEAD_ROWS + 1, C.DETAIL_HEAD_ROWS + 1 + len(pairs))
    for row, (unit, status) in zip(rows, pairs):
        cell = ws.cell(row, time_col)
        assert cell.is_date and cell.value == datetime.fromtimestamp(int(unit.mtime)), (cell.value, unit.file)
        assert cell.number_format == "yyyy-mm-dd hh:mm:ss"
        assert ws.cell(row, counted_col).value == (C.YES if status.counted else C.NO)
    back = {u.sha256: u.mtime for u in read_consolidation(path, display=str(path), sha256="") if u.readable}
    assert back and all(back[u.sha256] == int(u.mtime) for u, _ in pairs if u.sha256 in back)
