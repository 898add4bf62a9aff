"""帮助: the ribbon's help page is the clerks' part of the README, and its links work."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from gxexcel.excel.buttons import help_page
from gxexcel.excel.help import DEVELOPERS_HEADING, help_html

README = Path(__file__).resolve().parents[1] / "README.md"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.anchors: list[str] = []
        self.headings: list[str] = []
        self.images: list[str] = []
        self.bases = 0
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag == "a" and (found.get("href") or "").startswith("#"):
            self.anchors.append(unquote((found["href"] or "")[1:]))  # as a browser matches it
        if tag == "img":
            self.images.append(found.get("src") or "")
        self.bases += tag == "base"
        self._in_heading = tag in ("h1", "h2")

    def handle_data(self, data: str) -> None:
        if self._in_heading:
            self.headings.append(data)
            self._in_heading = False


def _parsed() -> _Links:
    links = _Links()
    links.feed(help_html())
    return links


def test_every_link_inside_the_page_reaches_a_heading():
    links = _parsed()
    in_readme = [line for line in README.read_text(encoding="utf-8").split(DEVELOPERS_HEADING)[0].splitlines()
                 if "](#" in line]
    assert in_readme, "the README's clerks' part starts with links to its sections"
    assert links.anchors, "the page keeps those links"
    missing = [a for a in links.anchors if a not in links.ids]
    assert not missing, f"links to sections the page has no id for: {missing}"


def test_links_to_sections_stay_in_the_page_and_pictures_are_found():
    links = _parsed()
    assert links.bases == 0, "a <base> element would send #links to the README's folder"
    assert links.images
    for src in links.images:
        assert urlsplit(src).scheme == "file", src
        assert Path(url2pathname(urlsplit(src).path)).is_file(), src


def test_sections_have_the_ids_github_gives_them():
    ids = _parsed().ids
    assert "excel-加载项政务公开年报选项卡" in ids
    assert "县级汇总县政府办市级主管部门" in ids


def test_the_page_is_the_clerks_part_only(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    outcome = help_page(open_browser=False)
    page = Path(outcome.path)
    assert page.parent == tmp_path and page.is_file()
    text = page.read_text(encoding="utf-8")
    assert "县级汇总" in text and "校验" in text
    assert "The declaration" not in text  # the developers' section stays out
    assert outcome.message == f"已在浏览器中打开帮助：{page}"
