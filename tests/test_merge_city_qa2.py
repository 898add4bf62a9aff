"""A city office's second look at the merge across levels (county → city → province).

Found while merging sample counties with rosters, loose township files given to the city,
a corrected township file and ``--exclude-errors``: what 报送情况's notes say of the file that
is chosen among several for one unit when that unit is not counted at all.
"""

from __future__ import annotations

import os
import random

import openpyxl
import pytest

import gxexcel.consolidation as gc
from gxexcel.sample import sample_report, write_samples
from gxexcel.writer import write_workbook


def _rows(path, sheet):
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def _two_versions(folder, unit_name="龙泉镇人民政府", county="石桥县", seed=5):
    """A township's report and, sent later, its second version (a newer file)."""
    folder.mkdir(parents=True, exist_ok=True)
    first, second = folder / "05_龙泉镇.xlsx", folder / "05_龙泉镇（第二版）.xlsx"
    write_workbook(sample_report(random.Random(seed), unit_name=unit_name, parent=county), first)
    write_workbook(sample_report(random.Random(seed + 1), unit_name=unit_name, parent=county), second)
    os.utime(first, (1_700_000_000, 1_700_000_000))
    os.utime(second, (1_700_000_600, 1_700_000_600))
    return first, second


def test_the_chosen_file_of_a_unit_outside_the_roster_is_not_said_to_count(tmp_path):
    """Two files of a unit the roster does not list: both rows are 名册外 and 计入汇总 否, so the
    newer one's note must not say 本份…计入汇总 (it said “不在名册中，未计入汇总；共 2 份文件，
    本份（修改时间 …）计入汇总”); it says which file the unit would be taken from."""
    first, second = _two_versions(tmp_path / "各乡镇报表")
    write_samples(tmp_path / "各乡镇报表", 2, seed=3, county="石桥县", manifest_dir=tmp_path)
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称\n城关镇\n云溪镇\n", encoding="utf-8")
    out = gc.consolidate([tmp_path / "各乡镇报表"], roster=roster).to_excel(tmp_path / "汇总.xlsx")
    rows = [r for r in _rows(out, "报送情况") if r["单位名称"] == "龙泉镇人民政府"]
    assert [(r["报送状态"], r["计入汇总"]) for r in rows] == [("名册外", "否")] * 2, rows
    newer = next(r for r in rows if r["来源文件"].endswith("（第二版）.xlsx"))
    older = next(r for r in rows if r is not newer)
    assert "计入汇总" not in newer["说明"].replace("未计入汇总", ""), newer["说明"]
    assert newer["说明"].startswith("不在名册中，未计入汇总；共 2 份文件，以本份（修改时间 "), newer["说明"]
    assert newer["说明"].endswith("）为准"), newer["说明"]
    assert "本份不计入汇总" in older["说明"] and "第二版" in older["说明"], older["说明"]


def test_the_chosen_file_with_errors_under_exclude_errors_is_not_said_to_count(tmp_path):
    """--exclude-errors: two files of one unit, the newer one with errors. Its row is 计入汇总 否,
    and its note said both “本份…计入汇总” and “有 N 个错误，未计入汇总”."""
    first, second = _two_versions(tmp_path / "各乡镇报表")
    from gxexcel.reader import read_workbook
    report = read_workbook(second)
    report.cells["t3.carry_forward.natural"] = report.number("t3.carry_forward.natural") + 3
    write_workbook(report, second)
    os.utime(second, (1_700_000_600, 1_700_000_600))
    out = gc.consolidate([tmp_path / "各乡镇报表"], include_errors=False).to_excel(tmp_path / "汇总.xlsx")
    rows = _rows(out, "报送情况")
    newer = next(r for r in rows if r["来源文件"].endswith("（第二版）.xlsx"))
    assert newer["计入汇总"] == "否" and newer["错误数"] > 0, newer
    assert newer["说明"].startswith("共 2 份文件，以本份（修改时间 "), newer["说明"]
    assert "个错误，未计入汇总" in newer["说明"] and "）计入汇总" not in newer["说明"], newer["说明"]
