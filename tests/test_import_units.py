"""Unit name, year and unit type from a published title."""

from __future__ import annotations

import pytest

from gxexcel import form
from gxexcel.importer.sections import infer_unit_type, parse_title


@pytest.mark.parametrize(
    "title, unit, year",
    [
        ("南定镇人民政府2021年政府信息公开工作年度报告", "南定镇人民政府", 2021),
        ("2021年度南定镇人民政府政府信息公开工作年度报告", "南定镇人民政府", 2021),
        ("南定镇人民政府 2022 年政府信息公开工作年度报告", "南定镇人民政府", 2022),
        ("关于南定镇人民政府2021年政府信息公开工作年度报告", "南定镇人民政府", 2021),
        ("南定镇人民政府关于2021年政府信息公开工作年度报告", "南定镇人民政府", 2021),
        ("张店区人民政府关于2021年度政府信息公开工作年度报告", "张店区人民政府", 2021),
        ("于都县人民政府2021年政府信息公开工作年度报告", "于都县人民政府", 2021),  # 于 is part of the name
        ("南定鎮人民政府2021年政府信息公開工作年度報告", "南定镇人民政府", 2021),
        ("南定镇人民政府2021年度政府信息公开工作报告", "南定镇人民政府", 2021),  # older wording
        ("南定镇2021年政府信息公开年报", "南定镇", 2021),
        ("政府信息公开工作年度报告", "", None),
        # full-width digits typed with a Chinese input method; the unit name keeps its own characters
        ("南定镇人民政府２０２１年政府信息公开工作年度报告", "南定镇人民政府", 2021),
        ("２０２１年度城关镇（街道）政府信息公开工作年度报告", "城关镇（街道）", 2021),
        # the year in Chinese numerals, as formal titles write it
        ("南定镇人民政府二〇二一年政府信息公开工作年度报告", "南定镇人民政府", 2021),
        ("二○二○年度南定镇人民政府政府信息公开工作年度报告", "南定镇人民政府", 2020),
        ("某县司法局二零二一年政府信息公开工作年度报告", "某县司法局", 2021),
    ],
)
def test_parse_title(title, unit, year):
    assert parse_title(title) == (unit, year)


@pytest.mark.parametrize(
    "name, unit_type",
    [
        ("南定镇人民政府", "乡镇人民政府"),
        ("金竹乡", "乡镇人民政府"),
        ("东城街道办事处", "街道办事处"),
        ("西城街道", "街道办事处"),
        ("孝昌县人民政府", "县级人民政府"),
        ("龙岗区人民政府", "县级人民政府"),
        ("孝昌县财政局", "县级政府部门"),
        ("孝昌县人民政府办公室", "县级政府部门"),
        ("孝感市人民政府", "其他"),  # a city: not county level
        ("武汉市生态环境局", "其他"),
    ],
)
def test_unit_type_from_name(name, unit_type):
    assert unit_type in form.UNIT_TYPES
    assert infer_unit_type(name) == unit_type
