"""Render page 1 (and the page where 表三 begins) of the seed report (南定镇 2021) as published by gxexcel, for the README.

    python3 docs/img/make_seed_page.py

Imports the bundled seed text, drafts the parts it left empty (前言 with the statistical
period, 四) the way ``gxexcel narrate`` would (the township's own text is kept), writes the
Word export, has LibreOffice print it to PDF and pdftoppm render page 1.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

from gxexcel.importer import import_report
from gxexcel.libreoffice import convert
from gxexcel.narrative.draft import narrate
from gxexcel.publish.docx import write_docx

HERE = Path(__file__).resolve().parent
OUT = HERE / "seed-report-page1.png"
OUT_TABLE = HERE / "seed-report-table3.png"  # the page where 表三 begins


def _render(pdf: Path, page: int, target: Path, tmp: str) -> None:
    stem = Path(tmp) / f"page{page}"
    subprocess.run(["pdftoppm", "-r", "90", "-f", str(page), "-l", str(page), "-png", "-singlefile", str(pdf), str(stem)], check=True)
    shutil.copyfile(stem.with_suffix(".png"), target)


def _page_with(pdf: Path, text: str) -> int:
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    return next(i for i, page in enumerate(pages, 1) if text in page.replace(" ", ""))


def main() -> None:
    seed = resources.files("gxexcel").joinpath("data/seed_nanding_2021.txt")
    with resources.as_file(seed) as seed_path, tempfile.TemporaryDirectory() as tmp:
        report = import_report(seed_path)
        narrate(report)
        docx = write_docx(report, Path(tmp) / "seed.docx")
        (pdf,) = convert([docx], "pdf", Path(tmp) / "pdf")
        _render(pdf, 1, OUT, tmp)
        _render(pdf, _page_with(pdf, "申请人情况"), OUT_TABLE, tmp)
    print(f"wrote {OUT} and {OUT_TABLE}")


if __name__ == "__main__":
    main()
