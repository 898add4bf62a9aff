"""A file that is not a usable workbook gets the same full advice from ``gxexcel merge``
(its 报送情况 row, 无法读取) as from ``gxexcel validate``: both take it from what the file
really is (gxexcel.safety), never from a shorter text of their own.

Every file is real: an Excel 97-2003 workbook and a PDF converted by LibreOffice, a workbook
encrypted by msoffcrypto-tool, a Word document written by python-docx, a binary (.xlsb)
package, and the usual renamed files.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from corpus import libreoffice, write_good

import gxexcel.consolidation as gc
from gxexcel.cli.validate import validate_file
from gxexcel.consolidation import columns as C
from gxexcel.errors import GxError
from gxexcel.safety import display_path

XLS_ADVICE = "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（.xlsx），或在 gxexcel 模板中重新填写。"
XLSB_ADVICE = "请用 Excel 打开后“另存为”Excel 工作簿（.xlsx）后重新报送。"


def _xlsb(good: Path, path: Path) -> Path:
    """The package of an Excel binary workbook: the same parts, the workbook and sheets binary."""
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            name = info.filename
            if name == "xl/workbook.xml" or name.startswith("xl/worksheets/sheet"):
                name = name[:-4] + ".bin"
            out.writestr(name, src.read(info.filename))
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("refusals")
    work, d = root / "work", root / "报送"
    d.mkdir()
    good = write_good(work / "good.xlsx", "石门镇人民政府")
    xls = libreoffice([good], "xls:MS Excel 97", work / "xls")[0]
    shutil.copy(xls, d / "旧格式.xls")
    shutil.copy(xls, d / "旧格式改名.xlsx")
    _xlsb(good, d / "二进制.xlsb")
    _xlsb(good, d / "二进制改名.xlsx")
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(good, "rb") as f, open(d / "加密.xlsx", "wb") as out:
        OOXMLFile(f).encrypt("123456", out)
    document = docx.Document()
    document.add_paragraph("关于报送年度报告的通知")
    document.save(str(d / "通知.docx"))
    shutil.copy(d / "通知.docx", d / "通知改名.xlsx")
    pdf = libreoffice([good], "pdf", work / "pdf")[0]
    shutil.copy(pdf, d / "年报.pdf")
    shutil.copy(pdf, d / "其实是PDF.xlsx")
    (d / "网页改名.xlsx").write_bytes(b"<!DOCTYPE html><html><body><table></table></body></html>")
    with zipfile.ZipFile(d / "压缩包改名.xlsx", "w") as z:
        z.writestr("报表/说明.txt", "请查收")
    (d / "文本改名.xlsx").write_text("南定镇2021年政府信息公开工作年度报告\n一、总体情况\n", encoding="utf-8")
    # a real .xlsx only named .xls (saved with the wrong extension): read, as validate reads it
    shutil.copy(write_good(work / "other.xlsx", "东林镇人民政府", seed=3), d / "东林镇.xls")
    out = root / "汇总.xlsx"
    gc.consolidate(d).to_excel(out)
    ws = openpyxl.load_workbook(out)[C.SHEET_SUBMISSIONS]
    rows = list(ws.iter_rows(values_only=True))
    col = {h: i for i, h in enumerate(rows[0])}
    merged = {r[col["来源文件"]]: (r[col["报送状态"]], r[col["说明"]] or "") for r in rows[1:]}
    return d, merged


def _validate(path: Path) -> str:
    """What ``gxexcel validate`` says of ``path``: its message, or "" when the file is read."""
    try:
        validate_file(path, None)
    except GxError as exc:
        assert exc.path == str(path) or exc.path == display_path(path)
        return exc.message
    return ""


def test_every_refused_file_gets_the_same_advice_from_merge_and_validate(folder):
    d, merged = folder
    refused = sorted(p for p in d.iterdir() if p.name != "东林镇.xls")
    assert len(refused) == 12
    for path in refused:
        said = _validate(path)
        assert said, path.name
        assert merged[str(path)] == ("无法读取", said), path.name


def test_old_and_binary_workbooks_get_the_full_advice(folder):
    d, merged = folder
    for name in ("旧格式.xls", "旧格式改名.xlsx"):
        assert merged[str(d / name)][1].endswith(XLS_ADVICE), name
    for name in ("二进制.xlsb", "二进制改名.xlsx"):
        assert "Excel 二进制工作簿（.xlsb）" in merged[str(d / name)][1] and merged[str(d / name)][1].endswith(XLSB_ADVICE)


def test_a_workbook_only_named_xls_is_read_by_both(folder):
    d, merged = folder
    assert _validate(d / "东林镇.xls") == ""
    assert merged[str(d / "东林镇.xls")][0] == "已报送"


def test_write_back_of_a_workbook_only_named_xls_is_an_xlsx_beside_it(folder, tmp_path):
    """validate reads a real .xlsx saved as .xls; --write-back said “无法打开工作簿写出校验结果
    （工作簿可能已损坏）” (openpyxl goes by the name). The copy is written as 东林镇_校验.xlsx."""
    from click.testing import CliRunner

    from gxexcel.cli import cli

    d, _ = folder
    source = shutil.copy(d / "东林镇.xls", tmp_path / "东林镇.xls")
    before = Path(source).read_bytes()
    done = CliRunner().invoke(cli, ["validate", str(source), "--write-back"])
    assert done.exit_code in (0, 1), done.output
    written = tmp_path / "东林镇_校验.xlsx"
    assert "已写出校验结果" in done.output and written.is_file()
    assert "校验结果" in openpyxl.load_workbook(written).sheetnames
    assert sorted(p.name for p in tmp_path.iterdir()) == ["东林镇.xls", "东林镇_校验.xlsx"]
    assert Path(source).read_bytes() == before
