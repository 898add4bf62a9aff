"""Cost of the safety inspection that runs before every workbook is parsed.

    python3 bench/safety.py              # 50 sample workbooks, 20 rounds
    python3 bench/safety.py --count 200

Prints, for the same run and the same files: the baseline (reading the bytes
and hashing them, which the reader needs anyway), ``gxexcel.safety.inspect_file``
(kind, zip checks, every XML part streamed through defusedxml, sheet sizes)
and the whole ``read_workbook``. Target: under 5 ms per filled template (the
share of a whole read is printed for information: calamine itself is very fast).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

from gxexcel.reader import read_workbook
from gxexcel.safety import inspect_file
from gxexcel.sample import write_samples

TARGET_MS = 5.0


def per_file(func, paths: list[Path], rounds: int) -> float:
    """Median over rounds of the mean time per file, in seconds."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for p in paths:
            func(p)
        samples.append((time.perf_counter() - start) / len(paths))
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        manifest = write_samples(tmp, args.count, seed=1)
        paths = [Path(tmp) / wb.file for wb in manifest.workbooks]
        baseline = per_file(lambda p: hashlib.sha256(p.read_bytes()).hexdigest(), paths, args.rounds)
        inspect = per_file(inspect_file, paths, args.rounds)
        read = per_file(lambda p: read_workbook(p), paths, max(args.rounds // 4, 1))
    share = inspect / read
    print(f"{args.count} workbooks, median of {args.rounds} rounds, per workbook:")
    print(f"  baseline: read bytes + sha256     {baseline * 1000:8.3f} ms")
    print(f"  safety.inspect_file              {inspect * 1000:8.3f} ms  ({inspect / baseline:.1f}× baseline)")
    print(f"  read_workbook (includes inspect) {read * 1000:8.3f} ms  (inspection is {share:.0%} of it)")
    ok = inspect * 1000 <= TARGET_MS
    print(f"target: inspection ≤ {TARGET_MS} ms per workbook: {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
