"""The worksheet functions, called as xlwings calls them: with the calling cell
of a real template workbook (remote engine)."""

from __future__ import annotations

import os

# xlwings registers its remote engine at import time: the (noncommercial) key must be set first.
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"

import random
from pathlib import Path

import pytest
import xlwings as xw
from openpyxl import Workbook

from gxexcel import form
from gxexcel.excel import udfs
from gxexcel.excel.payload import book_payload, remote_book
from gxexcel.libreoffice import recalculate
from gxexcel.narrative.draft import draft_part
from gxexcel.reader import read_workbook
from gxexcel.sample import sample_report
from gxexcel.writer import write_workbook


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("udfs")
    clean = sample_report(random.Random(3), unit_name="东坪镇人民政府")
    broken = sample_report(random.Random(3), unit_name="东坪镇人民政府")
    broken.cells["t3.new.natural"] = "两件"  # text in a count cell
    warning = sample_report(random.Random(3), unit_name="东坪镇人民政府")
    warning.cells["t2.normative.issued"] = warning.number("t2.normative.in_force") + 5
    warning.narrative["s1.active"] = "本镇主动公开工作有序开展。"
    written = [
        write_workbook(r, base / "in" / f"{name}.xlsx")
        for name, r in (("clean", clean), ("broken", broken), ("warning", warning))
    ]
    return {p.stem: p for p in recalculate(written, base / "calc")}


def _caller(path: Path):
    """The cell a formula sits in, as xlwings passes it for an argument named ``caller``."""
    return remote_book(path).sheets["封面"]["D3"]


def test_gx_check_states(books: dict[str, Path]) -> None:
    assert udfs.GX_CHECK(_caller(books["clean"])) == "通过"
    broken = udfs.GX_CHECK(_caller(books["broken"]))
    assert broken.endswith("个错误") and int(broken.split()[0]) >= 1
    assert udfs.GX_CHECK(_caller(books["warning"])) == "1 个警告"


def test_gx_narrative_drafts_the_named_part(books: dict[str, Path]) -> None:
    report = read_workbook(books["clean"])
    expected = draft_part(report, "s1.request")
    assert udfs.GX_NARRATIVE("依申请公开", _caller(books["clean"])) == expected
    assert udfs.GX_NARRATIVE("（二）依申请公开", _caller(books["clean"])) == expected
    assert udfs.GX_NARRATIVE("s1.active", _caller(books["clean"])) == draft_part(report, "s1.active")


def test_gx_narrative_explains_what_it_cannot_do(books: dict[str, Path]) -> None:
    assert udfs.GX_NARRATIVE("监督保障", _caller(books["clean"])).endswith("需要人工填写，不能根据表格数据生成。")
    unknown = udfs.GX_NARRATIVE("不存在的部分", _caller(books["clean"]))
    assert unknown.startswith("未知的正文部分") and "依申请公开" in unknown
    broken = udfs.GX_NARRATIVE("依申请公开", _caller(books["broken"]))
    assert broken.startswith("无法生成“（二）依申请公开”")


def test_udfs_on_another_workbook_say_so() -> None:
    book = xw.Book(json=book_payload(Workbook(), "别的表.xlsx"))
    assert udfs.GX_CHECK(book.sheets[0]["A1"]).startswith("无法校验：")
    assert "不是 gxexcel 年报填报模板" in udfs.GX_CHECK(book.sheets[0]["A1"])


def test_every_generated_part_can_be_named() -> None:
    for part in form.NARRATIVE_PARTS:
        assert udfs.find_part(part.id) is part
        assert udfs.find_part(part.label) is part


def test_part_names_of_the_readme_find_their_part(books: dict[str, Path]) -> None:
    """README: the argument may be a part's name, "主动公开", "依申请公开", "前言"…"""
    assert udfs.find_part("主动公开") is form.NARRATIVE["s1.active"]
    assert udfs.find_part(" 主动公开 ") is form.NARRATIVE["s1.active"]
    assert udfs.find_part("依申请公开") is form.NARRATIVE["s1.request"]
    assert udfs.find_part("前言") is form.NARRATIVE["preamble"]
    assert udfs.find_part("其他需要报告的事项") is form.NARRATIVE["s6"]
    assert udfs.find_part("监督保障") is form.NARRATIVE["s1.supervision"]
    report = read_workbook(books["clean"])
    assert udfs.GX_NARRATIVE("主动公开", _caller(books["clean"])) == draft_part(report, "s1.active")


def test_gx_narrative_without_a_part_name_asks_for_one(books: dict[str, Path]) -> None:
    for empty in (None, "", "  "):
        text = udfs.GX_NARRATIVE(empty, _caller(books["clean"]))
        assert "None" not in text and text.startswith("请指定正文部分"), text
