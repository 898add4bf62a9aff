"""``gxexcel merge`` on the command line, and the roster reader."""

from __future__ import annotations

import json
import subprocess
import zipfile
import sys

import openpyxl
import pytest
from click.testing import CliRunner

from gxexcel.cli import cli
from gxexcel.consolidation.roster import read_roster
from gxexcel.errors import GxError
from gxexcel.sample import write_samples


@pytest.fixture(scope="module")
def clean_county(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    manifest = write_samples(root / "in", 4, seed=8)
    for name in ("manifest.json", "manifest.csv"):
        (root / "in" / name).unlink()
    return root, manifest


def test_merge_json_summary_and_exit_codes(clean_county):
    root, manifest = clean_county
    out = root / "out" / "汇总.xlsx"
    runner = CliRunner(env={"GXEXCEL_CACHE": str(root / "cache")})
    result = runner.invoke(cli, ["merge", str(root / "in"), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["output"] == str(out) and out.is_file()
    assert data["units_counted"] == 4 and data["statuses"]["已报送"] == 4 and data["statuses"]["无法读取"] == 0
    assert data["summary_check"] == "全部通过"
    assert openpyxl.load_workbook(out).sheetnames == ["汇总", "明细", "校验情况", "报送情况", "相似文本", "图表"]
    # a broken file makes the exit code 1 and is named in the output; the output file itself is never an input
    (root / "in" / "坏文件.xlsx").write_bytes(b"PK\x03\x04 broken")
    try:
        again = runner.invoke(cli, ["merge", str(root / "in"), str(out.parent), "-o", str(out)])
    finally:
        (root / "in" / "坏文件.xlsx").unlink()
    assert again.exit_code == 1, again.output
    assert "无法读取" in again.output and "坏文件.xlsx" in again.output
    assert "计入汇总 4 个单位" in again.output
    assert "汇总表校验：全部通过。" in again.output  # not “汇总表勾稽关系：有2处勾稽关系不符”


def test_merge_bad_input_gives_chinese_message_without_traceback(clean_county, tmp_path):
    root, _ = clean_county
    proc = subprocess.run(
        [sys.executable, "-m", "gxexcel", "merge", str(root / "没有这个文件夹"), "-o", str(tmp_path / "x.xlsx")],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2
    assert "输入的文件或文件夹不存在" in proc.stderr and "没有这个文件夹" in proc.stderr
    assert "Traceback" not in proc.stderr
    bad = tmp_path / "名册.csv"
    bad.write_text("单位名称,单位类型\n城关镇人民政府,镇政府\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "gxexcel", "merge", str(root / "in"), "-o", str(tmp_path / "x.xlsx"), "--roster", str(bad)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 2
    assert "单位类型“镇政府”不是规定的类型之一" in proc.stderr and "第 2 行" in proc.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_roster_from_xlsx_with_title_row_and_gbk_csv(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["云溪县应报单位名册"])
    ws.append(["单位代码", "单位名称", "单位类型"])
    ws.append([101, "城关镇人民政府", "乡镇人民政府"])
    ws.append([None, None, None])
    ws.append([102, " 东城街道办事处 ", "街道办事处"])
    wb.save(tmp_path / "名册.xlsx")
    units = read_roster(tmp_path / "名册.xlsx")
    assert [(u.name, u.unit_type, u.code) for u in units] == [
        ("城关镇人民政府", "乡镇人民政府", "101"), ("东城街道办事处", "街道办事处", "102")]
    (tmp_path / "gbk.csv").write_bytes("单位名称,单位类型\n石门镇人民政府,乡镇人民政府\n".encode("gbk"))
    assert [u.name for u in read_roster(tmp_path / "gbk.csv")] == ["石门镇人民政府"]
    (tmp_path / "twice.csv").write_text("单位名称\n石门镇人民政府\n石门镇 人民政府\n", encoding="utf-8")
    with pytest.raises(GxError, match="在名册中出现两次"):
        read_roster(tmp_path / "twice.csv")


def test_text_from_units_never_becomes_a_formula(clean_county, tmp_path):
    import gxexcel.consolidation as gc
    from gxexcel.consolidation import columns as C
    from gxexcel.reader import read_workbook
    from gxexcel.writer import write_workbook

    root, _ = clean_county
    report = read_workbook(sorted((root / "in").glob("*.xlsx"))[0])
    report.unit_name = "=1+1镇人民政府"
    report.narrative["s5"] = '=HYPERLINK("http://example.invalid","点此")' + "存在的问题" * 20
    write_workbook(report, tmp_path / "in" / "x.xlsx")
    out = gc.consolidate(tmp_path / "in").to_excel(tmp_path / "汇总.xlsx")
    wb = openpyxl.load_workbook(out)
    detail = wb[C.SHEET_DETAIL]
    keys = [c.value for c in detail[1]]
    name, s5 = detail.cell(3, keys.index("unit_name") + 1), detail.cell(3, keys.index("s5") + 1)
    assert (name.value, name.data_type) == ("=1+1镇人民政府", "s")
    assert s5.value.startswith("=HYPERLINK(") and s5.data_type == "s"
    assert all(c.data_type != "f" for row in wb[C.SHEET_SUBMISSIONS].iter_rows() for c in row)


def test_cache_gives_the_same_result_and_is_used(clean_county, tmp_path):
    import json

    import gxexcel.consolidation as gc

    root, manifest = clean_county
    folder = tmp_path / "cache"
    first = gc.consolidate(root / "in", cache=folder)
    entries = sorted(folder.rglob("*.json"))
    assert len(entries) == len(manifest.workbooks)
    second = gc.consolidate(root / "in", cache=folder)
    assert second.detail.equals(first.detail) and second.findings.equals(first.findings)
    assert second.detail.equals(gc.consolidate(root / "in").detail)
    # the second run really took the cached entry: an edited entry (with its checksum) shows through
    import hashlib

    digest, _, text = entries[0].read_text(encoding="utf-8").partition("\n")
    assert digest == hashlib.sha256(text.encode("utf-8")).hexdigest()
    data = json.loads(text)
    data[0]["unit_name"] = "缓存中的单位"
    text = json.dumps(data, ensure_ascii=False)
    entries[0].write_text(hashlib.sha256(text.encode("utf-8")).hexdigest() + "\n" + text, encoding="utf-8")
    assert "缓存中的单位" in set(gc.consolidate(root / "in", cache=folder).detail["unit_name"])


def test_collect_counts_each_file_once_and_reports_broken_archives(clean_county, tmp_path, monkeypatch):
    import shutil

    import gxexcel.consolidation as gc
    from gxexcel.consolidation.collect import collect

    root, manifest = clean_county
    work = tmp_path / "w"
    shutil.copytree(root / "in", work)
    (work / "~$01_城关镇.xlsx").write_bytes(b"lock")  # Excel's lock file: not an input
    (work / "坏.zip").write_bytes(b"PK\x05\x06" + b"\0" * 10)
    monkeypatch.chdir(tmp_path)
    first = collect(["w", "./w/" + manifest.workbooks[0].file])
    second = collect(["./w/" + manifest.workbooks[0].file, "w"])
    assert first == second
    assert [i.display for i in first] == sorted(["w/坏.zip"] + [f"w/{wb.file}" for wb in manifest.workbooks])
    result = gc.consolidate(["w"])
    broken = [s for s in result.statuses if s.status == "无法读取"]
    assert [s.file for s in broken] == ["w/坏.zip"] and broken[0].note.startswith("压缩包无法打开：文件已损坏")
    assert len(result.counted) == len(manifest.workbooks)


def test_roster_sum_row_is_not_a_unit(tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,单位类型\n甲镇人民政府,乡镇人民政府\n乙镇人民政府,乡镇人民政府\n合 计,\n", encoding="utf-8")
    assert [u.name for u in read_roster(roster)] == ["甲镇人民政府", "乙镇人民政府"]


def test_roster_saved_as_unicode_text_utf16(tmp_path):
    """Excel's and WPS's "Unicode 文本" is UTF-16 with a byte-order mark and tabs; a UTF-16
    CSV with commas is read too."""
    text = "单位名称\t单位类型\r\n石门镇人民政府\t乡镇人民政府\r\n城关街道办事处\t街道办事处\r\n"
    (tmp_path / "unicode.csv").write_bytes(text.encode("utf-16"))  # BOM + little-endian
    assert [(u.name, u.unit_type) for u in read_roster(tmp_path / "unicode.csv")] == [
        ("石门镇人民政府", "乡镇人民政府"), ("城关街道办事处", "街道办事处")]
    (tmp_path / "be.csv").write_bytes(b"\xfe\xff" + "单位名称,单位类型\n石门镇人民政府,乡镇人民政府\n".encode("utf-16-be"))
    assert [u.name for u in read_roster(tmp_path / "be.csv")] == ["石门镇人民政府"]
    (tmp_path / "broken.csv").write_bytes(b"\xff\xfe" + "单位名称".encode("utf-16-le") + b"\x00")
    with pytest.raises(GxError, match="编码无法识别"):
        read_roster(tmp_path / "broken.csv")


def test_roster_sum_row_with_its_label_in_another_column_is_not_a_unit(tmp_path):
    # 序号 | 单位名称 | 单位类型, ending with “合计 | 2 |”: the count under 单位名称 is not a unit
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["云溪县应报单位名册"])
    ws.append(["序号", "单位名称", "单位类型"])
    ws.append([1, "城关镇人民政府", "乡镇人民政府"])
    ws.append([2, "东城街道办事处", "街道办事处"])
    ws.append(["合 计", 2, None])
    wb.save(tmp_path / "名册.xlsx")
    assert [u.name for u in read_roster(tmp_path / "名册.xlsx")] == ["城关镇人民政府", "东城街道办事处"]
    (tmp_path / "名册.csv").write_text("序号,单位名称\n1,城关镇人民政府\n总计,1个单位\n", encoding="utf-8")
    assert [u.name for u in read_roster(tmp_path / "名册.csv")] == ["城关镇人民政府"]


class _RawNameInfo(zipfile.ZipInfo):
    """A zip member whose name is stored as the given bytes, without the UTF-8 flag
    (what Windows' built-in zip (GBK), macOS Finder and Info-ZIP (UTF-8) write)."""

    def __init__(self, raw: bytes):
        super().__init__(raw.decode("cp437"))
        self.raw = raw

    def _encodeFilenameFlags(self):
        return self.raw, self.flag_bits


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_zip_member_names_without_the_utf8_flag_are_shown_readably(clean_county, tmp_path, encoding):
    import gxexcel.consolidation as gc

    root, _ = clean_county
    source = sorted((root / "in").glob("*.xlsx"))[0]
    with zipfile.ZipFile(tmp_path / "补报.zip", "w") as zf:
        zf.writestr(_RawNameInfo("乡镇/南定镇报表.xlsx".encode(encoding)), source.read_bytes())
    with zipfile.ZipFile(tmp_path / "补报.zip") as zf:
        assert zf.infolist()[0].flag_bits & 0x800 == 0
    c = gc.consolidate([tmp_path / "补报.zip"], cache=False)
    assert list(c.submissions["来源文件"]) == [f"{tmp_path / '补报.zip'}!/乡镇/南定镇报表.xlsx"]
    assert list(c.submissions["报送状态"]) == ["已报送"]


@pytest.mark.parametrize("command", [["merge", "{folder}"], ["template"]])
def test_workbook_output_must_be_named_xlsx(clean_county, tmp_path, command):
    # an .xlsx written under the name 汇总.csv would open as garbage: refuse before any work
    root, _ = clean_county
    args = [a.format(folder=root / "in") for a in command]
    result = CliRunner().invoke(cli, [*args, "-o", str(tmp_path / "汇总.csv")])
    assert result.exit_code == 2, result.output
    assert ".xlsx" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "汇总.csv").exists()
