"""The roster (--roster) and last year's consolidation (--previous) kept in the folder being
merged are what they were named as, not submissions.

A county office keeps 名册.xlsx and 上年汇总.xlsx beside the townships' reports and merges the
folder: the roster was listed as 无法读取 (exit code 1), and last year's consolidation was read
as sixteen more units whose year outvoted this year's, so the merge stopped with
“上年汇总的报告年度为2020年，而本次汇总的报告年度为2020年；请使用2019年度的汇总结果作为上年汇总。”
"""

from __future__ import annotations

import json

import openpyxl
from corpus import run_cli

import gxexcel.consolidation as gc
from gxexcel.consolidation.output import OutputIsInputError
from gxexcel import form
from gxexcel.reader import read_workbook
from gxexcel.sample import write_samples
from gxexcel.writer import write_workbook

COUNT = 6


def _county(root):
    folder = root / "各乡镇报表"
    manifest = write_samples(folder, COUNT, seed=4, manifest_dir=root)
    last = root / "上年"
    last.mkdir()
    for wb in manifest.workbooks:
        old = read_workbook(folder / wb.file)
        old.year -= 1
        for col in form.T3.columns:
            if col.id != "total":
                old.cells[f"t3.carry_forward.{col.id}"] = old.cells[f"t3.carried.{col.id}"]
        write_workbook(old, last / wb.file)
    gc.consolidate(last).to_excel(folder / "上年汇总.xlsx")
    book = openpyxl.Workbook()
    book.active.append(["单位名称", "单位类型"])
    for wb in manifest.workbooks:
        book.active.append([wb.unit_name, wb.unit_type])
    book.save(folder / "名册.xlsx")
    return folder, manifest


def test_roster_and_last_years_consolidation_in_the_input_folder_are_not_inputs(tmp_path):
    folder, manifest = _county(tmp_path)
    c = gc.consolidate(folder, roster=folder / "名册.xlsx", previous=folder / "上年汇总.xlsx")
    assert sorted(s.status for s in c.statuses) == ["已报送"] * COUNT
    assert sorted(u.file for u in c.units) == sorted(str(folder / wb.file) for wb in manifest.workbooks)
    assert c.year == manifest.year and c.previous is not None and len(c.previous.counted) == COUNT
    assert not c.carry  # this year's 上年结转 agree with last year's consolidation


def test_the_command_merges_such_a_folder_cleanly(tmp_path):
    folder, manifest = _county(tmp_path)
    done = run_cli("merge", str(folder), "-o", str(tmp_path / "汇总.xlsx"), "--roster", str(folder / "名册.xlsx"),
                   "--previous", str(folder / "上年汇总.xlsx"), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["files"] == COUNT and summary["statuses"]["无法读取"] == 0 and summary["units_counted"] == COUNT
    assert summary["year"] == manifest.year


def test_the_roster_and_last_years_consolidation_are_never_written_over(tmp_path):
    folder, _ = _county(tmp_path)
    c = gc.consolidate(folder, roster=folder / "名册.xlsx", previous=folder / "上年汇总.xlsx")
    for named in ("名册.xlsx", "上年汇总.xlsx"):
        before = (folder / named).read_bytes()
        try:
            c.to_excel(folder / named)
        except OutputIsInputError:
            pass
        assert (folder / named).read_bytes() == before, named
