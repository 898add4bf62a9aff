"""Every ribbon button driven through xlwings' remote engine, on real template
workbooks (filled by write_workbook, recalculated by LibreOffice), checking the
actions Excel would apply."""

from __future__ import annotations

import os

# xlwings registers its remote engine at import time: the (noncommercial) key must be set first.
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"

import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw
from openpyxl import Workbook, load_workbook

from gxexcel import findings_sheet, form, layout
from gxexcel.excel import buttons, dispatch, marks, notes
from gxexcel.excel.bookread import read_book
from gxexcel.excel.payload import apply_actions, book_payload, remote_book
from gxexcel.libreoffice import recalculate
from gxexcel.model import Report
from gxexcel.reader import read_workbook
from gxexcel.sample import sample_report, type_over_totals, write_samples
from gxexcel.writer import write_workbook

POS = layout.cell_positions()
ERROR = marks.severity_color("error")
WARNING = marks.severity_color("warning")


def _report(seed: int = 1) -> Report:
    return sample_report(random.Random(seed), unit_name="南定镇人民政府")


def _broken() -> Report:
    """表三 自然人 new applications three too many: the balance fails in two columns."""
    r = _report()
    r.cells["t3.new.natural"] = r.number("t3.new.natural") + 3
    return r


def _with_warning() -> Report:
    """More regulations issued than in force: warning T2-MADE-LE (can be explained)."""
    r = _report()
    r.cells["t2.normative.issued"] = r.number("t2.normative.in_force") + 5
    r.narrative["s1.active"] = "本镇主动公开工作有序开展。"  # no figure the text could contradict
    return r


def _many(count: int) -> Report:
    """``count`` input cells of 表三 hold text: one cell finding each (plus sums)."""
    r = _report()
    cells = [c for c in form.INPUT_CELLS if c.startswith("t3.")][:count]
    for cid in cells:
        r.cells[cid] = "无"
    return r


def _blank_text() -> Report:
    r = _report()
    r.narrative = {"s1.request": "本镇依申请公开工作由党政办公室负责（镇办手写）。"}
    r.markers = {}
    return r


def _one_text_cell() -> Report:
    r = _report()
    r.cells["t3.new.business"] = "无"  # text in a count cell: exactly one finding
    return r


CASES = {
    "clean": _report,
    "one": _one_text_cell,
    "broken": _broken,
    "warning": _with_warning,
    "many": lambda: _many(100),
    "blank_text": _blank_text,
}


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The cases as workbooks, recalculated by LibreOffice in one batch."""
    base = tmp_path_factory.mktemp("excel")
    written = [write_workbook(make(), base / "in" / f"{name}.xlsx") for name, make in CASES.items()]
    # a clerk typed over a 总计 and changed a header label
    edited = write_workbook(_report(), base / "in" / "edited.xlsx")
    type_over_totals(edited, {"t3.total.total": 999})
    wb = load_workbook(edited)
    merge = layout.table_layouts()["t3"].header[1]
    wb[merge.sheet].cell(row=merge.first_row, column=merge.first_col).value = "申请人"
    wb.save(edited)
    outs = recalculate([*written, edited], base / "calc")
    return {p.stem: p for p in outs}


def _actions(book: Any) -> list[dict[str, Any]]:
    return book.json()["actions"]


def _painted(actions: list[dict[str, Any]], book: Any) -> dict[tuple[str, str], str | None]:
    """(sheet, cell) -> colour, from the setRangeColors actions."""
    names = [s.name for s in book.sheets]
    out: dict[tuple[str, str], str | None] = {}
    for a in actions:
        if a["func"] != "setRangeColors":
            continue
        sheet = names[a["sheet_position"]]
        for r, row in enumerate(a["args"][0]):
            for c, color in enumerate(row):
                if color != "keep":
                    out[(sheet, marks.address(a["start_row"] + 1 + r, a["start_column"] + 1 + c))] = (
                        color.upper() if color else None
                    )
    return out


def _values(actions: list[dict[str, Any]]) -> list[list[Any]]:
    (values,) = [a["values"] for a in actions if a["func"] == "setValues"]
    return values


def _rows(values: list[list[Any]]) -> list[list[Any]]:
    return [r for r in values[findings_sheet.HEADER_ROW :] if any(r)]


def test_book_reads_like_the_file(books: dict[str, Path]) -> None:
    for name in ("clean", "broken", "many", "edited"):
        from_book = read_book(remote_book(books[name]))
        from_file = read_workbook(books[name])
        assert from_book.same_content(from_file), name
        for what in ("typed_totals", "cached_totals", "changed_labels", "template_id", "template_version"):
            assert getattr(from_book.source, what) == getattr(from_file.source, what), (name, what)
    edited = read_book(remote_book(books["edited"])).source
    assert edited.typed_totals == ["t3.total.total"]
    assert list(edited.changed_labels.values()) == ["申请人"]


def test_validate_highlights_the_failing_cells_and_lists_the_findings(books: dict[str, Path]) -> None:
    book = remote_book(books["broken"])
    outcome = buttons.validate_book(book)
    actions = _actions(book)
    assert len(actions) <= 10
    balance = [f for f in outcome.findings if f.rule == "T3-BALANCE"]
    assert {f.cell for f in balance} == {POS["t3.carry_forward.natural"].coordinate, POS["t3.carry_forward.total"].coordinate}
    painted = _painted(actions, book)
    for cid in ("t3.carry_forward.natural", "t3.new.natural", "t3.carried.natural", "t3.total.natural"):
        assert painted[("表三", POS[cid].coordinate)] == ERROR, cid
    # the cells of the findings are highlighted; every other form cell keeps the template fill
    expected = {m for f in outcome.findings for m in findings_sheet.cells_to_mark(f)}
    assert {m for m, c in painted.items() if c != marks.original_color(m)} == expected
    assert all(painted[m] == marks.original_color(m) for m in set(painted) - expected)

    values = _values(actions)
    assert values[findings_sheet.HEADER_ROW - 1][: len(findings_sheet.HEADERS)] == list(findings_sheet.HEADERS)
    rows = _rows(values)
    assert len(rows) == len(outcome.findings)
    loc = findings_sheet.COLUMN_INDEX["location"]
    first = next(r for r in rows if r[0] == "T3-BALANCE")
    cell = POS["t3.carry_forward.natural"].coordinate
    assert first[loc] == f"=HYPERLINK(\"#'表三'!{cell}\",\"表三!{cell}\")"
    assert first[findings_sheet.COLUMN_INDEX["severity"]] == "错误"
    assert [a["func"] for a in actions][-1] == "alert"
    assert outcome.message.startswith(f"校验完成：{sum(f.severity == 'error' for f in outcome.findings)} 个错误")
    assert actions[-1]["args"][0] == outcome.message


def test_clean_workbook_passes(books: dict[str, Path]) -> None:
    book = remote_book(books["clean"])
    outcome = buttons.validate_book(book)
    assert outcome.findings == []
    assert outcome.message == "校验通过：没有发现错误或警告。"
    assert all(c == marks.original_color(m) for m, c in _painted(_actions(book), book).items())
    assert _rows(_values(_actions(book))) == []


@pytest.mark.parametrize("case, count", [("one", 1), ("many", 100)])
def test_validate_action_budget(books: dict[str, Path], case: str, count: int) -> None:
    book = remote_book(books[case])
    outcome = buttons.validate_book(book)
    assert len(outcome.findings) >= count
    if count == 1:
        assert [f.rule for f in outcome.findings] == ["CELL-INT"]
    assert len(_actions(book)) <= 10


def _macros(actions: list[dict[str, Any]]) -> list[list[Any]]:
    return [a["args"] for a in actions if a["func"] == "runMacro"]


def _records(payload: str) -> dict[tuple[str, str], list[str]]:
    """The notes of a GxSetNotes payload: (sheet, cell) -> lines (see macros/GxNotes.bas)."""
    out = {}
    for record in payload.split("\n") if payload else []:
        sheet, cell, *lines = record.split("\t")
        out[(sheet, cell)] = lines
    return out


@pytest.mark.parametrize("case", ["broken", "one", "many"])
def test_validate_writes_the_notes_with_one_macro_call(books: dict[str, Path], case: str) -> None:
    book = remote_book(books[case])
    outcome = buttons.validate_book(book)
    actions = _actions(book)
    (call,) = _macros(actions)
    name, prefix, payload = call
    assert name == "'gxexcel.xlam'!GxNotes.GxSetNotes"
    assert prefix == notes.PREFIX == "【校验】"
    records = _records(payload)
    # one note on every highlighted cell, none elsewhere
    assert set(records) == set(marks.wanted_colors(outcome.findings))
    for f in outcome.findings:
        for mark in findings_sheet.cells_to_mark(f):
            lines = records[mark]
            assert f"{'错误' if f.severity == 'error' else '警告'}：{f.message}" in lines or lines[-1].startswith("……另有")
    assert len(actions) <= 10


def test_several_findings_on_one_cell_make_one_note_with_a_line_each(books: dict[str, Path]) -> None:
    book = remote_book(books["broken"])
    outcome = buttons.validate_book(book)
    records = _records(_macros(_actions(book))[0][2])
    by_cell: dict[tuple[str, str], list[str]] = {}
    for f in outcome.findings:
        for mark in findings_sheet.cells_to_mark(f):
            by_cell.setdefault(mark, []).append(f.message)
    shared = {m: msgs for m, msgs in by_cell.items() if len(set(msgs)) > 1}
    assert shared, "the broken workbook has a cell with two findings"
    for mark, msgs in shared.items():
        assert records[mark] == [f"错误：{m}" for m in dict.fromkeys(msgs)]


def test_note_text_is_capped_and_says_so() -> None:
    from gxexcel.findings import Finding

    many = [Finding("CELL-INT", "error", f"第 {i} 条：" + "很长的消息" * 10, sheet="表三", cell="D5") for i in range(30)]
    (lines,) = _records(notes.payload(many)).values()
    assert len(lines) <= notes.MAX_LINES + 1
    assert sum(map(len, lines)) + len(notes.PREFIX) + len(lines) <= notes.MAX_CHARS
    assert lines[-1] == f"……另有 {30 - len(lines) + 1} 条，见“校验结果”工作表。"
    # tabs and line breaks in a message cannot break the payload apart
    odd = Finding("CELL-INT", "error", "甲\t乙\n丙", sheet="表三", cell="D5")
    assert _records(notes.payload([odd])) == {("表三", "D5"): ["错误：甲 乙 丙"]}
    # the cap on the number of notes is never reached by the template's cells
    assert notes.MAX_NOTES >= len(marks.all_form_marks())


def test_addin_file_name_from_the_ribbon_qualifies_the_macro(books: dict[str, Path]) -> None:
    book = remote_book(books["one"])
    dispatch.run("gxValidate", book, "", "", "政务 O'Brien.xlam")
    assert _macros(_actions(book))[0][0] == "'政务 O''Brien.xlam'!GxNotes.GxSetNotes"
    book = remote_book(books["one"])
    dispatch.run("gxValidate", book)  # an older add-in passes no name: the default file name
    assert _macros(_actions(book))[0][0] == "'gxexcel.xlam'!GxNotes.GxSetNotes"


def _fix(wb: Workbook) -> None:
    """The clerk corrects 表三 自然人 new applications."""
    p = POS["t3.new.natural"]
    wb[p.sheet].cell(row=p.row, column=p.col).value -= 3


def _explain(key: str):
    def edit(wb: Workbook) -> None:
        ws = wb[layout.SHEET_FINDINGS]
        for row in ws.iter_rows(min_row=findings_sheet.HEADER_ROW + 1):
            if row[findings_sheet.COLUMN_INDEX["key"]].value == key:
                row[findings_sheet.COLUMN_INDEX["explanation"]].value = EXPLANATION

    return edit


EXPLANATION = "本年集中清理后重新制发。"


def _clear_sheet(ws: Any) -> None:
    """The clerk selects all of 校验结果 and presses Delete (the sheet stays, empty)."""
    for row in ws.iter_rows():
        for cell in row:
            cell.value = None


@pytest.fixture(scope="module")
def second_round(books: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """First 校验 on the broken and the warning workbooks; the workbooks as Excel leaves
    them (actions applied), after the clerk's fix or explanation, recalculated in one batch."""
    base = tmp_path_factory.mktemp("second")
    first: dict[str, Any] = {}
    for name in ("broken", "warning"):
        book = remote_book(books[name])
        first[name] = (buttons.validate_book(book), _actions(book), book)
    (warning,) = [f for f in first["warning"][0].findings if f.rule == "T2-MADE-LE"]
    plans = {
        "fixed": ("broken", _fix),
        "explained": ("warning", _explain(warning.key)),
        "marked": ("broken", None),
        "fixed_results_deleted": ("broken", lambda wb: (_fix(wb), wb.remove(wb[layout.SHEET_FINDINGS]))),
        "fixed_results_cleared": ("broken", lambda wb: (_fix(wb), _clear_sheet(wb[layout.SHEET_FINDINGS]))),
    }
    written = []
    for target, (name, edit) in plans.items():
        wb = load_workbook(books[name])
        apply_actions(wb, first[name][1])
        if edit:
            edit(wb)
        path = base / "after" / f"{target}.xlsx"
        path.parent.mkdir(exist_ok=True)
        wb.save(path)
        written.append(path)
    after = {p.stem: p for p in recalculate(written, base / "calc")}
    return {"first": first, "after": after, "warning": warning}


def test_second_validate_after_a_fix_leaves_no_stale_marks(second_round: dict[str, Any]) -> None:
    first, actions_before, book = second_round["first"]["broken"]
    marked = {m for m, c in _painted(actions_before, book).items() if c != marks.original_color(m)}
    assert marked and first.findings
    fixed = second_round["after"]["fixed"]
    # the highlights really are in the file before the second run
    ws = load_workbook(fixed)["表三"]
    assert ws[POS["t3.carry_forward.natural"].coordinate].fill.fgColor.rgb[-6:] == ERROR[1:]

    again = remote_book(fixed)
    second = buttons.validate_book(again)
    assert second.findings == []
    actions = _actions(again)
    assert [a["func"] for a in actions].count("addSheet") == 0  # 校验结果 is reused
    painted = _painted(actions, again)
    assert set(painted) == marked  # every old mark is taken off …
    for mark, color in painted.items():
        assert color == marks.original_color(mark), mark  # … back to the template's fill
    values = _values(actions)
    assert _rows(values) == []  # old rows blanked in the same write
    assert len(values) >= len(first.findings) + findings_sheet.HEADER_ROW


def test_marks_go_even_when_the_clerk_deleted_the_results_sheet(second_round: dict[str, Any]) -> None:
    _, actions_before, book = second_round["first"]["broken"]
    marked = {m for m, c in _painted(actions_before, book).items() if c != marks.original_color(m)}
    again = remote_book(second_round["after"]["fixed_results_deleted"])
    assert layout.SHEET_FINDINGS not in [s.name for s in again.sheets]
    second = buttons.validate_book(again)
    assert second.findings == []
    actions = _actions(again)
    assert len(actions) <= 10
    painted = _painted(actions, again)
    assert marked <= set(painted)
    assert all(color == marks.original_color(mark) for mark, color in painted.items())


def test_explanations_are_kept_and_settle_a_warning(second_round: dict[str, Any]) -> None:
    _, actions_before, book = second_round["first"]["warning"]
    warning = second_round["warning"]
    assert _painted(actions_before, book)[(warning.sheet, warning.cell)] == WARNING

    again = remote_book(second_round["after"]["explained"])
    second = buttons.validate_book(again)
    (same,) = [f for f in second.findings if f.key == warning.key]
    assert same.explained and same.explanation == EXPLANATION
    row = next(r for r in _rows(_values(_actions(again))) if r[findings_sheet.COLUMN_INDEX["key"]] == warning.key)
    assert row[findings_sheet.COLUMN_INDEX["explanation"]] == EXPLANATION
    assert row[findings_sheet.COLUMN_INDEX["severity"]] == "警告（已说明）"
    # the settled warning's highlight is taken off
    assert _painted(_actions(again), again)[(warning.sheet, warning.cell)] == marks.original_color((warning.sheet, warning.cell))
    assert "1 个警告（其中 1 个已说明）" in second.message
    # … and it gets no note (the previous one is deleted by the same call)
    ((_, _, payload),) = _macros(_actions(again))
    assert (warning.sheet, warning.cell) not in _records(payload)


def test_clear_marks_restores_the_template_fills(second_round: dict[str, Any]) -> None:
    marked = second_round["after"]["marked"]
    again = remote_book(marked)
    outcome = dispatch.run("gxClear", again)
    actions = _actions(again)
    assert [a["func"] for a in actions].count("setRangeColors") <= len(layout.TEMPLATE_SHEETS)
    # our notes go with one clear-only call (empty payload); the clerk's notes stay
    assert _macros(actions) == [["'gxexcel.xlam'!GxNotes.GxSetNotes", notes.PREFIX, ""]]
    assert "批注" in outcome.message
    assert actions[-1]["func"] == "alert" and actions[-1]["args"][0] == outcome.message
    wb = load_workbook(marked)
    assert any(
        c.fill.fill_type == "solid" and c.fill.fgColor.rgb[-6:] == ERROR[1:] for row in wb["表三"].iter_rows() for c in row
    )
    apply_actions(wb, actions)
    for (sheet, coord), color in marks.template_fills().items():
        fill = wb[sheet][coord].fill
        found = "#" + fill.fgColor.rgb[-6:].upper() if fill.fill_type == "solid" else None
        assert found == color, (sheet, coord)


def test_narrate_fills_generated_parts_and_keeps_clerk_text(books: dict[str, Path]) -> None:
    book = remote_book(books["blank_text"])
    outcome = buttons.narrate_book(book)
    actions = _actions(book)
    texts = layout.text_positions()
    written = {}
    for a in actions:
        if a["func"] == "setValues":
            assert book.sheets[a["sheet_position"]].name == layout.SHEET_TEXT
            written[a["start_row"] + 1] = a["values"][0]
    clerk_row = texts["s1.request"].row
    assert clerk_row not in written  # the clerk's own text is never replaced
    assert "（二）依申请公开" in outcome.message and "保留" in outcome.message
    generated = [p.id for p in form.NARRATIVE_PARTS if p.generated and p.id != "s1.request"]
    assert set(outcome.written) == set(generated)
    report = read_book(remote_book(books["blank_text"]))
    from gxexcel.narrative.draft import draft_part
    from gxexcel.narrative.marker import make_marker

    for part in generated:
        text, marker = written[texts[part].row]
        assert text == draft_part(report, part)
        assert marker == make_marker(text)
        assert all(a["start_column"] == texts[part].col - 1 for a in actions if a["func"] == "setValues")


def test_export_writes_the_docx_next_to_the_workbook(books: dict[str, Path], tmp_path: Path) -> None:
    import docx

    workbook = tmp_path / "南定镇2021.xlsx"
    shutil.copy(books["clean"], workbook)
    book = remote_book(workbook)
    outcome = dispatch.run("gxExport", book)
    target = tmp_path / "南定镇2021.docx"
    assert outcome.path == str(target) and target.exists()
    assert str(target) in _actions(book)[-1]["args"][0]
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "南定镇人民政府" in text and "一、总体情况" in text


def test_export_asks_to_save_an_unsaved_workbook(books: dict[str, Path]) -> None:
    book = remote_book(books["clean"], name="工作簿1")
    outcome = dispatch.run("gxExport", book)
    assert outcome.path == "" and "请先保存工作簿" in outcome.message


def test_merge_folder_consolidates_into_a_new_workbook(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    folder = tmp_path / "各乡镇"
    write_samples(folder, 3, seed=7)
    county = Workbook()
    book = xw.Book(json=book_payload(county, str(tmp_path / "县汇总.xlsx")))
    outcome = dispatch.run("gxMerge", book, str(folder))
    target = Path(outcome.path)
    assert target.parent == tmp_path and target.exists()
    assert "计入汇总 3 个单位" in outcome.message
    sheets = CalamineWorkbook.from_path(str(target)).sheet_names
    assert sheets
    # without a folder the dispatcher says nothing was consolidated
    assert "没有选择文件夹" in dispatch.run("gxMerge", book, "").message


def test_help_opens_the_clerks_readme_in_the_browser(tmp_path: Path) -> None:
    seen = tmp_path / "opened.txt"
    env = dict(os.environ, BROWSER=f"sh -c 'echo %s > {seen}'", TMPDIR=str(tmp_path))
    code = (
        "import xlwings as xw, openpyxl\n"
        "from gxexcel.excel import dispatch\n"
        "from gxexcel.excel.payload import book_payload\n"
        "book = xw.Book(json=book_payload(openpyxl.Workbook(), 'x.xlsx'))\n"
        "print(dispatch.run('gxHelp', book).path)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    page = Path(proc.stdout.strip())
    assert seen.read_text().strip() == page.as_uri()
    html = page.read_text(encoding="utf-8")
    for b in dispatch.BUTTONS.values():
        assert b.label in html
    assert "开发者" not in html  # the developers' part is left out


def test_not_our_template_is_reported_in_chinese() -> None:
    wb = Workbook()
    wb.active.title = "Sheet1"
    book = xw.Book(json=book_payload(wb, "/tmp/别的表.xlsx"))
    outcome = dispatch.run("gxValidate", book)
    assert "不是 gxexcel 年报填报模板" in outcome.message and "别的表.xlsx" in outcome.message
    assert [a["func"] for a in _actions(book)] == ["alert"]


def test_version_mismatch_stops_before_the_button(books: dict[str, Path]) -> None:
    book = remote_book(books["broken"])
    outcome = dispatch.run("gxValidate", book, "", "0.0.1")
    assert "gxexcel addin install" in outcome.message
    assert [a["func"] for a in _actions(book)] == ["alert"]


def test_clear_marks_leaves_a_workbook_that_is_not_the_template_alone() -> None:
    """Another office's workbook with sheets named 表二/表三: 清除标记 must not repaint its cells."""
    wb = Workbook()
    wb.active.title = "表三"
    wb.create_sheet("表二")
    book = xw.Book(json=book_payload(wb, "/tmp/别的统计表.xlsx"))
    outcome = dispatch.run("gxClear", book)
    assert "不是 gxexcel 年报填报模板" in outcome.message and "别的统计表.xlsx" in outcome.message
    assert [a["func"] for a in _actions(book)] == ["alert"]


def test_marks_go_even_when_the_clerk_emptied_the_results_sheet(second_round: dict[str, Any]) -> None:
    _, actions_before, book = second_round["first"]["broken"]
    marked = {m for m, c in _painted(actions_before, book).items() if c != marks.original_color(m)}
    again = remote_book(second_round["after"]["fixed_results_cleared"])
    second = buttons.validate_book(again)
    assert second.findings == []
    painted = _painted(_actions(again), again)
    assert marked <= set(painted)
    assert all(color == marks.original_color(mark) for mark, color in painted.items())


def test_export_keeps_an_earlier_export_the_clerk_may_have_edited(books: dict[str, Path], tmp_path: Path) -> None:
    workbook = tmp_path / "南定镇2021.xlsx"
    shutil.copy(books["clean"], workbook)
    edited = tmp_path / "南定镇2021.docx"
    edited.write_bytes(b"clerk's edited report")
    outcome = dispatch.run("gxExport", remote_book(workbook))
    assert edited.read_bytes() == b"clerk's edited report"
    target = Path(outcome.path)
    assert target.parent == tmp_path and target != edited and target.suffix == ".docx" and target.exists()
    assert target.name in outcome.message
    again = dispatch.run("gxExport", remote_book(workbook))
    assert len({Path(again.path), target, edited}) == 3


def test_export_of_a_workbook_with_errors_says_so(books: dict[str, Path], tmp_path: Path) -> None:
    workbook = tmp_path / "南定镇2021.xlsx"
    shutil.copy(books["broken"], workbook)
    outcome = dispatch.run("gxExport", remote_book(workbook))
    assert Path(outcome.path).exists()
    errors = sum(f.severity == "error" for f in buttons.validate_book(remote_book(workbook)).findings)
    assert f"{errors} 个错误" in outcome.message and "校验" in outcome.message
    clean = tmp_path / "clean.xlsx"
    shutil.copy(books["clean"], clean)
    assert "错误" not in dispatch.run("gxExport", remote_book(clean)).message


def test_narrate_says_why_a_part_is_not_drafted_and_stays_short(books: dict[str, Path]) -> None:
    """Sixty text cells in 表三: the message box names the problem and a few cells, not all of them."""
    outcome = dispatch.run("gxNarrate", remote_book(books["many"]))
    (line,) = [x for x in outcome.message.splitlines() if "依申请公开" in x and "未生成" in x]
    assert "不是数字" in line and "请先修正" in line
    assert line.count("表三!") <= 8 and "等" in line
    assert len(outcome.message) < 1000  # Excel's message box shows about 1024 characters


def test_merge_of_a_folder_without_reports_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "各乡镇"
    folder.mkdir()
    book = xw.Book(json=book_payload(Workbook(), str(tmp_path / "县汇总.xlsx")))
    outcome = dispatch.run("gxMerge", book, str(folder))
    assert "没有找到任何报表文件" in outcome.message and outcome.path == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["各乡镇"]


def _unreadable_link(folder: Path) -> Path:
    """An entry whose kind cannot even be looked up (a link into another user's /proc entry)."""
    link = folder / "快捷方式"
    link.symlink_to("/proc/1/cwd")
    try:
        link.is_file()
    except PermissionError:
        return link
    pytest.skip("no entry this process may not look up")


def test_merge_of_a_folder_holding_an_unreadable_entry_still_consolidates(tmp_path: Path) -> None:
    folder = tmp_path / "各乡镇"
    write_samples(folder, 2, seed=7)
    _unreadable_link(folder)
    book = xw.Book(json=book_payload(Workbook(), str(tmp_path / "县汇总.xlsx")))
    outcome = dispatch.run("gxMerge", book, str(folder))
    assert "计入汇总 2 个单位" in outcome.message and Path(outcome.path).exists()


def test_an_unexpected_failure_is_told_in_chinese_not_raised(books: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The last line of defence, as in the CLI: no Python traceback in Excel's message box."""
    def broken(book: Any) -> buttons.Outcome:
        raise KeyError("t3.new.natural")

    monkeypatch.setitem(dispatch.BUTTONS, "gxExport", dispatch.Button("gxExport", "导出报告", broken))
    book = remote_book(books["clean"])
    outcome = dispatch.run("gxExport", book)
    assert outcome.message.startswith("内部错误") and "KeyError" in outcome.message
    assert [a["func"] for a in _actions(book)] == ["alert"]


def test_export_of_a_workbook_saved_online_asks_for_a_local_copy(books: dict[str, Path]) -> None:
    """Excel gives an https address for a workbook on OneDrive/SharePoint: it was saved,
    only not in a folder the report can be written to."""
    book = remote_book(books["clean"], name="https://d.docs.live.net/1a2b/文档/南定镇2021.xlsx")
    outcome = dispatch.run("gxExport", book)
    assert outcome.path == "" and "请先保存工作簿" not in outcome.message
    assert "另存" in outcome.message and "本机" in outcome.message


def test_export_names_the_parts_the_unit_must_still_write(books: dict[str, Path], tmp_path: Path) -> None:
    """一（三）至（五） and 五 are written by the unit: exported empty, the clerk is told before publishing."""
    workbook = tmp_path / "南定镇2021.xlsx"
    shutil.copy(books["blank_text"], workbook)
    outcome = dispatch.run("gxExport", remote_book(workbook))
    assert "提示：以下部分为空，需要本单位据实撰写后再发布：（三）政府信息管理、（四）政府信息公开平台建设、（五）监督保障、五、存在的主要问题及改进情况。" in outcome.message
    clean = tmp_path / "clean.xlsx"
    shutil.copy(books["clean"], clean)
    assert "本单位据实撰写" not in dispatch.run("gxExport", remote_book(clean)).message
