"""A clerk's Windows console: the GBK (cp936) code page, or an ASCII locale.

On Chinese Windows a console or a redirected output often uses GBK; Python then encodes
stdout as GBK and, by default, fails on the first character outside it (a rare character in
a unit name, a file name with ✓ or •). Every command must still finish with its usual exit
code, show its Chinese text, and show such characters readably instead of crashing.
The commands run in a fresh process with ``PYTHONIOENCODING=gbk`` and ``LC_ALL=C``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from gxexcel.layout import cover_positions
from gxexcel.sample import write_samples

RARE = "𬌗㵘"  # outside GBK: a non-BMP (Ext. F) and an Ext. A character, as in some place names
UNIT = f"{RARE}镇人民政府"


def run(args, cwd, encoding="gbk"):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONUTF8", "LANG", "LC_ALL", "LC_CTYPE", "PYTHONIOENCODING")}
    env.update(LC_ALL="C", LANG="C")
    if encoding == "ascii":  # a plain ASCII locale, without Python's UTF-8 mode
        env.update(PYTHONUTF8="0", PYTHONCOERCECLOCALE="0")
    else:
        env.update(PYTHONIOENCODING=encoding)
    out = subprocess.run([sys.executable, "-m", "gxexcel", *args], cwd=cwd, env=env, capture_output=True, timeout=600)
    stdout, stderr = out.stdout.decode("gbk"), out.stderr.decode("gbk")  # every byte is GBK (ASCII is GBK too)
    assert "Traceback" not in stderr and "内部错误" not in stderr, stderr
    assert "UnicodeEncodeError" not in stdout + stderr
    return out.returncode, stdout, stderr


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    root = tmp_path_factory.mktemp("gbk")
    write_samples(root / "in", 3, seed=5)
    for name in ("manifest.json", "manifest.csv"):
        (root / "in" / name).unlink(missing_ok=True)
    first = sorted((root / "in").glob("*.xlsx"))[0]
    wb = openpyxl.load_workbook(first)
    pos = cover_positions()["unit_name"]
    wb[pos.sheet].cell(pos.row, pos.col).value = UNIT
    odd = root / "in" / "04_㵘镇✓.xlsx"  # a file name outside GBK too
    wb.save(odd)
    shutil.copy(odd, root / "odd.xlsx")
    return root


@pytest.mark.parametrize("encoding", ["gbk", "gbk:strict"])
def test_validate_shows_a_unit_name_outside_gbk_readably(county, encoding):
    code, out, _ = run(["validate", "odd.xlsx"], county, encoding)
    assert code in (0, 1)
    assert "镇人民政府" in out and "个错误" in out
    assert "\\U0002c317" in out and "\\u3d58" in out  # the characters named, not dropped


@pytest.mark.parametrize("args", [["validate", "odd.xlsx"], ["spec"], ["template", "-o", "t.xlsx"]], ids=" ".join)
def test_an_ascii_locale_gets_escapes_not_an_internal_error(county, args, tmp_path):
    shutil.copy(county / "odd.xlsx", tmp_path)
    code, out, _ = run(args, tmp_path, "ascii")
    assert code in (0, 1)
    assert out.isascii() and "\\u" in out


def test_validate_folder_with_a_file_name_outside_gbk(county):
    code, out, _ = run(["validate", "in"], county)
    assert code in (0, 1)
    assert out.count("未发现问题") + out.count("个错误") == 4
    assert "\\u3d58镇\\u2713.xlsx" in out


def test_json_stays_exact_json_on_a_gbk_console(county):
    code, out, _ = run(["validate", "--json", "in"], county)
    assert code in (0, 1)
    findings = json.loads(out)
    assert any(f["file"].endswith("04_㵘镇✓.xlsx") for f in findings)  # exact, as JSON \\u escapes
    code, out, _ = run(["spec", "--json"], county)
    assert code == 0 and json.loads(out)["tables"]


def test_merge_on_a_gbk_console(county, tmp_path):
    shutil.copytree(county / "in", tmp_path / "in")
    (tmp_path / "in" / "05_坏文件✗.xlsx").write_text("不是工作簿", encoding="utf-8")  # listed as 无法读取
    code, out, _ = run(["merge", "in", "-o", "汇总.xlsx", "--workers", "1", "--no-cache"], tmp_path)
    assert code == 1
    assert "报送情况" in out and "计入汇总 4 个单位" in out
    assert "05_坏文件\\u2717.xlsx" in out
    code, out, _ = run(["merge", "in", "-o", "汇总2.xlsx", "--workers", "1", "--json"], tmp_path)
    assert code == 1
    assert json.loads(out)["statuses"]["已报送"] == 4


def test_narrate_and_report_on_a_gbk_console(county, tmp_path):
    code, out, err = run(["narrate", "odd.xlsx", "-o", str(tmp_path / "n.xlsx")], county)
    assert code in (0, 1), err
    assert "正文" in out + err
    code, out, err = run(["report", "odd.xlsx", "-o", str(tmp_path / "r.txt")], county)
    assert code in (0, 1), err
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").count(RARE) >= 1


@pytest.mark.skipif(sys.platform == "win32", reason="file names are Unicode on Windows")
@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_gbk_byte_file_names_are_shown_readably_by_import_and_narrate(county, tmp_path, encoding):
    """A file copied from a Windows USB stick keeps its GBK-byte name; import and narrate
    name it readably (as validate and merge do), not as raw bytes or \\udcxx escapes."""
    seed = Path(__file__).resolve().parents[1] / "src" / "gxexcel" / "data" / "seed_nanding_2021.txt"
    report = os.path.join(os.fsencode(tmp_path), "南定镇".encode("gbk") + b".txt")
    shutil.copy(seed, report)
    workbook = os.path.join(os.fsencode(tmp_path), "石门镇".encode("gbk") + b".xlsx")
    shutil.copy(county / "odd.xlsx", workbook)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING",)}
    env["PYTHONIOENCODING"] = encoding
    for args in (["import", os.fsdecode(report)], ["narrate", "--force", os.fsdecode(workbook)]):
        out = subprocess.run([sys.executable, "-m", "gxexcel", *args], env=env, capture_output=True, timeout=600)
        assert out.returncode in (0, 1), out.stderr.decode(encoding)
        text = out.stdout.decode(encoding)  # strict: no raw GBK bytes inside UTF-8 output
        assert ("南定镇.txt" if args[0] == "import" else "石门镇.xlsx") in text
        assert "\\udc" not in text


def test_chinese_file_names_in_an_ascii_locale_get_a_message_not_an_internal_error(tmp_path):
    """Linux under LANG=C without Python's UTF-8 mode cannot even make a Chinese file name:
    the command says so and what to set, with exit code 2."""
    code, stdout, stderr = run(["sample", "样例", "-n", "2"], tmp_path, encoding="ascii")
    assert code == 2, stdout + stderr
    assert "PYTHONUTF8=1" in stderr and "LANG=zh_CN.UTF-8" in stderr
    text = stderr.encode("ascii", "replace").decode("unicode_escape")  # the console wrote \uXXXX escapes
    assert "不支持中文文件名" in text
