"""A county's inbox with every kind of bad submission: the merge accounts for each file (issue 8).

The inbox mixes the whole generated corpus with 20 good township workbooks.
``gxexcel merge`` must consolidate the good ones, list every file in 报送情况
with its status and reason, never modify a source, never write a path taken
from an archive, and never leave a half-written output when interrupted.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from corpus import build_corpus, run_cli, sha256_tree, write_good

from gxexcel import form
from gxexcel.consolidation import consolidate
from gxexcel.reader import read_workbook
from gxexcel.safety import display_path
from gxexcel.sample import write_samples

STATUS_SHEET = "报送情况"
#: Not submissions: a folder named like one, and Excel's ~$ owner file (skipped). A device named like a
#: report (设备.xlsx, a link to /dev/zero) is listed as 无法读取 without being opened.
NOT_SUBMISSIONS = {"directory", "excel_lock"}
SPECIAL_FILES = {"device"}


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("county")
    inbox = root / "收件箱"
    items = build_corpus(inbox / "问题文件")
    manifest = write_samples(inbox / "各乡镇", 20, seed=8, manifest_dir=root)
    yield root, inbox, items, manifest
    os.chmod(inbox / "问题文件" / next(i for i in items if i.key == "no_permission").file, 0o644)


def status_rows(path: Path) -> list[dict]:
    ws = openpyxl.load_workbook(path, read_only=True)[STATUS_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, r)) for r in rows[1:] if any(v is not None for v in r)]


def test_merge_accounts_for_every_file_and_consolidates_the_good_ones(inbox):
    root, folder, items, manifest = inbox
    out = root / "汇总.xlsx"
    before = sha256_tree(folder)
    proc = run_cli("merge", str(folder), "-o", str(out), "--exclude-errors", honour_permissions=True)
    assert sha256_tree(folder) == before  # no source touched
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output and "内部错误" not in output, output[-3000:]
    assert proc.returncode == 1, output[-2000:]  # some files could not be read
    assert not (root / "x").exists() and not (root.parent / "x").exists()  # ../../x never written

    rows = status_rows(out)
    by_file = {r["来源文件"]: r for r in rows}
    bad = folder / "问题文件"
    for item in items:
        if item.key in NOT_SUBMISSIONS:
            continue
        row = by_file.get(display_path(bad / item.file))
        assert row is not None, f"{item.key} missing from {STATUS_SHEET}"
        if item.outcome == "refused":
            assert row["报送状态"] == "无法读取", (item.key, row)
            assert row["计入汇总"] == "否"
            assert item.reason in row["说明"], (item.key, row["说明"])
            if item.sheet:
                assert item.sheet in row["说明"], (item.key, row["说明"])
        else:
            assert row["单位名称"] == item.unit, (item.key, row)
            has_errors = item.outcome == "flagged" and item.exit_code != 0
            assert row["计入汇总"] == ("否" if has_errors else "是"), (item.key, row)
            assert (row["错误数"] or 0) > 0 if has_errors else (row["错误数"] or 0) == 0, (item.key, row)
    for wb in manifest.workbooks:
        row = by_file[display_path(folder / "各乡镇" / wb.file)]
        assert row["报送状态"] == "已报送" and row["计入汇总"] == "是", row
    # every row is a file we made (nothing invented), and every file appears once
    made = {display_path(p) for p in folder.rglob("*") if p.is_file() and not p.is_symlink()}
    made |= {display_path(bad / item.file) for item in items if item.key in SPECIAL_FILES}
    assert {r["来源文件"] for r in rows if r["来源文件"]} <= made


def test_consolidation_is_the_sum_of_the_good_reports(inbox):
    root, folder, items, manifest = inbox
    result = consolidate([folder], include_errors=False, workers=1)
    counted = [read_workbook(folder / "各乡镇" / wb.file) for wb in manifest.workbooks]
    for item in items:
        if item.outcome == "read" or item.key in ("macros", "no_permission"):  # readable, without errors
            matches = [p for p in (folder / "问题文件").iterdir() if p.name == item.file]
            counted.append(read_workbook(matches[0]))
    assert sorted(u.unit_name for u in result.counted) == sorted(r.unit_name for r in counted)
    for cid in form.CELLS:
        expected = sum(r.number(cid) for r in counted)
        assert result.total.number(cid) == pytest.approx(expected), cid


def test_two_files_for_the_same_unit(tmp_path):
    older = write_good(tmp_path / "in" / "石门镇（初稿）.xlsx", "石门镇人民政府", seed=1)
    newer = write_good(tmp_path / "in" / "石门镇（修改稿）.xlsx", "石门镇人民政府", seed=2)
    os.utime(older, (time.time() - 3600, time.time() - 3600))
    out = tmp_path / "汇总.xlsx"
    proc = run_cli("merge", str(tmp_path / "in"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = {r["来源文件"]: r for r in status_rows(out)}
    # both files are listed as 重复报送; the newer one is counted, the note names the one that counts
    assert rows[str(newer)]["报送状态"] == "重复报送" and rows[str(newer)]["计入汇总"] == "是"
    assert rows[str(older)]["报送状态"] == "重复报送" and rows[str(older)]["计入汇总"] == "否"
    assert str(newer) in rows[str(older)]["说明"]
    total = consolidate([tmp_path / "in"], workers=1).total
    assert total.number("t2.license.decisions") == read_workbook(newer).number("t2.license.decisions")


def test_empty_input_folder(tmp_path):
    (tmp_path / "空文件夹").mkdir()
    proc = run_cli("merge", str(tmp_path / "空文件夹"), "-o", str(tmp_path / "汇总.xlsx"))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "空文件夹" in proc.stderr and "没有" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "汇总.xlsx").exists()


def test_archive_member_paths_are_never_written(tmp_path):
    """A zip of submissions whose members try to climb out of any folder they could be unpacked to."""
    good = write_good(tmp_path / "good.xlsx")
    inbox = tmp_path / "in"
    inbox.mkdir()
    with zipfile.ZipFile(inbox / "报表.zip", "w") as z:
        z.write(good, "../../逃逸.xlsx")
        z.write(good, "/tmp/绝对路径.xlsx")
        z.writestr("../../x", "owned")
    before = {p for p in Path("/tmp").iterdir()}
    proc = run_cli("merge", str(inbox), "-o", str(tmp_path / "out" / "汇总.xlsx"), cwd=tmp_path / "in")
    assert "Traceback" not in proc.stderr
    assert not (tmp_path.parent / "逃逸.xlsx").exists() and not (tmp_path / "x").exists()
    assert not Path("/tmp/绝对路径.xlsx").exists()
    assert {p for p in Path("/tmp").iterdir() if p.name.startswith(("逃逸", "x"))} <= before


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_merge_leaves_no_half_written_output(tmp_path, sig):
    """The signal is sent the moment the output's temporary file appears, i.e. while the
    consolidated workbook is being written."""
    inbox = tmp_path / "in"
    write_samples(inbox, 20, seed=4, manifest_dir=tmp_path)
    outdir = tmp_path / "out"
    outdir.mkdir()
    out = outdir / "汇总.xlsx"
    consolidate(sorted(inbox.glob("*.xlsx"))[:3]).to_excel(out)  # the office's earlier result must survive
    previous = out.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    for _attempt in range(3):  # on a loaded machine the poll can miss the write: run the merge again
        proc = subprocess.Popen(
            [sys.executable, "-m", "gxexcel", "merge", str(inbox), "-o", str(out), "--workers", "1", "--no-cache"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )
        sent = False
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            if [p for p in outdir.iterdir() if p.name.startswith(".~")]:
                proc.send_signal(sig)
                sent = True
                break
            time.sleep(0.002)
        stdout, stderr = proc.communicate(timeout=120)
        if sent:
            break
        assert out.read_bytes() != previous or proc.returncode not in (0, 1), stderr
        out.write_bytes(previous)  # the merge finished first: set the scene again
    assert sent, "the merge finished three times before the signal could be sent"
    if proc.returncode in (0, 1):
        # Python may swallow a SIGINT that lands inside a finaliser; the merge then completes,
        # and the output must be the whole new consolidation
        assert sig == signal.SIGINT and read_back_ok(out)
        assert [p.name for p in outdir.iterdir()] == [out.name]
        return
    assert out.read_bytes() == previous  # never half-written, never lost
    if sig == signal.SIGINT:
        text = stderr.decode("utf-8", "replace")
        assert proc.returncode == 130 and "已中断" in text and "Traceback" not in text, text
        assert [p.name for p in outdir.iterdir()] == [out.name]  # the temporary file was removed
    else:  # killed outright: only a hidden temporary file may remain, which no later merge takes as input
        assert all(p == out or p.name.startswith(".~") for p in outdir.iterdir())


def read_back_ok(path: Path) -> bool:
    return STATUS_SHEET in openpyxl.load_workbook(path, read_only=True).sheetnames


def test_sources_never_modified_by_any_command(tmp_path, seed_path):
    src = tmp_path / "报送"
    src.mkdir()
    write_samples(src, 3, seed=1, errors=True, manifest_dir=tmp_path)
    shutil.copy(seed_path, src / "南定镇.txt")
    before = sha256_tree(src)
    out = tmp_path / "out"
    workbook = next(src.glob("*.xlsx"))
    for args in (
        ["validate", "--", *map(str, sorted(src.iterdir()))],
        ["validate", "--write-back", "--", str(workbook)],
        ["import", str(src / "南定镇.txt"), "-o", str(out / "南定镇.xlsx")],
        ["report", str(workbook), "-o", str(out / "报告.docx")],
        ["narrate", str(workbook), "-o", str(out / "正文.xlsx")],
        ["merge", str(src), "-o", str(out / "汇总.xlsx")],
    ):
        proc = run_cli(*args)
        assert "Traceback" not in proc.stderr, (args, proc.stderr)
        now = {k: v for k, v in sha256_tree(src).items() if k in before}
        assert now == before, args  # same bytes, mode and modification time


def test_archive_bombs_are_refused_before_any_member_is_read(tmp_path):
    """A county zip whose member inflates to 300 MB, and one nested inside another zip."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_good(inbox / "石门镇.xlsx")
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(inbox / "补报.zip", "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("白沙镇.xlsx", "w", force_zip64=True) as f:
            for _ in range(300):
                f.write(chunk)
    inner = tmp_path / "inner.zip"
    shutil.copy(inbox / "补报.zip", inner)
    with zipfile.ZipFile(inbox / "套娃.zip", "w", zipfile.ZIP_STORED) as z:
        z.write(inner, "里层.zip")
    out = tmp_path / "汇总.xlsx"
    proc = run_cli("merge", str(inbox), "-o", str(out))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    rows = {r["来源文件"]: r for r in status_rows(out)}
    assert rows[str(inbox / "石门镇.xlsx")]["计入汇总"] == "是"
    for name in ("补报.zip", "套娃.zip!/里层.zip"):
        row = next(r for f, r in rows.items() if f.endswith(name))
        assert row["报送状态"] == "无法读取" and "压缩炸弹" in row["说明"], row


def test_folder_names_that_look_like_console_markup(tmp_path):
    """A folder named ``x[`` holding ``y].xlsx`` makes the path contain ``[/y]``."""
    folder = tmp_path / "in" / "x["
    folder.mkdir(parents=True)
    (folder / "y].xlsx").write_bytes(b"")
    write_good(folder / "石门镇[final].xlsx")
    proc = run_cli("merge", str(tmp_path / "in"), "-o", str(tmp_path / "汇总.xlsx"))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "内部错误" not in proc.stdout + proc.stderr
    assert str(folder / "y].xlsx") in proc.stdout
    rows = {r["来源文件"]: r for r in status_rows(tmp_path / "汇总.xlsx")}
    assert rows[str(folder / "石门镇[final].xlsx")]["计入汇总"] == "是"
