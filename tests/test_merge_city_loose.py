"""A city merges a county's consolidation together with the county's loose township files,
one of which was corrected after the county merged (a newer version, same file name).

报送情况 said of the older version (through the consolidation) “以“石桥县/01_城关镇.xlsx”为准”:
its own 来源文件, so the city office could not tell which of the two rows counted.
"""

from __future__ import annotations

import os
import time

import openpyxl

import gxexcel.consolidation as gc
from gxexcel.reader import read_workbook
from gxexcel.sample import write_samples
from gxexcel.writer import write_workbook

TOWN = "城关镇人民政府"


def test_the_note_of_the_older_version_names_the_loose_file_that_counts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_samples("石桥县", 3, seed=5, county="石桥县", manifest_dir="清单")
    gc.consolidate(["石桥县"]).to_excel("石桥县汇总.xlsx")
    town = "石桥县/01_城关镇.xlsx"
    report = read_workbook(town)
    report.cells["t2.regs.issued"] = int(report.number("t2.regs.issued")) + 1
    write_workbook(report, town)
    later = time.time() + 3600
    os.utime(town, (later, later))
    c = gc.consolidate(["石桥县汇总.xlsx", "石桥县"])
    c.to_excel(tmp_path / "市汇总.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "市汇总.xlsx")["报送情况"].iter_rows(values_only=True))
    rows = [dict(zip(rows[0], r)) for r in rows[1:] if r[0] == TOWN]
    assert len(rows) == 2 and {r["来源文件"] for r in rows} == {town}
    counted = next(r for r in rows if r["计入汇总"] == "是")
    older = next(r for r in rows if r["计入汇总"] == "否")
    assert counted["经由汇总文件"] is None and older["经由汇总文件"] == "石桥县汇总.xlsx"
    assert older["说明"].startswith(f"共 2 份文件，以直接报送的“{town}”为准，本份不计入汇总"), older["说明"]
    # the same files merged county by county keep the plain wording
    plain = gc.consolidate(["石桥县"])
    assert all("直接报送" not in s.note for s in plain.statuses)


def test_a_city_roster_naming_each_unit_with_its_county_adds_no_name_note(tmp_path):
    """A city roster writes each unit with its county, as the README advises (云溪县城关镇人民政府):
    every row of 报送情况 said “报表填写的单位名称为“城关镇人民政府”，与名册“云溪县城关镇人民政府”
    按同一单位处理”, though the cover gives just that county and name (the 所属县 column shows it).
    A roster name that differs otherwise (石桥县城关镇: no 人民政府) is still told."""
    for county, seed in (("云溪县", 1), ("石桥县", 2)):
        write_samples(tmp_path / county, 3, seed=seed, county=county, manifest_dir=tmp_path / "清单" / county)
    units = [read_workbook(p) for county in ("云溪县", "石桥县") for p in sorted((tmp_path / county).glob("*.xlsx"))]
    lines = [r.parent + r.unit_name for r in units if r.parent == "云溪县"]
    lines += [r.parent + r.unit_name.removesuffix("人民政府") for r in units if r.parent == "石桥县"]
    roster = tmp_path / "市名册.csv"
    roster.write_text("单位名称\n" + "\n".join(lines) + "\n", encoding="utf-8-sig")
    c = gc.consolidate([tmp_path / "云溪县", tmp_path / "石桥县"], roster=roster)
    notes = {s.unit_name: s.note for s in c.statuses}
    assert sorted(notes) == sorted(lines) and all(s.status == "已报送" for s in c.statuses)
    for line, note in notes.items():
        if line.startswith("云溪县"):
            assert "单位名称" not in note, note
        else:
            assert f"报表填写的单位名称为“{line.removeprefix('石桥县')}人民政府”，与名册“{line}”按同一单位处理" in note, note
