"""The built add-in, read back with independent tools: oletools (VBA), lxml
(customUI), calamine (config sheet), pyopenvba's integrity check and LibreOffice."""

from __future__ import annotations

import os

# xlwings registers its remote engine at import time: the (noncommercial) key must be set first.
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"

import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
import xlwings as xw
from click.testing import CliRunner
from lxml import etree
from oletools.olevba import VBA_Parser
from python_calamine import CalamineWorkbook

from gxexcel import addin
from gxexcel.cli import cli
from gxexcel.excel import dispatch, notes, udfs
from gxexcel.libreoffice import soffice

ROOT = Path(__file__).resolve().parents[1]
MACROS = ROOT / "macros"
CUI_NS = {"ui": "http://schemas.microsoft.com/office/2006/01/customui"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("addin") / "gxexcel.xlam"
    config = addin.Config(interpreter_win=r"C:\Python311\pythonw.exe", interpreter_mac="/usr/local/bin/python3")
    return addin.build_addin(out, config=config)


@pytest.fixture(scope="module")
def vba(built: Path) -> dict[str, str]:
    parser = VBA_Parser(str(built))
    try:
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def _lines(text: str) -> list[str]:
    """Source lines without the Attribute header oletools and VBA add, CRLF-neutral."""
    return [l.rstrip() for l in text.replace("\r\n", "\n").split("\n") if l.strip() and not l.startswith("Attribute VB_")]


def _template_module(name: str) -> str:
    parser = VBA_Parser(str(addin.xlwings_template()))
    try:
        return next(code for _, _, n, code in parser.extract_macros() if Path(n).stem == name)
    finally:
        parser.close()


def test_addin_holds_exactly_the_macros_modules_and_the_xlwings_module(vba: dict[str, str]) -> None:
    sources = addin.macro_modules()
    assert set(sources) == {p.stem for p in MACROS.glob("*.bas")}
    # document modules and xlwings' own Dictionary class come with the template;
    # the template's sample RibbonMyAddin is gone.
    assert set(vba) == set(sources) | {"xlwings", "Dictionary", "ThisWorkbook", "Sheet2"}
    version = addin.gxexcel_version()
    for name, source in sources.items():
        assert _lines(vba[name]) == _lines(addin.as_built(source, version)), name


def test_xlwings_module_is_the_installed_version(vba: dict[str, str]) -> None:
    assert f"'Version: {xw.__version__}" in vba["xlwings"]
    ours, theirs = _lines(vba["xlwings"]), _lines(_template_module("xlwings"))
    assert len(ours) == len(theirs)
    differing = [(a, b) for a, b in zip(ours, theirs) if a != b]
    # only PROJECT_NAME differs: it names the config sheet gxexcel.conf
    assert differing == [
        ('Public Const PROJECT_NAME As String = "gxexcel"', 'Public Const PROJECT_NAME As String = "myaddin"')
    ]


def test_addin_version_is_the_installed_gxexcel(vba: dict[str, str]) -> None:
    match = re.search(r'Public Const GX_ADDIN_VERSION As String = "([^"]*)"', vba["GxRibbon"])
    assert match and match.group(1) == addin.gxexcel_version()
    # the dispatcher accepts that version and refuses another one with a Chinese instruction
    assert dispatch.version_problem(match.group(1)) == ""
    problem = dispatch.version_problem("0.0.0-old")
    assert "gxexcel addin install" in problem and "不一致" in problem


def _custom_ui(built: Path) -> etree._Element:
    with zipfile.ZipFile(built) as z:
        return etree.fromstring(z.read("customUI/customUI.xml"))


def test_custom_ui_parses_and_every_on_action_exists_in_the_vba(built: Path, vba: dict[str, str]) -> None:
    root = _custom_ui(built)
    tab = root.find(".//ui:tab", CUI_NS)
    assert tab is not None and tab.get("label") == "政务公开年报"
    buttons = root.findall(".//ui:button", CUI_NS)
    assert buttons
    for button in buttons:
        module, _, proc = button.get("onAction").partition(".")
        assert re.search(rf"^Public Sub {proc}\(control As IRibbonControl\)", vba[module], re.M), button.get("id")
        assert button.get("imageMso") and button.get("supertip") and button.get("screentip")


def test_every_button_is_handled_by_the_dispatcher(built: Path) -> None:
    root = _custom_ui(built)
    ribbon = {b.get("id"): b.get("label") for b in root.findall(".//ui:button", CUI_NS)}
    assert ribbon == {b.id: b.label for b in dispatch.BUTTONS.values()}


def test_unknown_button_id_is_reported(tmp_path: Path) -> None:
    from gxexcel.excel.payload import book_payload
    from openpyxl import Workbook

    book = xw.Book(json=book_payload(Workbook(), "x.xlsx"))
    outcome = dispatch.run("gxNoSuchButton", book)
    assert "未知的按钮“gxNoSuchButton”" in outcome.message
    assert [a["func"] for a in book.json()["actions"]] == ["alert"]
    assert book.json()["actions"][0]["args"][0] == outcome.message


def test_every_procedure_python_calls_by_name_is_in_the_addin(vba: dict[str, str]) -> None:
    """The notes macro: remote engine (xlwings' runMacro passes the workbook, then our
    two arguments) and desktop engines (the workbook's name, then the same two)."""
    body = vba[notes.MODULE]
    signatures = {
        notes.PROC: r"wb As Workbook, ByVal prefix As String, ByVal payload As String",
        notes.PROC_BY_NAME: r"ByVal bookName As String, ByVal prefix As String, ByVal payload As String",
    }
    for proc, params in signatures.items():
        assert re.search(rf"^Public Function {proc}\({params}\) As Long", body, re.M), proc
        # the name Python builds reaches it: 'gxexcel.xlam'!GxNotes.<proc>
        module, _, name = notes.macro_name(addin.ADDIN_FILE, proc).partition("!")[2].partition(".")
        assert (module, name) == (notes.MODULE, proc)
    assert notes.ADDIN_FILE == addin.ADDIN_FILE
    # the ribbon passes the add-in's own file name as dispatch.main's fourth argument,
    # the formulas of the form's cells as the fifth
    call = re.search(r'GxCommand = "import gxexcel\.excel\.dispatch as gx; gx\.main\(" & _\s+(.*?) & "\)"', vba["GxRibbon"], re.S)
    args = [a.strip(" _\r\n") for a in call.group(1).split('& ", " &')]
    assert args == ["PyText(controlId)", "PyText(arg)", "PyText(GX_ADDIN_VERSION)", "PyText(ThisWorkbook.Name)", "PyText(facts)"]
    import inspect

    assert list(inspect.signature(dispatch.main).parameters) == ["control_id", "arg", "addin_version", "addin_file", "formulas"]


def test_folder_dialog_title_decodes_to_chinese(vba: dict[str, str]) -> None:
    codes = re.search(r'dialog\.Title = GxText\("([0-9A-F ]+)"\)', vba["GxRibbon"]).group(1)
    assert "".join(chr(int(c, 16)) for c in codes.split()) == "选择要汇总的文件夹"


def test_the_ribbon_looks_for_formulas_in_the_form_cells_of_the_layout(vba: dict[str, str]) -> None:
    """GX_FORMULA_AREAS of the built add-in (the cells whose formulas the ribbon passes to
    Python) cover exactly the table cells of gxexcel.layout, written at build time."""
    from openpyxl.utils.cell import range_boundaries

    from gxexcel import layout

    text = re.search(r'^Public Const GX_FORMULA_AREAS As String = "([^"]*)"', vba["GxRibbon"], re.M).group(1)
    covered = set()
    for area in text.split(";"):
        codes, _, ref = area.partition("!")
        sheet = "".join(chr(int(c, 16)) for c in codes.split())
        first_col, first_row, last_col, last_row = range_boundaries(ref)
        covered |= {(sheet, r, c) for r in range(first_row, last_row + 1) for c in range(first_col, last_col + 1)}
    assert covered == {(p.sheet, p.row, p.col) for p in layout.cell_positions().values()}
    assert re.search(r'^Public Const GX_FORMULA_AREAS As String = ""', addin.macro_modules()["GxRibbon"], re.M)


def test_vba_sources_are_ascii() -> None:
    # VBA keeps source in the machine's ANSI code page: Chinese would not survive.
    for path in MACROS.glob("*.bas"):
        path.read_text(encoding="utf-8").encode("ascii")


def test_udf_wrappers_match_the_python_functions(vba: dict[str, str]) -> None:
    import inspect

    declared = re.findall(r"^Function (\w+)\(([^)]*)\)", vba["GxFunctions"], re.M)
    python = {
        name: [p for p in inspect.signature(f).parameters if p != "caller"]
        for name, f in vars(udfs).items()
        if name.startswith("GX_") and callable(f)
    }
    assert {n: [a.strip() for a in args.split(",") if a.strip()] for n, args in declared} == python
    for name, args in python.items():
        call = re.search(rf'{name} = XLPy\.CallUDF\("{udfs.UDF_MODULE}", "{name}", Array\(([^)]*)\), ActiveWorkbook', vba["GxFunctions"])
        assert call, name
        assert [a.strip() for a in call.group(1).split(",")] == args + ["Nothing"]


def test_config_sheet_is_filled(built: Path) -> None:
    wb = CalamineWorkbook.from_path(str(built))
    assert wb.sheet_names == ["gxexcel.conf"]
    rows = {r[0]: r[1] for r in wb.get_sheet_by_name("gxexcel.conf").to_python()}
    assert rows["Interpreter_Win"] == r"C:\Python311\pythonw.exe"
    assert rows["Interpreter_Mac"] == "/usr/local/bin/python3"
    assert rows["UDF Modules"] == "gxexcel.excel.udfs"
    assert rows["Show Console"] is False


def test_pyopenvba_integrity_check_passes(built: Path) -> None:
    from pyopenvba import check_file

    report = check_file(built)
    assert report.complete and report.issues == ()


def test_libreoffice_opens_the_addin(built: Path, tmp_path: Path) -> None:
    # LibreOffice's type detection does not pick .xlam files (xlwings' own template
    # neither); named explicitly, its Excel VBA filter loads and re-saves the add-in.
    with tempfile.TemporaryDirectory(prefix="gx-lo-addin-") as profile:
        proc = subprocess.run(
            [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--infilter=Calc MS Excel 2007 VBA XML", "--convert-to", "xlsx", "--outdir", str(tmp_path), str(built)],
            capture_output=True, text=True, timeout=300,
        )
    out = tmp_path / "gxexcel.xlsx"
    assert proc.returncode == 0 and out.exists(), proc.stderr
    wb = CalamineWorkbook.from_path(str(out))
    assert wb.sheet_names == ["gxexcel.conf"]


def test_cli_build_and_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    target = tmp_path / "out" / "gx.xlam"
    result = runner.invoke(cli, ["addin", "build", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert f"已制作加载项：{target}" in result.output
    assert zipfile.ZipFile(target).read("customUI/customUI.xml") == (MACROS / "customUI.xml").read_bytes()

    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["addin", "install"])
    assert result.exit_code == 0, result.output
    built = tmp_path / "dist" / "gxexcel.xlam"
    assert built.exists()
    # this machine has no Excel: say so, and where the built file is
    assert "没有 Microsoft Excel" in result.output and str(built) in result.output
    rows = {r[0]: r[1] for r in CalamineWorkbook.from_path(str(built)).get_sheet_by_index(0).to_python()}
    # built for another computer: no interpreter path from this one
    assert rows["Interpreter_Win"] == rows["Interpreter_Mac"] == ""
    assert rows["UDF Modules"] == "gxexcel.excel.udfs"


def test_ribbon_lifts_the_structure_lock_around_python(vba: dict[str, str]) -> None:
    """校验 adds the 校验结果 sheet to a structure-locked workbook: the callback lifts the
    lock before RunPython and restores it after."""
    body = vba["GxRibbon"]
    unlock, run, relock = body.index("wb.Unprotect"), body.index("RunPython GxCommand(wb"), body.index("wb.Protect Structure:=True")
    assert unlock < run < relock


def test_template_lets_the_buttons_format_protected_sheets() -> None:
    """Highlights and notes on protected sheets need formatCells and objects allowed."""
    from gxexcel import layout
    from gxexcel.template import build_workbook

    wb = build_workbook()
    for name in layout.TEMPLATE_SHEETS:
        prot = wb[name].protection
        assert prot.sheet, name
        assert prot.formatCells is False, name  # False = not forbidden
        assert prot.objects is False, name


@pytest.mark.parametrize("name", ["gx.xlsx", "gx.xlsm", "gx"])
def test_cli_build_to_a_name_that_is_not_an_addin_is_refused_in_chinese(tmp_path: Path, name: str) -> None:
    result = CliRunner().invoke(cli, ["addin", "build", "-o", str(tmp_path / name)])
    assert result.exit_code == 2, result.output
    assert ".xlam" in result.output and "内部错误" not in result.output and "Unsupported" not in result.output
    assert list(tmp_path.iterdir()) == []
