"""Run the add-in's VBA for real, in LibreOffice Calc's VBA compatibility mode.

openpyxl runs no VBA and there is no Excel here, but LibreOffice executes the VBA
modules of an .xlsm (``Option VBASupport 1``) and implements the Excel objects
the notes module uses (``Worksheet.Comments``, ``Comment.Text``/``Delete``,
``Range.Comment``/``AddComment``, ``Application.Run``). So:

1. :func:`with_vba` turns a workbook (.xlsx, e.g. one a button's actions were
   applied to) into an .xlsm whose VBA project holds the given modules (pyopenvba,
   as ``gxexcel addin build`` uses) plus :data:`CALLER`, a test-only module that
   does what xlwings' VBA client does with a ``runMacro`` action:
   ``Application.Run name, <the workbook>, args...``;
2. :func:`run_macros` starts a headless LibreOffice with its own profile, whose
   Basic library gets a small driver: it loads the .xlsm with macros allowed,
   invokes ``GxCallMacro`` once per call through the document's script provider,
   saves the result as .xlsx and quits. The saved file is then read with openpyxl.

LibreOffice's ``Application.Run`` does not find a procedure by a workbook-qualified
name (``'gxexcel.xlam'!GxNotes.GxSetNotes``: "The macro doesn't exist"), so the
caller drops that qualifier (:func:`unqualified`); in the test the procedure lives
in the workbook itself, not in an add-in.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from gxexcel.addin import crlf
from gxexcel.libreoffice import soffice

CALLER_MODULE = "GxTestCaller"
CALLER = f'''Attribute VB_Name = "{CALLER_MODULE}"
Option Explicit
' Test only: what xlwings' VBA client (Remote.bas runMacro) does with a runMacro action.
Public Function GxCallMacro(ByVal macroName As String, ByVal arg1 As String, ByVal arg2 As String) As Variant
    GxCallMacro = Application.Run(macroName, ThisWorkbook, arg1, arg2)
End Function
'''


def addin_module(built: Path, name: str) -> str:
    """The VBA module ``name`` as it is in the built add-in (read with oletools)."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(built))
    try:
        (code,) = [c for _, _, stream, c in parser.extract_macros() if Path(stream).stem == name]
    finally:
        parser.close()
    return code


def unqualified(macro: str) -> str:
    """``'book.xlam'!Module.Proc`` -> ``Module.Proc``."""
    return macro.rpartition("!")[2]


def with_vba(xlsx: Path, modules: Mapping[str, str], target: Path) -> Path:
    """A copy of ``xlsx`` as an .xlsm whose VBA project holds ``modules`` and the caller."""
    from pyopenvba import ExcelFile

    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(target.stem + ".novba.xlsm")
    shutil.copyfile(xlsx, staged)
    book = ExcelFile(staged)
    project = book.add_vba_project()
    for name, source in {**modules, CALLER_MODULE: CALLER}.items():
        project.add_module(name, crlf(source))
    book.save(target)
    staged.unlink()
    return target


def _basic(text: str) -> str:
    """A StarBasic string expression for ``text`` (quotes doubled, tab/CR/LF via Chr)."""
    parts: list[str] = []
    run = ""
    for ch in text:
        if ch in "\t\r\n":
            if run:
                parts.append('"' + run.replace('"', '""') + '"')
                run = ""
            parts.append(f"Chr({ord(ch)})")
        else:
            run += ch
    if run or not parts:
        parts.append('"' + run.replace('"', '""') + '"')
    return " & ".join(parts)


def _driver(xlsm: Path, out: Path, calls: Sequence[Sequence[str]], status: Path) -> str:
    invokes = "\n".join(
        f"    n = script.invoke(Array({', '.join(_basic(a) for a in call)}), outIdx, outArgs)\n"
        f'    results = results & Chr(10) & n'
        for call in calls
    )
    return f'''Sub Driver
    Dim args(1) As New com.sun.star.beans.PropertyValue
    args(0).Name = "MacroExecutionMode" : args(0).Value = 4 ' ALWAYS_EXECUTE_NO_WARN
    args(1).Name = "Hidden" : args(1).Value = True
    Dim doc As Object, script As Object, outIdx(), outArgs(), n As Variant, results As String, msg As String
    On Error GoTo Failed
    doc = StarDesktop.loadComponentFromURL(ConvertToURL({_basic(str(xlsm))}), "_blank", 0, args())
    script = doc.getScriptProvider().getScript( _
        "vnd.sun.star.script:VBAProject.{CALLER_MODULE}.GxCallMacro?language=Basic&location=document")
{invokes}
    Dim st(0) As New com.sun.star.beans.PropertyValue
    st(0).Name = "FilterName" : st(0).Value = "Calc MS Excel 2007 XML"
    doc.storeToURL(ConvertToURL({_basic(str(out))}), st())
    doc.close(True)
    msg = "ok" & results
    GoTo Done
Failed:
    msg = "error " & Err & ": " & Error$
    If Not IsNull(doc) Then doc.close(True)
Done:
    Dim f As Integer
    f = FreeFile
    Open {_basic(str(status))} For Output As #f
    Print #f, msg
    Close #f
    StarDesktop.terminate()
End Sub
'''


class MacroFailed(RuntimeError):
    pass


def run_macros(xlsm: Path, calls: Sequence[Sequence[str]], out: Path, *, timeout: float = 180) -> list[str]:
    """Open ``xlsm`` in LibreOffice, run ``GxCallMacro(*call)`` for each call in order,
    save the workbook as ``out`` (.xlsx); returns what each call returned (as text, one
    line each: a returned text must not hold a line break)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gx-lo-vba-") as tmp:
        profile = Path(tmp) / "profile"
        status = Path(tmp) / "status.txt"
        env = f"-env:UserInstallation={profile.as_uri()}"
        subprocess.run([soffice(), env, "--headless", "--terminate_after_init"], capture_output=True, timeout=timeout, check=True)
        module = profile / "user" / "basic" / "Standard" / "Module1.xba"  # the profile's own Standard library
        module.write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
            '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
            f'script:language="StarBasic">{escape(_driver(xlsm.resolve(), out.resolve(), calls, status))}</script:module>',
            encoding="utf-8",
        )
        proc = subprocess.run(
            [soffice(), env, "--headless", "--norestore", "macro:///Standard.Module1.Driver"],
            capture_output=True, text=True, timeout=timeout,
        )
        result = status.read_text(encoding="utf-8").strip() if status.exists() else ""
    if not result.startswith("ok") or not out.exists():
        raise MacroFailed(f"LibreOffice: {result or 'no result'}; {proc.stderr.strip()}")
    return result.split("\n")[1:]
