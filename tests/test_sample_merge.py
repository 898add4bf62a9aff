"""The sample county merged: clean units never look copied, and the one injected copy
(a township's section 五 taken word for word from another's) is listed in 相似文本 and
reported as META-DUP for the copying unit — the county the demo shows."""

from __future__ import annotations

import openpyxl
import pytest

from gxexcel import form, layout
from gxexcel.cli.demo import REPORTS_DIR, TOWNSHIPS, samples_step, seed_step
from gxexcel.consolidation import columns as C
from gxexcel.consolidation import consolidate
from gxexcel.consolidation.similarity import PAIR
from gxexcel.sample import COPY_RULE


@pytest.fixture(scope="module")
def demo_county(tmp_path_factory):
    """The demo's county: 19 sample townships with the injected errors, and 南定镇 from the seed."""
    directory = tmp_path_factory.mktemp("demo_county")
    manifest = samples_step(directory, 2021)
    seed_step(directory, len(manifest.workbooks) + 1)
    result = consolidate([directory / REPORTS_DIR])
    out = result.to_excel(directory / "全县汇总.xlsx")
    return manifest, result, out


def _rows(path, sheet):
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_similar_text_lists_exactly_the_injected_copy(demo_county):
    manifest, result, out = demo_county
    assert len(result.counted) == TOWNSHIPS
    (copier, source, part), = manifest.copied_pairs()
    rows = _rows(out, C.SHEET_SIMILAR)
    assert rows[0] == list(C.SIMILAR_COLUMNS)
    listed = [r for r in rows[1:] if any(v not in (None, "") for v in r)]
    assert len(listed) == 1, listed
    row = dict(zip(C.SIMILAR_COLUMNS, listed[0]))
    assert row["类型"] == PAIR and {row["单位"], row["对比对象"]} == {copier, source}
    assert row["正文部分"] == form.NARRATIVE[part].label and row["相似度（%）"] == 100


def test_the_copy_is_reported_as_meta_dup_at_the_manifest_cell(demo_county):
    manifest, result, out = demo_county
    wb = manifest.workbooks[-1]
    e, = wb.merge_errors
    assert e.rule == COPY_RULE and (e.sheet, e.cell) == (layout.SHEET_TEXT, layout.locate("s5").coordinate)
    rows = _rows(out, C.SHEET_FINDINGS)
    header, body = rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]
    dup = [r for r in body if r["规则"] == COPY_RULE]
    # once for the copying unit and once for the unit copied from, nobody else
    assert {r["单位名称"] for r in dup} == {wb.unit_name, manifest.copied_pairs()[0][1]}, dup
    mine = [r for r in dup if r["单位名称"] == wb.unit_name]
    assert len(mine) == 1 and form.NARRATIVE["s5"].label in mine[0]["问题"]
    assert (mine[0].get("工作表"), mine[0].get("单元格")) == (e.sheet, e.cell) or "单元格" not in header


def test_demo_says_the_copy_was_found(tmp_path):
    from click.testing import CliRunner

    from gxexcel.cli import cli

    result = CliRunner().invoke(cli, ["demo", str(tmp_path / "演示")])
    assert result.exit_code == 0, result.output
    assert "相似文本：列出 1 处单位间正文高度雷同；注入的 1 处整段照抄中发现 1 处（" in result.output, result.output


def test_submission_notes_count_errors_as_the_other_commands_do(demo_county):
    """报送情况 says “有 n 个错误” as validate, the add-in and GX_CHECK count them."""
    manifest, result, out = demo_county
    rows = _rows(out, C.SHEET_SUBMISSIONS)
    header = rows[0]
    notes = {r[header.index("单位名称")]: r[header.index("说明")] or "" for r in rows[1:]}
    errors = {r[header.index("单位名称")]: r[header.index("错误数")] for r in rows[1:]}
    flagged = [name for name, n in errors.items() if n]
    assert flagged
    for name in flagged:
        assert f"有 {errors[name]} 个错误，已计入汇总" in notes[name], notes[name]
    assert not any("处错误" in n for n in notes.values())
