"""The official form of the annual report, declared once as data.

Everything else in gxexcel (template builder, readers, validator, narrative,
publication export, consolidation) derives its labels, cell ids and sum
identities from this module. Labels are the official text of
国办公开办函〔2021〕30号 as quoted in the format specification; they are never
retyped elsewhere.

Cell ids are stable strings ``t2.<row>.<column>``, ``t3.<row>.<column>`` and
``t4.<group>.<column>``.
"""

from __future__ import annotations

import functools

from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator, Literal

FORMAT_ID = "国办公开办函〔2021〕30号"
FORMAT_TITLE = "中华人民共和国政府信息公开工作年度报告格式"
REPORT_TITLE_SUFFIX = "政府信息公开工作年度报告"

Kind = Literal["count", "money"]
Role = Literal["input", "total"]

# ---------------------------------------------------------------------------
# Sections and narrative parts
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    id: str
    number: int
    heading: str
    table: str | None = None


SECTIONS: tuple[Section, ...] = (
    Section("s1", 1, "一、总体情况"),
    Section("s2", 2, "二、主动公开政府信息情况", table="t2"),
    Section("s3", 3, "三、收到和处理政府信息公开申请情况", table="t3"),
    Section("s4", 4, "四、政府信息公开行政复议、行政诉讼情况", table="t4"),
    Section("s5", 5, "五、存在的主要问题及改进情况"),
    Section("s6", 6, "六、其他需要报告的事项"),
)


@dataclass(frozen=True)
class NarrativePart:
    """A block of text the clerk writes (or gxexcel drafts) in the report."""

    id: str
    section: str  # section id, or "" for the preamble
    heading: str  # sub-heading printed in the report ("" when none)
    label: str  # what the clerk sees next to the input cell
    generated: bool  # whether gxexcel can draft it from the figures


NARRATIVE_PARTS: tuple[NarrativePart, ...] = (
    NarrativePart("preamble", "", "", "前言（法律依据、报告组成、统计期限）", True),
    NarrativePart("s1.intro", "s1", "", "一、总体情况（概述）", False),
    NarrativePart("s1.active", "s1", "（一）主动公开", "（一）主动公开", True),
    NarrativePart("s1.request", "s1", "（二）依申请公开", "（二）依申请公开", True),
    NarrativePart("s1.management", "s1", "（三）政府信息管理", "（三）政府信息管理", False),
    NarrativePart(
        "s1.platform", "s1", "（四）政府信息公开平台建设", "（四）政府信息公开平台建设", False
    ),
    NarrativePart("s1.supervision", "s1", "（五）监督保障", "（五）监督保障", False),
    NarrativePart("s2.note", "s2", "", "二、主动公开政府信息情况（表外说明）", False),
    NarrativePart("s3.note", "s3", "", "三、收到和处理政府信息公开申请情况（表外说明）", False),
    NarrativePart("s4.note", "s4", "", "四、政府信息公开行政复议、行政诉讼情况（说明）", True),
    NarrativePart("s5", "s5", "", "五、存在的主要问题及改进情况", False),
    NarrativePart("s6", "s6", "", "六、其他需要报告的事项", True),
)

#: The five areas 一、总体情况 must cover (format S1/S2).
S1_AREAS: tuple[str, ...] = tuple(p.id for p in NARRATIVE_PARTS if p.section == "s1" and p.heading)


@dataclass(frozen=True)
class FeeField:
    """Structured 信息处理费 figures reported in section 六 (国办函〔2020〕109号)."""

    id: str
    label: str
    kind: Literal["count", "yuan"]


FEE_FIELDS: tuple[FeeField, ...] = (
    FeeField("fee.notices", "发出收费通知的件数", "count"),
    FeeField("fee.billed", "收费通知列明的金额（元）", "yuan"),
    FeeField("fee.collected", "实际收取的信息处理费（元）", "yuan"),
)
FEE_LAW = "《政府信息公开信息处理费管理办法》"

UNIT_TYPES: tuple[str, ...] = (
    "乡镇人民政府",
    "街道办事处",
    "县级政府部门",
    "县级人民政府",
    "其他",
)
#: Unit types that are 各级人民政府 (X-S1-ASSESS applies; 条例第五十条第四项).
GOVERNMENT_UNIT_TYPES: frozenset[str] = frozenset({"乡镇人民政府", "县级人民政府"})
#: Unit types that may not make 规章 (T2-REGS-LEVEL).
NO_REGULATION_UNIT_TYPES: frozenset[str] = frozenset(
    {"乡镇人民政府", "街道办事处", "县级政府部门", "县级人民政府"}
)


@dataclass(frozen=True)
class MetaField:
    """A field of the cover sheet (封面)."""

    id: str
    label: str
    required: bool = True


META_FIELDS: tuple[MetaField, ...] = (
    MetaField("unit_name", "单位名称"),
    MetaField("unit_type", "单位类型"),
    MetaField("parent", "所属县（市、区）"),
    MetaField("year", "报告年度"),
    MetaField("contact", "填报人", required=False),
    MetaField("phone", "联系电话", required=False),
)

# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    group: str = ""  # spanning header above the label ("" when none)


@dataclass(frozen=True)
class Row:
    id: str
    labels: tuple[str, ...]  # label levels, outermost first; "" where merged from above


@dataclass(frozen=True)
class Cell:
    id: str
    table: str
    row: str
    column: str
    kind: Kind
    role: Role
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]

    @property
    def label(self) -> str:
        """A one-line label: ``表三 一、本年新收政府信息公开申请数量 自然人``.

        Column headers nest with full-width brackets (``法人或其他组织（商业企业）``,
        ``行政诉讼（复议后起诉） 结果维持``), and the 总计 column of the （七）总计 row is
        named once: ``表三 三、本年度办理结果（七）总计``.
        """
        rows = "".join(x for x in self.row_labels if x)
        cols = self.column_label
        if rows and cols and rows.endswith(cols):
            cols = ""
        return " ".join(x for x in (TABLES[self.table].name, rows, cols) if x)

    @property
    def column_label(self) -> str:
        """The column part of :attr:`label`: ``法人或其他组织（商业企业）``, ``行政复议 总计``."""
        levels = [x for level in self.column_labels for x in level.split("/") if x]
        if not levels:
            return ""
        if self.table == "t4" and len(levels) > 1:  # 行政诉讼/复议后起诉 + 结果维持
            group = levels[:-1]
            return group[0] + "".join(f"（{x}）" for x in group[1:]) + " " + levels[-1]
        return levels[0] + "".join(f"（{x}）" for x in levels[1:])  # 法人或其他组织 + 商业企业


@dataclass(frozen=True)
class Block:
    """表二 is made of blocks, each with a caption and its own header row."""

    id: str
    caption: str
    header: str  # first header cell, 信息内容
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    kind: Kind = "count"


@dataclass(frozen=True)
class Table:
    id: str
    name: str  # 表二 / 表三 / 表四
    section: str
    title: str
    notes: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = ()  # 表二
    rows: tuple[Row, ...] = ()  # 表三, 表四
    columns: tuple[Column, ...] = ()  # 表三, 表四
    header_group: str = ""  # 表三: 申请人情况
    corner: str = ""  # 表三: the 勾稽 note in the top-left cell

    @cached_property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(_table_cells(self))


def _table_cells(table: Table) -> Iterator[Cell]:
    if table.blocks:
        for block in table.blocks:
            for row in block.rows:
                for col in block.columns:
                    yield Cell(
                        id=f"{table.id}.{row.id}.{col.id}",
                        table=table.id,
                        row=row.id,
                        column=col.id,
                        kind=block.kind,
                        role="input",
                        row_labels=(block.caption,) + row.labels,
                        column_labels=(col.label,),
                    )
        return
    for row in table.rows:
        for col in table.columns:
            # Rows and columns named "total" (表三 （七）总计 and 总计, 表四 每组总计) are sums.
            is_total = row.id == "total" or col.id.rsplit(".", 1)[-1] == "total"
            yield Cell(
                id=".".join(x for x in (table.id, row.id, col.id) if x),
                table=table.id,
                row=row.id,
                column=col.id,
                kind="count",
                role="total" if is_total else "input",
                row_labels=row.labels,
                column_labels=tuple(x for x in (col.group, col.label) if x),
            )


T2 = Table(
    id="t2",
    name="表二",
    section="s2",
    title="二、主动公开政府信息情况",
    blocks=(
        Block(
            "art20_1",
            "第二十条第（一）项",
            "信息内容",
            (
                Column("issued", "本年制发件数"),
                Column("repealed", "本年废止件数"),
                Column("in_force", "现行有效件数"),
            ),
            (Row("regs", ("规章",)), Row("normative", ("行政规范性文件",))),
        ),
        Block(
            "art20_5",
            "第二十条第（五）项",
            "信息内容",
            (Column("decisions", "本年处理决定数量"),),
            (Row("license", ("行政许可",)),),
        ),
        Block(
            "art20_6",
            "第二十条第（六）项",
            "信息内容",
            (Column("decisions", "本年处理决定数量"),),
            (Row("penalty", ("行政处罚",)), Row("enforcement", ("行政强制",))),
        ),
        Block(
            "art20_8",
            "第二十条第（八）项",
            "信息内容",
            (Column("amount", "本年收费金额（单位：万元）"),),
            (Row("fees", ("行政事业性收费",)),),
            kind="money",
        ),
    ),
)

_T3_RESULTS = "三、本年度办理结果"
T3 = Table(
    id="t3",
    name="表三",
    section="s3",
    title="三、收到和处理政府信息公开申请情况",
    corner="（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    header_group="申请人情况",
    notes=(
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "（区分处理的，只计这一情形，不计其他情形）",
    ),
    columns=(
        Column("natural", "自然人"),
        Column("business", "商业企业", group="法人或其他组织"),
        Column("research", "科研机构", group="法人或其他组织"),
        Column("public_interest", "社会公益组织", group="法人或其他组织"),
        Column("legal_service", "法律服务机构", group="法人或其他组织"),
        Column("other", "其他", group="法人或其他组织"),
        Column("total", "总计"),
    ),
    rows=(
        Row("new", ("一、本年新收政府信息公开申请数量", "", "")),
        Row("carried", ("二、上年结转政府信息公开申请数量", "", "")),
        Row("open", (_T3_RESULTS, "（一）予以公开", "")),
        Row("partial", (_T3_RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "")),
        Row("deny_secret", (_T3_RESULTS, "（三）不予公开", "1.属于国家秘密")),
        Row("deny_law", (_T3_RESULTS, "（三）不予公开", "2.其他法律行政法规禁止公开")),
        Row("deny_safety", (_T3_RESULTS, "（三）不予公开", "3.危及“三安全一稳定”")),
        Row("deny_third_party", (_T3_RESULTS, "（三）不予公开", "4.保护第三方合法权益")),
        Row("deny_internal", (_T3_RESULTS, "（三）不予公开", "5.属于三类内部事务信息")),
        Row("deny_process", (_T3_RESULTS, "（三）不予公开", "6.属于四类过程性信息")),
        Row("deny_case_file", (_T3_RESULTS, "（三）不予公开", "7.属于行政执法案卷")),
        Row("deny_query", (_T3_RESULTS, "（三）不予公开", "8.属于行政查询事项")),
        Row("unable_no_info", (_T3_RESULTS, "（四）无法提供", "1.本机关不掌握相关政府信息")),
        Row("unable_create", (_T3_RESULTS, "（四）无法提供", "2.没有现成信息需要另行制作")),
        Row("unable_unclear", (_T3_RESULTS, "（四）无法提供", "3.补正后申请内容仍不明确")),
        Row("reject_petition", (_T3_RESULTS, "（五）不予处理", "1.信访举报投诉类申请")),
        Row("reject_repeat", (_T3_RESULTS, "（五）不予处理", "2.重复申请")),
        Row("reject_publication", (_T3_RESULTS, "（五）不予处理", "3.要求提供公开出版物")),
        Row("reject_mass", (_T3_RESULTS, "（五）不予处理", "4.无正当理由大量反复申请")),
        Row("reject_confirm", (_T3_RESULTS, "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息")),
        Row(
            "other_no_correction",
            (
                _T3_RESULTS,
                "（六）其他处理",
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            ),
        ),
        Row(
            "other_unpaid",
            (
                _T3_RESULTS,
                "（六）其他处理",
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            ),
        ),
        Row("other_other", (_T3_RESULTS, "（六）其他处理", "3.其他")),
        Row("total", (_T3_RESULTS, "（七）总计", "")),
        Row("carry_forward", ("四、结转下年度继续办理", "", "")),
    ),
)

#: 表三 result groups: (group label, row ids), in order. Used by narrative and checks.
T3_RESULT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (label, tuple(r.id for r in T3.rows if r.labels[0] == _T3_RESULTS and r.labels[1] == label))
    for label in dict.fromkeys(
        r.labels[1] for r in T3.rows if r.labels[0] == _T3_RESULTS and r.id != "total"
    )
)
T3_LEAF_RESULT_ROWS: tuple[str, ...] = tuple(r for _, rows in T3_RESULT_GROUPS for r in rows)
T3_APPLICANT_COLUMNS: tuple[str, ...] = tuple(c.id for c in T3.columns if c.id != "total")

_T4_OUTCOMES = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
T4_GROUPS: tuple[tuple[str, str, str], ...] = (
    # (group id, top header, second header)
    ("review", "行政复议", ""),
    ("suit_direct", "行政诉讼", "未经复议直接起诉"),
    ("suit_after_review", "行政诉讼", "复议后起诉"),
)
T4 = Table(
    id="t4",
    name="表四",
    section="s4",
    title="四、政府信息公开行政复议、行政诉讼情况",
    rows=(Row("", ("",)),),  # one unnamed data row: ids are t4.<group>.<outcome>
    columns=tuple(
        Column(f"{gid}.{oid}", olabel, group=top if not sub else f"{top}/{sub}")
        for gid, top, sub in T4_GROUPS
        for oid, olabel in _T4_OUTCOMES
    ),
)

TABLES: dict[str, Table] = {t.id: t for t in (T2, T3, T4)}

# ---------------------------------------------------------------------------
# Sum identities (§3): declared once; the template's live checks, the
# validator and the consolidation's checks all come from here.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """One instance of a sum identity: sum(left) == sum(right)."""

    rule: str
    key: str  # which row / column it is about, e.g. "natural"
    left: tuple[str, ...]  # cell ids
    right: tuple[str, ...]
    anchor: str  # the cell the finding points at

    @property
    def cells(self) -> tuple[str, ...]:
        return self.left + self.right


@dataclass(frozen=True)
class IdentityRule:
    id: str
    table: str
    statement: str  # Chinese, shown in the template and in findings
    check_text: str  # short text of the live check cell when violated
    placement: Literal["row", "column"]  # live check beside each row / under each column
    instances: tuple[Identity, ...] = field(default=())


def _t3(row: str, col: str) -> str:
    return f"t3.{row}.{col}"


def _t4(group: str, outcome: str) -> str:
    return f"t4.{group}.{outcome}"


IDENTITY_RULES: tuple[IdentityRule, ...] = (
    IdentityRule(
        "T3-ROW-TOTAL",
        "t3",
        "表三每一行：总计＝自然人＋商业企业＋科研机构＋社会公益组织＋法律服务机构＋其他",
        "行总计不符",
        "row",
        tuple(
            Identity(
                "T3-ROW-TOTAL",
                row.id,
                (_t3(row.id, "total"),),
                tuple(_t3(row.id, c) for c in T3_APPLICANT_COLUMNS),
                _t3(row.id, "total"),
            )
            for row in T3.rows
        ),
    ),
    IdentityRule(
        "T3-RESULT-SUM",
        "t3",
        "表三每一列：（七）总计＝（一）至（六）各项之和",
        "办理结果合计不符",
        "column",
        tuple(
            Identity(
                "T3-RESULT-SUM",
                col.id,
                (_t3("total", col.id),),
                tuple(_t3(r, col.id) for r in T3_LEAF_RESULT_ROWS),
                _t3("total", col.id),
            )
            for col in T3.columns
        ),
    ),
    IdentityRule(
        "T3-BALANCE",
        "t3",
        "表三每一列：第一项加第二项之和，等于第三项加第四项之和",
        "勾稽关系不符",
        "column",
        tuple(
            Identity(
                "T3-BALANCE",
                col.id,
                (_t3("new", col.id), _t3("carried", col.id)),
                (_t3("total", col.id), _t3("carry_forward", col.id)),
                _t3("carry_forward", col.id),
            )
            for col in T3.columns
        ),
    ),
) + tuple(
    IdentityRule(
        rule_id,
        "t4",
        f"表四{label}：总计＝结果维持＋结果纠正＋其他结果＋尚未审结",
        "总计不符",
        "column",
        (
            Identity(
                rule_id,
                gid,
                (_t4(gid, "total"),),
                tuple(_t4(gid, o) for o, _ in _T4_OUTCOMES if o != "total"),
                _t4(gid, "total"),
            ),
        ),
    )
    for rule_id, gid, label in (
        ("T4-REVIEW-SUM", "review", "行政复议"),
        ("T4-LIT-DIRECT-SUM", "suit_direct", "行政诉讼（未经复议直接起诉）"),
        ("T4-LIT-AFTER-SUM", "suit_after_review", "行政诉讼（复议后起诉）"),
    )
)

IDENTITIES: tuple[Identity, ...] = tuple(i for r in IDENTITY_RULES for i in r.instances)

# ---------------------------------------------------------------------------
# Look-ups
# ---------------------------------------------------------------------------

CELLS: dict[str, Cell] = {c.id: c for t in TABLES.values() for c in t.cells}
INPUT_CELLS: tuple[str, ...] = tuple(c.id for c in CELLS.values() if c.role == "input")
TOTAL_CELLS: tuple[str, ...] = tuple(c.id for c in CELLS.values() if c.role == "total")


@functools.cache
def total_parts(cell_id: str) -> tuple[str, ...]:
    """The input cells whose sum a 总计 cell is (the formula the template writes)."""
    cell = CELLS[cell_id]
    if cell.role != "total":
        raise ValueError(f"{cell_id} is not a total")
    if cell.table == "t4":
        group = cell.column.split(".")[0]
        return tuple(_t4(group, o) for o, _ in _T4_OUTCOMES if o != "total")
    rows, cols = T3_LEAF_RESULT_ROWS, T3_APPLICANT_COLUMNS
    if cell.row == "total" and cell.column == "total":
        return tuple(_t3(r, c) for r in rows for c in cols)
    if cell.row == "total":
        return tuple(_t3(r, cell.column) for r in rows)
    return tuple(_t3(cell.row, c) for c in cols)


def section(section_id: str) -> Section:
    return next(s for s in SECTIONS if s.id == section_id)


NARRATIVE: dict[str, NarrativePart] = {p.id: p for p in NARRATIVE_PARTS}
