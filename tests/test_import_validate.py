"""``gxexcel validate`` checks published reports directly: import, then every rule (issue 4 §6)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from click.testing import CliRunner

from gxexcel import sample
from gxexcel.cli import cli
from gxexcel.publish import render

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def run_json(*paths) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(cli, ["validate", "--json", *map(str, paths)])
    start = result.output.index("[")
    return result.exit_code, json.loads(result.output[start:])


def test_validate_seed_text(seed_path):
    code, findings = run_json(seed_path)
    rules = [f["rule"] for f in findings]
    assert code == 1  # META-UNIT-NAME is an error
    # the importer's findings come first, then the rules run on the imported model
    assert rules[:4] == ["TPL-LABEL-EXACT"] * 3 + ["TPL-PRE2019"]
    unit = next(f for f in findings if f["rule"] == "META-UNIT-NAME")
    assert "金山镇" in unit["message"]
    assert "X-FEE-STMT" in rules and "X-TEXT-ZERO" in rules
    assert all(f["file"] == str(seed_path) for f in findings)


def test_validate_clean_published_html_and_pipe_text(tmp_path):
    report = sample.sample_report(random.Random(2), unit_name="石门镇人民政府")
    page = tmp_path / "石门镇.html"
    page.write_text(render(report, "html"), encoding="utf-8")
    text = tmp_path / "石门镇.txt"
    text.write_text(render(report, "pipe"), encoding="utf-8")
    code, findings = run_json(page, text)
    assert findings == [] and code == 0


def test_validate_2019_report(tmp_path):
    code, findings = run_json(FIXTURES / "format2019.html")
    assert code == 1
    assert {"TPL-2019-T2A", "TPL-2019-T3"} <= {f["rule"] for f in findings}


def test_time_limits_in_published_text_are_not_figures(seed_path, tmp_path):
    """“自收到申请之日起20个工作日内予以答复” is a time limit, not 20 applications (X-TEXT-T3)."""
    text = seed_path.read_text(encoding="utf-8").replace(
        "公布了办公时间、地址、受理程序等。",
        "公布了办公时间、地址、受理程序等，自收到申请之日起20个工作日内予以答复，办结时限为15个工作日。",
    )
    assert "20个工作日" in text
    path = tmp_path / "南定镇.txt"
    path.write_text(text, encoding="utf-8")
    _, findings = run_json(path)
    assert [f["message"] for f in findings if f["rule"].startswith("X-TEXT-T")] == []


def test_figures_written_1_050_or_in_chinese_numerals_are_compared(seed_path, tmp_path):
    """The seed's 表二 has 805 行政许可 decisions: “1,050件” and “八百零六件” in the text contradict it."""
    base = seed_path.read_text(encoding="utf-8")
    anchor = "真正做到积极主动、公开透明。"
    assert anchor in base
    for said, value in (("1,050", 1050), ("八百零六", 806), ("805", None), ("八百零五", None)):
        path = tmp_path / f"{value}.txt"
        path.write_text(base.replace(anchor, anchor + f"全年公开行政许可处理决定{said}件。"), encoding="utf-8")
        _, findings = run_json(path)
        t2 = [f["message"] for f in findings if f["rule"] == "X-TEXT-T2"]
        if value is None:
            assert t2 == []
        else:
            assert len(t2) == 1 and f"为{value}" in t2[0] and "805" in t2[0], t2
