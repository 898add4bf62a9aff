"""How many round trips the ribbon's 校验 button costs, with xlwings' remote engine.

    python3 bench/ribbon_actions.py

Each remote-engine action is one thing Excel must do for the clerk. The budget
is 10 actions for 校验 whatever the number of findings. The baseline, measured
in the same run on the same workbooks, is the naive binding: one colour action
per highlighted cell and one values write per 校验结果 row. Each workbook is
clicked twice: the first click (no 校验结果 yet) gives every form cell its
template fill back, one call per sheet; the next click only repaints old and new
marks. 校验 also replaces the notes of the failing cells with one ``runMacro``
action (the add-in's GxNotes macro, whatever the number of notes); the baseline
writes no notes. Also prints the time
a click takes in Python (reading, validating, building the actions) and the
actions of the other buttons. Exits 1 if the budget is exceeded.
"""

from __future__ import annotations

import copy
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # remote engine, noncommercial use

import xlwings as xw  # noqa: E402

from gxexcel import form  # noqa: E402
from gxexcel.excel import buttons, marks  # noqa: E402
from gxexcel.excel.payload import apply_actions, workbook_payload  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from gxexcel.libreoffice import recalculate  # noqa: E402
from gxexcel.sample import sample_report  # noqa: E402
from gxexcel.writer import write_workbook  # noqa: E402

BUDGET = 10


def broken(text_cells: int):
    """A sample township report with ``text_cells`` count cells of 表三 holding text."""
    r = sample_report(random.Random(1), unit_name="南定镇人民政府")
    for cid in [c for c in form.INPUT_CELLS if c.startswith("t3.")][:text_cells]:
        r.cells[cid] = "无"
    return r


def naive_actions(book, findings) -> int:
    """The baseline binding: a colour per cell, a values write per row."""
    from gxexcel import layout
    from gxexcel.findings_sheet import rows

    for (sheet, coord), color in marks.wanted_colors(findings).items():
        book.sheets[sheet].range(coord).color = color
    names = [sh.name for sh in book.sheets]
    results = book.sheets[layout.SHEET_FINDINGS] if layout.SHEET_FINDINGS in names else book.sheets.add(layout.SHEET_FINDINGS)
    for i, row in enumerate(rows(findings), 3):
        results.range((i, 1)).value = [row]
    book.app.alert(buttons.summary(findings), title=buttons.TITLE)
    return len(book.json()["actions"])


def main() -> int:
    cases = {"1 finding": 1, "100+ findings": 100}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        written = [write_workbook(broken(n), tmp / "in" / f"case{n}.xlsx") for n in cases.values()]
        calc = recalculate(written, tmp / "calc")
        payloads = {name: workbook_payload(path) for name, path in zip(cases, calc)}
        # the same workbooks after a first click (校验结果 present): what a clerk's next click sends
        again = []
        for name, path in zip(list(cases), calc):
            book = xw.Book(json=copy.deepcopy(payloads[name]))
            buttons.validate_book(book)
            wb = load_workbook(path)
            apply_actions(wb, book.json()["actions"])
            again.append(tmp / "again" / path.name)
            again[-1].parent.mkdir(exist_ok=True)
            wb.save(again[-1])
        for name, path in zip(list(cases), recalculate(again, tmp / "again-calc")):
            payloads[f"{name}, again"] = workbook_payload(path)

    print(f"{'workbook':<24}{'findings':>9}{'actions':>9}{'baseline':>10}{'ms/click':>10}")
    over = False
    for name, payload in payloads.items():
        runs, best = 5, float("inf")
        for _ in range(runs):
            book = xw.Book(json=copy.deepcopy(payload))  # the engine edits its payload
            start = time.perf_counter()
            outcome = buttons.validate_book(book)
            best = min(best, time.perf_counter() - start)
        actions = len(book.json()["actions"])
        baseline = naive_actions(xw.Book(json=copy.deepcopy(payload)), outcome.findings)
        print(f"{name:<24}{len(outcome.findings):>9}{actions:>9}{baseline:>10}{best * 1000:>10.1f}")
        over |= actions > BUDGET
    for control, func in (("清除标记", buttons.clear_marks), ("生成总体情况", buttons.narrate_book)):
        book = xw.Book(json=copy.deepcopy(payloads["1 finding"]))
        func(book)
        print(f"{control}: {len(book.json()['actions'])} actions")
    print(f"budget for 校验: {BUDGET} actions -> {'EXCEEDED' if over else 'ok'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
