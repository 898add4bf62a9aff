"""gxexcel.safety parses small XML parts whole (one lxml call, entities never expanded) and
streams large ones: both ways refuse DTDs and entity bombs, in bounded time and memory, and
measure a worksheet's used range from every row and cell, whatever their order."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import replace

import pytest
from corpus import rezip, write_good

from gxexcel import safety
from gxexcel.errors import UnreadableError
from gxexcel.reader import read_workbook
from gxexcel.safety import LIMITS, WHOLE_PART_BYTES, check_workbook, inspect_file

SHEET = "xl/worksheets/sheet4.xml"  # 表三

LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
)


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return write_good(tmp_path_factory.mktemp("good") / "good.xlsx")


def sheet_xml(good) -> str:
    with zipfile.ZipFile(good) as z:
        return z.read(SHEET).decode()


def with_prolog(xml: str, prolog: str) -> str:
    end = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
    return xml[:end] + prolog + xml[end:]


def refused(path) -> UnreadableError:
    with pytest.raises(UnreadableError) as exc:
        inspect_file(path)
    return exc.value


def test_filled_template_parts_are_parsed_whole(good, monkeypatch):
    with zipfile.ZipFile(good) as z:
        assert max(i.file_size for i in z.infolist()) < WHOLE_PART_BYTES
    info = check_workbook(good)
    assert info.sheet_sizes[SHEET] == (33, 11)
    monkeypatch.setattr(safety, "WHOLE_PART_BYTES", 0)  # every part streamed: the same used ranges
    assert check_workbook(good).sheet_sizes == info.sheet_sizes


def test_entity_bomb_in_a_worksheet_is_refused_in_bounded_time_and_memory(tmp_path, good):
    """A billion-laughs worksheet (10^10 characters if expanded) is refused in a process
    limited to 1.5 GB of address space and 60 s, with the entity message."""
    xml = with_prolog(sheet_xml(good), LAUGHS).replace("<sheetData>", '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&j;</t></is></c></row>', 1)
    bomb = rezip(good, tmp_path / "bomb.xlsx", replace={SHEET: xml.encode()})
    code = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))
        from gxexcel.errors import UnreadableError
        from gxexcel.reader import read_workbook
        try:
            read_workbook({str(bomb)!r})
        except UnreadableError as exc:
            print(exc)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "XML 实体" in out.stdout and SHEET in out.stdout


def test_small_entity_declaration_is_refused(tmp_path, good):
    """A harmless-looking DTD that lxml parses without error is still refused."""
    xml = with_prolog(sheet_xml(good), '<!DOCTYPE worksheet [<!ENTITY e "42">]>')
    path = rezip(good, tmp_path / "dtd.xlsx", replace={SHEET: xml.encode()})
    assert "XML 实体" in str(refused(path))
    with pytest.raises(UnreadableError, match="XML 实体"):
        read_workbook(path)


def test_doctype_after_a_long_comment_in_a_large_streamed_part(tmp_path, good):
    noise = random.Random(6).randbytes(WHOLE_PART_BYTES // 2 + 10).hex()  # hardly compressible
    padding = "<!--" + noise + "-->"
    xml = with_prolog(sheet_xml(good), padding + '<!DOCTYPE worksheet [<!ENTITY e "e">]>')
    path = rezip(good, tmp_path / "big.xlsx", replace={SHEET: xml.encode()})
    with zipfile.ZipFile(path) as z:
        assert z.getinfo(SHEET).file_size > WHOLE_PART_BYTES  # the streaming scan
    assert "XML 实体" in str(refused(path))


def test_rows_and_cells_out_of_order_count_by_their_largest_reference(tmp_path, good):
    """calamine places cells by their reference, not their order: a far row or cell listed
    first must count as much as one listed last."""
    xml = sheet_xml(good)
    far_row = xml.replace("<sheetData>", '<sheetData><row r="30000"><c r="A30000"><v>1</v></c></row>', 1)
    path = rezip(good, tmp_path / "rows.xlsx", replace={SHEET: far_row.encode()})
    exc = refused(path)
    assert "30000 行" in str(exc) and exc.sheet == "表三"
    far_cell = xml.replace('<row r="1"', '<row r="1"><c r="XFD1"><v>1</v></c><c r="A1"><v>2</v></c></row><row r="1000000" hidden="1"', 1)
    path = rezip(good, tmp_path / "cells.xlsx", replace={SHEET: far_cell.encode()})
    exc = refused(path)
    assert "16384 列" in str(exc) and exc.sheet == "表三"
    loose = replace(LIMITS, max_sheet_rows=2_000_000, max_sheet_cols=20_000)
    assert inspect_file(path, limits=loose).sheet_sizes[SHEET] == (1_000_000, 16384)


def test_damaged_part_that_no_reader_uses_is_judged_by_its_prolog_as_before(tmp_path, good):
    """docProps/app.xml cut short after its first element: accepted as the streaming scan
    always did; a worksheet cut short is refused as damaged."""
    with zipfile.ZipFile(good) as z:
        app = z.read("docProps/app.xml")
    cut = rezip(good, tmp_path / "app.xlsx", replace={"docProps/app.xml": app[: len(app) - 20]})
    assert inspect_file(cut).kind == "xlsx"
    sheet = sheet_xml(good).encode()
    broken = rezip(good, tmp_path / "sheet.xlsx", replace={SHEET: sheet[: len(sheet) // 2]})
    assert "不是有效的 XML" in str(refused(broken))


def test_streamed_worksheets_count_rows_and_cells_out_of_order_too(tmp_path, good, monkeypatch):
    monkeypatch.setattr(safety, "WHOLE_PART_BYTES", 0)
    test_rows_and_cells_out_of_order_count_by_their_largest_reference(tmp_path, good)


@pytest.mark.parametrize("whole", [True, False])
def test_rows_in_another_namespace_count_too(tmp_path, good, monkeypatch, whole):
    """calamine finds rows by their local name, so a row under another prefix is measured too."""
    if not whole:
        monkeypatch.setattr(safety, "WHOLE_PART_BYTES", 0)
    xml = sheet_xml(good).replace(
        "<sheetData>", '<sheetData><x:row xmlns:x="urn:other" r="50000"><c r="A50000"><v>1</v></c></x:row>', 1)
    path = rezip(good, tmp_path / "ns.xlsx", replace={SHEET: xml.encode()})
    assert "50000 行" in str(refused(path))


def test_threads_inspect_workbooks_at_the_same_time(good, tmp_path):
    """Each thread parses with its own lxml parser (the Excel add-in may inspect from several)."""
    from concurrent.futures import ThreadPoolExecutor

    xml = with_prolog(sheet_xml(good), '<!DOCTYPE worksheet [<!ENTITY e "42">]>')
    bad = rezip(good, tmp_path / "dtd.xlsx", replace={SHEET: xml.encode()})

    def one(k: int) -> str:
        path = bad if k % 2 else good
        try:
            return str(check_workbook(path).sheet_sizes[SHEET])
        except UnreadableError as exc:
            return "XML 实体" if "XML 实体" in str(exc) else str(exc)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(one, range(40)))
    assert results == ["(33, 11)", "XML 实体"] * 20


@pytest.mark.parametrize("ref", ["abc", "Q", "7"])
def test_cell_reference_that_names_no_cell_is_a_damaged_file_not_an_internal_error(tmp_path, good, ref):
    """A hand-edited or damaged worksheet whose cell has r="abc" (no row) or r="7" (no column):
    the scan measured it with openpyxl's coordinate parser, whose own exception escaped as
    “内部错误：CellCoordinatesException”. The scan now counts such a cell as one without a
    reference, and the reader says the file is damaged, as calamine finds it."""
    bad = sheet_xml(good).replace('<c r="B5"', f'<c r="{ref}"', 1)
    assert ref in bad
    path = rezip(good, tmp_path / "ref.xlsx", replace={SHEET: bad.encode()})
    assert inspect_file(path).sheet_sizes[SHEET] == inspect_file(good).sheet_sizes[SHEET]
    with pytest.raises(UnreadableError) as exc:
        read_workbook(path)
    assert "文件已损坏" in str(exc.value)
