"""Import speed: published reports (text, pipe text, HTML, Word) into the model.

    python3 bench/import_reports.py            # 100 sample reports per format
    python3 bench/import_reports.py --count 20

For each rendering, prints the time per report of ``import_report`` and, as a baseline in
the same run, the time just to get at the content (decode the text; parse the HTML with
BeautifulSoup+lxml; open the .docx with python-docx), so the importer's own share is
visible. Target: importing a report takes under 100 ms (a county's 200 portal pages in
well under a minute).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import docx
from bs4 import BeautifulSoup

from gxexcel.importer import import_report
from gxexcel.publish import render
from gxexcel.publish.docx import write_docx
from gxexcel.sample import SAMPLE_UNITS, sample_report

TARGET_MS = 100.0


def baseline(path: Path) -> None:
    if path.suffix == ".docx":
        docx.Document(str(path))
    elif path.suffix == ".html":
        BeautifulSoup(path.read_bytes(), "lxml")
    else:
        path.read_bytes().decode("utf-8")


def per_report(func, paths: list[Path]) -> float:
    times = []
    for path in paths:
        start = time.perf_counter()
        func(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--docx-count", type=int, default=10, help="Word files (the export is slow to write)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        files: dict[str, list[Path]] = {"text": [], "pipe": [], "html": [], "docx": []}
        for i in range(args.count):
            name, unit_type = SAMPLE_UNITS[i % len(SAMPLE_UNITS)]
            report = sample_report(random.Random(i), unit_name=name, unit_type=unit_type)
            for fmt, suffix in (("text", ".txt"), ("pipe", ".txt"), ("html", ".html")):
                path = out / f"{i}-{fmt}{suffix}"
                path.write_text(render(report, fmt), encoding="utf-8")
                files[fmt].append(path)
            if i < args.docx_count:
                path = out / f"{i}.docx"
                write_docx(report, path)
                files["docx"].append(path)
        import_report(files["text"][0])  # one-off start-up (OpenCC tables, label index)
        print(f"{'format':6} {'files':>5} {'baseline':>12} {'import':>12}   (median per report)")
        worst = 0.0
        for fmt, paths in files.items():
            base = per_report(baseline, paths)
            full = per_report(import_report, paths)
            worst = max(worst, full)
            print(f"{fmt:6} {len(paths):5d} {base:9.2f} ms {full:9.2f} ms")
        verdict = "met" if worst < TARGET_MS else "NOT met"
        print(f"target: import under {TARGET_MS:.0f} ms per report: {verdict} (slowest format {worst:.2f} ms)")


if __name__ == "__main__":
    main()
