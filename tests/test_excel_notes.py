"""Cell notes of 校验, end to end with the add-in's real VBA.

The buttons run on xlwings' remote engine over real template workbooks; the
``runMacro`` action they emit is then executed for real: the GxNotes module is
read out of the built add-in (oletools), put into the workbook's VBA project and
run by LibreOffice's VBA support (``tests/lo_vba.py``), exactly with the macro
name and arguments of the action. The notes are read back with openpyxl.
"""

from __future__ import annotations

import os

# xlwings registers its remote engine at import time: the (noncommercial) key must be set first.
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"

import random
from pathlib import Path
from typing import Any

import pytest
from lo_vba import run_macros, unqualified, with_vba
from oletools.olevba import VBA_Parser
from openpyxl import load_workbook
from openpyxl.comments import Comment

from gxexcel import addin, layout
from gxexcel.excel import dispatch, marks, notes
from gxexcel.excel.payload import apply_actions, remote_book
from gxexcel.libreoffice import recalculate
from gxexcel.sample import sample_report
from gxexcel.writer import write_workbook

pytestmark = pytest.mark.slow

POS = layout.cell_positions()
CLERK = "镇办：本栏数据已与党政办核对。"
CLERK_AUTHOR = "党政办"


def _broken():
    """表三 自然人 new applications three too many: the balance fails in two columns."""
    r = sample_report(random.Random(1), unit_name="南定镇人民政府")
    r.cells["t3.new.natural"] = r.number("t3.new.natural") + 3
    return r


def _cell(cid: str) -> tuple[str, str]:
    return POS[cid].sheet, POS[cid].coordinate


@pytest.fixture(scope="module")
def gxnotes_vba(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The GxNotes module as it is in the built add-in."""
    built = addin.build_addin(tmp_path_factory.mktemp("addin") / addin.ADDIN_FILE)
    parser = VBA_Parser(str(built))
    try:
        (code,) = [c for _, _, name, c in parser.extract_macros() if Path(name).stem == notes.MODULE]
    finally:
        parser.close()
    return code


def _our_notes(path: Path) -> dict[tuple[str, str], str]:
    wb = load_workbook(path)
    return {
        (ws.title, c.coordinate): c.comment.text
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.comment is not None
    }


def _click(path: Path, control: str) -> tuple[Any, list[dict[str, Any]]]:
    book = remote_book(path)
    outcome = dispatch.run(control, book, "", "", "gxexcel.xlam")
    return outcome, book.json()["actions"]


def _apply(source: Path, actions: list[dict[str, Any]], target: Path, vba: str) -> tuple[Path, list[list[Any]]]:
    """What Excel does with the actions: openpyxl applies values and fills, LibreOffice runs the macros."""
    macros: list[list[Any]] = []
    wb = load_workbook(source)
    apply_actions(wb, actions, macros)
    # The template protects its sheets with "edit objects" allowed, which in Excel allows
    # adding and deleting notes on any cell (test_addin checks the flags). LibreOffice
    # ties notes to the cell lock instead and refuses them on locked cells (the totals),
    # so its run gets the sheets unprotected (the macro itself is not changed for it).
    for ws in wb.worksheets:
        ws.protection.sheet = False
    staged = target.with_name(target.stem + ".actions.xlsx")
    staged.parent.mkdir(parents=True, exist_ok=True)
    wb.save(staged)
    xlsm = with_vba(staged, {notes.MODULE: vba}, target.with_suffix(".xlsm"))
    calls = [[unqualified(name), *args] for name, *args in macros]
    run_macros(xlsm, calls, target)
    return target, macros


@pytest.fixture(scope="module")
def rounds(tmp_path_factory: pytest.TempPathFactory, gxnotes_vba: str) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("notes")
    written = write_workbook(_broken(), base / "in" / "broken.xlsx")
    # the clerk's own notes: one on a cell 校验 will mark, one elsewhere;
    # and a note a previous 校验 left on a cell that is fine now
    wb = load_workbook(written)
    for cid, text in (("t3.carry_forward.natural", CLERK), ("t2.license.decisions", CLERK)):
        sheet, coord = _cell(cid)
        wb[sheet][coord].comment = Comment(text, CLERK_AUTHOR)
    sheet, coord = _cell("t2.fees.amount")
    wb[sheet][coord].comment = Comment(notes.PREFIX + "\n错误：上次校验的旧消息", "gxexcel")
    wb.save(written)
    (broken,) = recalculate([written], base / "calc")

    first, first_actions = _click(broken, "gxValidate")
    after_first, first_macros = _apply(broken, first_actions, base / "first" / "broken.xlsx", gxnotes_vba)

    # the clerk corrects the figure; LibreOffice recalculates the totals
    wb = load_workbook(after_first)
    sheet, coord = _cell("t3.new.natural")
    wb[sheet][coord].value -= 3
    fixed_in = base / "fixed-in" / "fixed.xlsx"
    fixed_in.parent.mkdir(parents=True, exist_ok=True)
    wb.save(fixed_in)
    (fixed,) = recalculate([fixed_in], base / "fixed-calc")
    second, second_actions = _click(fixed, "gxValidate")
    after_second, second_macros = _apply(fixed, second_actions, base / "second" / "fixed.xlsx", gxnotes_vba)

    _, clear_actions = _click(after_first, "gxClear")
    after_clear, clear_macros = _apply(after_first, clear_actions, base / "clear" / "cleared.xlsx", gxnotes_vba)
    return {
        "broken": broken, "first": first, "first_actions": first_actions, "after_first": after_first,
        "first_macros": first_macros, "second": second, "after_second": after_second,
        "second_macros": second_macros, "after_clear": after_clear, "clear_macros": clear_macros,
    }


def test_notes_land_on_the_highlighted_cells_with_the_messages(rounds: dict[str, Any]) -> None:
    first = rounds["first"]
    assert first.findings
    (call,) = rounds["first_macros"]
    assert call[0] == "'gxexcel.xlam'!GxNotes.GxSetNotes" and call[1] == notes.PREFIX
    found = _our_notes(rounds["after_first"])
    ours = {m: t for m, t in found.items() if t.startswith(notes.PREFIX)}
    highlighted = set(marks.wanted_colors(first.findings))
    clerk_cell = _cell("t3.carry_forward.natural")
    assert clerk_cell in highlighted
    # every highlighted cell has our note, except the one holding the clerk's note
    assert set(ours) == highlighted - {clerk_cell}
    expected = notes.note_lines(first.findings)
    for mark, text in ours.items():
        assert text == "\n".join([notes.PREFIX, *expected[mark]]), mark
    # e.g. the figure the clerk must correct: the balance message of its column
    new_natural = found[_cell("t3.new.natural")]
    assert new_natural.startswith(notes.PREFIX + "\n错误：表三 自然人列") and "勾稽关系不符" in new_natural
    # the clerk's notes are kept as they were; the previous run's note is gone
    assert found[clerk_cell].endswith(CLERK)
    assert found[_cell("t2.license.decisions")].endswith(CLERK)
    assert _cell("t2.fees.amount") not in found
    # the highlights were applied too (the same workbook Excel would show)
    ws = load_workbook(rounds["after_first"])[clerk_cell[0]]
    assert ws[clerk_cell[1]].fill.fgColor.rgb[-6:] == marks.severity_color("error")[1:]


def test_second_validate_after_the_fix_leaves_no_stale_note(rounds: dict[str, Any]) -> None:
    assert rounds["second"].findings == []
    (call,) = rounds["second_macros"]
    assert call[1:] == [notes.PREFIX, ""]
    found = _our_notes(rounds["after_second"])
    assert not [m for m, t in found.items() if t.startswith(notes.PREFIX)]
    assert found[_cell("t3.carry_forward.natural")].endswith(CLERK)
    assert found[_cell("t2.license.decisions")].endswith(CLERK)


def test_clear_marks_removes_our_notes_and_keeps_the_clerks(rounds: dict[str, Any]) -> None:
    before = _our_notes(rounds["after_first"])
    assert any(t.startswith(notes.PREFIX) for t in before.values())
    (call,) = rounds["clear_macros"]
    assert call == ["'gxexcel.xlam'!GxNotes.GxSetNotes", notes.PREFIX, ""]
    found = _our_notes(rounds["after_clear"])
    assert set(found) == {_cell("t3.carry_forward.natural"), _cell("t2.license.decisions")}
    assert all(t.endswith(CLERK) for t in found.values())
