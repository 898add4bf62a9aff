"""Consolidation of a sample county: every sheet checked against independently computed content.

The county: 14 sample township workbooks (11 with one injected error each, 3 clean),
of which one is missing (未报送), two arrive in a zip in a sub-folder, one unit
sends a corrected second file (重复报送), one file is not a workbook (无法读取) and
one unit is not in the roster (名册外).
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from rapidfuzz import fuzz

import gxexcel.consolidation as gc
from gxexcel import form, layout
from gxexcel.consolidation import columns as C
from gxexcel.consolidation.similarity import COMPARED_PARTS, MIN_CHARS, THRESHOLD
from gxexcel.consolidation.units import sort_findings, finding_row
from gxexcel.findings import SEVERITY_TEXT
from gxexcel.reader import read_workbook
from gxexcel.rules.engine import validate
from gxexcel.sample import sample_report, write_samples
from gxexcel.writer import write_workbook

COUNT = 14
OUTSIDER = "外县新华镇人民政府"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _all_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): _sha(p) for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    root = tmp_path_factory.mktemp("county")
    src = root / "乡镇报送"
    manifest = write_samples(src, COUNT, seed=11, errors=True)
    for name in ("manifest.json", "manifest.csv"):
        shutil.move(src / name, root / name)
    files = [src / wb.file for wb in manifest.workbooks]
    units = [(wb.unit_name, wb.unit_type) for wb in manifest.workbooks]
    clean = [i for i, wb in enumerate(manifest.workbooks) if not wb.errors]
    assert len(clean) == 3 and COUNT - len(clean) == 11

    # one clean unit is missing
    missing = clean[0]
    shutil.move(files[missing], root / files[missing].name)
    # two units arrive in a zip inside a sub-folder (member names with a folder)
    zipped = [clean[1], 5]
    (src / "补报").mkdir()
    with zipfile.ZipFile(src / "补报" / "补报.zip", "w") as zf:
        for i in zipped:
            zf.writestr(f"乡镇/{files[i].name}", files[i].read_bytes())
            files[i].unlink()
    # unit 2 sends a corrected file later: more licences, and 五 copied from unit 3
    dup = 2
    first = read_workbook(files[dup])
    second = read_workbook(files[dup])
    second.cells["t2.license.decisions"] = int(second.number("t2.license.decisions")) + 5
    other = read_workbook(files[3])
    second.narrative["s5"] = other.narrative["s5"]
    corrected = src / "更正" / f"{files[dup].stem}_更正.xlsx"
    corrected.parent.mkdir()
    write_workbook(second, corrected)
    stamp = files[dup].stat().st_mtime
    os.utime(corrected, (stamp + 3600, stamp + 3600))
    # a unit outside the roster, and a file that is not a workbook
    outsider = sample_report(random.Random(5), unit_name=OUTSIDER, unit_type="乡镇人民政府", parent="外县", year=2021)
    write_workbook(outsider, src / "其他" / "外县新华镇.xlsx")
    (src / "其他" / "说明.xlsx").write_bytes(b"not a workbook at all")
    roster = root / "名册.csv"
    roster.write_text("单位名称,单位类型,单位代码\n" + "".join(f"{n},{t},{100 + i}\n" for i, (n, t) in enumerate(units)),
                      encoding="utf-8-sig")
    return {
        "root": root, "src": src, "manifest": manifest, "files": files, "units": units, "missing": missing,
        "zipped": zipped, "dup": dup, "corrected": corrected, "roster": roster, "first": first, "second": second,
    }


@pytest.fixture(scope="module")
def merged(county, tmp_path_factory):
    before = _all_hashes(county["root"])
    result = gc.consolidate([county["src"]], roster=county["roster"])
    out = tmp_path_factory.mktemp("out") / "汇总.xlsx"
    result.to_excel(out)
    assert _all_hashes(county["root"]) == before, "sources must never be modified"
    return result, out


def _member(county, i: int) -> str:
    return f"{county['src'] / '补报' / '补报.zip'}!/乡镇/{county['files'][i].name}"


def _display(county, i: int) -> str:
    return _member(county, i) if i in county["zipped"] else str(county["files"][i])


def _expected_submissions(county) -> list[tuple]:
    """(unit, status, counted, file) in roster order, then outside units, then unreadable."""
    rows = []
    for i, (name, _) in enumerate(county["units"]):
        if i == county["missing"]:
            rows.append((name, "未报送", "否", ""))
        elif i == county["dup"]:
            for file in sorted([str(county["files"][i]), str(county["corrected"])]):
                rows.append((name, "重复报送", "是" if file == str(county["corrected"]) else "否", file))
        else:
            rows.append((name, "已报送", "是", _display(county, i)))
    rows.append((OUTSIDER, "名册外", "否", str(county["src"] / "其他" / "外县新华镇.xlsx")))
    rows.append(("", "无法读取", "否", str(county["src"] / "其他" / "说明.xlsx")))
    return rows


def _sheet(path: Path, name: str, data_only: bool = False) -> list[tuple]:
    wb = openpyxl.load_workbook(path, data_only=data_only)
    return [tuple(r) for r in wb[name].iter_rows(values_only=True)]


def _openpyxl_inputs(county, i: int) -> dict[str, object]:
    """Input cells of unit i's counted file, read with openpyxl (not the reader under test)."""
    if i == county["dup"]:
        source = county["corrected"].read_bytes()
    elif i in county["zipped"]:
        with zipfile.ZipFile(county["src"] / "补报" / "补报.zip") as zf:
            source = zf.read(f"乡镇/{county['files'][i].name}")
    else:
        source = county["files"][i].read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(source))
    pos = layout.cell_positions()
    return {cid: wb[pos[cid].sheet][pos[cid].coordinate].value for cid in form.INPUT_CELLS}


def _num(v: object) -> float:
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else 0


def test_submissions_sheet_lists_every_file_and_roster_unit(county, merged):
    result, out = merged
    rows = _sheet(out, C.SHEET_SUBMISSIONS)
    assert rows[0] == C.SUBMISSION_COLUMNS
    col = {h: i for i, h in enumerate(rows[0])}
    got = [(r[col["单位名称"]] or "", r[col["报送状态"]], r[col["计入汇总"]], r[col["来源文件"]] or "") for r in rows[1:]]
    assert got == _expected_submissions(county)
    notes = {r[col["来源文件"]]: r[col["说明"]] for r in rows[1:]}
    # each unit's county as its cover (and 明细) gives it, after 单位类型; none for a missing or unreadable file
    counties = {(r[col["报送状态"]], r[col["单位名称"]]): r[col["所属县（市、区）"]] for r in rows[1:]}
    assert col["所属县（市、区）"] == col["单位类型"] + 1
    assert counties[("名册外", OUTSIDER)] == "外县"
    assert counties[("未报送", county["units"][county["missing"]][0])] is None
    assert counties[("无法读取", None)] is None
    detail = _sheet(out, C.SHEET_DETAIL)
    dcol = {h: i for i, h in enumerate(detail[0])}
    parents = {r[dcol["file"]]: r[dcol["parent"]] for r in detail[C.DETAIL_HEAD_ROWS:]}
    assert {r[col["来源文件"]]: r[col["所属县（市、区）"]] for r in rows[1:] if r[col["来源文件"]] in parents} == parents
    assert "外县" in parents.values() and len(set(parents.values()) - {"外县"}) == 1  # the county's own
    assert "以“" + str(county["corrected"]) + "”为准" in notes[str(county["files"][county["dup"]])]
    assert "不是 Excel 工作簿" in notes[str(county["src"] / "其他" / "说明.xlsx")]
    # the DataFrame says the same
    df = result.submissions
    assert list(zip(df["单位名称"].fillna(""), df["报送状态"], df["计入汇总"], df["来源文件"].fillna(""))) == got


def test_summary_totals_equal_hand_computed_sums(county, merged):
    result, out = merged
    counted = [i for i in range(COUNT) if i != county["missing"]]
    assert sorted(u.unit_name for u in result.counted) == sorted(county["units"][i][0] for i in counted)
    inputs = [_openpyxl_inputs(county, i) for i in counted]
    expected = {cid: sum(_num(x[cid]) for x in inputs) for cid in form.INPUT_CELLS}
    for cid in form.INPUT_CELLS:
        assert result.total.cells[cid] == pytest.approx(expected[cid]), cid
    for cid in form.TOTAL_CELLS:
        assert result.total.cells[cid] == pytest.approx(sum(expected[p] for p in form.total_parts(cid))), cid
    # the corrected resubmission is what counts
    assert expected["t2.license.decisions"] >= county["second"].number("t2.license.decisions")
    # written inputs on 汇总 are the sums; totals are formulas as in the template
    from gxexcel.consolidation.workbook import summary_positions
    ws = openpyxl.load_workbook(out)[C.SHEET_SUMMARY]
    positions = summary_positions()
    for cid in form.INPUT_CELLS:
        assert ws[positions[cid]].value == pytest.approx(expected[cid]), cid
    for cid in form.TOTAL_CELLS:
        assert str(ws[positions[cid]].value).startswith("=SUM("), cid
    info = {r[0]: r[3] for r in _sheet(out, C.SHEET_SUMMARY)[1:13]}
    assert info["汇总文件标识"] == C.CONSOLIDATION_ID
    assert info["计入汇总的单位数"] == COUNT - 1
    with_errors = sum(1 for u in result.counted if u.errors)
    assert info["其中有错误的单位数"] == with_errors and with_errors >= 9
    assert (info["未报送单位数"], info["重复报送文件数"], info["名册外文件数"], info["无法读取文件数"]) == (1, 2, 1, 1)
    assert "有错误的单位照常计入汇总" in info["计入规则"]


def test_detail_sheet_one_row_per_unit_with_every_cell(county, merged):
    result, out = merged
    rows = _sheet(out, C.SHEET_DETAIL)
    assert rows[0] == tuple(k for k, _ in C.DETAIL_COLUMNS)
    assert rows[1] == tuple(label for _, label in C.DETAIL_COLUMNS)
    labels = dict(zip(rows[0], rows[1]))
    assert labels["t3.new.natural"] == "表三 一、本年新收政府信息公开申请数量 自然人"
    data = [dict(zip(rows[0], r)) for r in rows[2:]]
    # every readable unit file: 12 sent normally + 2 files of the duplicate + the outsider
    assert len(data) == COUNT - 1 + 1 + 1
    by_file = {d["file"]: d for d in data}
    for i in range(COUNT):
        if i == county["missing"]:
            continue
        d = by_file[str(county["corrected"]) if i == county["dup"] else _display(county, i)]
        assert d["unit_name"] == county["units"][i][0]
        expected = _openpyxl_inputs(county, i)
        for cid in form.INPUT_CELLS:
            assert d[cid] == expected[cid], (i, cid)
        if i not in county["zipped"]:
            path = county["corrected"] if i == county["dup"] else county["files"][i]
            assert d["sha256"] == _sha(path)
        assert d["template_version"] == layout.TEMPLATE_VERSION
    zipped = by_file[_member(county, county["zipped"][0])]
    with zipfile.ZipFile(county["src"] / "补报" / "补报.zip") as zf:
        assert zipped["sha256"] == hashlib.sha256(zf.read(f"乡镇/{county['files'][county['zipped'][0]].name}")).hexdigest()
    assert by_file[str(county["files"][county["dup"]])]["counted"] == "否"
    assert by_file[str(county["corrected"])]["counted"] == "是"
    assert by_file[str(county["src"] / "其他" / "外县新华镇.xlsx")]["status"] == "名册外"


def test_findings_sheet_has_every_unit_finding_errors_first(county, merged):
    result, out = merged
    rows = _sheet(out, C.SHEET_FINDINGS)
    assert rows[0] == C.FINDING_COLUMNS
    body = [dict(zip(C.FINDING_COLUMNS, r)) for r in rows[1:]]
    severities = [b["级别"] for b in body]
    assert severities == sorted(severities, key=lambda s: s != SEVERITY_TEXT["error"])
    unit_rows = [b for b in body if b["发现环节"] == C.FOUND_BY_UNIT]
    expected = []
    for i in range(COUNT):
        if i == county["missing"]:
            continue
        display = str(county["corrected"]) if i == county["dup"] else _display(county, i)
        if i in county["zipped"]:
            with zipfile.ZipFile(county["src"] / "补报" / "补报.zip") as zf, \
                    open(county["root"] / "member.xlsx", "wb") as fh:
                fh.write(zf.read(f"乡镇/{county['files'][i].name}"))
            path = county["root"] / "member.xlsx"
        else:
            path = Path(display)
        for f in sort_findings(validate(read_workbook(path))):
            rule, sev, sheet, cell, message, expl = finding_row(f)
            expected.append((county["units"][i][0], display, rule, SEVERITY_TEXT[sev], sheet or None, cell or None, message))
        (county["root"] / "member.xlsx").unlink(missing_ok=True)
    got = [(b["单位名称"], b["来源文件"], b["规则"], b["级别"], b["工作表"], b["单元格"], b["问题"]) for b in unit_rows
           if b["来源文件"] not in {str(county["files"][county["dup"]]), str(county["src"] / "其他" / "外县新华镇.xlsx")}]
    assert sorted(got, key=str) == sorted(expected, key=str)
    # each injected error is found by the rule the manifest names
    for i, wb in enumerate(county["manifest"].workbooks):
        if i in (county["missing"], county["dup"]):
            continue
        found = {b["规则"] for b in unit_rows if b["单位名称"] == wb.unit_name}
        assert county["manifest"].expected_rules(wb.file) <= found, wb.file


def test_similar_text_sheet_equals_brute_force_comparison(county, merged):
    result, out = merged
    rows = _sheet(out, C.SHEET_SIMILAR)
    assert rows[0] == C.SIMILAR_COLUMNS
    got = {(r[1], r[2], r[3], r[4]) for r in rows[1:]}
    # brute force over the unit that counts for each name (and the outsider)
    chosen = [read_workbook(county["corrected"] if i == county["dup"] else Path(_display(county, i)))
              for i in range(COUNT) if i not in (county["missing"], *county["zipped"])]
    with zipfile.ZipFile(county["src"] / "补报" / "补报.zip") as zf:
        for i in county["zipped"]:
            (county["root"] / f"m{i}.xlsx").write_bytes(zf.read(f"乡镇/{county['files'][i].name}"))
            chosen.append(read_workbook(county["root"] / f"m{i}.xlsx"))
    chosen.append(read_workbook(county["src"] / "其他" / "外县新华镇.xlsx"))
    expected = set()
    for a_i, a in enumerate(chosen):
        for b in chosen[a_i + 1:]:
            for part in COMPARED_PARTS:
                x = "".join((a.narrative.get(part) or "").split())
                y = "".join((b.narrative.get(part) or "").split())
                if len(x) >= MIN_CHARS and len(y) >= MIN_CHARS and fuzz.ratio(x, y) >= THRESHOLD:
                    first, second = sorted([a.unit_name, b.unit_name], key=gc.roster.unit_key)
                    expected.add((first, second, form.NARRATIVE[part].label, round(fuzz.ratio(x, y))))
    assert {(min(g[0], g[1], key=gc.roster.unit_key), max(g[0], g[1], key=gc.roster.unit_key), g[2], g[3])
            for g in got} == expected
    copied = (county["units"][county["dup"]][0], county["units"][3][0])
    assert any({r[1], r[2]} == set(copied) and r[3] == form.NARRATIVE["s5"].label and r[4] == 100 for r in rows[1:])
    # 校验情况: one META-DUP per unit and part, naming how many units repeat it
    dup = result.findings[(result.findings["规则"] == "META-DUP") & (result.findings["单位名称"] == copied[0])]
    s5 = [m for m in dup["问题"] if form.NARRATIVE["s5"].label in m]
    assert len(s5) == 1 and "相似度为100%" in s5[0]
    repeated = {(a, part) for a, b, part, _ in expected} | {(b, part) for a, b, part, _ in expected}
    found = {(u, next(p.label for p in form.NARRATIVE_PARTS if p.label in m and not p.generated))
             for u, m, rule in zip(result.findings["单位名称"], result.findings["问题"], result.findings["规则"])
             if rule == "META-DUP" and "上年" not in m}
    assert found == repeated


def test_charts_are_native_excel_charts(merged):
    result, out = merged
    ws = openpyxl.load_workbook(out)[C.SHEET_CHARTS]
    kinds = sorted(type(ch).__name__ for ch in ws._charts)
    assert kinds == ["BarChart", "BarChart", "PieChart"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    apps = [(r[0], r[1]) for r in rows[1:] if r[0]]
    assert apps == [(u.unit_name, u.number("t3.new.total")) for u in result.counted]
    results = [(r[3], r[4]) for r in rows[1:] if r[3]]
    assert [label for label, _ in results] == [label for label, _ in form.T3_RESULT_GROUPS]
    assert sum(v for _, v in results) == result.total.cells["t3.total.total"]
    errors = [(r[6], r[7], r[8]) for r in rows[1:] if r[6]]
    assert errors and all(e + w > 0 for _, e, w in errors)


def test_same_inputs_in_any_order_give_identical_workbook(county, merged, tmp_path):
    result, out = merged
    src = county["src"]
    shuffled = sorted(src.iterdir(), reverse=True)
    again = gc.consolidate(shuffled, roster=county["roster"], workers=1)
    again.to_excel(tmp_path / "again.xlsx")
    assert (tmp_path / "again.xlsx").read_bytes() == out.read_bytes()


def test_merge_of_consolidations_equals_merge_of_all_units(county, tmp_path):
    src = county["src"]
    parts = sorted(p for p in src.iterdir())
    half = len(parts) // 2
    gc.consolidate(parts[:half]).to_excel(tmp_path / "a.xlsx")
    gc.consolidate(parts[half:]).to_excel(tmp_path / "b.xlsx")
    nested = gc.consolidate([tmp_path / "a.xlsx", tmp_path / "b.xlsx"])
    direct = gc.consolidate(parts)
    assert nested.total.cells == direct.total.cells
    drop = ["via"]
    pd_nested, pd_direct = nested.detail.drop(columns=drop), direct.detail.drop(columns=drop)
    assert pd_nested.equals(pd_direct)
    via = ["经由汇总文件"]  # 校验情况 says which consolidation a finding came through, as 明细 does
    assert nested.findings.drop(columns=via).equals(direct.findings.drop(columns=via))
    assert set(direct.findings["经由汇总文件"]) == {""}
    assert set(nested.findings["经由汇总文件"]) - {""} == {str(tmp_path / "a.xlsx"), str(tmp_path / "b.xlsx")}
    assert nested.similar.equals(direct.similar)
    assert nested.summary.equals(direct.summary)
    assert set(nested.detail["via"]) == {str(tmp_path / "a.xlsx"), str(tmp_path / "b.xlsx")}


def test_excluding_units_with_errors(county):
    result = gc.consolidate([county["src"]], roster=county["roster"], include_errors=False)
    assert result.counted and all(u.errors == 0 for u in result.counted)
    clean = [u for s in result.statuses if (u := s.unit) is not None and s.status in ("已报送", "重复报送")
             and u.readable and u.errors == 0]
    assert {u.unit_name for u in result.counted} == {u.unit_name for u in clean}
    assert result.total.cells["t3.new.total"] == sum(u.number("t3.new.total") for u in result.counted)


def test_process_pool_gives_the_same_consolidation(county, merged):
    result, out = merged
    import gc as collector

    pooled = gc.consolidate([county["src"]], roster=county["roster"], workers=2)
    assert collector.get_freeze_count() == 0  # the parent's objects were frozen only while the workers ran
    assert pooled.detail.equals(result.detail)
    assert pooled.findings.equals(result.findings)
    assert pooled.submissions.equals(result.submissions)
    assert pooled.total.cells == result.total.cells


def test_an_earlier_consolidation_left_in_the_input_folder_counts_nothing_twice(county, tmp_path):
    """Last run's output saved among the submissions: every unit in it is also read directly.
    The same file (same SHA-256) seen again through the consolidation is one submission:
    the direct file keeps its status, the repeat is listed as 重复报送 saying why, and the
    totals and statuses of the units are those of the merge without the old output."""
    import shutil

    src = tmp_path / "乡镇报送"
    shutil.copytree(county["src"], src)
    direct = gc.consolidate([src], roster=county["roster"])
    direct.to_excel(src / "上次汇总.xlsx")
    again = gc.consolidate([src], roster=county["roster"])
    assert again.total.cells == direct.total.cells
    old = {(s.file, s.status, s.counted) for s in direct.statuses}
    new = {(s.file, s.status, s.counted) for s in again.statuses if not (s.unit and s.unit.via)}
    assert new == old
    repeats = [s for s in again.statuses if s.unit and s.unit.via]
    assert len(repeats) == sum(1 for s in direct.statuses if s.unit and s.unit.readable and s.unit_name)
    for s in repeats:
        assert s.status == "重复报送" and not s.counted
        assert "同一份文件" in s.note and "SHA-256" in s.note, s.note


def test_unit_charts_show_the_largest_units_when_there_are_many(tmp_path):
    """A county of 45 units: the bar charts show the 40 units with most applications / most
    errors and say so in their titles; 明细 keeps every unit."""
    from gxexcel.consolidation.sheets import CHART_MAX_UNITS

    src = tmp_path / "乡镇"
    write_samples(src, CHART_MAX_UNITS + 5, seed=7, errors=True)
    result = gc.consolidate([src])
    out = result.to_excel(tmp_path / "汇总.xlsx")
    ws = openpyxl.load_workbook(out)[C.SHEET_CHARTS]
    rows = list(ws.iter_rows(values_only=True))
    apps = [(r[0], r[1]) for r in rows[1:] if r[0]]
    every = sorted(((u.unit_name, u.number("t3.new.total")) for u in result.counted), key=lambda x: (-x[1], x[0]))
    assert len(result.counted) > CHART_MAX_UNITS and apps == every[:CHART_MAX_UNITS]
    titles = []
    for chart in ws._charts:
        runs = chart.title.tx.rich.p[0].r if chart.title and chart.title.tx and chart.title.tx.rich else []
        titles.append("".join(r.t for r in runs))
    assert any(f"共{len(result.counted)}个单位，显示最多的{CHART_MAX_UNITS}个" in t for t in titles), titles
    assert all(chart.height <= 0.5 * CHART_MAX_UNITS + 1 for chart in ws._charts)
    assert len(result.detail) == CHART_MAX_UNITS + 5


def test_the_same_file_submitted_twice_directly_is_not_said_to_come_through_a_consolidation(tmp_path):
    """Two identical copies in the folder: the repeat's note read “经汇总文件“”再次出现…” (an empty
    name of a consolidation that does not exist)."""
    import shutil

    src = tmp_path / "乡镇"
    write_samples(src, 2, seed=3)
    first = sorted(src.glob("*.xlsx"))[0]
    shutil.copy2(first, src / "副本.xlsx")
    result = gc.consolidate([src])
    (repeat,) = [s for s in result.statuses if s.status == "重复报送"]
    assert "“”" not in repeat.note and "经汇总文件" not in repeat.note, repeat.note
    assert "同一份文件" in repeat.note and "不重复计入" in repeat.note


def test_a_city_merge_of_county_consolidations_keeps_their_unreadable_files(tmp_path):
    """A county's consolidation listed a township's broken file and a workbook without a unit
    name as 无法读取; merging the counties' consolidations dropped both rows, so the city's
    报送情况 showed every file read (exit code 0) where merging the files themselves did not."""
    src = tmp_path / "云溪县"
    src.mkdir()
    report = sample_report(random.Random(3), unit_name="城关镇人民政府")
    write_workbook(report, src / "城关镇.xlsx")
    (src / "石门镇.xlsx").write_bytes(b"PK\x03\x04 copied halfway")
    nameless = sample_report(random.Random(4), unit_name="柳林乡人民政府")
    nameless.unit_name = ""
    write_workbook(nameless, src / "未填名称.xlsx")
    county = gc.consolidate([src], workers=1).to_excel(tmp_path / "云溪县汇总.xlsx")
    direct = gc.consolidate([src], workers=1)
    city = gc.consolidate([county], workers=1)
    rows = lambda c: [(s.status, s.file, s.counted, s.note) for s in c.statuses]  # noqa: E731
    assert rows(city) == rows(direct)
    assert [s.status for s in city.statuses].count("无法读取") == 2
    assert all(s.unit.via == str(county) for s in city.statuses)
    assert city.total.cells == direct.total.cells
