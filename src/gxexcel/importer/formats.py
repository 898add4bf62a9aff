"""Outdated formats: the labels of the 2019 format and the headings of pre-2019 reports.

The 2019 format (国办公开办函〔2019〕60号, spec §2.1–§2.2) printed other 表二
columns and rows; a report that still uses them must be recognised and reported
(TPL-2019-*), never read as if its old columns were the new ones. Pre-2019
reports (2007 条例) used other headings (TPL-PRE2019). These labels are the
official text of the old formats as quoted in the spec; they are declared here
once, for the importer, which is the only place that needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from .normalize import key

if TYPE_CHECKING:
    from .labels import Label

#: 2019 表二 labels that the 2021 format no longer has: (label, rule, kind).
OLD_T2_LABELS: tuple[tuple[str, str, str], ...] = (
    ("本年新制作数量", "TPL-2019-T2A", "header"),
    ("本年新公开数量", "TPL-2019-T2A", "header"),
    ("对外公开总数量", "TPL-2019-T2A", "header"),
    ("上一年项目数量", "TPL-2019-T2B", "header"),
    ("本年增/减", "TPL-2019-T2B", "header"),
    ("处理决定数量", "TPL-2019-T2B", "header"),
    ("其他对外管理服务事项", "TPL-2019-T2C", "row"),
    ("第二十条第（九）项", "TPL-2019-T2D", "header"),
    ("政府集中采购", "TPL-2019-T2D", "row"),
    ("采购项目数量", "TPL-2019-T2D", "header"),
    ("采购总金额", "TPL-2019-T2D", "header"),
)
#: 2019 row label of 第二十条第（一）项 that 2021 renamed to 行政规范性文件.
OLD_NORMATIVE = "规范性文件"
#: Rules that mark 表二 as the 2019 format (its figures are then not imported).
T2_2019_RULES = frozenset({"TPL-2019-T2A", "TPL-2019-T2B", "TPL-2019-T2C", "TPL-2019-T2D"})

#: Headings of reports written under the 2007 条例 (spec §2.4 TPL-PRE2019).
PRE2019_HEADINGS: tuple[str, ...] = (
    "概述",
    "依申请公开政府信息情况",
    "依申请公开政府信息和不予公开政府信息的情况",
    "政府信息公开的收费及减免情况",
    "咨询处理情况",
    "因政府信息公开申请行政复议、提起行政诉讼的情况",
)


def old_labels(table_id: str) -> Iterator["Label"]:
    from .labels import Label

    if table_id != "t2":
        return
    for text, rule, kind in OLD_T2_LABELS:
        yield Label(text, key(text), "old", "t2", rule=rule, values=0 if kind == "header" else 1)
    yield Label(OLD_NORMATIVE, key(OLD_NORMATIVE), "row", "t2", "normative", 3, rule="TPL-2019-T2E")


def pre2019_heading(heading: str) -> str:
    """The pre-2019 heading a (sub-)heading uses, or ""; numbering is ignored."""
    k = key(heading)
    for old in sorted(PRE2019_HEADINGS, key=len, reverse=True):
        ok = key(old)
        if k == ok or (k.endswith(ok) and len(k) - len(ok) <= 5):
            return old
    return ""
