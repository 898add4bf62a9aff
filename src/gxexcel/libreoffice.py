"""LibreOffice, headless: recalculate workbooks and convert documents.

Used by tests (to prove the template's formulas and live checks compute what
the Python model computes) and by exports (PDF). Each call runs with its own
throw-away profile so that concurrent runs do not collide.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import GxError

XLSX_FILTER = 'xlsx:Calc MS Excel 2007 XML'


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise GxError("未找到 LibreOffice（soffice）。请先安装：apt-get install libreoffice-calc-nogui libreoffice-writer-nogui")
    return exe


def convert(paths: str | Path | Iterable[str | Path], fmt: str, outdir: str | Path, *, timeout: float = 300) -> list[Path]:
    """Convert one or more files with ``soffice --convert-to fmt``; returns the output paths
    in input order. ``fmt`` is e.g. ``pdf`` or :data:`XLSX_FILTER`."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = [Path(p).resolve() for p in paths]
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    if any(p.parent == outdir for p in paths):
        raise ValueError("outdir must differ from the inputs' folder (outputs keep the input names)")
    ext = fmt.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="gx-lo-profile-") as profile:
        cmd = [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *map(str, paths),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    outputs = [outdir / f"{p.stem}.{ext}" for p in paths]
    missing = [o for o in outputs if not o.exists()]
    if proc.returncode != 0 or missing:
        raise GxError(
            f"LibreOffice 转换失败（{fmt}）：{proc.stderr.strip() or proc.stdout.strip()}；未生成 {', '.join(map(str, missing))}"
        )
    return outputs


def recalculate(paths: str | Path | Iterable[str | Path], outdir: str | Path) -> list[Path]:
    """Have LibreOffice load, recalculate and save workbooks as .xlsx in ``outdir``;
    ``openpyxl.load_workbook(out, data_only=True)`` then gives the computed values."""
    return convert(paths, XLSX_FILTER, outdir)
