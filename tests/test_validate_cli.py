"""``gxexcel validate``: exit codes, JSON, human table, --previous, --write-back and the 出错说明 round trip."""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys

import openpyxl
import pytest
from click.testing import CliRunner

from gxexcel import findings_sheet, layout
from gxexcel.cli import cli
from gxexcel.reader import read_workbook
from gxexcel.sample import sample_report
from gxexcel.writer import write_workbook


def run(*args):
    return CliRunner().invoke(cli, ["validate", *map(str, args)])


@pytest.fixture()
def clean(tmp_path):
    return write_workbook(sample_report(random.Random(2), unit_name="桃源镇人民政府"), tmp_path / "桃源镇.xlsx")


@pytest.fixture()
def broken(tmp_path):
    r = sample_report(random.Random(2), unit_name="桃源镇人民政府")
    r.cells["t3.carry_forward.natural"] = r.number("t3.carry_forward.natural") + 2  # T3-BALANCE (error)
    r.fill_totals()
    r.narrative["s1.platform"] += "截止目前，石门镇公开栏已全部更新。"  # META-UNIT-NAME (error)
    r.narrative["s1.supervision"] = "我镇调整了领导小组。"  # X-S1-ASSESS (warning)
    return write_workbook(r, tmp_path / "桃源镇_有误.xlsx")


def test_clean_workbook_exit_0(clean):
    out = run(clean)
    assert out.exit_code == 0, out.output
    assert "未发现问题" in out.output


def test_errors_exit_1_with_json_fields(broken):
    out = run("--json", broken)
    assert out.exit_code == 1
    data = json.loads(out.output)
    assert {"file", "rule", "severity", "sheet", "cell", "message", "explanation"} <= set(data[0])
    rules = {d["rule"]: d for d in data}
    assert rules["T3-BALANCE"]["severity"] == "error"
    assert rules["T3-BALANCE"]["sheet"] == "表三" and rules["T3-BALANCE"]["cell"]
    assert "勾稽关系不符" in rules["T3-BALANCE"]["message"]
    assert rules["X-S1-ASSESS"]["severity"] == "warning"
    assert all(d["file"] == str(broken) for d in data)


def test_human_output_is_a_chinese_table(broken):
    out = run(broken)
    assert out.exit_code == 1
    for word in ("级别", "规则", "位置", "问题", "出错说明", "错误", "T3-BALANCE", "石门镇"):
        assert word in out.output


def test_summary_counts_in_the_house_style_of_the_addin(broken):
    """validate counts as the add-in's 校验 message and GX_CHECK do: “n 个错误，n 个警告”."""
    from gxexcel.excel import buttons
    from gxexcel.rules.engine import validate

    findings = validate(read_workbook(broken))
    counts = f"{sum(f.severity == 'error' for f in findings)} 个错误，{sum(f.severity == 'warning' for f in findings)} 个警告"
    assert counts in run(broken).output
    assert counts in buttons.summary(findings)


def test_unusable_file_exit_2_without_traceback(tmp_path, clean):
    junk = tmp_path / "坏文件.xlsx"
    junk.write_bytes(b"not a workbook at all")
    out = run(clean, junk)
    assert out.exit_code == 2
    assert "Traceback" not in out.output
    proc = subprocess.run(
        [sys.executable, "-m", "gxexcel", "validate", str(junk)], capture_output=True, text=True
    )
    assert proc.returncode == 2 and "坏文件.xlsx" in proc.stderr and "Traceback" not in proc.stderr


def test_published_text_report_directly(seed_path):
    out = run("--json", seed_path)
    assert out.exit_code == 1  # META-UNIT-NAME is an error
    data = json.loads(out.output)
    unit = [d for d in data if d["rule"] == "META-UNIT-NAME"][0]
    assert "金山镇" in unit["message"] and unit["sheet"] == "" and "金山镇" in unit["quote"]


def test_previous_year(tmp_path):
    this = sample_report(random.Random(4), unit_name="桃源镇人民政府")
    last = sample_report(random.Random(4), unit_name="桃源镇人民政府", year=2020)
    last.cells["t3.carry_forward.natural"] = this.number("t3.carried.natural") + 3
    last.fill_totals()
    a = write_workbook(this, tmp_path / "2021.xlsx")
    b = write_workbook(last, tmp_path / "2020.xlsx")
    data = json.loads(run("--json", "--previous", b, a).output)
    carry = [d for d in data if d["rule"] == "XY-T3-CARRY"]
    assert {d["severity"] for d in carry} == {"error", "warning"}  # 总计 strict, 自然人 a warning


def test_write_back_never_touches_the_source_and_links_the_cells(broken):
    before = hashlib.sha256(broken.read_bytes()).hexdigest()
    out = run("--write-back", broken)
    assert out.exit_code == 1
    assert hashlib.sha256(broken.read_bytes()).hexdigest() == before
    copy = findings_sheet.write_back_path(broken)
    assert copy.name == "桃源镇_有误_校验.xlsx" and copy.exists()
    wb = openpyxl.load_workbook(copy)
    ws = wb[layout.SHEET_FINDINGS]
    assert [c.value for c in ws[findings_sheet.HEADER_ROW]] == list(findings_sheet.HEADERS)
    rows = list(ws.iter_rows(min_row=findings_sheet.HEADER_ROW + 1, values_only=False))
    balance = [r for r in rows if r[0].value == "T3-BALANCE"][0]
    link = balance[findings_sheet.COLUMN_INDEX["location"]].hyperlink
    assert link.location.startswith("'表三'!")
    sheet, cell = link.location.split("!")
    assert wb[sheet.strip("'")][cell].fill.fgColor.rgb == findings_sheet.ERROR_FILL
    # the copy is still our template: it reads back with the same figures
    assert read_workbook(copy).cells == read_workbook(broken).cells


def test_explanation_round_trip(broken, tmp_path):
    run("--write-back", broken)
    copy = findings_sheet.write_back_path(broken)
    wb = openpyxl.load_workbook(copy)
    ws = wb[layout.SHEET_FINDINGS]
    col = findings_sheet.COLUMN_INDEX["explanation"] + 1
    for row in ws.iter_rows(min_row=findings_sheet.HEADER_ROW + 1):
        if row[0].value in ("X-S1-ASSESS", "T3-BALANCE"):
            ws.cell(row=row[0].row, column=col, value="考核结果由县政府统一公布，本报告不重复。")
    wb.save(copy)
    data = {d["rule"]: d for d in json.loads(run("--json", copy).output)}
    assert data["X-S1-ASSESS"]["explanation"].startswith("考核结果")  # a warning is explained
    assert data["T3-BALANCE"]["explanation"] == ""  # an error cannot be explained away
    human = run(copy).output
    assert "已说明" in human
    # validating the explained copy again keeps the explanation in the new 校验结果 sheet
    run("--write-back", copy)
    again = findings_sheet.read_explanations(copy.with_name("桃源镇_有误_校验2.xlsx"))
    assert any(v.startswith("考核结果") for v in again.values())
    assert not any(k.startswith("T3-BALANCE") for k in again)


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_validating_a_checked_copy_again_writes_a_numbered_copy_not_a_longer_name(broken):
    """单位_校验.xlsx validated again gives 单位_校验2.xlsx, then 单位_校验3.xlsx (the first free
    number), never 单位_校验_校验.xlsx; the file validated and every other file are left as they were."""
    folder = broken.parent
    other = write_workbook(sample_report(random.Random(5), unit_name="石门镇人民政府"), folder / "石门镇_校验2.xlsx")
    assert run("--write-back", broken).exit_code == 1
    first = folder / "桃源镇_有误_校验.xlsx"
    assert first.exists()
    kept = {p.name: _digest(p) for p in folder.iterdir()}
    out = run("--write-back", first)
    second = folder / "桃源镇_有误_校验2.xlsx"
    assert "桃源镇_有误_校验2.xlsx" in out.output and second.exists()
    assert {p.name: _digest(p) for p in folder.iterdir() if p != second} == kept  # the source untouched
    assert read_workbook(second).cells == read_workbook(broken).cells
    # the second copy validated again, and the first copy again: each goes to the next free number
    run("--write-back", second)
    run("--write-back", first)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(["桃源镇_有误.xlsx", "桃源镇_有误_校验.xlsx", "桃源镇_有误_校验2.xlsx",
                            "桃源镇_有误_校验3.xlsx", "桃源镇_有误_校验4.xlsx", other.name]), names
    assert _digest(other) == kept[other.name]  # another unit's file of a look-alike name is not touched
    assert findings_sheet.write_back_path(folder / "桃源镇_有误_校验4.xlsx").name == "桃源镇_有误_校验5.xlsx"
    # the original validated again still refreshes 单位_校验.xlsx, as before
    assert findings_sheet.write_back_path(broken) == first


def test_published_exports_validate_like_the_workbook(tmp_path):
    """A sample exported by ``gxexcel report`` as Word and HTML validates clean; a copied
    township name in it is found in the published text too."""
    clean = sample_report(random.Random(9), unit_name="龙泉镇人民政府")
    bad = sample_report(random.Random(9), unit_name="龙泉镇人民政府")
    bad.narrative["s1.platform"] += "截止目前，石门镇公开栏已全部更新。"
    for name, report in (("clean", clean), ("bad", bad)):
        book = write_workbook(report, tmp_path / f"{name}.xlsx")
        for suffix in (".docx", ".html"):
            target = tmp_path / f"{name}{suffix}"
            out = CliRunner().invoke(cli, ["report", str(book), "-o", str(target)])
            assert out.exit_code == (0 if name == "clean" else 1), out.output  # report warns about errors
            assert target.exists()
    assert run(tmp_path / "clean.docx", tmp_path / "clean.html").exit_code == 0
    data = json.loads(run("--json", tmp_path / "bad.docx", tmp_path / "bad.html").output)
    files = {d["file"] for d in data if d["rule"] == "META-UNIT-NAME" and "石门镇" in d["message"]}
    assert files == {str(tmp_path / "bad.docx"), str(tmp_path / "bad.html")}


def _busy_workbook(tmp_path):
    for seed in range(200):
        r = sample_report(random.Random(seed), unit_name="桃源镇人民政府")
        s1 = r.narrative["s1.active"] + r.narrative["s1.request"]
        if r.number("t2.license.decisions") and r.number("t3.new.natural") and "行政许可决定" in s1 and "新收" in s1:
            path = write_workbook(r, tmp_path / "桃源镇.xlsx")
            assert run("--json", path).exit_code == 0
            return r, path
    raise AssertionError("no busy sample")


def test_a_figure_typed_as_text_or_left_blank_is_not_also_a_text_mismatch(tmp_path):
    # “12件” in a count cell is CELL-INT, a blank CELL-BLANK; the narrative that quotes the
    # clerk's figure must not be reported as contradicting a table value of 0 that nobody entered
    r, path = _busy_workbook(tmp_path)
    wb = openpyxl.load_workbook(path)
    for cid, value in {"t2.license.decisions": f"{r.number('t2.license.decisions')}件", "t3.new.natural": None}.items():
        p = layout.cell_positions()[cid]
        wb[p.sheet].cell(p.row, p.col).value = value
    wb.save(path)
    data = json.loads(run("--json", path).output)
    rules = {(f["rule"], f["cell"]) for f in data}
    assert ("CELL-INT", "B8") in rules and ("CELL-BLANK", "D5") in rules
    assert [f["message"] for f in data if f["rule"].startswith("X-TEXT")] == []


def test_text_figures_in_new_applications_only_do_not_look_like_zero_applications(tmp_path):
    # every 本年新收/上年结转 cell typed as text: T3-ZERO-CONSIST must not claim they are all 0
    r, path = _busy_workbook(tmp_path)
    wb = openpyxl.load_workbook(path)
    for col in ("natural", "business", "research", "public_interest", "legal_service", "other"):
        for row in ("new", "carried"):
            p = layout.cell_positions()[f"t3.{row}.{col}"]
            value = r.number(f"t3.{row}.{col}")
            wb[p.sheet].cell(p.row, p.col).value = f"{value}件" if value else 0
    wb.save(path)
    data = json.loads(run("--json", path).output)
    assert "CELL-INT" in {f["rule"] for f in data}
    assert [f["message"] for f in data if f["rule"] in ("T3-ZERO-CONSIST", "X-TEXT-T3", "X-TEXT-ZERO")] == []


def test_a_folder_is_validated_file_by_file(tmp_path, clean, broken, seed_path):
    """A folder (and its subfolders) stands for every report file in it; Excel's lock files
    and other files are left out; a folder without any report file is a clear exit 2."""
    import shutil

    sub = tmp_path / "各乡镇" / "补报"
    sub.mkdir(parents=True)
    shutil.move(str(clean), tmp_path / "各乡镇" / clean.name)
    shutil.move(str(broken), sub / broken.name)
    shutil.copy(seed_path, sub / "南定镇.txt")
    (sub / "~$桃源镇.xlsx").write_bytes(b"lock")
    (sub / "说明.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "各乡镇" / "manifest.json").write_text("{}", encoding="utf-8")  # e.g. gxexcel sample's list
    result = run(tmp_path / "各乡镇", "--json")
    assert result.exit_code == 1, result.output  # the broken workbook has errors
    files = {f["file"] for f in json.loads(result.stdout)}
    assert files == {str(sub / broken.name), str(sub / "南定镇.txt")}  # the clean one has no findings
    human = run(tmp_path / "各乡镇")
    for name in (clean.name, broken.name, "南定镇.txt"):
        assert name in human.output
    assert "~$" not in human.output and "说明.pdf" not in human.output and "manifest" not in human.output
    (tmp_path / "空").mkdir()
    empty = run(tmp_path / "空")
    assert empty.exit_code == 2 and "其中没有可校验的文件" in empty.output and "Traceback" not in empty.output
    both = run(tmp_path / "空", tmp_path / "各乡镇")  # an empty folder does not stop the others
    assert both.exit_code == 2 and "其中没有可校验的文件" in both.output and clean.name in both.output


def test_fee_figures_of_section_six_must_be_numbers(tmp_path):
    """正文's 信息处理费 figures: a count is a whole number, amounts are yuan with at most two
    decimals; text or a negative number is an error naming the cell."""
    r = sample_report(random.Random(5), unit_name="桃源镇人民政府")
    r.fees = {"fee.notices": "两件", "fee.billed": -5, "fee.collected": 12.345}
    path = write_workbook(r, tmp_path / "费用.xlsx")
    findings = json.loads(run(path, "--json").stdout)
    pos = {f: layout.text_positions()[f] for f in ("fee.notices", "fee.billed", "fee.collected")}
    got = {(f["rule"], f["sheet"], f["cell"]) for f in findings if f["rule"] in ("CELL-INT", "CELL-FEE")}
    assert got == {
        ("CELL-INT", pos["fee.notices"].sheet, pos["fee.notices"].coordinate),
        ("CELL-FEE", pos["fee.billed"].sheet, pos["fee.billed"].coordinate),
        ("CELL-FEE", pos["fee.collected"].sheet, pos["fee.collected"].coordinate),
    }
    messages = " ".join(f["message"] for f in findings)
    assert "“两件”" in messages and "（元，最多2位小数）" in messages and "“-5”" in messages
    r.fees = {"fee.notices": 2, "fee.billed": 300, "fee.collected": 300.5}
    ok = json.loads(run(write_workbook(r, tmp_path / "费用2.xlsx"), "--json").stdout)
    assert not [f for f in ok if f["rule"] in ("CELL-INT", "CELL-FEE")]


def _pair(tmp_path, **last_cells):
    """This year's workbook (2022) and last year's (2021) of 桃源镇, last year carrying 3 more
    applications forward to 自然人 than this year says it received."""
    this = sample_report(random.Random(4), unit_name="桃源镇人民政府", year=2022)
    last = sample_report(random.Random(4), unit_name="桃源镇人民政府", year=2021)
    last.cells["t3.carry_forward.natural"] = this.number("t3.carried.natural") + 3
    last.cells.update(last_cells)
    last.fill_totals()
    return this, last


@pytest.mark.parametrize("last_name", ["桃源镇", "桃源镇政府", " 桃源镇人民政府", "云溪县桃源镇人民政府"])
def test_previous_year_of_the_same_unit_written_differently(tmp_path, last_name):
    """The cover's unit name written as 桃源镇 last year and 桃源镇人民政府 this year is one unit
    (the merge's name rule): no XY-UNIT, and the 总计 carry-over stays an error."""
    this, last = _pair(tmp_path)
    last.parent = this.parent = "云溪县"
    last.unit_name = last_name
    a = write_workbook(this, tmp_path / "2022.xlsx")
    b = write_workbook(last, tmp_path / "2021.xlsx")
    out = run("--json", "--previous", b, a)
    data = json.loads(out.output)
    assert "XY-UNIT" not in {d["rule"] for d in data}
    carry = {d["cell"]: d["severity"] for d in data if d["rule"] == "XY-T3-CARRY"}
    assert carry == {"D6": "warning", "J6": "error"}
    assert out.exit_code == 1


def test_previous_year_renamed_township_is_another_unit(tmp_path):
    """乡 → 镇 (撤乡设镇) is a renamed unit: XY-UNIT, and carry-over differences are warnings (spec XY-UNIT)."""
    this, last = _pair(tmp_path)
    last.unit_name = "桃源乡人民政府"
    a = write_workbook(this, tmp_path / "2022.xlsx")
    b = write_workbook(last, tmp_path / "2021.xlsx")
    data = json.loads(run("--json", "--previous", b, a).output)
    assert "XY-UNIT" in {d["rule"] for d in data}
    assert {d["severity"] for d in data if d["rule"] == "XY-T3-CARRY"} == {"warning"}


@pytest.mark.parametrize("value", ["2件", None])
def test_previous_year_figure_that_is_not_a_number_is_not_compared_as_0(tmp_path, value):
    """Last year's 结转下年度继续办理 typed as text or left blank is not last year's 0: no
    'differs from last year's 0' error (a figure nobody entered)."""
    this = sample_report(random.Random(4), unit_name="桃源镇人民政府", year=2022)
    this.cells["t3.carried.natural"] = 2
    this.cells["t3.open.natural"] = this.number("t3.open.natural") + 2
    this.fill_totals()
    last = sample_report(random.Random(4), unit_name="桃源镇人民政府", year=2021)
    last.cells["t3.carry_forward.natural"] = value
    last.cells["t2.normative.in_force"] = value
    last.fill_totals()
    a = write_workbook(this, tmp_path / "2022.xlsx")
    b = write_workbook(last, tmp_path / "2021.xlsx")
    data = json.loads(run("--json", "--previous", b, a).output)
    messages = [d["message"] for d in data if d["rule"] in ("XY-T3-CARRY", "XY-T2-ROLL")]
    assert not [m for m in messages if "继续办理0" in m or "上年现行有效0" in m], messages


@pytest.mark.parametrize("last_year", [2022, 2020])
def test_previous_report_of_the_wrong_year_is_not_compared(tmp_path, last_year):
    """A 'last year's report' of the same year (the file itself picked again) or of two years
    before gets XY-UNIT only: its figures and section 五 are not last year's, so no
    carry-over, roll-forward or 'copied from last year' findings against it."""
    this = sample_report(random.Random(4), unit_name="桃源镇人民政府", year=2022)
    this.cells["t2.normative.in_force"] = this.number("t2.normative.in_force") + 5
    this.cells["t3.carried.natural"] = this.number("t3.carried.natural") + 1
    this.cells["t3.open.natural"] = this.number("t3.open.natural") + 1
    this.fill_totals()
    a = write_workbook(this, tmp_path / "2022.xlsx")
    last = sample_report(random.Random(4), unit_name="桃源镇人民政府", year=last_year)
    b = write_workbook(last, tmp_path / "old.xlsx")
    data = json.loads(run("--json", "--previous", b, a).output)
    rules = {d["rule"] for d in data}
    assert "XY-UNIT" in rules
    assert not rules & {"XY-T3-CARRY", "XY-T2-ROLL", "X-S5-PRIOR", "META-DUP"}, data


def test_previous_that_cannot_be_used_is_named_as_last_years_report(tmp_path, clean):
    """--previous given a folder (with reports in it) or a county consolidation: the message says
    it is about 上年报告 and what to give instead, not 'a folder without reports' / 'not our template'."""
    import gxexcel.consolidation as gc

    folder = tmp_path / "上年"
    folder.mkdir()
    write_workbook(sample_report(random.Random(4), unit_name="桃源镇人民政府", year=2020), folder / "桃源镇.xlsx")
    out = run("--previous", folder, clean)
    assert out.exit_code == 2
    assert "上年报告" in out.output and "文件夹" in out.output and "没有可校验的文件" not in out.output
    merged = gc.consolidate(folder).to_excel(tmp_path / "上年汇总.xlsx")
    out = run("--previous", merged, clean)
    assert out.exit_code == 2
    assert "汇总" in out.output and "gxexcel merge" in out.output and "没有“封面”" not in out.output
    out = run("--previous", tmp_path / "没有.xlsx", clean)
    assert out.exit_code == 2 and "上年报告" in out.output and "不存在" in out.output
