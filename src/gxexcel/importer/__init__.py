"""Import published reports (text, HTML, Word) into the model, deterministically.

``import_report(path)`` reads a ``.txt``, ``.html``/``.htm`` or ``.docx`` file;
``import_text(text, kind=...)`` reads text or HTML already in memory. Each
reader turns its input into lines and table rows (:mod:`.items`); the rest is
shared: the outline of title and six sections (:mod:`.sections`), the tables
(:mod:`.cells`, labels matched by :mod:`.labels` after :mod:`.normalize`), the
outdated formats (:mod:`.formats`). What could not be read is reported in
``report.source.findings``; nothing is guessed: blank and “/” cells stay None,
totals are kept as published, a row that lost cells is left blank and reported.
No network, no language model: the same input always gives the same report.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .. import form, safety
from ..errors import UnreadableError
from ..findings import Finding
from ..model import Report, Source
from ..rules.catalog import finding
from . import formats, placement
from .cells import parse_table
from .labels import index
from .items import Item, Line, Row, item_text
from .normalize import key, simplified
from .sections import Outline, fees_from, infer_unit_type, lines_text, outline, parse_title, period_year, s1_parts

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
#: A page saved by a browser as “网页，单个文件” (MIME web archive).
MHTML_SUFFIXES = (".mht", ".mhtml")
DOCX_SUFFIXES = (".docx",)
SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + MHTML_SUFFIXES + DOCX_SUFFIXES

#: Model fields a published page does not print; taken from our own exports' hidden metadata.
_HIDDEN_ONLY = ("unit_type", "parent", "contact", "phone", "markers", "explanations")

#: Most portals publish the report as PDF: what to do with one.
_PDF = (
    "这是 PDF 文件，无法直接导入。请用 WPS 或 Word 打开后另存为 Word 文档（.docx），"
    "或把报告全文复制粘贴到文本文件（.txt）后再导入"
)

__all__ = ["SUFFIXES", "import_items", "import_report", "import_text", "is_published_report"]


def is_published_report(path: str | Path) -> bool:
    return Path(path).suffix.lower() in SUFFIXES


def import_report(path: str | Path) -> Report:
    """Read a published report file; raises UnreadableError (Chinese message) when unusable."""
    path = Path(path)
    shown = str(path)
    if not path.is_file():
        raise UnreadableError("文件不存在或不是文件", path=shown)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        raise UnreadableError(_PDF + "。", path=shown)
    safety.check_not_archive(path)  # a .zip, .7z or .rar (also renamed): what merge would do with it
    if suffix not in SUFFIXES + (".doc",):
        raise UnreadableError(
            "无法导入此类文件；支持纯文本 .txt、网页 .html/.htm/.shtml/.mht 和 Word .docx/.doc", path=shown
        )
    old_word = UnreadableError("旧版 Word（.doc）文件无法直接导入，请先另存为 .docx", path=shown)
    if suffix == ".doc" and _starts_with(path, safety.OLE_MAGIC):
        raise old_word
    info = safety.inspect_file(path)  # size, zip bomb, XML entities, odd files: refused before any parser runs
    if info.kind == "pdf":  # saved under another name
        raise UnreadableError(f"{_PDF}（文件扩展名是 {path.suffix}，内容却是 PDF）。", path=shown)
    if suffix == ".doc":
        # a .doc is often not Word 97: portals serve their page's HTML as “Word 版”, WPS and
        # renamed files hold a .docx; only a real old Word file needs saving as .docx
        suffix = {"html": ".html", "docx": ".docx"}.get(info.kind, "")
        if info.kind == "text" and _is_web_archive(path):
            suffix = ".mht"  # “导出 Word” as a single-file web page
        if not suffix:
            raise old_word
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if suffix in DOCX_SUFFIXES:
        from .docx import docx_items, hidden_meta, open_document

        document = open_document(path)
        items = docx_items(document)
        return import_items(items, kind="docx", path=shown, sha256=sha, hidden=hidden_meta(document))
    if suffix in HTML_SUFFIXES:
        return _import_html(data, path=shown, sha256=sha)
    if suffix in MHTML_SUFFIXES:
        from .html import mhtml_page

        return _import_html(mhtml_page(data, shown), path=shown, sha256=sha)
    from .text import decode

    return import_text(decode(data, shown), kind="text", path=shown, sha256=sha)


def _is_web_archive(path: Path) -> bool:
    """A MIME web archive (.mht): its headers name a multipart/related message."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).lower()
    except OSError:
        return False
    return head.lstrip().startswith((b"mime-version", b"from:", b"subject:", b"date:", b"content-type")) and (
        b"multipart/related" in head
    )


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(magic)) == magic
    except OSError:
        return False  # the inspection says why it cannot be read


def import_text(text: str, kind: str = "text", *, path: str = "", sha256: str = "") -> Report:
    """Read a report held in memory: ``kind`` is ``text`` (any plain-text rendering) or ``html``."""
    if not sha256:
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if kind == "html":
        return _import_html(text, path=path, sha256=sha256)
    from .text import text_items

    if not text.strip():
        raise UnreadableError("内容是空的，没有可导入的报告", path=path)
    return import_items(text_items(text), kind="text", path=path, sha256=sha256)


def _import_html(data: bytes | str, *, path: str, sha256: str) -> Report:
    from .html import hidden_meta, html_items, page_title, soup_of
    from .text import decode

    if isinstance(data, bytes):
        decode(data, path)  # empty or binary junk: a clear message
    elif not data.strip():
        raise UnreadableError("内容是空的，没有可导入的报告", path=path)
    soup = soup_of(data, path)
    return import_items(
        html_items(soup), kind="html", path=path, sha256=sha256, hidden=hidden_meta(soup), page_title=page_title(soup)
    )


def import_items(
    items: list[Item],
    *,
    kind: str,
    path: str = "",
    sha256: str = "",
    hidden: str = "",
    page_title: str = "",
) -> Report:
    """Build the report from the lines and rows a reader produced. ``page_title`` (the
    HTML ``<title>``) is used only when the body has no title line."""
    if not any(item_text(it).strip() for it in items):
        raise UnreadableError("没有找到任何文字内容，无法导入", path=path)
    found: list[Finding] = []
    plan = outline(items)
    narrative = {p.id: "" for p in form.NARRATIVE_PARTS}
    report = Report(narrative=narrative)
    report.source = Source(path=path, kind=kind, sha256=sha256)

    tables_found = 0
    owner = placement.owners(placement.table_blocks(items))
    owner.update(_line_tables(items, plan, owner))
    first_section = min((s for s, _ in plan.sections.values()), default=len(items))
    if not plan.title and page_title and parse_title(page_title)[0]:
        plan.title = page_title
    if plan.title:
        unit, year = parse_title(plan.title)
        report.unit_name, report.year = unit, year
        report.unit_type = infer_unit_type(unit) if unit else ""
        if re.sub(r"\s+", "", simplified(plan.title)) != report.title_text:
            report.title = plan.title
    else:
        found.append(finding("IMP-MISSING", what="报告标题（单位名称和报告年度）"))
    again = _title_again(items, plan.title, plan.title_end, first_section)
    narrative["preamble"] = lines_text(
        [it for i, it in enumerate(items) if plan.title_end <= i < first_section and i not in owner and i not in again]
    )
    if report.year is None:
        report.year = period_year(narrative["preamble"])
    if report.year is None:
        found.append(finding("IMP-MISSING", what="报告年度"))

    headings: list[str] = []
    for section in form.SECTIONS:
        if section.id not in plan.sections:
            if section.table:
                # the heading is missing or unrecognisable: look for the table's rows anywhere
                result = parse_table(section.table, _rows_of(items, section.table, owner), year=report.year)
                if result.found and any(v is not None for v in result.cells.values()):
                    tables_found += 1
                    # rows of the other tables are not 地方 rows of this one
                    found.extend(f for f in result.findings if f.rule != "TPL-LOCAL")
                    report.cells.update(result.cells)
                else:
                    found.append(
                        finding(
                            "IMP-MISSING",
                            what=f"{form.TABLES[section.table].name}（所在的“{section.heading}”部分缺失）",
                            cells=[c.id for c in form.TABLES[section.table].cells],
                        )
                    )
            continue
        start, end = plan.sections[section.id]
        # words and rows recognised as another section's table are not this section's
        body = [
            Line("") if owner.get(i, section.table) != section.table else it
            for i, it in enumerate(items[start + 1 : end], start=start + 1)
        ]
        if section.id == "s1":
            parts, subs = s1_parts(body)
            headings.extend(subs)
            for pid, text in parts.items():
                narrative[pid] = text
        elif section.table:
            table = form.TABLES[section.table]
            here = [i for i in range(start + 1, end) if owner.get(i) == section.table]
            away = [i for i, t in owner.items() if t == section.table and not start < i < end]
            note_pid = next(p.id for p in form.NARRATIVE_PARTS if p.section == section.id)
            if away and not here:
                # the table is printed elsewhere (above its heading, under another section)
                result = parse_table(section.table, _rows_of(items, section.table, owner), year=report.year)
                found.extend(result.findings)
                report.cells.update(result.cells)
                tables_found += 1
                found.append(
                    finding(
                        "STRUCT-TABLES",
                        table=table.name,
                        problem=f"不在“{section.heading}”部分之下，而位于{_where(plan, min(away))}",
                        section=section.heading,
                        cells=[c.id for c in table.cells],
                    )
                )
                narrative[note_pid] = lines_text(body)
                continue
            # rows recognised as another table are not part of this one (nor its 地方 rows)
            result = parse_table(section.table, body, offset=start + 1, year=report.year)
            found.extend(result.findings)
            report.cells.update(result.cells)
            if result.found:
                tables_found += 1
                lo, hi = result.span or (start, start)
                note = [
                    it
                    for i, it in enumerate(body, start=start + 1)
                    if isinstance(it, Line) and (i > hi or (i < lo and re.search("[。；]", it.text)))
                ]
            else:
                found.append(
                    finding(
                        "TPL-IMAGE",
                        section_heading=section.heading,
                        table=form.TABLES[section.table].name,
                        section=section.heading,
                        cells=[c.id for c in form.TABLES[section.table].cells],
                    )
                )
                note = [it for it in body if isinstance(it, Line)]
            narrative[note_pid] = lines_text(note)
        else:
            narrative[section.id] = lines_text(body)
            if section.id == "s6":
                for fid, value in fees_from(narrative["s6"]).items():
                    report.fees[fid] = value

    if not plan.sections and not plan.title and not tables_found:
        raise UnreadableError(
            "没有找到年度报告的标题、六个部分的标题或统计表格，不像是政府信息公开工作年度报告",
            path=path,
        )
    found.extend(_pre2019(items, headings))
    report.source.findings = plan.findings + found
    if hidden:
        _apply_hidden(report, hidden)
    for f in report.source.findings:
        f.file = f.file or path
    return report


def _title_again(items: list[Item], title: str, start: int, stop: int) -> set[int]:
    """Items in items[start:stop] that print the title again, on one line or split over up
    to three (a portal's page title, then the report's own)."""
    out: set[int] = set()
    want = key(title)
    if not want:
        return out
    for i in range(start, stop):
        for n in range(1, 4):
            run = items[i : min(i + n, stop)]
            if len(run) == n and all(isinstance(it, Line) for it in run):
                if key("".join(it.text for it in run)) == want:
                    out.update(range(i, i + n))
                    break
    return out


def _rows_of(items: list[Item], table: str, owner: dict[int, str]) -> list[Item]:
    """The report's items with only those of ``table`` kept (rows and words recognised as
    that table, or, when none was recognised, every row no other table claims)."""
    mine = {i for i, t in owner.items() if t == table}
    return [
        it if i in mine or (not mine and isinstance(it, Row) and i not in owner) else Line("")
        for i, it in enumerate(items)
    ]


def _line_tables(items: list[Item], plan: Outline, owner: dict[int, str]) -> dict[int, str]:
    """Tables printed as words of lines (no table rows: one cell per line without indent, a
    body run together on one line) that are not under their own section: item index -> table
    id for the items such a table uses. A table counts as found elsewhere when at least half
    of its rows are read there, so that stray words in the text never make a table."""
    out: dict[int, str] = {}
    for section in form.SECTIONS:
        table = section.table
        if not table or table in owner.values() or section.id not in plan.sections:
            continue
        start, end = plan.sections[section.id]
        claimed = owner | out
        here = [it if i not in claimed else Line("") for i, it in enumerate(items[start + 1 : end], start + 1)]
        if parse_table(table, here, offset=start + 1).found:
            continue
        rest = [
            it if i not in claimed and not start <= i < end else Line("") for i, it in enumerate(items)
        ]
        result = parse_table(table, rest)
        values = [v for v in result.cells.values() if v is not None]
        if values and 2 * len(result.rows_seen) >= len(index(table).rows):
            # the table is where its rows are, with the headings right above them (labels such
            # as 总计 elsewhere in the report belong to other tables)
            lo, hi = min(result.row_items), max(result.row_items)
            while lo > 0 and (lo - 1 in result.used or not item_text(items[lo - 1]).strip()):
                lo -= 1
            out.update((i, table) for i in result.used if lo <= i <= hi)
    return out


def _where(plan: Outline, at: int) -> str:
    """Where item ``at`` sits, in words: “二、……”部分 or 第一部分之前."""
    for sid, (start, end) in plan.sections.items():
        if start <= at < end:
            return f"“{form.section(sid).heading}”部分"
    return "第一部分之前"


def _pre2019(items: list[Item], headings: list[str]) -> list[Finding]:
    out: list[Finding] = []
    seen: set[str] = set()
    candidates = headings + [
        it.text for it in items if isinstance(it, Line) and len(it.text) <= 40 and "。" not in it.text
    ]
    for text in candidates:
        old = formats.pre2019_heading(text)
        if old and old not in seen:
            seen.add(old)
            out.append(finding("TPL-PRE2019", label=old, quote=text))
    return out


def _apply_hidden(report: Report, text: str) -> None:
    """Fields our own export keeps out of sight (unit type, county, contact, markers …)."""
    try:
        data = json.loads(text)
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    for name in _HIDDEN_ONLY:
        if name in data and data[name] is not None:
            setattr(report, name, data[name])
    fees = data.get("fees")
    if isinstance(fees, dict):
        for fid, value in fees.items():
            if fid in report.fees and report.fees[fid] is None:
                report.fees[fid] = value
