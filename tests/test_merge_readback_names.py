"""A county's consolidation is read back whatever its file is named: a GBK file name (copied
from a Windows USB stick or unpacked from a Chinese zip) or saved under .xls by mistake.

Both were listed as 无法读取 “这不是 gxexcel 年报填报模板（没有“封面”工作表）” in a city's merge
and their townships were lost: the read-back opened the file by its name (python-calamine's
from_path chooses the format by the extension and cannot open a non-UTF-8 name), while the
township workbooks are opened by content. --previous failed the same way. (readback._open, 4e2db53,
opens by content; these tests pin the GBK name and --previous too.)
"""

from __future__ import annotations

import shutil

import pytest
from corpus import gbk_name

import gxexcel.consolidation as gc
from gxexcel.safety import display_path
from gxexcel.sample import write_samples

COUNT = 3


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    root = tmp_path_factory.mktemp("names")
    manifest = write_samples(root / "各乡镇报表", COUNT, seed=6, manifest_dir=root)
    out = gc.consolidate(root / "各乡镇报表").to_excel(root / "云溪县汇总.xlsx")
    return root, out, sorted(wb.unit_name for wb in manifest.workbooks)


@pytest.mark.parametrize("name", [gbk_name("云溪县汇总.xlsx"), "云溪县汇总.xls"])
def test_a_county_consolidation_is_read_back_whatever_its_name(county, tmp_path, name):
    root, out, units = county
    city = tmp_path / "市"
    city.mkdir()
    copy = shutil.copy(out, city / name)
    c = gc.consolidate(city)
    assert [s.status for s in c.statuses] == ["已报送"] * COUNT, [s.note for s in c.statuses]
    assert sorted(u.unit_name for u in c.units) == units
    assert {u.via for u in c.units} == {display_path(copy)}


def test_last_years_consolidation_under_a_gbk_name(county, tmp_path):
    root, out, units = county
    previous = shutil.copy(out, tmp_path / gbk_name("上年汇总.xlsx"))
    assert gc.readback.is_consolidation(previous)
    assert sorted(u.unit_name for u in gc.readback.read_consolidation(previous, display="上年", sha256="")) == units
