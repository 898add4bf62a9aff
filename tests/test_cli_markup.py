"""Text from reports, file names and error messages reach the terminal as they are.

The CLI prints with rich, whose markup reads ``[...]`` as styles: a report quoting
``[/]`` crashed ``gxexcel validate`` with a traceback, and ``pip install "gxexcel[addin]"``
lost its ``[addin]``. Everything that comes from data is escaped.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gxexcel.errors import GxError
from gxexcel.sample import sample_report
from gxexcel.writer import write_workbook

SEED = Path(__file__).resolve().parents[1] / "src" / "gxexcel" / "data" / "seed_nanding_2021.txt"
ODD = "[/][bold]附件[red]"  # in text
NAME = "[bold]附件[red]"  # in file names (no slash)


def gxexcel(*args, cwd: Path) -> subprocess.CompletedProcess:
    env_cmd = [sys.executable, "-m", "gxexcel", *map(str, args)]
    return subprocess.run(env_cmd, capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def odd_files(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("markup")
    text = SEED.read_text(encoding="utf-8").replace("截止目前，金山镇", f"截止目前{ODD}，金山镇", 1)
    (d / f"年报{NAME}.txt").write_text(text, encoding="utf-8")
    report = sample_report(random.Random(5), unit_name="石门镇人民政府")
    report.narrative["s5"] = f"信息发布不及时{ODD}。"
    write_workbook(report, d / f"石门镇{NAME}.xlsx")
    (d / f"坏{NAME}文件.xlsx").write_text("不是工作簿", encoding="utf-8")
    return d


def test_validate_shows_quotes_and_names_with_brackets(odd_files):
    out = gxexcel("validate", f"年报{NAME}.txt", cwd=odd_files)
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert f"年报{NAME}.txt" in out.stdout
    assert ODD[:4] in out.stdout.replace("\n", "").replace("│", "").replace(" ", "")  # the quote, folded in the table


def test_import_and_validate_of_a_workbook_with_brackets(odd_files, tmp_path):
    shutil.copy(odd_files / f"年报{NAME}.txt", tmp_path / "x.txt")
    imported = gxexcel("import", "x.txt", "-o", f"输出{NAME}.xlsx", cwd=tmp_path)
    assert imported.returncode in (0, 1) and "Traceback" not in imported.stderr, imported.stderr
    assert f"输出{NAME}.xlsx" in imported.stdout
    book = gxexcel("validate", f"石门镇{NAME}.xlsx", cwd=odd_files)
    assert "Traceback" not in book.stderr and f"石门镇{NAME}.xlsx" in book.stdout, book.stderr


def test_unusable_file_with_brackets_gets_the_chinese_message(odd_files):
    out = gxexcel("validate", f"坏{NAME}文件.xlsx", cwd=odd_files)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and f"坏{NAME}文件.xlsx" in out.stderr and "无法处理" in out.stderr


def test_error_messages_keep_their_brackets(capsys):
    from gxexcel.cli.common import guarded

    @guarded
    def needs_extra():
        raise GxError('制作加载项需要 pyopenvba：请运行 pip install "gxexcel[addin]"。')

    with pytest.raises(SystemExit) as exc:
        needs_extra()
    assert exc.value.code == 2
    assert 'pip install "gxexcel[addin]"' in capsys.readouterr().err
