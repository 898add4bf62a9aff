"""The columns of the 明细 and 校验情况 sheets, shared by the writer and the read-back.

明细 has two header rows: row 1 the machine key of each column (cell ids of
:mod:`gxexcel.form`, field ids), row 2 its Chinese label (official labels for
table cells); units start on row 3.
"""

from __future__ import annotations

from .. import form

_META = {f.id: f.label for f in form.META_FIELDS}

CONSOLIDATION_ID = "GX-HZ-2021"
CONSOLIDATION_VERSION = "1.0"

SHEET_SUMMARY = "汇总"
SHEET_DETAIL = "明细"
SHEET_FINDINGS = "校验情况"
SHEET_SUBMISSIONS = "报送情况"
SHEET_SIMILAR = "相似文本"
SHEET_CHARTS = "图表"
SHEETS: tuple[str, ...] = (SHEET_SUMMARY, SHEET_DETAIL, SHEET_FINDINGS, SHEET_SUBMISSIONS, SHEET_SIMILAR, SHEET_CHARTS)

#: 汇总 stamp: label in A, value in D, on rows 2 and 3.
STAMP_LABELS = ("汇总文件标识", "汇总文件版本")
STAMP_ROWS = (2, 3)
STAMP_COL = 4

DETAIL_HEAD_ROWS = 2
DETAIL_META: tuple[tuple[str, str], ...] = (
    ("unit_name", _META["unit_name"]),
    ("unit_type", _META["unit_type"]),
    ("parent", _META["parent"]),
    ("year", _META["year"]),
    ("status", "报送状态"),
    ("counted", "计入汇总"),
    ("errors", "错误数"),
    ("warnings", "警告数"),
    ("file", "来源文件"),
    ("via", "经由汇总文件"),
    ("sha256", "来源文件SHA-256"),
    ("mtime", "文件修改时间"),
    ("kind", "来源类型"),
    ("template_version", "模板版本"),
    ("contact", _META["contact"]),
    ("phone", _META["phone"]),
)
DETAIL_CELLS: tuple[tuple[str, str], ...] = tuple((c.id, c.label) for c in form.CELLS.values())
DETAIL_FEES: tuple[tuple[str, str], ...] = tuple((f.id, f.label) for f in form.FEE_FIELDS)
DETAIL_TEXT: tuple[tuple[str, str], ...] = tuple((p.id, "正文：" + p.label) for p in form.NARRATIVE_PARTS)
DETAIL_MARKERS: tuple[tuple[str, str], ...] = tuple(
    ("marker:" + p.id, "生成标记：" + p.label) for p in form.NARRATIVE_PARTS
)
DETAIL_COLUMNS = DETAIL_META + DETAIL_CELLS + DETAIL_FEES + DETAIL_TEXT + DETAIL_MARKERS

FINDING_COLUMNS: tuple[str, ...] = (
    "单位名称", "来源文件", "经由汇总文件", "级别", "规则", "规则说明", "工作表", "单元格", "问题", "出错说明", "发现环节",
)
#: 校验情况 columns consolidations written before 经由汇总文件 was added may lack (read as "")
FINDING_OPTIONAL: frozenset[str] = frozenset({"经由汇总文件"})
#: headers of 校验情况 in older consolidations, read as today's (级别 as in 校验结果 and validate)
FINDING_ALIASES: dict[str, str] = {"严重程度": "级别"}
FOUND_BY_UNIT, FOUND_BY_CONSOLIDATION = "单位校验", "汇总比对"

PARENT_LABEL = _META["parent"]  # 所属县（市、区）
#: 汇总's fact of how many units the roster lists, and its value when no roster was given
ROSTER_COUNT_LABEL, NO_ROSTER = "名册单位数", "未提供名册"
SUBMISSION_COLUMNS: tuple[str, ...] = (
    "单位名称", "单位类型", PARENT_LABEL, "单位代码", "报送状态", "计入汇总", "来源文件", "经由汇总文件", "错误数", "警告数", "说明",
)
SIMILAR_COLUMNS: tuple[str, ...] = ("类型", "单位", "对比对象", "正文部分", "相似度（%）", "说明", "来源文件", "对比文件")

YES, NO = "是", "否"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
