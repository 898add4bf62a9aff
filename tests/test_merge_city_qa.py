"""A city office's use of the merge across levels (county → city → province).

Found while merging sample counties as a city office would: same-named units that come
through different county consolidations with the same file name (every county merges its
own 各乡镇报表/ folder), a corrected county consolidation put beside the first one, and
the wording of the findings a city leader reads.
"""

from __future__ import annotations

import os
import subprocess
import sys

import openpyxl
import pytest

import gxexcel.consolidation as gc
from gxexcel.consolidation.readback import read_consolidation
from gxexcel.reader import read_workbook
from gxexcel.sample import write_samples
from gxexcel.writer import write_workbook

TOWN = "城关镇人民政府"


def _townships(folder, county, count, seed, year=2022):
    write_samples(folder, count, seed=seed, county=county, year=year)
    for name in ("manifest.json", "manifest.csv"):
        (folder / name).unlink()


def _break_balance(path):
    report = read_workbook(path)
    report.cells["t3.carry_forward.natural"] = report.number("t3.carry_forward.natural") + 3
    write_workbook(report, path)


def _rows(path, sheet):
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:]]


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    """云溪县 sent the city its consolidation, then a corrected one (its 城关镇 fixed a broken
    表三 balance; its second township did not fix its own): both lie in the city's folder, and
    both name the township's file 各乡镇报表/01_城关镇.xlsx. The city's consolidation then goes to
    the province."""
    tmp = tmp_path_factory.mktemp("corrected")
    home, city, province = tmp / "云溪县", tmp / "市", tmp / "省"
    for d in (home, city, province):
        d.mkdir()
    _townships(home / "各乡镇报表", "云溪县", 4, 7)
    town = home / "各乡镇报表" / "01_城关镇.xlsx"
    _break_balance(town)
    _break_balance(next((home / "各乡镇报表").glob("02_*.xlsx")))  # not corrected: in both versions
    cwd = os.getcwd()
    os.chdir(home)  # the county office merges its own folder: file names are relative
    try:
        gc.consolidate(["各乡镇报表"]).to_excel(city / "云溪县汇总.xlsx")
        report = read_workbook(town)
        report.cells["t3.carry_forward.natural"] = report.number("t3.carry_forward.natural") - 3
        write_workbook(report, town)
        gc.consolidate(["各乡镇报表"]).to_excel(city / "云溪县汇总（更正）.xlsx")
    finally:
        os.chdir(cwd)
    merged = gc.consolidate([city])
    out = merged.to_excel(province / "市汇总.xlsx")
    return merged, out, province, city


def test_a_corrected_county_consolidation_keeps_each_versions_findings_apart(corrected):
    """Both versions of 城关镇 (same name, county and file name, different content) are listed
    in the city's 校验情况; each row says which county consolidation it came through, and a
    province merging the city's consolidation gives each version its own findings, not both
    versions' findings twice (the broken balance appeared on the corrected township too)."""
    merged, out, province, _ = corrected
    towns = [u for u in merged.units if u.unit_name == TOWN]
    assert len(towns) == 2 and len({u.file for u in towns}) == 1 and len({u.sha256 for u in towns}) == 2
    assert sorted(u.errors for u in towns)[0] < sorted(u.errors for u in towns)[1]
    assert sum(1 for u in towns if u.findings) == 1  # the corrected one has none of its own
    rows = [r for r in _rows(out, "校验情况") if r["单位名称"] == TOWN and r["发现环节"] == "单位校验"]
    by_via = {}
    for r in rows:
        by_via.setdefault(r["经由汇总文件"], []).append(r["规则"])
    assert {u.via: sorted(f[0] for f in u.findings) for u in towns if u.findings} == {
        k: sorted(v) for k, v in by_via.items()}
    again = gc.consolidate([province])
    before = {u.sha256: u.findings for u in merged.units}
    after = {u.sha256: u.findings for u in again.units}
    assert after == before
    assert sorted(u.findings for u in again.units) == sorted(u.findings for u in merged.units)  # none twice
    # the notebook sees the same column
    assert merged.findings["经由汇总文件"].tolist() == [r["经由汇总文件"] for r in _rows(out, "校验情况")]


def test_a_consolidation_written_before_the_via_column_still_gives_its_findings(corrected, tmp_path):
    """校验情况 without 经由汇总文件 (consolidations written before it): findings are matched
    by unit and source file as before."""
    *_, city = corrected
    county = city / "云溪县汇总.xlsx"
    new = read_consolidation(county, display="云溪县汇总.xlsx", sha256="")
    wb = openpyxl.load_workbook(county)
    ws = wb["校验情况"]
    assert [c.value for c in ws[1]][:3] == ["单位名称", "来源文件", "经由汇总文件"]
    ws.delete_cols(3)
    wb.save(tmp_path / "云溪县汇总.xlsx")
    old = read_consolidation(tmp_path / "云溪县汇总.xlsx", display="云溪县汇总.xlsx", sha256="")
    assert sum(1 for u in new if u.errors) == 2
    assert [u.findings for u in old] == [u.findings for u in new]


def test_a_duplicate_names_the_consolidation_of_the_file_that_counts(corrected):
    """Two versions of 城关镇 with the same file name came through two county consolidations:
    报送情况 said of the one not counted “以“各乡镇报表/01_城关镇.xlsx”为准” — its own file
    name, so the city office could not tell which counted; it now names the consolidation."""
    merged, out, _, city = corrected
    rows = [r for r in _rows(out, "报送情况") if r["单位名称"] == TOWN]
    assert sorted(r["计入汇总"] for r in rows) == ["否", "是"]
    counted = next(r for r in rows if r["计入汇总"] == "是")
    other = next(r for r in rows if r["计入汇总"] == "否")
    assert counted["来源文件"] == other["来源文件"] == "各乡镇报表/01_城关镇.xlsx"
    assert counted["经由汇总文件"] != other["经由汇总文件"]
    assert f"以汇总文件“{counted['经由汇总文件']}”中的“各乡镇报表/01_城关镇.xlsx”为准，本份不计入汇总" in other["说明"], other
    assert [n or None for n in merged.submissions["说明"]] == [r["说明"] for r in _rows(out, "报送情况")]


COPIED = "本镇存在的主要问题是政务公开工作人员力量不足，公开内容不够全面，解读回应不够及时，" * 2
PART = "五、存在的主要问题及改进情况"


def test_meta_dup_names_the_part_once_and_the_other_unit_without_doubled_brackets(tmp_path):
    """META-DUP read “正文与城关镇人民政府（石桥县）（五、存在的主要问题及改进情况）的相似度为100%”:
    the county's and the part's brackets ran together. The part now comes first, quoted, and
    several units are counted in words: 正文“五、……”与城关镇人民政府（石桥县）的相似度为100%，内容雷同."""
    city = tmp_path / "市"
    city.mkdir()
    for county, count, seed, copies in (("云溪县", 3, 1, 1), ("石桥县", 4, 2, 2)):
        folder = tmp_path / county
        _townships(folder, county, count, seed)
        for path in sorted(folder.glob("*.xlsx"))[:copies]:  # 城关镇 (and 石桥县's 云溪镇) copied section 五
            report = read_workbook(path)
            report.narrative["s5"] = COPIED
            write_workbook(report, path)
        gc.consolidate([folder]).to_excel(city / f"{county}汇总.xlsx")
    out = gc.consolidate([city]).to_excel(tmp_path / "市汇总.xlsx")
    dup = {(r["单位名称"], r["问题"]) for r in _rows(out, "校验情况") if r["规则"] == "META-DUP"}
    assert (f"{TOWN}（石桥县）", f"正文“{PART}”与{TOWN}（云溪县）等2个单位雷同，最高相似度为100%") in dup \
        or (f"{TOWN}（石桥县）", f"正文“{PART}”与云溪镇人民政府（石桥县）等2个单位雷同，最高相似度为100%") in dup, dup
    assert len(dup) == 3 and all(m.startswith(f"正文“{PART}”与") and "）（" not in m for _, m in dup), dup


def test_a_consolidation_or_a_report_given_as_roster_is_named_for_what_it_is(corrected, tmp_path):
    """A city office picking 云溪县汇总.xlsx (or a township's report) as --roster was told
    “单位类型“（一）予以公开”不是规定的类型之一” (or “单位类型“城关镇人民政府”…”), as if the
    roster had a bad line; it is now told the file is a consolidation (a report), not a roster."""
    *_, city = corrected
    report = tmp_path / "城关镇.xlsx"
    write_samples(tmp_path / "各乡镇报表", 1, seed=3)
    (tmp_path / "各乡镇报表" / "01_城关镇.xlsx").rename(report)
    for roster, what in ((city / "云溪县汇总.xlsx", "汇总结果"), (report, "单位的年度报表")):
        run = subprocess.run([sys.executable, "-m", "gxexcel", "merge", str(city), "-o", str(tmp_path / "x.xlsx"),
                              "--roster", str(roster)], capture_output=True, text=True)
        assert run.returncode == 2, run.stderr
        said = run.stdout + run.stderr
        assert "不是名册" in said and what in said and "单位类型" not in said.split("名册应")[0], said
    assert not (tmp_path / "x.xlsx").exists()
