"""Townships send .7z and .rar archives (issue 6): ``gxexcel merge`` reads a .7z as it reads a
.zip (in memory, nested either way, the same safety limits, every member a row of 报送情况),
and for a RAR archive says what to do. Archives are told by their content, not their name.

Every archive here is real: written by py7zr or zipfile around workbooks written by gxexcel.
No RAR writer is available (``rar`` is not free software and is not installed), so the RAR
tests use files that begin with the RAR signature bytes: that is all gxexcel looks at before
it gives its advice (it never opens a RAR archive).
"""

from __future__ import annotations

import importlib
import io
import os
import zipfile
from pathlib import Path

import openpyxl
import py7zr
import pytest
from corpus import run_cli, write_good

from gxexcel.consolidation import consolidate
from gxexcel.reader import read_workbook

#: The two RAR signatures (RAR 1.5–4.x and RAR 5), with some header bytes after them.
RAR4 = b"Rar!\x1a\x07\x00" + bytes.fromhex("cf907300000d00000000000000")
RAR5 = b"Rar!\x1a\x07\x01\x00" + bytes.fromhex("33921be70a01050600050101808000")


def status_rows(path: Path) -> dict[str, dict]:
    ws = openpyxl.load_workbook(path, read_only=True)["报送情况"]
    rows = list(ws.iter_rows(values_only=True))
    return {r[rows[0].index("来源文件")]: dict(zip(rows[0], r)) for r in rows[1:] if any(v is not None for v in r)}


def seven_zip(path: Path, members: dict[str, bytes | Path], **kwargs) -> Path:
    with py7zr.SevenZipFile(path, "w", **kwargs) as z:
        for name, content in members.items():
            if isinstance(content, Path):
                z.write(content, name)
            else:
                z.writestr(content, name)
    return path


def zip_of(path: Path, members: dict[str, bytes | Path]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content.read_bytes() if isinstance(content, Path) else content)
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("books")
    names = {"石门镇": 1, "白沙镇": 2, "南定镇": 3, "清水乡": 4, "𬌗㵘镇": 5}
    return {name: write_good(folder / f"{name}.xlsx", f"{name}人民政府", seed) for name, seed in names.items()}


def test_a_7z_of_workbooks_is_merged_member_by_member(books, tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    seven_zip(inbox / "补报.7z", {"乡镇/白沙镇.xlsx": books["白沙镇"], "乡镇/南定镇.xlsx": books["南定镇"],
                                 "说明.docx": b"not a document"})
    write_good(inbox / "石门镇.xlsx", "石门镇人民政府", 1)
    out = tmp_path / "汇总.xlsx"
    proc = run_cli("merge", str(inbox), "-o", str(out))
    assert "Traceback" not in proc.stderr, proc.stderr
    rows = status_rows(out)
    archive = inbox / "补报.7z"
    for name in ("白沙镇", "南定镇"):
        row = rows[f"{archive}!/乡镇/{name}.xlsx"]
        assert (row["单位名称"], row["报送状态"], row["计入汇总"]) == (f"{name}人民政府", "已报送", "是"), row
    # every member is accounted for: the document that is no report is listed as unreadable
    assert rows[f"{archive}!/说明.docx"]["报送状态"] == "无法读取"
    assert str(archive) not in rows  # the archive itself is no submission
    result = consolidate([inbox], workers=1)
    expected = [read_workbook(books[n]) for n in ("石门镇", "白沙镇", "南定镇")]
    for cid in ("t2.license.decisions", "t3.total.total", "t4.review.total"):
        assert result.total.number(cid) == sum(r.number(cid) for r in expected), cid


def test_the_process_pool_reads_7z_members_as_one_process_does(books, tmp_path):
    members = {f"乡镇/{i:02d}{n}.xlsx": p for i in range(6) for n, p in books.items()}
    seven_zip(tmp_path / "全县.7z", members)
    one = consolidate([tmp_path / "全县.7z"], workers=1)
    pool = consolidate([tmp_path / "全县.7z"], workers=2)
    assert [(u.file, u.sha256, u.problem) for u in one.units] == [(u.file, u.sha256, u.problem) for u in pool.units]
    assert len(one.units) == 30 and all(u.readable for u in one.units)


def test_archives_nested_either_way(books, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    inner_zip = zip_of(tmp_path / "里层.zip", {"白沙镇.xlsx": books["白沙镇"]})
    seven_zip(inbox / "外层.7z", {"里层.zip": inner_zip, "清水乡.xlsx": books["清水乡"]})
    inner_7z = seven_zip(tmp_path / "里层.7z", {"南定镇.xlsx": books["南定镇"]})
    zip_of(inbox / "外层.zip", {"补报/里层.7z": inner_7z})
    result = consolidate([inbox], workers=1)
    shown = {u.file: u for u in result.units}
    assert sorted(shown) == sorted([
        f"{inbox / '外层.7z'}!/里层.zip!/白沙镇.xlsx",
        f"{inbox / '外层.7z'}!/清水乡.xlsx",
        f"{inbox / '外层.zip'}!/补报/里层.7z!/南定镇.xlsx",
    ])
    assert all(u.readable for u in shown.values()), [u.problem for u in shown.values()]
    assert sorted(u.unit_name for u in result.counted) == ["南定镇人民政府", "清水乡人民政府", "白沙镇人民政府"]


def test_a_7z_with_a_password_is_unreadable_with_a_reason_naming_the_member(books, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    seven_zip(inbox / "加密.7z", {"白沙镇.xlsx": books["白沙镇"]}, password="123456")
    seven_zip(inbox / "加密文件名.7z", {"南定镇.xlsx": books["南定镇"]}, password="123456", header_encryption=True)
    out = tmp_path / "汇总.xlsx"
    proc = run_cli("merge", str(inbox), "-o", str(out))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    rows = status_rows(out)
    members = rows[str(inbox / "加密.7z")]
    assert members["报送状态"] == "无法读取" and "白沙镇.xlsx" in members["说明"] and "密码" in members["说明"], members
    names = rows[str(inbox / "加密文件名.7z")]
    assert names["报送状态"] == "无法读取" and "密码" in names["说明"], names
    assert f"无法读取：{inbox / '加密.7z'}" in proc.stdout


def test_7z_bombs_are_refused_before_any_member_is_read(books, tmp_path):
    """A 7z member that inflates to 150 MB (beyond 100 MB a member), one of 40 MB compressed
    more than 1000:1, and the first nested in a zip."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    big = seven_zip(inbox / "补报.7z", {"白沙镇.xlsx": b"\0" * (150 * 1024 * 1024)})
    seven_zip(inbox / "高压缩比.7z", {"南定镇.xlsx": b"\0" * (40 * 1024 * 1024)})
    zip_of(inbox / "套娃.zip", {"里层.7z": big})
    result = consolidate([inbox], workers=1)
    shown = {u.file: u for u in result.units}
    assert "压缩炸弹" in shown[str(inbox / "补报.7z")].problem and "白沙镇.xlsx" in shown[str(inbox / "补报.7z")].problem
    assert "压缩比" in shown[str(inbox / "高压缩比.7z")].problem
    assert "压缩炸弹" in shown[f"{inbox / '套娃.zip'}!/里层.7z"].problem


def test_a_7z_member_named_to_climb_out_is_refused_and_nothing_is_written(books, tmp_path, monkeypatch):
    """py7zr's public writers refuse ``../x.xlsx``; its unchecked writer puts the name in the
    archive, as an attacker's tool would."""
    inbox = tmp_path / "a" / "b" / "in"
    inbox.mkdir(parents=True)
    with py7zr.SevenZipFile(inbox / "穿越.7z", "w") as z:
        z._writef(io.BytesIO(books["白沙镇"].read_bytes()), "../x.xlsx")
    with py7zr.SevenZipFile(inbox / "穿越.7z") as z:
        assert z.getnames() == ["../x.xlsx"]  # the hostile name is really in the archive
    monkeypatch.chdir(inbox)
    out = tmp_path / "汇总.xlsx"
    proc = run_cli("merge", str(inbox), "-o", str(out), cwd=inbox)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    row = status_rows(out)[str(inbox / "穿越.7z")]
    assert row["报送状态"] == "无法读取" and "../x.xlsx" in row["说明"], row
    assert not (inbox.parent / "x.xlsx").exists() and not (tmp_path / "x.xlsx").exists()


def test_7z_member_names_outside_gbk_are_shown_as_written(books, tmp_path):
    seven_zip(tmp_path / "补报.7z", {"乡镇/𬌗㵘镇.xlsx": books["𬌗㵘镇"]})
    result = consolidate([tmp_path / "补报.7z"], workers=1)
    assert [(u.file, u.unit_name) for u in result.units] == [(f"{tmp_path / '补报.7z'}!/乡镇/𬌗㵘镇.xlsx", "𬌗㵘镇人民政府")]


def test_a_rar_archive_gets_advice_on_screen_and_in_the_submissions_sheet(books, tmp_path):
    """RAR files here are the RAR signature bytes and a few header bytes (see the module's docstring)."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "白沙镇.rar").write_bytes(RAR5)
    (inbox / "南定镇.RAR").write_bytes(RAR4)
    (inbox / "改名.zip").write_bytes(RAR5)  # a RAR renamed .zip
    zip_of(inbox / "改名.rar", {"清水乡.xlsx": books["清水乡"]})  # a zip renamed .rar is read as a zip
    seven_zip(inbox / "补报.7z", {"里层.rar": RAR4})
    write_good(inbox / "石门镇.xlsx")
    out = tmp_path / "汇总.xlsx"
    proc = run_cli("merge", str(inbox), "-o", str(out))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    rows = status_rows(out)
    for name in ("白沙镇.rar", "南定镇.RAR", "改名.zip", "补报.7z!/里层.rar"):
        row = rows[f"{inbox}/{name}"]
        assert row["报送状态"] == "无法读取", row
        assert "RAR 压缩包" in row["说明"] and "解压" in row["说明"] and ".zip" in row["说明"], row
        assert f"无法读取：{inbox}/{name}：{row['说明']}" in proc.stdout
    zipped = rows[f"{inbox / '改名.rar'}!/清水乡.xlsx"]
    assert (zipped["报送状态"], zipped["计入汇总"]) == ("已报送", "是"), zipped


def test_merge_help_names_the_archives_it_reads():
    help_text = " ".join(run_cli("merge", "--help").stdout.split())
    assert "zip、7z 压缩包" in help_text and "RAR" in help_text, help_text


@pytest.mark.parametrize("command", ["validate", "import"])
def test_validate_and_import_say_what_merge_says_of_an_archive(books, tmp_path, command):
    (tmp_path / "白沙镇.rar").write_bytes(RAR5)
    (tmp_path / "白沙镇.xlsx").write_bytes(RAR5)  # a RAR saved under a workbook's name
    seven_zip(tmp_path / "补报.7z", {"南定镇.xlsx": books["南定镇"]})
    zip_of(tmp_path / "补报.zip", {"南定镇.xlsx": books["南定镇"]})
    merged = {u.file: u.problem for u in consolidate([tmp_path / "白沙镇.rar", tmp_path / "白沙镇.xlsx"], workers=1).units}
    rar_advice = merged[str(tmp_path / "白沙镇.rar")]
    assert merged[str(tmp_path / "白沙镇.xlsx")] == rar_advice
    for name in ("白沙镇.rar", "白沙镇.xlsx"):
        args = [command, str(tmp_path / name)] + (["-o", str(tmp_path / "out.xlsx")] if command == "import" else [])
        if command == "import" and name.endswith(".xlsx"):
            continue  # import is for published reports: a .xlsx is not given to it
        proc = run_cli(*args)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert rar_advice in " ".join((proc.stdout + proc.stderr).split()), proc.stdout + proc.stderr
    for name in ("补报.7z", "补报.zip"):
        args = [command, str(tmp_path / name)] + (["-o", str(tmp_path / "out.xlsx")] if command == "import" else [])
        proc = run_cli(*args)
        output = " ".join((proc.stdout + proc.stderr).split())
        assert proc.returncode == 2 and "Traceback" not in output, output
        assert "压缩包" in output and "解压" in output and "gxexcel merge" in output, output


@pytest.mark.parametrize("kind", ["7z", "zip"])
def test_a_member_damaged_inside_its_archive_is_unreadable_and_the_others_are_merged(books, tmp_path, kind):
    """The archive's directory is sound, but the bytes of one member were damaged in transit
    (its CRC no longer matches): that member is 无法读取, the merge goes on. (In a 7z the
    members before the damaged one are read; py7zr checks every member it passes on the way
    to another, so those after it in the same block are 无法读取 too.)"""
    inbox = tmp_path / "in"
    inbox.mkdir()
    good, bad = books["南定镇"].read_bytes(), books["白沙镇"].read_bytes()
    archive = inbox / f"补报.{kind}"
    if kind == "7z":
        with py7zr.SevenZipFile(archive, "w", filters=[{"id": py7zr.FILTER_COPY}]) as z:
            z.writestr(good, "南定镇.xlsx")
            z.writestr(bad, "白沙镇.xlsx")
    else:
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
            z.writestr("南定镇.xlsx", good)
            z.writestr("白沙镇.xlsx", bad)
    data = bytearray(archive.read_bytes())
    at = data.rfind(bad[2000:2040])  # in 白沙镇.xlsx, written last
    assert at > 0
    data[at] ^= 0xFF  # one byte of 白沙镇.xlsx, stored as is
    archive.write_bytes(bytes(data))
    result = consolidate([inbox], workers=1)
    shown = {u.file: u for u in result.units}
    damaged = shown[f"{archive}!/白沙镇.xlsx"]
    assert not damaged.readable and "损坏" in damaged.problem, damaged.problem
    assert shown[f"{archive}!/南定镇.xlsx"].readable
    assert [u.unit_name for u in result.counted] == ["南定镇人民政府"]


@pytest.mark.parametrize("kind", ["7z", "zip"])
def test_an_archive_replaced_while_the_merge_runs_makes_its_members_unreadable(books, tmp_path, kind):
    """Between finding the members and reading them, the archive was replaced by another
    file (a township's new upload over the old one): the members are 无法读取, nothing raises."""
    from gxexcel.consolidation import collect
    from gxexcel.consolidation.units import read_input

    archive = tmp_path / f"补报.{kind}"
    (seven_zip if kind == "7z" else zip_of)(archive, {"白沙镇.xlsx": books["白沙镇"]})
    [item] = collect([archive])
    archive.write_bytes(b"<html>upload failed</html>")
    [unit] = read_input(item)
    assert not unit.readable and "白沙镇.xlsx" in unit.problem, unit.problem


def test_the_volumes_of_a_split_archive_get_advice(books, tmp_path):
    """7-Zip's 分卷 (split) volumes are the archive's bytes cut in pieces named .001, .002, …;
    they are made here the same way. Each volume is listed with what to do."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    whole = seven_zip(tmp_path / "补报.7z", {"白沙镇.xlsx": books["白沙镇"], "南定镇.xlsx": books["南定镇"]}).read_bytes()
    third = len(whole) // 3 + 1
    names = []
    for n in range(3):
        names.append(f"补报.7z.{n + 1:03d}")
        (inbox / names[-1]).write_bytes(whole[n * third:(n + 1) * third])
    names.append("补报.zip.001")
    (inbox / names[-1]).write_bytes(zip_of(tmp_path / "补报.zip", {"白沙镇.xlsx": books["白沙镇"]}).read_bytes()[:3000])
    out = tmp_path / "汇总.xlsx"
    proc = run_cli("merge", str(inbox), "-o", str(out))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    rows = status_rows(out)
    assert sorted(rows) == sorted(str(inbox / n) for n in names)
    for name in names:
        note = rows[str(inbox / name)]["说明"]
        assert "分卷压缩包" in note and "解压" in note and "全部分卷" in note, note
    proc = run_cli("validate", str(inbox / names[0]))
    assert proc.returncode == 2 and rows[str(inbox / names[0])]["说明"] in " ".join(proc.stdout.split() + proc.stderr.split())


def test_validate_of_a_folder_holding_only_archives_says_merge_reads_them(books, tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    seven_zip(inbox / "补报.7z", {"白沙镇.xlsx": books["白沙镇"]})
    zip_of(inbox / "补报.zip", {"南定镇.xlsx": books["南定镇"]})
    proc = run_cli("validate", str(inbox))
    output = " ".join((proc.stdout + proc.stderr).split())
    assert proc.returncode == 2, output
    assert "没有可校验的文件" in output and "2 个压缩包" in output and "gxexcel merge" in output, output


def test_a_7z_saved_under_a_workbook_name_is_told_as_a_7z(books, tmp_path):
    seven_zip(tmp_path / "白沙镇.xlsx", {"白沙镇.xlsx": books["白沙镇"]})
    [unit] = consolidate([tmp_path / "白沙镇.xlsx"], workers=1).units
    assert "这是 7z 压缩包，不是 Excel 工作簿" in unit.problem, unit.problem
    proc = run_cli("validate", str(tmp_path / "白沙镇.xlsx"))
    assert proc.returncode == 2 and unit.problem in " ".join(proc.stdout.split() + proc.stderr.split()), proc.stderr


def test_no_archive_stays_open_after_a_merge(books, tmp_path):
    """The add-in's Python process lives on after 汇总: the archives read stay in memory only
    while their members are read (up to 500 MB a file), not after the merge."""
    collecting = importlib.import_module("gxexcel.consolidation.collect")  # the package's collect is the function

    zip_of(tmp_path / "补报.zip", {"白沙镇.xlsx": books["白沙镇"], "南定镇.xlsx": books["南定镇"]})
    seven_zip(tmp_path / "补报.7z", {"清水乡.xlsx": books["清水乡"]})
    result = consolidate([tmp_path], workers=1, cache=tmp_path / "cache")
    assert len(result.counted) == 3
    assert not collecting._OPEN
