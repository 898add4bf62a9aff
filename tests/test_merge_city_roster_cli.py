"""``gxexcel merge`` of a city with a roster whose lines leave out the county: the county
office sees on screen (and in ``--json``) which roster lines match same-named units of
several counties, not only in 报送情况's notes."""

from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

import gxexcel.consolidation as gc
from gxexcel.cli import cli
from gxexcel.sample import write_samples

ROSTER = "单位名称\n城关镇\n云溪县石门镇\n石桥县石门镇\n云溪镇人民政府\n桃源镇\n龙泉镇\n"
CHENGGUAN = ("名册第 2 行“城关镇”未写所属县（市、区），与云溪县、石桥县的2个同名单位都相符，这些单位各自列出、均按名册单位处理；"
             "如名册只指其中一个，请写明所属县（如“云溪县城关镇”），各县的同名单位分行列出")
YUNXI = ("名册第 5 行“云溪镇人民政府”未写所属县（市、区），与云溪县、石桥县的2个同名单位都相符，这些单位各自列出、均按名册单位处理；"
         "如名册只指其中一个，请写明所属县（如“云溪县云溪镇人民政府”），各县的同名单位分行列出")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """云溪县 (5 townships) and 石桥县 (3) both have 城关镇, 石门镇 and 云溪镇人民政府."""
    tmp = tmp_path_factory.mktemp("city_roster_cli")
    folder = tmp / "市"
    folder.mkdir()
    for county, count, seed in (("云溪县", 5, 1), ("石桥县", 3, 2)):
        write_samples(tmp / county, count, seed=seed, county=county)
        for name in ("manifest.json", "manifest.csv"):
            (tmp / county / name).unlink()
        gc.consolidate([tmp / county]).to_excel(folder / f"{county}汇总.xlsx")
    roster = tmp / "市名册.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    return tmp, folder, roster


def _merge(tmp, *args):
    runner = CliRunner(env={"GXEXCEL_CACHE": str(tmp / "cache")})
    return runner.invoke(cli, ["merge", *map(str, args)])


def test_roster_lines_without_county_are_named_on_screen(city):
    tmp, folder, roster = city
    out = tmp / "屏幕" / "市汇总.xlsx"
    result = _merge(tmp, folder, "-o", out, "--roster", roster)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    told = [line for line in lines if "未写所属县" in line]
    assert told == [f"名册同名单位：{CHENGGUAN}（见“报送情况”）。", f"名册同名单位：{YUNXI}（见“报送情况”）。"], lines
    # the same words as 报送情况's notes
    ws = openpyxl.load_workbook(out)["报送情况"]
    note = [c.value for c in ws[1]].index("说明")
    notes = [row[note] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert notes[0].endswith(CHENGGUAN) and notes[4].endswith(YUNXI)


def test_roster_lines_without_county_are_a_json_field(city):
    tmp, folder, roster = city
    result = _merge(tmp, folder, "-o", tmp / "json" / "市汇总.xlsx", "--roster", roster, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["roster_lines_without_county"] == [
        {"row": 2, "name": "城关镇", "counties": ["云溪县", "石桥县"], "units": 2, "message": CHENGGUAN},
        {"row": 5, "name": "云溪镇人民政府", "counties": ["云溪县", "石桥县"], "units": 2, "message": YUNXI},
    ]


def test_a_roster_naming_every_county_or_no_roster_says_nothing(city):
    tmp, folder, _ = city
    roster = tmp / "写明所属县的名册.csv"
    roster.write_text(ROSTER.replace("\n城关镇\n", "\n云溪县城关镇\n石桥县城关镇\n")
                      .replace("\n云溪镇人民政府\n", "\n云溪县云溪镇\n石桥县云溪镇\n"), encoding="utf-8")
    for args in (["--roster", roster], []):
        result = _merge(tmp, folder, "-o", tmp / "无" / "市汇总.xlsx", *args)
        assert result.exit_code == 0, result.output
        assert "未写所属县" not in result.output and "名册同名单位" not in result.output
        data = json.loads(_merge(tmp, folder, "-o", tmp / "无" / "市汇总.xlsx", *args, "--json").output)
        assert data["roster_lines_without_county"] == []
        assert data["statuses"]["名册外"] == 0 and data["statuses"]["未报送"] == 0
