"""Text, pipe and HTML renderers: structure, official labels and every figure in place."""

from __future__ import annotations

import random
import re
from importlib import resources

import pytest
from bs4 import BeautifulSoup

from gxexcel import form, layout
from gxexcel.model import Report
from gxexcel.publish import render
from gxexcel.publish.grid import format_value, table_grid
from gxexcel.publish.meta import META_NAME, apply_hidden_json
from gxexcel.sample import sample_report

SEED = resources.files("gxexcel").joinpath("data/seed_nanding_2021.txt").read_text(encoding="utf-8")
# The seed's own mistakes (format spec §6 items 6 and 7), mended before comparing.
SEED_MISTAKES = {
    "第二十条 第": "第二十条第",
    "只记这一情形": "只计这一情形",
    "属于国家机密": "属于国家秘密",
    "不再处理其他政府公开申请": "不再处理其政府信息公开申请",
}


def _seed_like() -> Report:
    report = Report.zeros(unit_name="南定镇人民政府", year=2021)
    report.cells["t2.license.decisions"] = 805
    return report


def _tables_part(text: str) -> list[str]:
    start = text.index(form.section("s2").heading)
    end = text.index(form.section("s5").heading)
    return [line for line in text[start:end].splitlines() if line.strip()]


def test_text_tables_are_laid_out_like_the_real_seed_report():
    seed = SEED
    for wrong, right in SEED_MISTAKES.items():
        seed = seed.replace(wrong, right)
    ours = render(_seed_like(), "text")
    assert _tables_part(ours) == _tables_part(seed)


def _reports() -> list[Report]:
    rng = random.Random(20211231)
    out = [Report.zeros(unit_name="平安镇人民政府", unit_type="乡镇人民政府", year=2022)]
    for i in range(8):
        out.append(sample_report(rng, unit_name=f"测试{i}镇人民政府", year=2021 + i % 3))
    busy = sample_report(rng, unit_name="某县自然资源局", unit_type="县级政府部门")
    for cid in form.INPUT_CELLS:
        if form.CELLS[cid].table == "t3" and form.CELLS[cid].row not in ("carry_forward",):
            busy.cells[cid] = rng.randint(0, 40)
    busy.cells["t2.fees.amount"] = 12.35
    busy.fill_totals()
    out.append(busy)
    return out


@pytest.mark.parametrize("report", _reports(), ids=lambda r: r.unit_name)
def test_html_page_has_every_figure_under_the_official_headers(report):
    html = render(report, "html")
    soup = BeautifulSoup(html, "lxml")
    # self-contained: no external resources
    assert not soup.find_all(["link", "script", "img", "iframe"])
    assert "@import" not in html and "url(" not in html
    assert soup.title.text == report.title_text == soup.h1.text
    # six official headings in order
    assert [h.text for h in soup.find_all("h2")] == [s.heading for s in form.SECTIONS]
    for table_id in form.TABLES:
        table = soup.find("table", attrs={"data-table": table_id})
        placed = _expand(table)
        grid = table_grid(table_id)
        lay = layout.table_layouts()[table_id]
        top = min(m.first_row for m in lay.header)
        for m in lay.header:
            cell = placed[(m.first_row - top, m.first_col - 1)]
            if not cell.get("data-cell"):
                assert cell.text == m.text
                assert int(cell.get("rowspan", 1)) == m.last_row - m.first_row + 1
                assert int(cell.get("colspan", 1)) == m.last_col - m.first_col + 1
        data = {td["data-cell"]: td.text for td in table.find_all("td")}
        assert set(data) == {c.id for c in form.TABLES[table_id].cells}
        for cid, text in data.items():
            assert text == format_value(report.cells[cid])
            pos = layout.cell_positions()[cid]
            assert placed[(pos.row - top, pos.col - 1)]["data-cell"] == cid
        assert max(c for _, c in placed) + 1 == grid.ncols
    # narrative paragraphs carry their part and are the model's lines
    for part in form.NARRATIVE_PARTS:
        paras = [p.text for p in soup.find_all("p", attrs={"data-part": part.id})]
        assert "\n".join(paras) == "\n".join(
            line.strip() for line in report.narrative.get(part.id, "").splitlines() if line.strip()
        )
    hidden = soup.find("meta", attrs={"name": META_NAME})["content"]
    back = apply_hidden_json(Report(), hidden)
    assert (back.unit_type, back.parent, back.fees, back.year) == (
        report.unit_type,
        report.parent,
        report.fees,
        report.year,
    )


def _expand(table) -> dict[tuple[int, int], object]:
    """Grid position -> the <th>/<td> covering it, honouring rowspan/colspan like a browser."""
    placed: dict[tuple[int, int], object] = {}
    for r, tr in enumerate(table.find_all("tr")):
        c = 0
        for cell in tr.find_all(["th", "td"]):
            while (r, c) in placed:
                c += 1
            for dr in range(int(cell.get("rowspan", 1))):
                for dc in range(int(cell.get("colspan", 1))):
                    placed[(r + dr, c + dc)] = cell
            c += int(cell.get("colspan", 1))
    return placed


@pytest.mark.parametrize("report", _reports()[:3], ids=lambda r: r.unit_name)
def test_pipe_tables_have_one_field_per_column_and_the_figures_in_place(report):
    text = render(report, "pipe")
    for table_id, first_label in (("t2", form.T2.blocks[0].caption), ("t3", form.T3.corner), ("t4", "行政复议")):
        grid = table_grid(table_id)
        start = next(i for i, line in enumerate(text.splitlines()) if line.startswith(f"| {first_label} "))
        rows = text.splitlines()[start : start + grid.nrows + 1]
        assert re.fullmatch(r"\|(---\|)+", rows[1]) and rows[1].count("---") == grid.ncols
        rows = [rows[0]] + rows[2:]
        fields = [[f.strip() for f in row.strip("|").split(" | ")] for row in rows]
        assert all(len(f) == grid.ncols for f in fields)
        top = min(m.first_row for m in layout.table_layouts()[table_id].header)
        for cell in form.TABLES[table_id].cells:
            pos = layout.cell_positions()[cell.id]
            assert fields[pos.row - top][pos.col - 1] == format_value(report.cells[cell.id])


def test_text_keeps_headings_in_order_and_paragraphs_one_per_line():
    report = _reports()[1]
    lines = render(report, "text").splitlines()
    assert lines[0] == report.title_text
    positions = [lines.index(s.heading) for s in form.SECTIONS]
    assert positions == sorted(positions)
    for part in form.NARRATIVE_PARTS:
        for para in report.narrative[part.id].splitlines():
            if para.strip():
                assert para.strip() in lines


def test_the_clerks_explanations_are_never_published(tmp_path):
    from gxexcel.publish.docx import build_docx, hidden_json_of

    report = _reports()[1]
    report.explanations = {"T2-MADE-LE@表二!B5": "内部说明：文件清理，勿公开"}
    assert "勿公开" not in render(report, "html") and "勿公开" not in render(report, "text")
    assert "勿公开" not in hidden_json_of(build_docx(report))


@pytest.mark.parametrize("fmt", ["text", "pipe"])
def test_text_and_pipe_exports_import_back_to_the_same_figures_and_text(fmt):
    from gxexcel.importer import import_text

    for report in _reports()[:4]:
        back = import_text(render(report, fmt), kind="text")
        assert back.source.findings == []
        assert back.cells == report.cells
        assert (back.unit_name, back.year) == (report.unit_name, report.year)
        assert {k: v for k, v in back.narrative.items() if v} == {k: v for k, v in report.narrative.items() if v}
