"""Narrative and publication speed.

    python3 bench/narrate_publish.py            # 60 sample reports
    python3 bench/narrate_publish.py --count 20

Prints, per report:
- drafting the five generated parts (``narrative.draft``), against rendering the same
  report as plain text (a pass over the same outline and tables) as the baseline;
- ``narrate_workbook`` (read the figures, draft, write the cells back), against the floor any
  approach that keeps the workbook intact pays: ``read_workbook`` + openpyxl load and save;
- the Word export (``build_docx``), against the straightforward python-docx build that looks
  every cell up with ``table.cell(r, c)`` (each look-up walks the whole table grid).
Targets: drafting is within 5× of the text rendering; narrating a workbook costs at most 25 %
above the read+load+save floor (openpyxl dominates both); a Word export takes under 1 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import openpyxl
from docx import Document

from gxexcel import form
from gxexcel.narrative.draft import GENERATED_PARTS, draft
from gxexcel.narrative.workbook import narrate_workbook
from gxexcel.publish import render
from gxexcel.publish.docx import build_docx
from gxexcel.publish.grid import format_value, table_grid
from gxexcel.reader import read_workbook
from gxexcel.sample import sample_report
from gxexcel.writer import write_workbook


def _ms(func, items) -> float:
    times = []
    for item in items:
        start = time.perf_counter()
        func(item)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _naive_docx(report) -> None:
    doc = Document()
    for table_id in form.TABLES:
        grid = table_grid(table_id)
        table = doc.add_table(rows=grid.nrows, cols=grid.ncols)
        for g in grid.cells:
            cell = table.cell(g.row, g.col)
            if g.rowspan > 1 or g.colspan > 1:
                cell = cell.merge(table.cell(g.row + g.rowspan - 1, g.col + g.colspan - 1))
            cell.text = format_value(report.cells.get(g.cell_id)) if g.is_data else g.text


def _floor(path: Path) -> None:
    read_workbook(path)
    openpyxl.load_workbook(path).save(path.with_suffix(".floor.xlsx"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(2021)
    reports = [sample_report(rng, unit_name=f"测试{i}镇人民政府") for i in range(args.count)]
    for r in reports:
        for part in GENERATED_PARTS:
            r.narrative[part] = ""
    print(f"{args.count} sample reports (median per report)")
    d, t = _ms(draft, reports), _ms(lambda r: render(r, "text"), reports)
    status = "ok" if d < 5 * t else "SLOW"
    print(f"  draft five parts      {d:8.2f} ms   baseline text rendering {t:8.2f} ms   ({d / t:.1f}×) [{status}: < 5×]")
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, r in enumerate(reports[: min(20, args.count)]):
            paths.append(write_workbook(r, Path(tmp) / f"u{i}.xlsx"))
        floor = _ms(_floor, paths)
        work = _ms(lambda p: narrate_workbook(p, p.with_suffix(".out.xlsx")), paths)
    status = "ok" if work < 1.25 * floor else "SLOW"
    print(f"  narrate workbook      {work:8.2f} ms   baseline read+load+save {floor:8.2f} ms   ({work / floor:.2f}×) [{status}: < 1.25×]")
    ours, naive = _ms(build_docx, reports[:20]), _ms(_naive_docx, reports[:20])
    status = "ok" if ours < 1000 else "SLOW"
    print(f"  Word export           {ours:8.2f} ms   baseline cell-by-cell tables {naive:8.2f} ms   ({naive / ours:.1f}× faster) [{status}: < 1 s]")


if __name__ == "__main__":
    main()
