"""Word (.docx) reports: paragraphs and tables in body order, merged cells resolved.

Read with python-docx. A cell merged across columns (``gridSpan``) appears once;
a cell merged down (``vMerge`` continuation) appears as ``""`` in the rows it
covers, exactly like the HTML reader, so both feed the same table parser.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import UnreadableError
from .items import Item, Line, Row
from .normalize import clean_line


def open_document(path: str | Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableError(
            "不是可读取的 Word 文档（.docx）；旧版 .doc 文件请先另存为 .docx", path=str(path)
        ) from exc
    except Exception as exc:  # malformed XML inside a zip
        raise UnreadableError("Word 文档已损坏，无法读取（文档内容不完整，可能下载或拷贝未完成）", path=str(path)) from exc


def _tc_text(tc) -> str:
    """A cell's text: its runs' text, paragraphs run together (a label split over lines)."""
    from docx.oxml.ns import qn

    return "".join(t.text or "" for t in tc.iter(qn("w:t")))


def _unwrapped(element):
    """The children of a body, cell, table or row, with content controls (w:sdt) and custom
    XML opened up: templates put a control around a cell, a block of rows or a whole part."""
    from docx.oxml.ns import qn

    for child in element.iterchildren():
        if child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _unwrapped(content)
        elif child.tag == qn("w:customXml"):
            yield from _unwrapped(child)
        else:
            yield child


def _children(element, tag: str):
    """The ``tag`` children of a table or row, also those inside content controls."""
    from docx.oxml.ns import qn

    return (child for child in _unwrapped(element) if child.tag == qn(tag))


def _table_rows(table, number: int) -> list[Row]:
    rows: list[Row] = []
    for tr in _children(table._tbl, "w:tr"):
        cells: list[str] = []
        for tc in _children(tr, "w:tc"):
            cells.append("" if tc.vMerge == "continue" else clean_line(_tc_text(tc)))
        rows.append(Row(cells, number))
    return rows


def _is_layout(table) -> bool:
    """A table used to lay out the page: one cell, or a cell holding whole paragraphs."""
    tcs = [tc for tr in _children(table._tbl, "w:tr") for tc in _children(tr, "w:tc")]
    return len(tcs) <= 1 or any(len(_tc_text(tc)) > 300 for tc in tcs)


def _paragraph_text(p) -> str:
    """A paragraph's text as Word shows it with tracked changes accepted: inserted runs
    (w:ins) kept, deleted ones (w:del, w:delText) left out; tabs and line breaks as in
    python-docx. Text boxes anchored in the paragraph are not its text."""
    from docx.oxml.ns import qn

    run, skip = qn("w:r"), {qn("w:del"), qn("w:moveFrom"), qn("w:txbxContent")}
    out: list[str] = []
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if el.getparent().tag != run or any(a.tag in skip for a in _ancestors(el, p)):
            continue
        out.append(el.text or "" if el.tag == qn("w:t") else "\t" if el.tag == qn("w:tab") else "\n")
    return "".join(out)


def _ancestors(el, stop):
    el = el.getparent()
    while el is not None and el is not stop:
        yield el
        el = el.getparent()


def _blocks(element, parent):
    """The paragraphs and tables of a body or cell in order, also those inside content controls."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in _unwrapped(element):
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent)
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)


def docx_items(document) -> list[Item]:
    items: list[Item] = []
    tables = 0

    def walk(element, parent) -> None:
        nonlocal tables
        from docx.table import Table

        for block in _blocks(element, parent):
            if isinstance(block, Table):
                if _is_layout(block):
                    from docx.table import _Cell

                    for tr in _children(block._tbl, "w:tr"):
                        for tc in _children(tr, "w:tc"):  # each cell once, however many grid columns or rows it spans
                            if tc.vMerge != "continue":
                                walk(tc, _Cell(tc, block))
                    continue
                tables += 1
                items.extend(_table_rows(block, tables))
                continue
            for piece in _paragraph_text(block._p).split("\n"):
                line = clean_line(piece)
                if line:
                    items.append(Line(line))

    walk(document.element.body, document._body)
    return items


def hidden_meta(document) -> str:
    """The JSON of fields our own Word export keeps out of sight (document variable)."""
    from ..publish.docx import hidden_json_of

    return hidden_json_of(document) or ""
