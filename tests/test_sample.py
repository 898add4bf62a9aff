"""Sample reports: plausible figures, consistent identities, clean text, injected errors."""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from gxexcel import form, layout
from gxexcel.cli import cli
from gxexcel.reader import read_workbook
from gxexcel.sample import (
    COPY_RULE,
    ERROR_KINDS,
    MANIFEST_CSV,
    MANIFEST_JSON,
    SAMPLE_UNITS,
    Manifest,
    place_name,
    sample_report,
    write_samples,
)

MANY = 200


@pytest.fixture(scope="module")
def reports():
    rng = random.Random(7)
    out = []
    for i in range(MANY):
        name, kind = SAMPLE_UNITS[i % len(SAMPLE_UNITS)]
        out.append(sample_report(random.Random(rng.getrandbits(32)), unit_name=name, unit_type=kind))
    return out


def test_every_identity_holds(reports):
    for r in reports:
        for ident in form.IDENTITIES:
            left = sum(r.number(c) for c in ident.left)
            right = sum(r.number(c) for c in ident.right)
            assert left == right, (r.unit_name, ident.rule, ident.key)


def test_cells_are_complete_non_negative_and_of_the_right_kind(reports):
    for r in reports:
        assert set(r.cells) == set(form.CELLS)
        for cid, value in r.cells.items():
            assert value is not None and value >= 0, cid
            if form.CELLS[cid].kind == "count":
                assert isinstance(value, int), cid
            else:
                assert round(value, 4) == value
        assert [r.cells[f"t2.regs.{c}"] for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
        # 本年制发件数 ≤ 现行有效件数 + 本年废止件数 (T2-MADE-LE)
        assert r.cells["t2.normative.issued"] <= r.cells["t2.normative.in_force"] + r.cells["t2.normative.repealed"]


def test_magnitudes_look_like_townships(reports):
    licenses = [r.cells["t2.license.decisions"] for r in reports]
    assert sum(1 for x in licenses if x == 0) > MANY * 0.15
    assert sum(1 for x in licenses if x >= 100) > MANY * 0.1  # some large counts like the seed's 805
    assert max(licenses) < 1000
    values = [v for r in reports for cid, v in r.cells.items() if form.CELLS[cid].role == "input"]
    assert sum(1 for v in values if v == 0) / len(values) > 0.8  # mostly zeros
    applications = [r.cells["t3.new.total"] for r in reports]
    assert sum(1 for x in applications if x == 0) > MANY * 0.25
    assert max(applications) <= 30
    assert any(r.cells["t4.review.total"] for r in reports)


def test_narrative_has_period_fee_statement_and_quotes_own_figures(reports):
    from gxexcel.narrative.draft import GENERATED_PARTS, draft
    from gxexcel.narrative.marker import part_state

    states = set()
    for r in reports:
        text = r.narrative
        assert f"本报告中所列数据的统计期限为{r.year}年1月1日至{r.year}年12月31日" in text["preamble"]
        assert form.FEE_LAW in text["s6"] and "信息处理费" in text["s6"]
        # the parts gxexcel drafts carry the narrative templates' wording (one source), kept as
        # drafted (with generation markers) by some units, written around by others
        drafts, skipped = draft(r)
        assert not skipped
        for part in GENERATED_PARTS:
            assert drafts[part] in text[part], (r.unit_name, part)
        state = {part_state(text[p], r.markers.get(p)) for p in GENERATED_PARTS}
        assert state in ({"generated"}, {"clerk"}), state
        states |= state
        if state == {"generated"}:
            assert {p: text[p] for p in GENERATED_PARTS} == drafts
        if r.unit_type in form.GOVERNMENT_UNIT_TYPES:
            assert "工作考核、社会评议和责任追究结果" in text["s1.supervision"] or all(
                w in text["s1.supervision"] for w in ("考核", "评议", "责任追究"))
        if not r.cells["t2.normative.issued"]:
            assert "政策解读" not in text["s5"]
        for part in ("preamble", "s1.intro", "s1.active", "s1.request", "s1.management", "s1.platform",
                     "s1.supervision", "s4.note", "s5", "s6"):
            assert text[part].strip(), part
    assert states == {"generated", "clerk"}


def test_period_and_fee_wording_lives_only_in_the_narrative_templates():
    import gxexcel.sample as sample_module

    source = Path(sample_module.__file__).read_text(encoding="utf-8")
    assert "统计期限为" not in source and "收费通知" not in source


def test_clerk_parts_stay_below_the_similarity_threshold(reports):
    """No two clean sample units look copied: the consolidation's own measure, on every compared part."""
    from rapidfuzz import fuzz

    from gxexcel.consolidation.similarity import COMPARED_PARTS, MIN_CHARS, THRESHOLD

    county = reports[:60]
    for part in COMPARED_PARTS:
        texts = ["".join(r.narrative[part].split()) for r in county]
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                if len(a) >= MIN_CHARS and len(b) >= MIN_CHARS:
                    assert fuzz.ratio(a, b) < THRESHOLD, (part, a, b)
        assert sum(len(t) >= MIN_CHARS for t in texts) >= 50 or part in ("s2.note", "s3.note"), part


def test_text_never_names_another_unit_nor_stale_or_county_wording(reports):
    places = {place_name(n) for n, _ in SAMPLE_UNITS}
    for r in reports:
        others = places - {place_name(r.unit_name)}
        blob = "".join(r.narrative.values())
        assert not [p for p in others if p in blob], r.unit_name
        for bad in ("主管部门", "各办局", "新修订", "截止目前"):
            assert bad not in blob


def test_text_varies_between_units(reports):
    for part in ("s1.intro", "s1.management", "s1.platform", "s1.supervision", "s5"):
        assert len({r.narrative[part] for r in reports[:24]}) == 24, part
    bodies = {"".join(r.narrative.values()).replace(r.unit_name, "") for r in reports[:24]}
    assert len(bodies) == 24


def test_same_rng_seed_same_report():
    a = sample_report(random.Random(3), unit_name="石门镇人民政府")
    b = sample_report(random.Random(3), unit_name="石门镇人民政府")
    assert a.to_json() == b.to_json()


def _values(path):
    wb = openpyxl.load_workbook(path)
    return {(ws.title, c.coordinate): c.value for ws in wb for row in ws.iter_rows() for c in row}


def test_write_samples_is_deterministic(tmp_path):
    a = write_samples(tmp_path / "a", 4, seed=11, errors=True)
    b = write_samples(tmp_path / "b", 4, seed=11, errors=True)
    c = write_samples(tmp_path / "c", 4, seed=12, errors=True)
    assert (tmp_path / "a" / MANIFEST_JSON).read_bytes() == (tmp_path / "b" / MANIFEST_JSON).read_bytes()
    assert (tmp_path / "a" / MANIFEST_CSV).read_bytes() == (tmp_path / "b" / MANIFEST_CSV).read_bytes()
    for wa, wb_, wc in zip(a.workbooks, b.workbooks, c.workbooks):
        assert _values(tmp_path / "a" / wa.file) == _values(tmp_path / "b" / wb_.file)
    assert any(
        _values(tmp_path / "a" / wa.file) != _values(tmp_path / "c" / wc.file)
        for wa, wc in zip(a.workbooks, c.workbooks)
    )


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    folder = tmp_path_factory.mktemp("county")
    return folder, write_samples(folder, 14, seed=5, errors=True)


def test_every_error_kind_is_injected_once_and_listed(county):
    folder, manifest = county
    injected = [e.code for wb in manifest.workbooks for e in wb.errors]
    assert sorted(injected) == sorted(k.code for k in ERROR_KINDS)
    assert sorted(p.name for p in folder.glob("*.xlsx")) == sorted(wb.file for wb in manifest.workbooks)
    assert Manifest.from_json((folder / MANIFEST_JSON).read_text(encoding="utf-8")) == manifest
    data = json.loads((folder / MANIFEST_JSON).read_text(encoding="utf-8"))
    assert {k["code"] for k in data["error_kinds"]} == {k.code for k in ERROR_KINDS}
    with open(folder / MANIFEST_CSV, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["应发现的规则"] for r in rows if r["应发现的规则"]} == {k.rule for k in ERROR_KINDS} | {COPY_RULE}
    assert {r["文件"] for r in rows} == {wb.file for wb in manifest.workbooks}
    # the last workbook copies section 五 of another; the rest of the surplus is clean
    assert sum(1 for r in rows if r["错误类型"] == "无（正确样例）") == 14 - len(ERROR_KINDS) - 1
    copied = [r for r in rows if r["应发现的规则"] == COPY_RULE]
    assert len(copied) == 1 and copied[0]["文件"] == manifest.workbooks[-1].file
    assert copied[0]["发现环节"] == "全县汇总（相似文本）" and copied[0]["单元格"] == layout.locate("s5").coordinate
    assert {r["发现环节"] for r in rows if r["应发现的规则"] and r["应发现的规则"] != COPY_RULE} == {"逐表校验"}


def test_injected_errors_are_really_in_the_workbooks(county):
    folder, manifest = county
    positions = layout.cell_positions()
    by_code = {e.code: (wb, e) for wb in manifest.workbooks for e in wb.errors}
    for code, (wb, e) in by_code.items():
        ws = openpyxl.load_workbook(folder / wb.file)[e.sheet]
        value = ws[e.cell].value
        if code == "typed_total":
            assert isinstance(value, int), value  # a number where the formula was
        elif code == "text_in_count":
            assert isinstance(value, str) and value.endswith("件")
        elif code == "negative":
            assert value < 0
        elif code == "decimal":
            assert value != int(value)
        elif code == "blank":
            assert value is None
        elif code == "other_unit_name":
            other = re.search(r"其他单位名称“(.+?)”", e.detail).group(1)
            assert other in value and other != place_name(wb.unit_name)
        elif code == "fee_in_yuan":
            assert value >= 10000
        elif code == "missing_fee_statement":
            assert value == "无。" and "信息处理费" not in value
        elif code == "wrong_period_year":
            assert f"统计期限为{manifest.year - 1}年1月1日" in value
        elif code == "regs_township":
            assert value == 1
        else:  # broken balance: 第一项+第二项 ≠ 第三项+第四项 for 自然人
            assert code == "broken_balance"
            sheet = openpyxl.load_workbook(folder / wb.file)[e.sheet]
            get = lambda cid: sheet[positions[cid].coordinate].value  # noqa: E731
            results = sum(get(f"t3.{r}.natural") for r in form.T3_LEAF_RESULT_ROWS)
            assert get("t3.new.natural") + get("t3.carried.natural") != results + get("t3.carry_forward.natural")


def test_copied_section_five_is_word_for_word_in_the_workbook(county):
    folder, manifest = county
    (copier, source, part), = manifest.copied_pairs()
    wb = manifest.workbooks[-1]
    assert wb.unit_name == copier and not wb.errors and part == "s5"
    e, = wb.merge_errors
    copy = read_workbook(folder / wb.file).narrative["s5"]
    assert copy == read_workbook(folder / e.other).narrative["s5"]
    assert openpyxl.load_workbook(folder / wb.file)[e.sheet][e.cell].value == copy
    assert source in e.detail and manifest.expected_merge_rules(wb.file) == {COPY_RULE}
    assert manifest.expected_rules(wb.file) == set()  # checked alone, the workbook is clean


def test_small_counties_get_no_copy(tmp_path):
    manifest = write_samples(tmp_path, len(ERROR_KINDS), seed=5, errors=True)
    assert manifest.copied_pairs() == []
    assert write_samples(tmp_path / "clean", 14, seed=5).copied_pairs() == []


def test_clean_workbooks_keep_total_formulas(county):
    folder, manifest = county
    clean = next(wb for wb in manifest.workbooks if not wb.errors)
    book = openpyxl.load_workbook(folder / clean.file)
    for cid in form.TOTAL_CELLS:
        pos = layout.cell_positions()[cid]
        assert str(book[pos.sheet][pos.coordinate].value).startswith("="), cid


def test_cli_sample(tmp_path):
    result = CliRunner().invoke(cli, ["sample", str(tmp_path / "out"), "--count", "3", "--seed", "2", "--errors"])
    assert result.exit_code == 0, result.output
    assert "已在" in result.output and "注入了错误" in result.output and "T3-BALANCE" in result.output
    assert len(list((tmp_path / "out").glob("*.xlsx"))) == 3
    bad = CliRunner().invoke(cli, ["sample", str(tmp_path / "x"), "--count", "0"])
    assert bad.exit_code == 2


def test_cli_sample_folder_merges_cleanly(tmp_path):
    """`gxexcel sample DIR && gxexcel merge DIR` : the manifest is written beside DIR,
    named after it, so the folder holds the reports only and the merge reads every file."""
    folder = tmp_path / "各乡镇报表"
    result = CliRunner().invoke(cli, ["sample", str(folder), "--count", "3", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in folder.iterdir()) == [".xlsx"] * 3
    csv_path, json_path = tmp_path / "各乡镇报表_清单.csv", tmp_path / "各乡镇报表_清单.json"
    assert Manifest.from_json(json_path.read_text(encoding="utf-8")).count == 3
    assert "文件" in csv_path.read_text(encoding="utf-8-sig")
    assert str(csv_path) in result.output.replace("\n", "")
    merged = CliRunner().invoke(cli, ["merge", str(folder), "-o", str(tmp_path / "汇总.xlsx")])
    assert merged.exit_code == 0, merged.output  # clean samples, every file read
    assert "无法读取：" not in merged.output


def test_manifest_rules_are_catalogued():
    from gxexcel.rules.catalog import RULES

    assert {k.rule for k in ERROR_KINDS} <= set(RULES)


def test_large_counties_get_unique_plausible_names():
    from gxexcel.sample import sample_units, self_reference

    units = sample_units(2000)
    names = [n for n, _ in units]
    assert len(set(names)) == 2000
    assert names[: len(SAMPLE_UNITS)] == [n for n, _ in SAMPLE_UNITS]
    assert not any(ch.isdigit() for n in names[:1000] for ch in n)
    assert all(self_reference(n) in ("我镇", "我乡", "本街道") for n in names)
    places = {place_name(n) for n in names}
    assert len(places) == 2000  # no township is named like another
