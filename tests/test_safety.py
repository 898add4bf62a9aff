"""gxexcel.safety: what a file really is, and every limit at its boundary."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import replace

import pytest
from corpus import gbk_name, rezip, write_good, zip_bomb

from gxexcel import safety
from gxexcel.errors import UnreadableError
from gxexcel.importer import import_report
from gxexcel.safety import LIMITS, check_workbook, display_path, inspect_file


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return write_good(tmp_path_factory.mktemp("good") / "good.xlsx")


def refused(path, limits=LIMITS) -> str:
    with pytest.raises(UnreadableError) as exc:
        inspect_file(path, limits=limits)
    message = str(exc.value)
    assert message.startswith(f"文件“{display_path(path)}”"), message
    return message


def test_good_workbook(good):
    before = good.stat().st_mtime_ns
    info = check_workbook(good)
    assert info.kind == "xlsx" and info.is_workbook and not info.has_macros
    assert info.sha256 == hashlib.sha256(good.read_bytes()).hexdigest()
    assert info.size == good.stat().st_size
    assert len(info.sheet_sizes) == 6 and max(r for r, _ in info.sheet_sizes.values()) < 40
    assert good.stat().st_mtime_ns == before


def test_kinds_by_content_not_extension(tmp_path):
    cases = {
        "a.xlsx": ("这是一段中文说明。\n".encode("gb18030"), "text"),
        "b.xlsx": ("第一行\n".encode("utf-16"), "text"),
        "c.xlsx": (b"<!DOCTYPE html><html><body><table></table></body></html>", "html"),
        "d.xlsx": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "pdf"),
        "e.xlsx": (bytes(range(256)) * 4, "unknown"),
    }
    for name, (data, kind) in cases.items():
        (tmp_path / name).write_bytes(data)
        assert inspect_file(tmp_path / name).kind == kind, name
        with pytest.raises(UnreadableError, match="不是 Excel 工作簿|无法识别"):
            check_workbook(tmp_path / name)


def test_binary_workbook_renamed_to_xlsx_is_refused(tmp_path, good):
    """An Excel binary workbook (.xlsb) renamed to .xlsx: calamine reads its values, but its
    sheets are binary, so the scan can neither bound them nor see their formulas (every 总计
    was reported as typed over). It is refused like .xls, with what to do."""
    path = tmp_path / "城关镇.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():  # the package of a .xlsb: the same parts, the workbook and sheets binary
            name = info.filename
            if name == "xl/workbook.xml" or name.startswith("xl/worksheets/sheet"):
                name = name[:-4] + ".bin"
            out.writestr(name, src.read(info.filename))
    assert inspect_file(path).kind == "xlsb"
    with pytest.raises(UnreadableError, match=r"这是 Excel 二进制工作簿（\.xlsb）.*另存为.*\.xlsx"):
        check_workbook(path)


def test_file_size_limit_boundary(tmp_path, good):
    size = good.stat().st_size
    assert inspect_file(good, limits=replace(LIMITS, max_file_bytes=size)).kind == "xlsx"
    assert "超过上限" in refused(good, replace(LIMITS, max_file_bytes=size - 1))


def test_entry_count_and_uncompressed_limits(good):
    with zipfile.ZipFile(good) as z:
        entries = len(z.infolist())
        total = sum(i.file_size for i in z.infolist())
        biggest = max(i.file_size for i in z.infolist())
    inspect_file(good, limits=replace(LIMITS, max_zip_entries=entries, max_uncompressed_bytes=total, max_entry_bytes=biggest))
    assert "个条目" in refused(good, replace(LIMITS, max_zip_entries=entries - 1))
    assert "解压后总大小" in refused(good, replace(LIMITS, max_uncompressed_bytes=total - 1))
    assert "超过上限" in refused(good, replace(LIMITS, max_entry_bytes=biggest - 1))


def test_compression_ratio_limit(tmp_path):
    bomb = zip_bomb(tmp_path / "bomb.xlsx", megabytes=2)
    assert "压缩比" in refused(bomb)
    # a well compressed but harmless entry below the floor is accepted
    assert inspect_file(bomb, limits=replace(LIMITS, ratio_floor_bytes=3 * 1024 * 1024)).kind == "xlsx"


@pytest.mark.parametrize("name", ["../../x", "/etc/cron.d/x", "C:/Windows/x", "xl\\..\\..\\x", "a/../../b"])
def test_unsafe_entry_names(tmp_path, good, name):
    path = rezip(good, tmp_path / "t.xlsx", add={name: b"x"})
    assert "可疑的路径" in refused(path)


def test_harmless_dots_in_entry_names(tmp_path, good):
    path = rezip(good, tmp_path / "t.xlsx", add={"customXml/item..1.xml": b"<a/>"})
    assert inspect_file(path).kind == "xlsx"


def test_duplicate_and_encrypted_entries(tmp_path, good):
    dup = tmp_path / "dup.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(dup, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        with pytest.warns(UserWarning):
            zout.writestr("xl/workbook.xml", b"<workbook/>")
    assert "重复的条目" in refused(dup)
    data = bytearray(good.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at != -1:  # mark every central-directory record encrypted, as a zip tool with a password does
        data[at + 8] |= 0x1
        at = data.find(b"PK\x01\x02", at + 4)
    enc = tmp_path / "enc.xlsx"
    enc.write_bytes(bytes(data))
    assert "已加密" in refused(enc)


def test_sheet_size_limit_names_the_sheet(tmp_path, good):
    import openpyxl

    wb = openpyxl.load_workbook(good)
    wb.create_sheet("宽表")["XFD1"] = 1
    wb.save(tmp_path / "wide.xlsx")
    with pytest.raises(UnreadableError) as exc:
        inspect_file(tmp_path / "wide.xlsx")
    assert exc.value.sheet == "宽表" and "16384 列" in str(exc.value)
    assert inspect_file(tmp_path / "wide.xlsx", limits=replace(LIMITS, max_sheet_cols=16384)).kind == "xlsx"


def test_doctype_anywhere_in_the_prolog_is_refused(tmp_path, good):
    with zipfile.ZipFile(good) as z:
        styles = z.read("xl/styles.xml").decode()
    end = styles.index("?>") + 2 if styles.startswith("<?xml") else 0
    padded = styles[:end] + "<!--" + "x" * 100_000 + "-->" + '<!DOCTYPE s [<!ENTITY e "e">]>' + styles[end:]
    path = rezip(good, tmp_path / "t.xlsx", replace={"xl/styles.xml": padded.encode()})
    assert "XML 实体" in refused(path)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-7"])
def test_doctype_in_another_encoding_is_still_refused(tmp_path, good, encoding):
    """The byte search that spares parsing most parts only trusts UTF-8: a DTD spelled in
    UTF-16 (no ASCII "<!DOCTYPE" bytes) or behind an XML declaration naming UTF-7 is parsed
    by lxml and refused."""
    body = '<?xml version="1.0" encoding="%s"?>\n<!DOCTYPE s [<!ENTITY e "e">]><styleSheet>&e;</styleSheet>'
    text = body % encoding
    data = text.encode(encoding if encoding != "utf-7" else "utf-7")
    if encoding == "utf-7":  # "<" as "+ADw-": no "<!DOCTYPE" bytes, lxml decodes it
        data = b'<?xml version="1.0" encoding="UTF-7"?>\n+ADw-!DOCTYPE s +AFs-+ADw-!ENTITY e +ACI-e+ACI-+AD4-+AF0-+AD4-<s>&e;</s>'
        assert b"<!DOCTYPE" not in data
    path = rezip(good, tmp_path / "t.xlsx", replace={"xl/styles.xml": data})
    assert "XML 实体" in refused(path) or "不是有效的 XML" in refused(path)


def test_macros_flagged_not_refused(tmp_path, good):
    path = rezip(good, tmp_path / "m.xlsm", add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})
    info = check_workbook(path)
    assert info.kind == "xlsm" and info.has_macros


def test_display_path_decodes_gbk_names(tmp_path):
    name = gbk_name("白沙镇报表.xlsx")
    assert name != "白沙镇报表.xlsx"  # undecodable as UTF-8: surrogate escapes
    assert display_path(tmp_path / name).endswith("白沙镇报表.xlsx")
    (tmp_path / name).write_bytes(b"")
    assert "白沙镇报表.xlsx" in refused(tmp_path / name)


def test_missing_file_and_fifo(tmp_path):
    assert "不存在" in refused(tmp_path / "nope.xlsx")
    os.mkfifo(tmp_path / "pipe.xlsx")
    assert "不是普通文件" in refused(tmp_path / "pipe.xlsx")  # would block for ever if opened


def test_importer_refuses_hostile_documents(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("南定镇人民政府2021年政府信息公开工作年度报告")
    buf = io.BytesIO()
    document.save(buf)
    good_docx = tmp_path / "good.docx"
    good_docx.write_bytes(buf.getvalue())
    with zipfile.ZipFile(good_docx) as z:
        body = z.read("word/document.xml").decode()
    end = body.index("?>") + 2
    xxe = body[:end] + '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + body[end:]
    hostile = rezip(good_docx, tmp_path / "xxe.docx", replace={"word/document.xml": xxe.encode()})
    with pytest.raises(UnreadableError, match="XML 实体"):
        import_report(hostile)
    bomb = zip_bomb(tmp_path / "bomb.docx", megabytes=2, entry="word/document.xml")
    with pytest.raises(UnreadableError, match="压缩"):
        import_report(bomb)
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:
        f.truncate(safety.LIMITS.max_file_bytes + 1)
    with pytest.raises(UnreadableError, match="超过上限"):
        import_report(huge)


def test_every_error_names_gbk_files_readably(tmp_path):
    import openpyxl

    from gxexcel.errors import NotOurTemplateError
    from gxexcel.reader import read_workbook

    path = tmp_path / gbk_name("别的单位的表.xlsx")
    openpyxl.Workbook().save(path)
    with pytest.raises(NotOurTemplateError) as exc:
        read_workbook(path)
    assert "别的单位的表.xlsx" in str(exc.value)
    str(exc.value).encode("utf-8")  # printable: no lone surrogates left
