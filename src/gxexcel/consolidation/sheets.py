"""The content of every sheet of the consolidated workbook as rows and as DataFrames.

The workbook writer and the pandas API both take their rows from here, so a
notebook sees exactly what the county office sees.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterable

from .. import form
from ..findings import SEVERITY_TEXT
from ..rules.catalog import RULES
from . import columns as C
from .similarity import CARRY, PREVIOUS, TOTAL_NAME, TOTAL_REF
from .submissions import UNREADABLE, Submission
from .units import CELL_IDS, FEE_IDS, PART_IDS, Unit

if TYPE_CHECKING:
    import pandas as pd

    from .api import Consolidation


def detail_units(c: "Consolidation") -> list[tuple[Unit, Submission]]:
    """Units shown in 明细: every file read with a unit name, in 报送情况 order."""
    return [(s.unit, s) for s in c.statuses if s.unit is not None and s.status != UNREADABLE]


def detail_rows(c: "Consolidation") -> list[list[Any]]:
    rows = []
    for unit, status in detail_units(c):
        meta = {
            "unit_name": unit.unit_name, "unit_type": unit.unit_type, "parent": unit.parent, "year": unit.year,
            "status": status.status, "counted": C.YES if status.counted else C.NO,
            "errors": unit.errors, "warnings": unit.warnings, "file": unit.file, "via": unit.via,
            "sha256": unit.sha256, "mtime": file_time(unit.mtime), "kind": unit.kind,
            "template_version": unit.template_version, "contact": unit.contact, "phone": unit.phone,
        }
        rows.append(
            [meta[k] for k, _ in C.DETAIL_META]
            + list(unit.cells or (None,) * len(CELL_IDS))
            + list(unit.fees or (None,) * len(FEE_IDS))
            + list(unit.narrative or ("",) * len(PART_IDS))
            + list(unit.markers or ("",) * len(PART_IDS))
        )
    return rows


def finding_rows(c: "Consolidation") -> list[list[Any]]:
    """Every finding of every unit, errors first, then in 明细 order; units are named as
    :meth:`Consolidation.label` names them (with their county where names collide)."""
    out: list[tuple[int, int, list[Any]]] = []
    order = 0
    for unit, status in detail_units(c):
        name = c.label(unit)
        for rule, severity, sheet, cell, message, explanation in () if status.same_file else unit.findings:
            out.append((severity != "error", order, _finding(name, unit.file, unit.via, rule, severity, sheet, cell,
                                                             message, explanation, C.FOUND_BY_UNIT)))
            order += 1
        for f in c.extra_findings.get(unit.ref, []):
            out.append((f.severity != "error", order, _finding(name, unit.file, unit.via, f.rule, f.severity, f.sheet,
                                                               f.cell, f.message, f.explanation, C.FOUND_BY_CONSOLIDATION)))
            order += 1
    for f in c.extra_findings.get(TOTAL_REF, []):
        out.append((f.severity != "error", order, _finding(TOTAL_NAME, "", "", f.rule, f.severity, C.SHEET_SUMMARY, "",
                                                           f.message, f.explanation, C.FOUND_BY_CONSOLIDATION)))
        order += 1
    out.sort(key=lambda x: (x[0], x[1]))
    return [row for _, _, row in out]


def _finding(unit: str, file: str, via: str, rule: str, severity: str, sheet: str, cell: str, message: str,
             explanation: str, found_by: str) -> list[Any]:
    title = RULES[rule].title if rule in RULES else ""
    return [unit, file, via, SEVERITY_TEXT.get(severity, severity), rule, title, sheet, cell, message, explanation, found_by]


def submission_rows(c: "Consolidation") -> list[list[Any]]:
    rows = []
    for s in c.statuses:
        u = s.unit
        rows.append([
            s.unit_name, s.unit_type, u.county if u and u.readable else s.parent, s.code, s.status, C.YES if s.counted else C.NO,
            s.file, u.via if u else s.via, u.errors if u and u.readable else None, u.warnings if u and u.readable else None, s.note,
        ])
    return rows


def similar_rows(c: "Consolidation") -> list[list[Any]]:
    rows: list[list[Any]] = []
    for p in c.pairs + c.previous_pairs:
        note = "与上年报告几乎相同，请核实是否照搬上年内容" if p.kind == PREVIOUS else "正文高度雷同，请核实是否互相照抄"
        rows.append([p.kind, p.unit, p.other, form.NARRATIVE[p.part].label, p.similarity, note, p.file, p.other_file])
    for check in c.carry:
        rows.append([f"{CARRY}（XY-T3-CARRY）", check.unit, "上年" + check.unit, "表三 二、上年结转政府信息公开申请数量", None,
                     SEVERITY_TEXT[check.finding.severity] + "：" + check.finding.message, "", ""])
    return rows


def summary_rows(c: "Consolidation") -> list[list[Any]]:
    """One row per table cell of the consolidated tables."""
    rows = []
    for cell in form.CELLS.values():
        rows.append([form.TABLES[cell.table].name, cell.id, cell.label, c.total.cells[cell.id]])
    return rows


SUMMARY_COLUMNS = ("表", "单元格编号", "标签", "汇总值")

#: 图表 blocks: applications by unit, how applications were handled, findings by unit.
CHART_APPLICATIONS = ("单位", "本年新收申请（件）")
CHART_RESULTS = ("办理结果", "件数")
CHART_ERRORS = ("单位", "错误数", "警告数")


#: Units one bar chart shows at most: beyond this a chart is unreadable (and in Excel too tall),
#: so it shows the units with the largest figures, and its title says so. 明细 has every unit.
CHART_MAX_UNITS = 40


def applications_rows(c: "Consolidation") -> list[list[Any]]:
    """Counted units and their new applications (the largest :data:`CHART_MAX_UNITS` when more);
    bars are labelled as :meth:`Consolidation.label` names units, so two counties' 城关镇
    do not carry the same label."""
    rows = [[c.label(u), u.number("t3.new.total")] for u in c.counted]
    return _largest(rows, key=lambda r: (-r[1], r[0]))


def result_rows(c: "Consolidation") -> list[list[Any]]:
    return [[label, sum(c.total.number(f"t3.{r}.total") for r in rows)] for label, rows in form.T3_RESULT_GROUPS]


def error_rows(c: "Consolidation") -> list[list[Any]]:
    """Units with errors or warnings (the :data:`CHART_MAX_UNITS` with most errors when more)."""
    units = [u for u, s in detail_units(c) if (u.errors or u.warnings) and not s.same_file]  # a file once
    rows = [[c.label(u), u.errors, u.warnings] for u in units]
    return _largest(rows, key=lambda r: (-r[1], -r[2], r[0]))


def chart_suffix(rows: list[list[Any]], total: int) -> str:
    """What a unit chart's title adds when it shows only some of the units."""
    return f"（共{total}个单位，显示最多的{len(rows)}个）" if total > len(rows) else ""


def _largest(rows: list[list[Any]], *, key) -> list[list[Any]]:
    """``rows`` as they are when few; else the CHART_MAX_UNITS first by ``key``, in that order."""
    if len(rows) <= CHART_MAX_UNITS:
        return rows
    return sorted(rows, key=key)[:CHART_MAX_UNITS]


def file_time(ts: float) -> datetime | None:
    """A file's modification time as 明细 has it: local time to the second (an Excel date), or None."""
    return datetime.fromtimestamp(int(ts)) if ts else None


# -- DataFrames ---------------------------------------------------------------
# Columns have the dtypes an analyst expects: a count column is integer ("Int64", with <NA> where a
# cell is blank or no unit was read), an amount column float; a column holding text a clerk typed
# is object, each value as entered (12 stays 12); a count column holding a decimal is float.

#: Columns of 明细 holding amounts (万元, 元); every other number column of the frames counts something.
_AMOUNTS = frozenset(c.id for c in form.CELLS.values() if c.kind != "count") | frozenset(
    f.id for f in form.FEE_FIELDS if f.kind != "count")


def _number_column(values: list[Any], *, amount: bool = False) -> "pd.Series":
    """One column of numbers (some blank, some perhaps text) as a Series of the expected dtype."""
    import pandas as pd

    present = [v for v in values if v is not None]
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in present):
        return pd.Series(values, dtype=object)  # text typed into a number cell: kept as entered
    if not amount and all(float(v).is_integer() for v in present):
        return pd.Series([None if v is None else int(v) for v in values], dtype="Int64")
    return pd.Series([None if v is None else float(v) for v in values], dtype="float64")


def _frame(rows: list[list[Any]], columns: list[str], numbers: Iterable[str]) -> "pd.DataFrame":
    """``rows`` as a DataFrame, the ``numbers`` columns typed from the rows' own values."""
    import pandas as pd

    df = pd.DataFrame(rows, columns=columns)
    for column in numbers:
        i = columns.index(column)
        df[column] = _number_column([row[i] for row in rows], amount=column in _AMOUNTS)
    return df


def _total_value(cid: str, value: Any) -> Any:
    """A cell of 汇总 as the workbook shows it: a count as int where whole, an amount as float."""
    if form.CELLS[cid].kind != "count" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def summary_frame(c: "Consolidation") -> "pd.DataFrame":
    """One row per cell; 汇总值 mixes counts (int) and the 万元 amount (float), so it is an
    object column whose values keep their own type."""
    import pandas as pd

    rows = summary_rows(c)
    df = pd.DataFrame([r[:3] for r in rows], columns=list(SUMMARY_COLUMNS[:3]))
    df[SUMMARY_COLUMNS[3]] = pd.Series([_total_value(r[1], r[3]) for r in rows], dtype=object)
    return df


def detail_frame(c: "Consolidation") -> "pd.DataFrame":
    """One row per unit; columns are the keys (cell ids …); ``.attrs['labels']`` maps keys to labels.
    ``mtime`` (文件修改时间) is datetime64 and ``counted`` (计入汇总) bool."""
    import pandas as pd

    df = _frame(detail_rows(c), [k for k, _ in C.DETAIL_COLUMNS], ("year", "errors", "warnings", *CELL_IDS, *FEE_IDS))
    df["mtime"] = pd.to_datetime(df["mtime"])  # datetime64, NaT where the time is unknown
    df["counted"] = (df["counted"] == C.YES).astype(bool)  # the workbook's 是/否
    df.attrs["labels"] = dict(C.DETAIL_COLUMNS)
    return df


def findings_frame(c: "Consolidation") -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame(finding_rows(c), columns=list(C.FINDING_COLUMNS))


def submissions_frame(c: "Consolidation") -> "pd.DataFrame":
    return _frame(submission_rows(c), list(C.SUBMISSION_COLUMNS), ("错误数", "警告数"))


def similar_frame(c: "Consolidation") -> "pd.DataFrame":
    return _frame(similar_rows(c), list(C.SIMILAR_COLUMNS), ("相似度（%）",))


def charts_frame(c: "Consolidation") -> "pd.DataFrame":
    """The charts' data in long form: chart, category, series, value."""
    rows = [("各单位本年新收申请", name, CHART_APPLICATIONS[1], v) for name, v in applications_rows(c)]
    rows += [("申请办理结果", label, CHART_RESULTS[1], v) for label, v in result_rows(c)]
    for name, e, w in error_rows(c):
        rows += [("各单位校验问题", name, CHART_ERRORS[1], e), ("各单位校验问题", name, CHART_ERRORS[2], w)]
    return _frame([list(r) for r in rows], ["图表", "类别", "系列", "数值"], ("数值",))


def frames(c: "Consolidation") -> dict[str, "pd.DataFrame"]:
    return {
        C.SHEET_SUMMARY: summary_frame(c), C.SHEET_DETAIL: detail_frame(c), C.SHEET_FINDINGS: findings_frame(c),
        C.SHEET_SUBMISSIONS: submissions_frame(c), C.SHEET_SIMILAR: similar_frame(c), C.SHEET_CHARTS: charts_frame(c),
    }
