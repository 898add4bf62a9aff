"""HTML reports (portal pages): paragraphs and tables with rowspan/colspan.

Parsed with BeautifulSoup on lxml. Block elements and ``<br>`` end lines; a
table with no table inside it is a data table, read row by row on its grid:
a cell merged across columns appears once, a cell merged down from a row above
appears as ``""`` in the rows it covers (so a figure is never copied into
another row). ``&nbsp;`` cells are blank; figures inside ``<p>``/``<span>``
are read as the cell's text. Scripts, styles and the page head are ignored.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from ..errors import UnreadableError
from .items import Item, Line, Row
from .normalize import clean_line

_BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol section article header footer main blockquote pre "
    "dd dt dl center form fieldset address nav aside figure figcaption caption".split()
)
_SKIP = frozenset("script style head noscript template iframe object svg title".split())
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
#: Page chrome around a report on a portal: navigation, footers, print/close links.
_CHROME_TAGS = frozenset({"nav", "footer"})
_BOLD = frozenset({"strong", "b"})
_LEAD_HEADING = re.compile(r"^\s*([（(]\s*[一二三四五六七八九十]\s*[)）]|[一二三四五六七八九十][、．.])")
_CHROME_ID = re.compile(r"nav|footer|breadcrumb|crumb|position|location|share|tool|switch", re.I)
_CHROME_LINE = re.compile(
    r"^(主办单位|承办单位|版权所有|网站标识码|技术支持|联系我们|网站地图|当前位置|您当前的位置|[京沪粤湘鄂川黑]?ICP|"
    r"【?\s*(打印|关闭|关闭窗口|打印本页|收藏|分享)\s*】?$)"
)


_GBK_NAMES = frozenset({"gb2312", "gbk", "gb18030", "cp936", "xgbk", "euccn", "hzgb2312"})


def html_text(data: bytes) -> str | None:
    """A saved page's text, the bytes deciding over the declared encoding: a page served as
    GBK by its site (HTTP header) keeps its template's “charset=utf-8” when saved, and a page
    re-saved by an editor as UTF-8 keeps its “charset=gb2312”. Valid UTF-8 is UTF-8; otherwise
    the declared encoding (GB2312/GBK read as their superset GB18030), then GB18030; None
    when none of them fits (BeautifulSoup then guesses)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with BOM: BeautifulSoup reads it
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from bs4.dammit import EncodingDetector

    declared = EncodingDetector.find_declared_encoding(data, is_html=True) or ""
    for encoding in (declared, "gb18030"):
        if not encoding:
            continue
        if re.sub(r"[-_\s]", "", encoding.lower()) in _GBK_NAMES:
            encoding = "gb18030"
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def mhtml_page(data: bytes, path: str = "") -> bytes | str:
    """The page inside a web archive saved as one file (.mht/.mhtml, “网页，单个文件”): the
    first text/html part of the MIME message, in its declared charset when that fits."""
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.compat32)
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload.strip():
            continue
        charset = re.sub(r"[-_\s]", "", (part.get_content_charset() or "").lower())
        try:
            return payload.decode("gb18030" if charset in _GBK_NAMES else part.get_content_charset() or "")
        except (UnicodeDecodeError, LookupError):
            return payload
    raise UnreadableError("网页存档（.mht/.mhtml）中没有找到网页内容，无法导入", path=path)


def soup_of(data: bytes | str, path: str = "") -> BeautifulSoup:
    if isinstance(data, bytes):
        data = html_text(data) or data
    try:
        return BeautifulSoup(data, "lxml")
    except Exception as exc:  # lxml refuses some binary input
        raise UnreadableError("不是可读取的网页（HTML）文件", path=path) from exc


def _cell_text(cell: Tag) -> str:
    return clean_line(_SPACES.sub(" ", cell.get_text("", strip=False)))


def table_rows(table: Tag, number: int) -> list[Row]:
    """The rows of a leaf table on its grid: a cell merged across columns appears once,
    a cell merged down appears as one ``""`` in each row below that it covers."""
    rows: list[Row] = []
    pending: dict[int, list[int]] = {}  # first grid column -> [rows still covered, width]
    for tr in _rows_of(table):
        tds = tr.find_all(["td", "th"], recursive=False)
        cells: list[str] = []
        col = k = 0
        while True:
            cover = pending.get(col)
            if cover and cover[0] > 0:
                cells.append("")
                cover[0] -= 1
                col += cover[1]
                continue
            if k >= len(tds):
                later = [c for c, (n, _) in pending.items() if c > col and n > 0]
                if not later:
                    break
                col = min(later)
                continue
            td = tds[k]
            k += 1
            span, down = _int(td.get("colspan")), _int(td.get("rowspan"))
            cells.append(_cell_text(td))
            if down > 1:
                pending[col] = [down - 1, span]
            col += span
        rows.append(Row(cells, number))
    return rows


def _is_layout(table: Tag) -> bool:
    """A table used to lay out the page (one cell, or a cell holding whole paragraphs)."""
    cells = table.find_all(["td", "th"])
    if len(cells) <= 1:
        return True
    return any(len(c.get_text(strip=True)) > 300 for c in cells)


def _rows_of(table: Tag) -> list[Tag]:
    out = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is table:
            out.append(tr)
    return out


def _int(value: object) -> int:
    try:
        return max(1, int(str(value).strip()))
    except (TypeError, ValueError):
        return 1


def _soup(data: "bytes | str | BeautifulSoup", path: str = "") -> BeautifulSoup:
    return data if isinstance(data, BeautifulSoup) else soup_of(data, path)


def html_items(data: "bytes | str | BeautifulSoup", path: str = "") -> list[Item]:
    soup = _soup(data, path)
    root = soup.body or soup
    items: list[Item] = []
    buffer: list[str] = []
    tables = 0

    def flush() -> None:
        text = "".join(buffer)
        buffer.clear()
        for piece in text.split("\n"):
            line = clean_line(_SPACES.sub(" ", piece))
            if line and not _chrome_line(line):
                items.append(Line(line))

    def walk(node: Tag) -> None:
        nonlocal tables
        for child in node.children:
            if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                buffer.append(re.sub(r"[\r\n]+", " ", str(child)))
                continue
            if not isinstance(child, Tag) or child.name in _SKIP or _is_chrome(child):
                continue
            if child.name == "br":
                buffer.append("\n")
            elif child.name in _BOLD and not "".join(buffer).strip() and _LEAD_HEADING.match(child.get_text()):
                # <p><strong>（一）主动公开</strong>本年度……</p>: the bold sub-heading is its own line
                flush()
                walk(child)
                flush()
            elif child.name == "table" and child.find("table") is None and not _is_layout(child):
                flush()
                tables += 1
                for caption in child.find_all("caption"):  # a heading set as the table's caption
                    buffer.append(caption.get_text("\n"))
                    flush()
                items.extend(table_rows(child, tables))
            elif child.name in _BLOCKS or child.name in ("table", "tr", "td", "th", "tbody", "thead"):
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(root)
    flush()
    return items


_CHROME_WORDS = ("打印", "关闭", "分享到", "收藏", "网站地图", "友情链接", "字体", "返回顶部")
#: The facts a portal prints about the page (government-information catalogue block, publication
#: line): a line made of such “label：value” fields only.
_PAGE_FACT = re.compile(
    r"^(索引号|发布机构|发文机关|生成日期|成文日期|发文日期|发布日期|发布时间|主题分类|体裁分类|公开方式|公开范围|"
    r"公开时限|公开形式|有效性|信息来源|来源|作者|编辑|责任编辑|浏览次数|浏览量|阅读次数|访问量|点击数|点击量|字号|【?字体)\s*[:：]"
)


def _chrome_line(line: str) -> bool:
    if _PAGE_FACT.match(line) and len(line) <= 120 and not re.search("[。；]", line):
        return True
    if len(line) > 40:  # a sentence of the report, not a tool bar
        return False
    return bool(_CHROME_LINE.match(line)) or sum(w in line for w in _CHROME_WORDS) >= 2


def _is_chrome(tag: Tag) -> bool:
    if tag.name in _CHROME_TAGS:
        return True
    names = " ".join([str(tag.get("id") or "")] + list(tag.get("class") or []))
    return bool(names.strip()) and bool(_CHROME_ID.search(names))


def page_title(data: "bytes | str | BeautifulSoup") -> str:
    """The page's ``<title>``, stripped of a site name after a separator."""
    soup = _soup(data)
    if not soup.title or not soup.title.string:
        return ""
    text = clean_line(_SPACES.sub(" ", soup.title.get_text()))
    return re.split(r"\s*[-_|–—]\s*", text)[0]


def hidden_meta(data: "bytes | str | BeautifulSoup") -> str:
    """The JSON of fields our own HTML export keeps in ``<meta name="gxexcel-report">``."""
    from ..publish.meta import META_NAME

    soup = _soup(data)
    tag = soup.find("meta", attrs={"name": META_NAME})
    return str(tag.get("content", "")) if tag else ""
