"""Build the gxexcel Excel add-in (.xlam) from text sources, and install it.

The add-in starts from the ribbon add-in template that ships with the installed
xlwings (``quickstart_addin_ribbon.xlam``), so its ``xlwings`` VBA module always
matches the Python package. Into it go:

- the VBA modules of ``macros/*.bas`` (pyopenvba; the template's sample module
  ``RibbonMyAddin`` is taken out), with ``GX_ADDIN_VERSION`` set to the version
  of gxexcel that built it and ``GX_FORMULA_AREAS`` to the form's table cells
  (:func:`gxexcel.excel.formulas.vba_areas`);
- the ribbon ``macros/customUI.xml`` (tab 政务公开年报);
- the config sheet, renamed to ``gxexcel.conf`` so that xlwings reads it, with the
  interpreter, the UDF module and the console setting.

The xlwings module keeps every line of the installed version except
``PROJECT_NAME``, which xlwings' documentation has custom add-ins set to their
own name (it names the config sheet). Package parts are edited with zipfile and
lxml (openpyxl cannot open .xlam files); VBA with pyopenvba.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass
from importlib.metadata import version as _dist_version
from pathlib import Path

from lxml import etree

from .atomic import atomic_path
from .errors import GxError

ADDIN_NAME = "gxexcel"
ADDIN_FILE = f"{ADDIN_NAME}.xlam"
CONFIG_SHEET = f"{ADDIN_NAME}.conf"
TEMPLATE_SAMPLE_MODULE = "RibbonMyAddin"
UDF_MODULE = "gxexcel.excel.udfs"
VERSION_CONST = "GX_ADDIN_VERSION"

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CUSTOM_UI_PART = "customUI/customUI.xml"


def gxexcel_version() -> str:
    return _dist_version("gxexcel")


def xlwings_template() -> Path:
    import xlwings

    path = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
    if not path.is_file():
        raise GxError(f"已安装的 xlwings {xlwings.__version__} 中找不到加载项模板 quickstart_addin_ribbon.xlam。")
    return path


def macros_dir() -> Path:
    """``macros/`` of the source tree, or its installed copy (``<prefix>/share/gxexcel/macros``)."""
    here = Path(__file__).resolve().parent
    installed = Path(sys.prefix) / "share" / "gxexcel" / "macros"  # pyproject data-files
    for candidate in (here.parents[1] / "macros", installed):
        if (candidate / "customUI.xml").is_file():
            return candidate
    raise GxError("找不到加载项源文件目录 macros/（customUI.xml 与 .bas 模块）。")


def macro_modules(folder: Path | None = None) -> dict[str, str]:
    """Module name -> VBA source, for every ``.bas`` file of ``macros/``."""
    folder = folder or macros_dir()
    out: dict[str, str] = {}
    for path in sorted(folder.glob("*.bas")):
        text = path.read_text(encoding="utf-8")
        match = re.search(r'^Attribute VB_Name = "([^"]+)"', text, re.M)
        if not match or match.group(1) != path.stem:
            raise GxError(f"VBA 模块的 VB_Name 应与文件名一致：{path.name}")
        out[path.stem] = text
    return out


def with_version(source: str, version: str) -> str:
    """Set ``GX_ADDIN_VERSION`` in a module's source (the module that declares it)."""
    pattern = re.compile(rf'^(Public Const {VERSION_CONST} As String = )"[^"]*"', re.M)
    return pattern.sub(lambda m: f'{m.group(1)}"{version}"', source)


AREAS_CONST = "GX_FORMULA_AREAS"


def with_formula_areas(source: str) -> str:
    """Set ``GX_FORMULA_AREAS`` (the form cells whose formulas the ribbon passes to Python,
    from :mod:`gxexcel.layout`) in the module that declares it."""
    from .excel.formulas import vba_areas

    pattern = re.compile(rf'^(Public Const {AREAS_CONST} As String = )"[^"]*"', re.M)
    return pattern.sub(lambda m: f'{m.group(1)}"{vba_areas()}"', source)


def as_built(source: str, version: str) -> str:
    """A module of ``macros/`` as the add-in holds it: the constants filled in."""
    return with_formula_areas(with_version(source, version))


def with_project_name(xlwings_source: str, name: str = ADDIN_NAME) -> str:
    pattern = re.compile(r'^(Public Const PROJECT_NAME As String = )"[^"]*"', re.M)
    new, count = pattern.subn(lambda m: f'{m.group(1)}"{name}"', xlwings_source)
    if count != 1:
        raise GxError("xlwings 模块中找不到 PROJECT_NAME 常量，无法制作加载项。")
    return new


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


# -- config sheet ----------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    interpreter_win: str = ""
    interpreter_mac: str = ""
    udf_modules: str = UDF_MODULE
    show_console: bool = False

    def entries(self) -> dict[str, str | bool]:
        return {
            "Interpreter_Win": self.interpreter_win,
            "Interpreter_Mac": self.interpreter_mac,
            "UDF Modules": self.udf_modules,
            "Show Console": self.show_console,
        }


def current_interpreter_config() -> Config:
    """The config that points the add-in at the running interpreter."""
    exe = Path(sys.executable)
    if sys.platform.startswith("win"):
        pythonw = exe.with_name("pythonw.exe")
        return Config(interpreter_win=str(pythonw if pythonw.exists() else exe))
    if sys.platform == "darwin":
        return Config(interpreter_mac=str(exe))
    # No Excel here: the file goes to another computer, where this path means nothing.
    return Config()


def _q(tag: str) -> str:
    return f"{{{MAIN_NS}}}{tag}"


def _shared_strings(parts: dict[str, bytes]) -> list[str]:
    root = etree.fromstring(parts["xl/sharedStrings.xml"])
    return ["".join(si.itertext()) for si in root.findall(_q("si"))]


def _fill_config_sheet(parts: dict[str, bytes], config: Config) -> None:
    """Rename the template's config sheet and write our values in column B."""
    workbook = etree.fromstring(parts["xl/workbook.xml"])
    sheets = workbook.find(_q("sheets")).findall(_q("sheet"))
    if len(sheets) != 1 or not sheets[0].get("name", "").endswith(".conf"):
        raise GxError("xlwings 加载项模板的配置工作表与预期不同，无法制作加载项。")
    sheets[0].set("name", CONFIG_SHEET)
    parts["xl/workbook.xml"] = etree.tostring(workbook, xml_declaration=True, encoding="UTF-8", standalone=True)

    strings = _shared_strings(parts)
    sheet_part = "xl/worksheets/sheet1.xml"
    sheet = etree.fromstring(parts[sheet_part])
    entries = config.entries()
    found: set[str] = set()
    for row in sheet.find(_q("sheetData")).findall(_q("row")):
        cells = {c.get("r"): c for c in row.findall(_q("c"))}
        r = row.get("r")
        key_cell = cells.get(f"A{r}")
        if key_cell is None or key_cell.get("t") != "s":
            continue
        key = strings[int(key_cell.findtext(_q("v")))]
        if key not in entries:
            continue
        found.add(key)
        value = entries[key]
        old = cells.get(f"B{r}")
        if old is not None:
            row.remove(old)
        cell = etree.SubElement(row, _q("c"), r=f"B{r}")
        if key_cell.get("s"):
            cell.set("s", key_cell.get("s"))
        if isinstance(value, bool):
            cell.set("t", "b")
            etree.SubElement(cell, _q("v")).text = "1" if value else "0"
        elif value:
            cell.set("t", "inlineStr")
            etree.SubElement(etree.SubElement(cell, _q("is")), _q("t")).text = value
        row.set("spans", "1:2")
    missing = set(entries) - found
    if missing:
        raise GxError(f"xlwings 加载项模板的配置工作表缺少：{'、'.join(sorted(missing))}。")
    parts[sheet_part] = etree.tostring(sheet, xml_declaration=True, encoding="UTF-8", standalone=True)


def _custom_ui(folder: Path) -> bytes:
    data = (folder / "customUI.xml").read_bytes()
    etree.fromstring(data)  # must parse
    return data


def _rewrite_package(src: Path, dst: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = parts.get(info.filename, zin.read(info.filename))
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


# -- build ------------------------------------------------------------------------


def build_addin(
    target: str | os.PathLike[str] = Path("dist") / ADDIN_FILE,
    *,
    config: Config | None = None,
    macros: str | os.PathLike[str] | None = None,
) -> Path:
    """Build the add-in at ``target`` (atomically) and return its path."""
    try:
        from pyopenvba import ExcelFile
    except ImportError:
        raise GxError("制作加载项需要 pyopenvba：请运行 pip install \"gxexcel[addin]\"。") from None

    target = Path(target)
    if target.suffix.lower() != ".xlam":
        raise GxError("加载项文件的扩展名应为 .xlam（Excel 只把 .xlam 文件当作加载项载入），请换一个输出文件名，如 gxexcel.xlam。", path=str(target))
    folder = Path(macros) if macros else macros_dir()
    modules = macro_modules(folder)
    config = config or Config()
    template = xlwings_template()
    version = gxexcel_version()

    with zipfile.ZipFile(template) as z:
        parts = {name: z.read(name) for name in ("xl/workbook.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml")}
    _fill_config_sheet(parts, config)
    parts[CUSTOM_UI_PART] = _custom_ui(folder)

    with atomic_path(target) as tmp:
        _rewrite_package(template, tmp, parts)
        book = ExcelFile(tmp)
        project = book.vba_project()
        if TEMPLATE_SAMPLE_MODULE in project.module_names():
            project.delete_module(TEMPLATE_SAMPLE_MODULE)
        book.set_module("xlwings", crlf(with_project_name(book.get_module("xlwings"))))
        for name, source in modules.items():
            project.add_module(name, crlf(as_built(source, version)))
        staged = tmp.with_name(tmp.name + ".vba" + tmp.suffix)
        try:
            book.save(staged)
            os.replace(staged, tmp)
        finally:
            if staged.exists():
                staged.unlink()
    return target


# -- install ----------------------------------------------------------------------


def startup_folder() -> Path | None:
    """Excel's startup folder (XLSTART) for the current user, or None off Windows/macOS."""
    if sys.platform.startswith("win"):
        appdata = os.environ.get("APPDATA")
        return Path(appdata) / "Microsoft" / "Excel" / "XLSTART" if appdata else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Group Containers" / "UBF8T346G9.Office" / "User Content.localized" / "Startup.localized" / "Excel"
    return None


@dataclass
class InstallResult:
    built: Path
    installed: Path | None
    system: str


def install_addin(dist: str | os.PathLike[str] = "dist") -> InstallResult:
    """Build the add-in for this interpreter and copy it into Excel's startup folder."""
    built = build_addin(Path(dist).resolve() / ADDIN_FILE, config=current_interpreter_config())
    folder = startup_folder()
    if folder is None:
        return InstallResult(built, None, platform.system())
    if sys.platform == "darwin":
        # RunPython on macOS goes through xlwings' AppleScript, installed once per user.
        from xlwings.cli import runpython_install

        runpython_install(None)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / ADDIN_FILE
    with atomic_path(target) as tmp:
        shutil.copyfile(built, tmp)
    return InstallResult(built, target, platform.system())


def read_package_part(path: str | os.PathLike[str], name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


__all__ = [
    "ADDIN_FILE",
    "Config",
    "build_addin",
    "install_addin",
    "macro_modules",
    "read_package_part",
    "startup_folder",
]

