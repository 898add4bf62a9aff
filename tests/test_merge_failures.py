"""``gxexcel merge`` loses nothing when things fail underneath it (issue 6).

A reading process that dies (a file that crashes the reader, the kernel's OOM killer, a
clerk's task manager) must not stop the county's consolidation: every other file is still
read and the one being read is listed as 无法读取 with a Chinese reason.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Callable

import openpyxl
import pytest

import gxexcel.consolidation.units as units_module
from gxexcel.consolidation import consolidate
from gxexcel.consolidation.submissions import SUBMITTED, UNREADABLE
from gxexcel.sample import write_samples

SRC = Path(__file__).resolve().parents[1] / "src"
CRASHING = "05_"  # the file whose reading kills the process reading it
COUNT = 30


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("inbox")
    write_samples(root / "各乡镇报表", COUNT, seed=5, county="云溪县", year=2022, manifest_dir=root)
    return root / "各乡镇报表"


def _crash_on(name: str):
    original = units_module._read

    def _read(item, data, sha256):
        if name in item.display:
            os._exit(9)  # the process dies on the spot: no exception, no result
        return original(item, data, sha256)

    return _read


def _status_rows(path: Path) -> list[dict]:
    rows = list(openpyxl.load_workbook(path, read_only=True)["报送情况"].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v is not None for v in r)]


@pytest.mark.parametrize("workers", [2, 3])
def test_a_reading_process_that_dies_costs_only_its_file(inbox, monkeypatch, workers):
    monkeypatch.setattr(units_module, "_read", _crash_on(CRASHING))  # forked workers inherit it
    result = consolidate([inbox], workers=workers)
    by_file = {Path(s.file).name: s for s in result.statuses if s.file}
    assert len(by_file) == COUNT
    crashed = [s for name, s in by_file.items() if name.startswith(CRASHING)]
    assert len(crashed) == 1 and crashed[0].status == UNREADABLE and not crashed[0].counted
    assert "读取进程意外终止" in crashed[0].note, crashed[0].note
    assert all(s.status == SUBMITTED for name, s in by_file.items() if not name.startswith(CRASHING))
    assert len(result.counted) == COUNT - 1


def test_the_cli_writes_the_consolidation_and_names_the_file_whose_reader_died(inbox, tmp_path):
    script = tmp_path / "crashing_merge.py"
    script.write_text(
        "import os, sys\n"
        "import gxexcel.consolidation.units as u\n"
        "original = u._read\n"
        "def _read(item, data, sha256):\n"
        f"    if {CRASHING!r} in item.display:\n"
        "        os._exit(9)\n"
        "    return original(item, data, sha256)\n"
        "u._read = _read\n"
        "from gxexcel.cli import cli\n"
        "cli(prog_name='gxexcel')\n",
        encoding="utf-8",
    )
    out = tmp_path / "全县汇总.xlsx"
    env = dict(os.environ, PYTHONPATH=str(SRC), NO_COLOR="1", COLUMNS="200")
    env.pop("GXEXCEL_DEBUG", None)
    proc = subprocess.run([sys.executable, str(script), "merge", str(inbox), "-o", str(out), "--workers", "2",
                           "--no-cache"], capture_output=True, encoding="utf-8", env=env, timeout=600)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 1, text  # a file could not be read: exit 1, as for any unreadable file
    assert "Traceback" not in text and "BrokenProcessPool" not in text and "内部错误" not in text, text
    assert "无法读取" in text and CRASHING in text and "读取进程意外终止" in text, text
    rows = _status_rows(out)
    assert len(rows) == COUNT
    assert [r["报送状态"] for r in rows].count(UNREADABLE) == 1
    assert [r["报送状态"] for r in rows].count(SUBMITTED) == COUNT - 1


INTERRUPT_WHILE_LOADING = """
import os, signal, sys

class Interrupt:
    # Ctrl+C pressed while the merge command is still being loaded (pandas, openpyxl: ~1 s on a slow PC)
    def find_spec(self, name, path=None, target=None):
        if name == "gxexcel.cli.merge":
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, Interrupt())
from gxexcel.cli import main
main()
"""


def test_ctrl_c_while_the_command_loads_exits_130_not_1(inbox, tmp_path):
    """Exit 1 means the consolidation was written and some unit has errors; a Ctrl+C pressed
    early said “已取消。” with exit 1, as if the merge had run."""
    out = tmp_path / "全县汇总.xlsx"
    env = dict(os.environ, PYTHONPATH=str(SRC), NO_COLOR="1", COLUMNS="200")
    proc = subprocess.run([sys.executable, "-c", INTERRUPT_WHILE_LOADING, "merge", str(inbox), "-o", str(out)],
                          capture_output=True, encoding="utf-8", env=env, timeout=600)
    assert proc.returncode == 130, proc.stderr
    assert "已中断" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert list(tmp_path.iterdir()) == []


def _no_room_beyond(limit: int):
    """A file size limit, as a full disk or quota gives: writes past it fail (EFBIG) instead of
    killing the process (SIGXFSZ ignored)."""
    import resource
    import signal

    def limit_writes():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_writes


def test_no_room_for_the_output_keeps_the_previous_one_and_says_so_in_chinese(inbox, tmp_path):
    outdir = tmp_path / "汇总结果"
    outdir.mkdir()
    out = outdir / "全县汇总.xlsx"
    consolidate(sorted(inbox.glob("*.xlsx"))[:3]).to_excel(out)  # last week's result
    previous = out.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(SRC), NO_COLOR="1", COLUMNS="200")
    env.pop("GXEXCEL_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "gxexcel", "merge", str(inbox), "-o", str(out), "--no-cache"],
                          capture_output=True, encoding="utf-8", env=env, timeout=600,
                          preexec_fn=_no_room_beyond(len(previous) // 2))
    assert proc.returncode == 2, proc.stderr
    assert "内部错误" not in proc.stderr and "Traceback" not in proc.stderr and "EFBIG" not in proc.stderr
    assert "全县汇总.xlsx" in proc.stderr and "无法写出" in proc.stderr and "原有的文件保持不变" in proc.stderr
    assert out.read_bytes() == previous
    assert [p.name for p in outdir.iterdir()] == [out.name]  # no temporary file left beside it


def test_a_cache_folder_that_cannot_be_written_is_no_cache_not_unreadable_files(inbox, tmp_path):
    """GXEXCEL_CACHE naming a file (or a full, read-only disk): every file of the county was
    listed as 无法读取 with “…是一个文件，不是文件夹，无法在其中写出文件”, nothing counted."""
    blocked = tmp_path / "cache"
    blocked.write_text("not a folder", encoding="utf-8")
    result = consolidate([inbox], cache=blocked, workers=1)
    assert [s.status for s in result.statuses if s.file] == [SUBMITTED] * COUNT, \
        {s.note for s in result.statuses if s.status != SUBMITTED}
    assert len(result.counted) == COUNT


def test_a_full_disk_under_the_cache_is_no_cache(inbox, tmp_path):
    code = ("import sys, gxexcel\n"
            "c = gxexcel.consolidate([sys.argv[1]], cache=sys.argv[2], workers=1)\n"
            "print(sorted({s.status + '：' + s.note for s in c.statuses}))\n")
    env = dict(os.environ, PYTHONPATH=str(SRC))
    proc = subprocess.run([sys.executable, "-c", code, str(inbox), str(tmp_path / "cache")],
                          capture_output=True, encoding="utf-8", env=env, timeout=600,
                          preexec_fn=_no_room_beyond(1024))  # no cache entry fits
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"['{SUBMITTED}：']", proc.stdout


def _flip_a_figure(text: str) -> str:
    """One digit of the cells changed, as a bad sector or a bit flip would: still valid JSON."""
    at = text.index('"cells": [')
    digit = next(i for i in range(at, len(text)) if text[i].isdigit())
    return text[:digit] + str((int(text[digit]) + 1) % 10) + text[digit + 1:]


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],  # truncated (disk full, power cut)
    lambda text: "\0" * len(text),  # zeroed blocks
    _flip_a_figure,
    lambda text: '{"a": 1}',
    lambda text: '[{"findings": [[1]]}]',
    lambda text: '[{"problem": 7}]',
], ids=["truncated", "zeroed", "figure-changed", "object", "short-finding", "problem-number"])
def test_a_damaged_cache_entry_is_read_again_not_believed(inbox, tmp_path, damage):
    fresh = consolidate([inbox], workers=1)
    cache = tmp_path / "cache"
    consolidate([inbox], cache=cache, workers=1)
    entries = sorted(cache.rglob("*.json"))
    assert len(entries) == COUNT
    for entry in entries:
        entry.write_text(damage(entry.read_text(encoding="utf-8")), encoding="utf-8")
    again = consolidate([inbox], cache=cache, workers=1)
    assert [(s.file, s.status, s.note) for s in again.statuses] == [(s.file, s.status, s.note) for s in fresh.statuses]
    assert again.summary.equals(fresh.summary) and again.findings.equals(fresh.findings)
    out, expected = tmp_path / "again.xlsx", tmp_path / "fresh.xlsx"
    again.to_excel(out)
    fresh.to_excel(expected)
    assert out.read_bytes() == expected.read_bytes()


def test_files_that_vanish_or_change_while_the_merge_runs_are_each_accounted_for(tmp_path):
    """Between finding the files and reading them, a clerk deletes one, replaces one by a folder,
    truncates one (a copy still running), and one is a named pipe: each is 无法读取 with a
    Chinese reason, the merge neither hangs nor stops."""
    inbox = tmp_path / "各乡镇报表"
    write_samples(inbox, 6, seed=7, county="云溪县", year=2022, manifest_dir=tmp_path)
    files = sorted(inbox.glob("*.xlsx"))
    pipe, zipped_pipe = inbox / "00_管道.xlsx", tmp_path / "补报.zip"
    os.mkfifo(pipe)
    os.mkfifo(zipped_pipe)

    def meanwhile(done, total, name):
        if done == 1:  # the first file is read; the others are found but not read yet
            files[2].unlink()
            files[3].unlink()
            files[3].mkdir()
            files[4].write_bytes(files[4].read_bytes()[:100])

        if done == 2:  # the next file is a member of this archive
            archive.unlink()
            archive.mkdir()

    archive = tmp_path / "补报材料.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(files[5], files[5].name)
    files[5].unlink()
    result = consolidate([inbox, pipe, zipped_pipe, archive], workers=1, progress=meanwhile)
    by_name = {Path(s.file).name: s for s in result.statuses if s.file}
    assert len(by_name) == 8
    assert by_name[files[5].name].status == UNREADABLE and "文件夹" in by_name[files[5].name].note
    assert "Is a directory" not in by_name[files[5].name].note
    expected = {pipe.name: "不是普通文件", zipped_pipe.name: "不是普通文件", files[2].name: "文件已被删除或移走",
                files[3].name: "文件夹", files[4].name: "损坏"}
    for name, reason in expected.items():
        assert by_name[name].status == UNREADABLE and reason in by_name[name].note, (name, by_name[name].note)
        assert not any("a" <= ch <= "z" for ch in by_name[name].note.lower()), by_name[name].note  # no English
    assert len(result.counted) == 2


@pytest.mark.parametrize("stem", ["长" * 100, "长" * 80], ids=["300-bytes", "240-bytes"])  # 240: no room for its temporary
def test_an_output_name_too_long_for_the_disk_is_said_in_chinese(inbox, tmp_path, stem):
    env = dict(os.environ, PYTHONPATH=str(SRC), NO_COLOR="1", COLUMNS="200")
    env.pop("GXEXCEL_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "gxexcel", "merge", str(inbox), "-o", str(tmp_path / f"{stem}.xlsx"),
                           "--no-cache"], capture_output=True, encoding="utf-8", env=env, timeout=600)
    assert proc.returncode == 2, proc.stderr
    assert "文件名太长" in proc.stderr and "内部错误" not in proc.stderr and "too long" not in proc.stderr, proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("code, words", [(errno.EROFS, "只读"), (errno.ENAMETOOLONG, "文件名太长"),
                                          (errno.ENOENT, "不存在"), (errno.EIO, "读写磁盘时出错")],
                         ids=["EROFS", "ENAMETOOLONG", "ENOENT", "EIO"])
def test_why_an_output_cannot_be_written_is_said_in_chinese(tmp_path, code, words):
    """A write-protected USB stick (EROFS), a folder removed while writing (ENOENT), a stick
    pulled out (EIO): the message was “无法写出（Read-only file system）”."""
    from gxexcel.atomic import _output_error

    message = str(_output_error(tmp_path / "汇总.xlsx", OSError(code, os.strerror(code))))
    assert words in message and "汇总.xlsx" in message, message
    assert os.strerror(code) not in message, message


CTRL_C_WHILE_READING = """
import os, signal, sys
import gxexcel.consolidation.units as u
original = u._read
def _read(item, data, sha256):
    if "10_" in item.display:  # Ctrl+C in the console while this file is read
        os.killpg(os.getpgid(0), signal.SIGINT) if sys.argv[1] == "group" else os.kill(os.getppid(), signal.SIGINT)
    return original(item, data, sha256)
u._read = _read
from gxexcel.cli import main
sys.argv[1:2] = []
main()
"""


@pytest.mark.parametrize("whom", ["group", "merge"])
def test_ctrl_c_while_reading_keeps_the_previous_result(inbox, tmp_path, whom):
    """Ctrl+C reaches the merge and its reading processes (group) or only the merge: exit 130 with
    “已中断”, the previous consolidation untouched, nothing left beside it, no process left behind."""
    outdir = tmp_path / "汇总结果"
    outdir.mkdir()
    out = outdir / "全县汇总.xlsx"
    consolidate(sorted(inbox.glob("*.xlsx"))[:3]).to_excel(out)
    previous = out.read_bytes()
    env = dict(os.environ, PYTHONPATH=str(SRC), NO_COLOR="1", COLUMNS="200")
    env.pop("GXEXCEL_DEBUG", None)
    proc = subprocess.run([sys.executable, "-c", CTRL_C_WHILE_READING, whom, "merge", str(inbox), "-o", str(out),
                           "--workers", "2", "--no-cache"], capture_output=True, encoding="utf-8", env=env,
                          timeout=600, start_new_session=True)
    assert proc.returncode == 130, proc.stdout + proc.stderr
    assert "已中断" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert out.read_bytes() == previous
    assert [p.name for p in outdir.iterdir()] == [out.name]
    left = [pid for pid in os.listdir("/proc") if pid.isdigit() and _cmdline(pid).count(str(out))]
    assert left == [], left


def _cmdline(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return ""


def _deep(root: Path, levels: int, data: bytes, file_name: str) -> None:
    """Folders nested deeper than a path may reach (4096 bytes on Linux), made relative to each other."""
    name = "很深的文件夹" * 10  # 180 bytes
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open(file_name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, data)
        os.close(out)
    finally:
        os.close(fd)


def test_folders_too_deep_to_open_are_listed_not_a_stopped_merge(inbox, tmp_path):
    """A folder nested too deep (the path over the system's limit) stopped the whole merge with
    “内部错误：OSError: [Errno 36] File name too long”; now it is 无法读取, the rest is read."""
    folder = tmp_path / "各乡镇报表"
    files = sorted(inbox.glob("*.xlsx"))[:3]
    folder.mkdir()
    for f in files[:2]:
        (folder / f.name).write_bytes(f.read_bytes())
    _deep(folder, 40, files[2].read_bytes(), "深层.xlsx")
    result = consolidate([folder], workers=1)
    rows = [(s.status, s.note) for s in result.statuses if s.file]
    assert [status for status, _ in rows].count(SUBMITTED) == 2
    unreadable = [note for status, note in rows if status == UNREADABLE]
    assert len(unreadable) == 1 and "路径太长" in unreadable[0], rows


def test_a_folder_the_clerk_may_not_open_is_listed_not_left_out(inbox, tmp_path):
    """A sub-folder without permission was silently left out: its townships were simply missing."""
    from corpus import run_cli

    folder = tmp_path / "各乡镇报表"
    closed = folder / "补报（无权限）"
    closed.mkdir(parents=True)
    files = sorted(inbox.glob("*.xlsx"))[:3]
    for f in files[:2]:
        (folder / f.name).write_bytes(f.read_bytes())
    (closed / files[2].name).write_bytes(files[2].read_bytes())
    closed.chmod(0)
    try:
        proc = run_cli("merge", str(folder), "-o", str(tmp_path / "汇总.xlsx"), "--no-cache", honour_permissions=True)
    finally:
        closed.chmod(0o755)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "无法读取" in proc.stdout and "补报（无权限）" in proc.stdout and "没有权限打开该文件夹" in proc.stdout, proc.stdout
    rows = _status_rows(tmp_path / "汇总.xlsx")
    assert [r["报送状态"] for r in rows].count(SUBMITTED) == 2 and len(rows) == 3


def test_the_same_inputs_give_the_same_bytes_whatever_the_order_workers_and_cache(inbox, tmp_path):
    files = sorted(inbox.glob("*.xlsx"))
    runs = {
        "folder, one process": dict(paths=[inbox], workers=1),
        "files reversed, two processes": dict(paths=files[::-1], workers=2),
        "cache filled": dict(paths=[inbox], workers=2, cache=tmp_path / "cache"),
        "cache used, files shuffled": dict(paths=files[1::2] + files[::2], workers=1, cache=tmp_path / "cache"),
    }
    written = {}
    for name, kwargs in runs.items():
        paths = kwargs.pop("paths")
        written[name] = consolidate([str(p) for p in paths], **kwargs).to_excel(tmp_path / f"{len(written)}.xlsx")
    first = written["folder, one process"].read_bytes()
    assert {name: path.read_bytes() == first for name, path in written.items()} == dict.fromkeys(written, True)


def test_a_dead_reader_gives_the_same_bytes_whatever_the_order_and_workers(inbox, tmp_path, monkeypatch):
    monkeypatch.setattr(units_module, "_read", _crash_on(CRASHING))
    files = sorted(inbox.glob("*.xlsx"))
    a = consolidate([str(p) for p in files], workers=2).to_excel(tmp_path / "a.xlsx")
    b = consolidate([str(p) for p in files[::-1]], workers=3).to_excel(tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()


def test_a_link_to_nothing_or_a_link_loop_is_listed_not_left_out(inbox, tmp_path):
    """A shortcut (symbolic link) named like a report whose file was moved away, or a link to
    itself, was silently left out of a folder (given directly: “输入的文件或文件夹不存在”);
    each is now 无法读取 with the reason in Chinese, the others read."""
    folder = tmp_path / "各乡镇报表"
    folder.mkdir()
    files = sorted(inbox.glob("*.xlsx"))[:2]
    for f in files:
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "03_移走了.xlsx").symlink_to(tmp_path / "已移走" / "03_移走了.xlsx")
    (folder / "04_循环.zip").symlink_to("04_循环.zip")
    (folder / "说明").symlink_to(tmp_path / "不存在的文件夹")  # no report's name: not a submission
    alone = tmp_path / "05_单独给出.docx"
    alone.symlink_to(tmp_path / "不存在.docx")
    result = consolidate([folder, alone], workers=1)
    by_name = {Path(s.file).name: s for s in result.statuses if s.file}
    assert sorted(by_name) == sorted([f.name for f in files] + ["03_移走了.xlsx", "04_循环.zip", alone.name])
    for name, reason in {"03_移走了.xlsx": "链接指向的文件不存在", "04_循环.zip": "链接循环",
                         alone.name: "链接指向的文件不存在"}.items():
        assert by_name[name].status == UNREADABLE and reason in by_name[name].note, (name, by_name[name].note)
        assert not any("a" <= ch <= "z" for ch in by_name[name].note.lower()), by_name[name].note
    assert len(result.counted) == 2


def _merge_until(args: list[str], ready: Callable[[], bool], sig: int, group: bool,
                 **extra_env: str) -> tuple[subprocess.Popen, bool, str]:
    """Run ``gxexcel merge`` and send ``sig`` (to it, or to its process group as a shutdown does)
    once ``ready()``; on a loaded machine the poll may miss the moment: the merge is run again."""
    import time

    env = dict(os.environ, PYTHONPATH=str(SRC), NO_COLOR="1", COLUMNS="200", **extra_env)
    env.pop("GXEXCEL_DEBUG", None)
    for _attempt in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "gxexcel", "merge", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, start_new_session=True)
        sent = False
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            if ready():
                os.killpg(proc.pid, sig) if group else proc.send_signal(sig)
                sent = True
                break
            time.sleep(0.002)
        stdout, stderr = proc.communicate(timeout=120)
        if sent:
            return proc, sent, (stdout + stderr).decode("utf-8", "replace")
    return proc, False, ""


@pytest.mark.parametrize("group", [False, True], ids=["kill", "shutdown"])
def test_sigterm_while_writing_keeps_the_previous_result_and_leaves_no_temporary_file(inbox, tmp_path, group):
    """``kill``, a scheduler stopping the job or the PC shutting down (SIGTERM) left a hidden
    ``.~全县汇总-xxxx.xlsx`` beside the output; now it is handled as Ctrl+C: the temporary
    file removed, the previous result untouched, a Chinese message, exit 143."""
    import signal

    outdir = tmp_path / "汇总结果"
    outdir.mkdir()
    out = outdir / "全县汇总.xlsx"
    consolidate(sorted(inbox.glob("*.xlsx"))[:3]).to_excel(out)
    previous = out.read_bytes()
    writing = lambda: any(p.name.startswith(".~") for p in outdir.iterdir())  # noqa: E731
    for _attempt in range(3):
        proc, sent, text = _merge_until([str(inbox), "-o", str(out), "--workers", "1", "--no-cache"],
                                        writing, signal.SIGTERM, group)
        assert sent, "the merge finished three times before the signal could be sent"
        if proc.returncode != 143 and out.read_bytes() != previous:  # it finished just as the signal came
            out.write_bytes(previous)
            continue
        break
    assert proc.returncode == 143, text
    assert "已终止" in text and "Traceback" not in text, text
    assert out.read_bytes() == previous
    assert [p.name for p in outdir.iterdir()] == [out.name]


def test_sigterm_to_the_whole_group_while_reading_leaves_no_process_behind(inbox, tmp_path):
    import signal

    out = tmp_path / "全县汇总.xlsx"
    cache = tmp_path / "cache"  # filled as files are read: the signal comes while the pool is reading
    reading = lambda: cache.exists() and len(list(cache.rglob("*.json"))) >= 3  # noqa: E731
    proc, sent, text = _merge_until([str(inbox), "-o", str(out), "--workers", "2"], reading, signal.SIGTERM, True,
                                    GXEXCEL_CACHE=str(cache))
    assert sent and proc.returncode == 143, text
    assert "已终止" in text and "Traceback" not in text, text
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".~")]
    left = [pid for pid in os.listdir("/proc") if pid.isdigit() and _cmdline(pid).count(str(out))]
    assert left == [], left



@pytest.mark.skipif(sys.platform != "linux", reason="small merges are read in a forked process on Linux only")
@pytest.mark.parametrize("count", [1, 2, 20])
def test_a_small_merge_whose_reader_dies_loses_only_that_file(inbox, tmp_path, count):
    """Fewer than 24 files and no --workers were read in the merge's own process: a reader that
    crashed (a native library's segfault or abort) killed the whole merge, nothing written."""
    script = tmp_path / "crashing_merge.py"
    script.write_text(
        "import os\n"
        "import gxexcel.consolidation.units as u\n"
        "original = u._read\n"
        "def _read(item, data, sha256):\n"
        f"    if {CRASHING!r} in item.display:\n"
        "        os.abort()  # as a native library's crash\n"
        "    return original(item, data, sha256)\n"
        "u._read = _read\n"
        "from gxexcel.cli import main\n"
        "main()\n",
        encoding="utf-8",
    )
    files = sorted(inbox.glob("*.xlsx"))
    chosen = [f for f in files if f.name.startswith(CRASHING)] + [f for f in files if not f.name.startswith(CRASHING)][:count - 1]
    out = tmp_path / "全县汇总.xlsx"
    env = dict(os.environ, PYTHONPATH=str(SRC), NO_COLOR="1", COLUMNS="200")
    env.pop("GXEXCEL_DEBUG", None)
    proc = subprocess.run([sys.executable, str(script), "merge", *map(str, chosen), "-o", str(out), "--no-cache"],
                          capture_output=True, encoding="utf-8", env=env, timeout=600)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 1, (proc.returncode, text)
    assert "Traceback" not in text and "读取进程意外终止" in text and CRASHING in text, text
    states = [r["报送状态"] for r in _status_rows(out)]
    assert len(states) == count and states.count(UNREADABLE) == 1 and states.count(SUBMITTED) == count - 1


@pytest.mark.skipif(sys.platform != "linux", reason="small merges are read in a forked process on Linux only")
def test_a_small_merge_reads_in_its_own_process_when_no_process_can_be_started(inbox, monkeypatch):
    """A process limit or no memory to fork (EAGAIN, ENOMEM): the merge reads the files itself."""
    import multiprocessing.context

    def cannot_fork(process):
        raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN))

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "_Popen", staticmethod(cannot_fork))
    result = consolidate(sorted(inbox.glob("*.xlsx"))[:5])
    assert [s.status for s in result.statuses if s.file] == [SUBMITTED] * 5
