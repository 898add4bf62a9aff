"""How many round trips the ribbon's 校验 button costs, with xlwings' remote engine.

    python3 bench/ribbon_actions.py

Each remote-engine action is one thing Excel must do for the clerk. The budget
is 10 actions for 校验 whatever the number of findings. The baseline, measured
in the same run on the same workbooks, is the naive binding: one colour action
per highlighted cell and one values write per 校验结果 row. Also prints the time
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
from gxexcel.excel.payload import workbook_payload  # noqa: E402
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
    results = book.sheets.add(layout.SHEET_FINDINGS)
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

    print(f"{'workbook':<16}{'findings':>9}{'actions':>9}{'baseline':>10}{'ms/click':>10}")
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
        print(f"{name:<16}{len(outcome.findings):>9}{actions:>9}{baseline:>10}{best * 1000:>10.1f}")
        over |= actions > BUDGET
    for control, func in (("清除标记", buttons.clear_marks), ("生成总体情况", buttons.narrate_book)):
        book = xw.Book(json=copy.deepcopy(payloads["1 finding"]))
        func(book)
        print(f"{control}: {len(book.json()['actions'])} actions")
    print(f"budget for 校验: {BUDGET} actions -> {'EXCEEDED' if over else 'ok'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
