"""The ribbon's 校验 and ``gxexcel validate`` on the same saved workbook.

The CLI reads the cells' formulas and error values from the file (the safety
scan); the ribbon reads the open book's values through xlwings, one range read
per sheet (on the remote engine used here, as on the desktop, formulas are not
part of what a button gets), and the formulas of the form's cells from the
add-in's VBA, which collects them before calling Python. Each workbook is edited
as a clerk would in Excel, recalculated by LibreOffice (what Excel saves), then
validated both ways: the ribbon as the add-in calls it (the built add-in's VBA run
by LibreOffice gives the command for RunPython; its arguments go to the real
dispatcher with a remote-engine book of the same workbook). Without the add-in's
formulas (an add-in built before) the button reads values only; what only the
file tells then is asserted too, so that the README's note stays true.
"""

from __future__ import annotations

import os

os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"  # remote engine, before xlwings is imported

import ast
import datetime
import random
from pathlib import Path

import openpyxl
import pytest
from lo_vba import addin_module, run_macros, with_vba

from gxexcel import addin, form, layout
from gxexcel.excel import buttons, dispatch
from gxexcel.excel.bookread import read_book
from gxexcel.excel.payload import remote_book
from gxexcel.libreoffice import recalculate
from gxexcel.reader import read_workbook
from gxexcel.rules.engine import validate
from gxexcel.sample import sample_report
from gxexcel.writer import write_workbook

POS = layout.cell_positions()
TEXT = layout.text_positions()


def _report():
    return sample_report(random.Random(1), unit_name="南定镇人民政府")


def _at(cid: str) -> tuple[str, str]:
    p = POS.get(cid) or TEXT.get(cid) or layout.cover_positions()[cid.removeprefix("cover.")]
    return p.sheet, p.coordinate


NATURAL = _report().number("t3.new.natural")
TOTAL = _report().computed_total("t3.total.total")

#: case -> edits: cell id -> (value, is an error value)
CASES: dict[str, dict[str, tuple[object, bool]]] = {
    "typed_wrong": {"t3.total.total": (TOTAL + 5, False)},
    "typed_right": {"t3.total.total": (TOTAL, False)},
    "deleted_total": {"t3.total.total": (None, False)},
    "formula_input": {"t3.new.natural": (f"={NATURAL - 1}+1", False)},
    "error_input": {"t3.new.natural": ("#REF!", True)},
    "error_formula_input": {"t3.new.natural": ("=1/0", False)},
    "error_total": {"t3.partial.total": ("#REF!", True)},
    "error_fee": {"fee.billed": ("#VALUE!", True)},
    "error_formula_fee": {"fee.billed": ("=1/0", False)},
    "typed_over_text_row": {"t3.new.business": ("无", False), "t3.new.total": (777, False)},
    "typed_over_number_text_row": {"t3.new.business": ("12", False), "t3.new.total": (777, False)},
    "date_in_part": {"t3.open.natural": (datetime.datetime(2021, 1, 2), False)},
    # error values outside the data cells (cover, 正文 text) are blank to both
    "error_cover": {"cover.unit_name": ("#N/A", True), "cover.year": ("#N/A", True)},
    "error_text": {"s1.active": ("#N/A", True)},
    "changed_formula": {"t3.new.total": ("=SUM(D5:I5)+1", False)},
    # signs that cmd.exe, sh, AppleScript or a Python literal would take for their own
    "formula_with_signs": {"t3.new.natural": (f'=IF(LEN("无%|$`\\\'!^"),{NATURAL},0)', False)},
    "long_formula": {"t3.new.natural": ("=" + "0+" * 60 + str(NATURAL), False)},
    # every data cell of 表三 a formula of over 100 characters
    "many_formulas": {
        cid: ("=" + "0+" * 50 + str(_report().number(cid)), False)
        for cid in form.INPUT_CELLS if cid.startswith("t3.")
    },
}


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("agree")
    written = []
    for name, edits in CASES.items():
        path = write_workbook(_report(), base / "in" / f"{name}.xlsx")
        wb = openpyxl.load_workbook(path)
        for cid, (value, error) in edits.items():
            sheet, coord = _at(cid)
            cell = wb[sheet][coord]
            cell.value = value
            if error:
                cell.data_type = "e"
        wb.save(path)
        written.append(path)
    return {p.stem: p for p in recalculate(written, base / "calc")}


def _key(findings) -> list[tuple[str, str, str, str]]:
    return sorted((f.rule, f.sheet, f.cell, f.message) for f in findings)


@pytest.fixture(scope="module")
def ribbon_vba(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The GxRibbon module as it is in the built add-in."""
    return addin_module(addin.build_addin(tmp_path_factory.mktemp("addin") / addin.ADDIN_FILE), "GxRibbon")


def _main_args(path: Path, ribbon_vba: str, control: str = "gxValidate", arg: str = "") -> list:
    """The arguments of ``gx.main(...)`` in the command the add-in's VBA gives RunPython when
    ``control`` is clicked in the open workbook (LibreOffice runs the VBA of the built add-in),
    as Python parses them."""
    work = path.parent / "vba"
    xlsm = with_vba(path, {"GxRibbon": ribbon_vba}, work / f"{path.stem}.xlsm")
    (command,) = run_macros(xlsm, [["GxCommand", control, arg]], work / f"{path.stem}.out.xlsx")
    assert command.isascii() and '"' not in command and "%" not in command  # safe on cmd.exe and sh
    # cmd.exe takes 8191 characters, with the interpreter, PYTHONPATH and log file around it
    assert len(command) < 7000
    (call,) = [n for n in ast.walk(ast.parse(command)) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "main"]
    return [ast.literal_eval(a) for a in call.args]


def _clicked(path: Path, ribbon_vba: str, control: str = "gxValidate") -> list:
    """The findings of the ribbon's button on the workbook, called as the add-in calls it."""
    control, *rest = _main_args(path, ribbon_vba, control)
    return _key(dispatch.run(control, remote_book(path), *rest).findings)


def _both(path: Path, ribbon_vba: str) -> tuple[list, list]:
    """What gxexcel validate and the ribbon's 校验 (as the add-in calls it) report."""
    return _key(validate(read_workbook(path))), _clicked(path, ribbon_vba)


def _values_only(path: Path) -> tuple[list, list]:
    """The same, the ribbon without the add-in's formulas (an add-in built before)."""
    return _key(validate(read_workbook(path))), _key(buttons.validate_book(remote_book(path)).findings)


@pytest.mark.parametrize(
    "case", ["typed_wrong", "error_total", "error_fee", "error_formula_fee", "typed_over_text_row", "typed_over_number_text_row", "date_in_part",
             "error_cover"]
)
def test_ribbon_and_cli_report_the_same(saved: dict[str, Path], ribbon_vba: str, case: str) -> None:
    cli, ribbon = _both(saved[case], ribbon_vba)
    assert cli, case  # each case is a real finding
    assert ribbon == cli


@pytest.mark.parametrize("case", ["error_cover", "error_text"])
def test_an_error_value_outside_the_data_cells_reads_as_the_cli_reads_it(saved: dict[str, Path], case: str) -> None:
    """Cover fields and 正文 text showing #N/A are blank to the CLI (python-calamine); the ribbon
    read “#N/A” (a unit named #N/A, an 概述 kept as the clerk's text) once it read error values."""
    cli, ribbon = read_workbook(saved[case]), read_book(remote_book(saved[case]))
    for what in ("unit_name", "year", "narrative", "markers"):
        assert getattr(ribbon, what) == getattr(cli, what), what
    assert ribbon.source.year_text == cli.source.year_text


def test_a_total_typed_over_in_a_row_holding_text_is_reported(saved: dict[str, Path]) -> None:
    """“无” in 表三 法人或其他组织 and 777 typed over the row's 总计: the CLI reported the typed
    total, the row and the balance; the ribbon took any text in a part for a date (a number to
    SUM) and read the 总计 as its formula's result, reporting only the “无”."""
    report = read_book(remote_book(saved["typed_over_text_row"]))
    assert report.source.typed_totals == ["t3.new.total"] and report.cells["t3.new.total"] == 777
    report = read_book(remote_book(saved["date_in_part"]))  # a date is a number to SUM: not typed
    assert report.source.typed_totals == []


def test_a_deleted_total_formula_is_reported(saved: dict[str, Path], ribbon_vba: str) -> None:
    """A clerk pressed Delete on 表三's 总计: the CLI said “公式被删除，单元格为空” while the ribbon
    put the sum in its place and found nothing. A live SUM is never blank, so a blank 总计 in
    the open book is a deleted formula."""
    report = read_book(remote_book(saved["deleted_total"]))
    assert report.source.typed_totals == ["t3.total.total"] and report.cells["t3.total.total"] is None
    cli, ribbon = _both(saved["deleted_total"], ribbon_vba)
    assert [(f[0], f[2]) for f in ribbon] == [("TPL-WB-FORMULA", _at("t3.total.total")[1])]
    assert "公式被删除" in ribbon[0][3]
    assert ribbon == cli


def test_an_error_value_in_a_data_cell_is_named_not_called_blank(saved: dict[str, Path]) -> None:
    """A data cell showing #REF! was read as blank by the ribbon (xlwings turns error values
    into None unless asked), so 校验 said “为空，没有数据也应填写0” while the CLI named #REF!."""
    report = read_book(remote_book(saved["error_input"]))
    assert report.cells["t3.new.natural"] == "#REF!"
    assert report.source.typed_totals == []  # the totals show #REF! through their live formulas
    ribbon = _key(buttons.validate_book(remote_book(saved["error_input"])).findings)
    assert [(rule, cell) for rule, _, cell, _ in ribbon] == [("CELL-INT", _at("t3.new.natural")[1])]
    assert "#REF!" in ribbon[0][3]


@pytest.mark.parametrize("case, error", [("error_input", "#REF!"), ("error_formula_input", "#DIV/0!")])
def test_an_error_in_a_data_cell_is_named_with_its_formula(saved: dict[str, Path], ribbon_vba: str, case: str, error: str) -> None:
    """LibreOffice saves a pasted #REF! as the formula =#REF!, so both files hold a formula:
    the CLI names it (CELL-FORMULA) and the error value (CELL-INT); so does the ribbon now,
    which named the error value only."""
    cli, ribbon = _both(saved[case], ribbon_vba)
    assert sorted(f[0] for f in ribbon) == ["CELL-FORMULA", "CELL-INT"]
    assert error in next(f[3] for f in ribbon if f[0] == "CELL-INT")
    assert ribbon == cli


def test_a_changed_total_formula_reads_as_the_cli_reads_it(saved: dict[str, Path], ribbon_vba: str) -> None:
    """表三's 总计 changed to =SUM(D5:I5)+1: the CLI said “在文件中的计算结果为1……（公式可能被
    修改）”, while the ribbon, which could not tell the formula from a typed number, said
    “公式被改为手填的数字1” and checked the sums with it (T3-ROW-TOTAL, T3-BALANCE, X-TEXT-T3)."""
    cli, ribbon = _both(saved["changed_formula"], ribbon_vba)
    assert [f[:3] for f in cli] == [("TPL-WB-FORMULA", "表三", "J5")]
    assert "计算结果为1" in cli[0][3] and "公式可能被修改" in cli[0][3]
    assert ribbon == cli


def test_without_the_addins_formulas_the_ribbon_reads_values_only(saved: dict[str, Path]) -> None:
    """Documented in the README: an add-in built before this one passes no formulas, so a total
    typed over with its right sum and a formula typed into a data cell are reported by gxexcel
    validate only (the worksheet function GX_CHECK reads values only too)."""
    total_cell = _at("t3.total.total")[1]
    cli, ribbon = _values_only(saved["typed_right"])
    assert ribbon == [] and [(f[0], f[2]) for f in cli] == [("TPL-WB-FORMULA", total_cell)]
    cli, ribbon = _values_only(saved["formula_input"])
    assert ribbon == [] and [(f[0], f[2]) for f in cli] == [("CELL-FORMULA", _at("t3.new.natural")[1])]
    # a changed 总计 formula (=SUM(D5:I5)+1): values cannot tell it from a typed number, so the
    # ribbon calls its result typed and checks the sums with it, as for a typed total
    cli, ribbon = _values_only(saved["changed_formula"])
    assert [f[:3] for f in cli] == [("TPL-WB-FORMULA", "表三", "J5")]
    assert {f[0] for f in ribbon} == {"TPL-WB-FORMULA", "T3-ROW-TOTAL", "T3-BALANCE", "X-TEXT-T3"}
    (cli_total,) = [f[3] for f in cli if f[0] == "TPL-WB-FORMULA"]
    (ribbon_total,) = [f[3] for f in ribbon if f[0] == "TPL-WB-FORMULA"]
    assert "计算结果为1" in cli_total and "公式可能被修改" in cli_total
    assert "公式被改为手填的数字1" in ribbon_total


# -- the other buttons against their CLI twins --------------------------------------------


def test_narrate_button_says_when_a_kept_edited_part_contradicts_the_tables(tmp_path: Path) -> None:
    """The clerk edited the drafted 一（二） (新收 N → N+1) and clicked 生成总体情况 again: the
    button said only “保留了您填写的文字（未覆盖）”, while gxexcel narrate names the figure that
    now contradicts 表三. The button says the same, with what to do in Excel (no --force)."""
    from click.testing import CliRunner

    from gxexcel.cli import cli
    from gxexcel.narrative.draft import narrate

    report = _report()
    report.cells.update({"t3.new.natural": 7, "t3.open.natural": 7})
    report.fill_totals()
    narrate(report)
    total = report.computed_total("t3.new.total")
    said = f"新收政府信息公开申请{total}件"
    assert said in report.narrative["s1.request"]
    report.narrative["s1.request"] = report.narrative["s1.request"].replace(said, f"新收政府信息公开申请{total + 1}件")
    (path,) = recalculate([write_workbook(report, tmp_path / "in" / "edited.xlsx")], tmp_path / "calc")

    outcome = buttons.narrate_book(remote_book(path))
    mismatch = (
        f"正文“新收政府信息公开申请{total + 1}件”中为{total + 1}，"
        f"与表三 一、本年新收政府信息公开申请数量 总计（{total}）不一致"
    )
    cli_out = CliRunner().invoke(cli, ["narrate", str(path)], env={"COLUMNS": "300"}).output.replace("\n", "")
    assert mismatch in cli_out
    assert (
        f"（二）依申请公开保留了人工修改的文字，其中的数字与表格不一致：{mismatch}。"
        "请改正，或删除这段文字后再点“生成总体情况”按表格重新生成。"
    ) in outcome.message


def test_array_formulas(tmp_path: Path, ribbon_vba: str) -> None:
    """An array formula over 总计 J5:J7 giving the sums: neither calls them typed. One filling
    data cells D8:E8: both name the formula in each cell (CELL-FORMULA), as for any formula
    typed into a data cell; without the add-in's formulas the ribbon sees only the values."""
    from test_reader_formulas import _xlsxwriter_copy

    path = write_workbook(_report(), tmp_path / "filled.xlsx")
    (tmp_path / "in").mkdir()
    arrays = _xlsxwriter_copy(path, tmp_path / "in" / "arrays.xlsx", {
        ("表三", "J5:J7"): "{=D5:D7+E5:E7+F5:F7+G5:G7+H5:H7+I5:I7}", ("表三", "D8:E8"): "{=D6:E6*0}"})
    (saved,) = recalculate([arrays], tmp_path / "calc")
    cli, ribbon = _both(saved, ribbon_vba)
    assert sorted((f[0], f[2]) for f in cli) == [("CELL-FORMULA", "D8"), ("CELL-FORMULA", "E8")]
    assert "“=D6:E6*0”" in cli[0][3]
    assert ribbon == cli
    assert _values_only(saved)[1] == []
    assert read_book(remote_book(saved)).source.typed_totals == read_workbook(saved).source.typed_totals == []


@pytest.mark.parametrize("case", ["typed_right", "formula_input", "formula_with_signs"])
def test_the_ribbon_sees_the_formulas_the_cli_sees(saved: dict[str, Path], ribbon_vba: str, case: str) -> None:
    """A 总计 typed over with its exact sum, a formula typed into a data cell: 校验 said nothing
    (it read values only) while gxexcel validate reported TPL-WB-FORMULA / CELL-FORMULA. The
    add-in's VBA now passes which form cells hold formulas, and 校验 reports the same."""
    cli = _key(validate(read_workbook(saved[case])))
    assert [f[0] for f in cli] == ["TPL-WB-FORMULA" if case == "typed_right" else "CELL-FORMULA"]
    assert _clicked(saved[case], ribbon_vba) == cli


def test_a_long_formula_is_named_by_its_beginning(saved: dict[str, Path], ribbon_vba: str) -> None:
    """The command line Python is started with is short (cmd.exe: 8191 characters), so the
    add-in passes at most 100 characters of a formula: the ribbon names the cell and the
    formula's beginning, followed by “…”."""
    cli = _key(validate(read_workbook(saved["long_formula"])))
    ribbon = _clicked(saved["long_formula"], ribbon_vba)
    (formula,) = [f[3].rsplit("“", 1)[1].split("”")[0] for f in cli if f[0] == "CELL-FORMULA"]
    assert len(formula) > 100
    assert ribbon == [(*f[:3], f[3].replace(formula, formula[:100] + "…")) for f in cli]


def test_many_long_formulas_fit_on_the_command_line(saved: dict[str, Path], ribbon_vba: str) -> None:
    """A formula of over 100 characters in every data cell of 表三: the add-in passes the first
    ones cut to 100 characters, then only that the cell holds a formula (named “=…”), so the
    command still fits cmd.exe's 8191 characters and every cell is named, as the CLI names it."""
    cli = _key(validate(read_workbook(saved["many_formulas"])))
    ribbon = _clicked(saved["many_formulas"], ribbon_vba)
    assert [f[:3] for f in ribbon] == [f[:3] for f in cli]
    assert len([f for f in cli if f[0] == "CELL-FORMULA"]) == len(CASES["many_formulas"])
    cut = blank = 0
    for mine, theirs in zip(ribbon, cli):
        if mine == theirs:
            continue
        formula = theirs[3].rsplit("“", 1)[1].split("”")[0]
        assert mine[3] in (theirs[3].replace(formula, formula[:100] + "…"), theirs[3].replace(formula, "=…"))
        cut, blank = cut + (formula[:100] in mine[3]), blank + ("“=…”" in mine[3])
    assert cut and blank and cut + blank == len(CASES["many_formulas"])


def test_export_counts_the_errors_the_cli_counts(saved: dict[str, Path], ribbon_vba: str) -> None:
    """导出报告 said nothing of a 总计 typed over with its exact sum (values only); with the
    add-in's formulas it counts the error gxexcel validate reports."""
    path = saved["typed_right"]
    assert sum(f.severity == "error" for f in validate(read_workbook(path))) == 1
    control, *rest = _main_args(path, ribbon_vba, "gxExport")
    outcome = dispatch.run(control, remote_book(path), *rest)
    assert "报告有 1 个错误" in outcome.message
    assert "报告有" not in dispatch.run("gxExport", remote_book(path)).message  # values only: unseen


def test_a_folder_reaches_python_as_picked(saved: dict[str, Path], ribbon_vba: str) -> None:
    """The folder picked for 汇总文件夹 goes on the same command line: a path with a backslash,
    %, ', &, ^, ! or Chinese reaches Python unchanged (cmd.exe expands %…%, sh reads two
    backslashes as one)."""
    folder = "C:\\Users\\张三\\2021年报 %TEMP% O'Brien & ^!"
    control, arg, *_ = _main_args(saved["typed_wrong"], ribbon_vba, "gxMerge", folder)
    assert (control, arg) == ("gxMerge", folder)
