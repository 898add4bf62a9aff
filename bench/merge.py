"""Benchmark of ``gxexcel merge``: read, validate and consolidate N township workbooks.

    python3 bench/merge.py            # 1,000 workbooks
    python3 bench/merge.py --big      # also 10,000 workbooks (peak memory)

Prints, in one run: our merge's wall time and peak memory (the CLI in a fresh
process, with its worker processes), a naive baseline over the same files (a
loop of ``pandas.read_excel(sheet_name=None, engine="openpyxl")``, concatenated,
no checks at all), and their ratio. Targets on a 2-core machine: 1,000
workbooks in at most 3 s, at least 20x faster than the baseline; 10,000
workbooks with peak RSS under 500 MB.

Sample workbooks are generated once (in parallel) and kept in the cache folder.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

CACHE = Path(os.environ.get("GX_BENCH_CACHE", Path(tempfile.gettempdir()) / "gxexcel-bench"))
SEED = 2021


def _write(args: tuple[int, str, str, str]) -> None:
    from gxexcel.sample import SAMPLE_COUNTY, sample_report
    from gxexcel.writer import write_workbook

    i, name, kind, path = args
    report = sample_report(random.Random(SEED * 100_000 + i), unit_name=name, unit_type=kind,
                           parent=SAMPLE_COUNTY, year=2021)
    write_workbook(report, path)


def generate(count: int) -> Path:
    """``count`` sample workbooks with distinct units (cached)."""
    from gxexcel.sample import sample_units

    folder = CACHE / f"county-{count}"
    done = folder / ".complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(i, name, kind, str(folder / f"{i:05d}.xlsx")) for i, (name, kind) in enumerate(sample_units(count))]
    started = time.perf_counter()
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write, jobs, chunksize=16))
    done.write_text("ok")
    print(f"  generated {count} workbooks in {time.perf_counter() - started:.0f} s ({folder})")
    return folder


def run_merge(folder: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB, largest process) of ``gxexcel merge`` in a fresh process."""
    code = (
        "import resource, sys\n"
        "from gxexcel.cli import cli\n"
        "try:\n"
        f"    cli(['merge', {str(folder)!r}, '-o', {str(out)!r}, '--json'], prog_name='gxexcel')\n"
        "except SystemExit:\n"
        "    pass\n"
        "own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print('RSS', own, kids, file=sys.stderr)\n"
    )
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    wall = time.perf_counter() - started
    line = next(x for x in proc.stderr.splitlines() if x.startswith("RSS"))
    own, kids = (int(x) for x in line.split()[1:])
    if not out.exists():
        raise SystemExit(f"merge failed:\n{proc.stdout}\n{proc.stderr}")
    return wall, max(own, kids) / 1024


def run_baseline(files: list[Path]) -> float:
    """The naive loop a county analyst would write: read every sheet with openpyxl, concatenate."""
    import pandas as pd

    started = time.perf_counter()
    frames = []
    for f in files:
        for name, df in pd.read_excel(f, sheet_name=None, engine="openpyxl", header=None).items():
            df.insert(0, "sheet", name)
            df.insert(0, "file", f.name)
            frames.append(df)
    pd.concat(frames, ignore_index=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--big", action="store_true", help="also merge 10,000 workbooks")
    parser.add_argument("--baseline-files", type=int, default=0,
                        help="run the baseline on this many files and scale (default: all)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    folder = generate(args.count)
    files = sorted(folder.glob("*.xlsx"))
    with tempfile.TemporaryDirectory() as tmp:
        wall, rss = run_merge(folder, Path(tmp) / "汇总.xlsx")
        size = (Path(tmp) / "汇总.xlsx").stat().st_size / 1e6
    print(f"gxexcel merge, {len(files)} workbooks: {wall:.2f} s wall (process start included), "
          f"peak RSS {rss:.0f} MB, output {size:.1f} MB   [target <= 3 s]")
    sample = files[: args.baseline_files] if args.baseline_files else files
    base = run_baseline(sample) * len(files) / len(sample)
    scaled = "" if len(sample) == len(files) else f" (measured on {len(sample)} files, scaled)"
    print(f"baseline pandas.read_excel(openpyxl) loop, {len(files)} workbooks: {base:.2f} s{scaled}")
    print(f"speed-up: {base / wall:.1f}x   [target >= 20x]")
    if args.big:
        big = generate(10_000)
        with tempfile.TemporaryDirectory() as tmp:
            wall, rss = run_merge(big, Path(tmp) / "汇总.xlsx")
        print(f"gxexcel merge, 10000 workbooks: {wall:.2f} s wall, peak RSS {rss:.0f} MB   [target < 500 MB]")


if __name__ == "__main__":
    main()
