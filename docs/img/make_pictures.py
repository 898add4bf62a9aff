"""Draw the pictures of the README's add-in section.

    python3 docs/img/make_pictures.py        # needs pillow (pip install "gxexcel[docs]")

- ``ribbon.png``: the 政务公开年报 tab drawn from ``macros/customUI.xml`` (tab,
  groups, buttons and their labels as declared; Excel shows its built-in
  ``imageMso`` icons, which are not available here, so each button gets a plain
  pictogram).
- ``validated-t3.png`` and ``validated-results.png``: a sample township workbook
  with a broken 表三 after the 校验 button, as LibreOffice renders it. The button
  runs on xlwings' remote engine; its actions are applied to the workbook the way
  Excel applies them.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # remote engine, noncommercial use

from lxml import etree
from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NS = {"ui": "http://schemas.microsoft.com/office/2006/01/customui"}
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
PICTOGRAMS = {"gxValidate": "✓", "gxNarrate": "文", "gxClear": "⌫", "gxExport": "W", "gxMerge": "Σ", "gxHelp": "?"}
COLOURS = {"gxValidate": "#2E7D32", "gxNarrate": "#1565C0", "gxClear": "#6D4C41", "gxExport": "#1F4E9A", "gxMerge": "#8E24AA", "gxHelp": "#546E7A"}


def ribbon_picture(custom_ui: Path, out: Path) -> Path:
    root = etree.parse(str(custom_ui)).getroot()
    tab = root.find(".//ui:tab", NS)
    groups = tab.findall("ui:group", NS)
    font, small, bold = ImageFont.truetype(FONT, 15), ImageFont.truetype(FONT, 13), ImageFont.truetype(BOLD, 15)
    button_w, pad = 96, 10
    widths = [max(len(g.findall("ui:button", NS)) * button_w, 110) + 2 * pad for g in groups]
    width = sum(widths) + 40
    img = Image.new("RGB", (width, 170), "#F3F3F3")
    d = ImageDraw.Draw(img)
    # tab strip: a few of Excel's own tabs, then ours, selected
    x = 12
    for name in ("文件", "开始", "插入", "公式", "数据"):
        d.text((x, 8), name, font=font, fill="#444444")
        x += int(d.textlength(name, font=font)) + 24
    label = tab.get("label")
    tw = int(d.textlength(label, font=bold)) + 24
    d.rectangle([x - 10, 4, x - 10 + tw, 36], fill="#FFFFFF", outline="#C8C8C8")
    d.line([x - 9, 36, x - 11 + tw, 36], fill="#FFFFFF")
    d.text((x + 2, 8), label, font=bold, fill="#217346")
    d.line([x - 2, 32, x - 22 + tw, 32], fill="#217346", width=3)
    d.rectangle([6, 36, width - 6, 164], fill="#FFFFFF", outline="#C8C8C8")
    x = 14
    for group, gw in zip(groups, widths):
        bx = x + pad
        for button in group.findall("ui:button", NS):
            bid = button.get("id")
            cx = bx + button_w // 2
            d.rounded_rectangle([cx - 20, 46, cx + 20, 86], radius=6, fill=COLOURS.get(bid, "#555555"))
            glyph = PICTOGRAMS.get(bid, "•")
            gwid = d.textlength(glyph, font=bold)
            d.text((cx - gwid / 2, 53), glyph, font=bold, fill="#FFFFFF")
            text = button.get("label")
            lw = d.textlength(text, font=font)
            d.text((cx - lw / 2, 94), text, font=font, fill="#222222")
            bx += button_w
        glabel = group.get("label")
        gl = d.textlength(glabel, font=small)
        d.text((x + gw / 2 - gl / 2, 138), glabel, font=small, fill="#666666")
        d.line([x + gw, 44, x + gw, 156], fill="#DADADA")
        x += gw
    img.save(out)
    return out


def validated_pictures(out_dir: Path) -> list[Path]:
    import xlwings as xw  # noqa: F401  (after the licence key is set)
    from openpyxl import load_workbook

    from gxexcel import layout
    from gxexcel.excel import buttons
    from gxexcel.excel.payload import apply_actions, remote_book
    from gxexcel.libreoffice import convert, recalculate
    from gxexcel.sample import sample_report
    from gxexcel.writer import write_workbook

    report = sample_report(random.Random(1), unit_name="南定镇人民政府")
    report.cells["t3.new.natural"] = report.number("t3.new.natural") + 3
    report.cells["t3.new.business"] = "一件"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        calc = recalculate([write_workbook(report, tmp / "in" / "南定镇.xlsx")], tmp / "calc")[0]
        book = remote_book(calc)
        buttons.validate_book(book)
        wb = load_workbook(calc)
        apply_actions(wb, book.json()["actions"])
        pictures = []
        for sheet, name in ((layout.TABLE_SHEETS["t3"], "validated-t3"), (layout.SHEET_FINDINGS, "validated-results")):
            one = load_workbook(calc)
            apply_actions(one, book.json()["actions"])
            for ws in list(one.worksheets):
                if ws.title != sheet:
                    one.remove(ws)
            ws = one[sheet]
            ws.page_setup.orientation = "landscape"
            ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            if sheet == layout.SHEET_FINDINGS:
                for col, width in zip("ABCDEFGH", (14, 8, 14, 60, 8, 16, 24, 30)):
                    ws.column_dimensions[col].width = width
            src = tmp / "pages" / f"{name}.xlsx"
            src.parent.mkdir(exist_ok=True)
            one.save(src)
            pdf = convert([src], "pdf", tmp / "pdf")[0]
            target = out_dir / f"{name}.png"
            subprocess.run(["pdftoppm", "-png", "-r", "130", "-singlefile", "-f", "1", "-l", "1", str(pdf), str(target.with_suffix(""))], check=True)
            trim(target)
            pictures.append(target)
    return pictures


def trim(path: Path, margin: int = 16) -> None:
    """Crop a rendered page to its content."""
    from PIL import ImageChops

    img = Image.open(path).convert("RGB")
    box = ImageChops.difference(img, Image.new("RGB", img.size, "#FFFFFF")).getbbox()
    if box:
        left, top, right, bottom = box
        img.crop((max(left - margin, 0), max(top - margin, 0), min(right + margin, img.width), min(bottom + margin, img.height))).save(path)


def main() -> None:
    print(ribbon_picture(ROOT / "macros" / "customUI.xml", HERE / "ribbon.png"))
    for p in validated_pictures(HERE):
        print(p)


if __name__ == "__main__":
    sys.exit(main())
