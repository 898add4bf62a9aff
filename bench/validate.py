"""Validation speed: per workbook in-process, and for a county of N workbooks, reading time separate.

    python3 bench/validate.py            # 1,000 workbooks
    python3 bench/validate.py --count 200

Prints, for the same run: the one-off gazetteer load, the time to read a
workbook (python-calamine, with and without the openpyxl formula check), the
time of the validation logic per workbook, and a baseline in the same run (the
sum identities alone, the cheapest useful check). Target: validation logic
under 5 ms per workbook.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from gxexcel.reader import read_workbook
from gxexcel.rules import engine
from gxexcel.rules.gazetteer import gazetteer
from gxexcel.sample import sample_report, write_samples
from gxexcel.writer import write_workbook

TARGET_MS = 5.0


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def timed(func, *args, repeat: int = 1):
    start = time.perf_counter()
    for _ in range(repeat):
        result = func(*args)
    return (time.perf_counter() - start) / repeat, result


def identities_only(report) -> list:
    ctx = engine.Context(report)
    return [f for chk in engine.CHECKS if chk.rules[0].startswith(("T3-ROW", "T3-RESULT", "T3-BAL", "T4-")) for f in chk.func(ctx)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="workbooks in the county run (default 1000)")
    parser.add_argument("--repeat", type=int, default=200, help="repetitions for the single-workbook figures")
    args = parser.parse_args()

    t, _ = timed(gazetteer)
    print(f"gazetteer (JioNLP, once per process)      {ms(t)}")
    engine.rules_checked()  # load the check modules

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # -- one workbook ------------------------------------------------------
        path = write_workbook(sample_report(random.Random(1), unit_name="石门镇人民政府"), tmp / "one.xlsx")
        t_read, report = timed(read_workbook, path, repeat=20)
        samples = []
        for _ in range(args.repeat):
            t, findings = timed(engine.validate, report)
            samples.append(t)
        t_base, _ = timed(identities_only, report, repeat=args.repeat)
        one = statistics.median(samples)
        print("one workbook, in-process:")
        print(f"  read (safety scan with formulas + calamine) {ms(t_read)}")
        print(f"  validate, median of {args.repeat:<5}             {ms(one)}   ({len(findings)} findings)")
        print(f"  baseline: sum identities only          {ms(t_base)}")

        # -- a county of N workbooks --------------------------------------------
        county = tmp / "county"
        start = time.perf_counter()
        manifest = write_samples(county, args.count, seed=7, errors=True)
        t_write = time.perf_counter() - start
        files = [county / w.file for w in manifest.workbooks]
        start = time.perf_counter()
        reports = [read_workbook(f) for f in files]
        t_read_all = time.perf_counter() - start
        start = time.perf_counter()
        total_findings = sum(len(engine.validate(r)) for r in reports)
        t_validate_all = time.perf_counter() - start
        start = time.perf_counter()
        for r in reports:
            identities_only(r)
        t_base_all = time.perf_counter() - start
        n = len(files)
        print(f"county of {n} workbooks (written in {t_write:.1f} s, not counted):")
        print(f"  read all                                {t_read_all:8.2f} s   ({ms(t_read_all / n)} per workbook)")
        print(f"  validate all                            {t_validate_all:8.2f} s   ({ms(t_validate_all / n)} per workbook, {total_findings} findings)")
        print(f"  baseline: sum identities only           {t_base_all:8.2f} s   ({ms(t_base_all / n)} per workbook)")
        per = t_validate_all / n * 1000
        verdict = "OK" if per < TARGET_MS and one * 1000 < TARGET_MS else "OVER TARGET"
        print(f"validation logic {per:.2f} ms/workbook (one: {one * 1000:.2f} ms), target < {TARGET_MS} ms: {verdict}")
        return 0 if verdict == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
