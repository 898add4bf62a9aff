"""The catalogue of rules: id, severity, Chinese title and message template.

Adding a rule is one entry here plus, for rules the engine evaluates, one
check function registered under the same id (see :mod:`.engine`). Readers and
importers build their findings from these entries too, with
``catalog.finding(rule_id, **params)``, so every finding of a given rule looks
the same wherever it was made.

Message templates are ``str.format`` strings; ``Rule.params`` lists the names
a producer must pass. Some rules have more than one wording (``variants``):
pass ``variant="name"``. Location fields (``sheet``, ``cell``, ``cells``,
``section``, ``quote``, ``file``) and a ``severity`` override may be passed
alongside the message parameters.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any

from .. import form
from ..findings import SEVERITY_TEXT, Finding, Severity

#: Who makes the findings of a rule.
CHECKERS: dict[str, str] = {
    "engine": "校验引擎",
    "reader": "读取工作簿时",
    "importer": "导入已发布报告时",
    "consolidation": "汇总时",
    "manual": "人工核对（无法自动判断）",
}


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    category: str  # 单元格 / 表二 / 表三 / 表四 / 正文与表格 / 报告身份 / 结构 / 模板 / 跨年度
    title: str  # one-line Chinese description of what the rule checks
    message: str  # str.format template for the finding message
    #: What the rule concerns (cells, a section, the workbook …), in Chinese.
    concerns: str = ""
    #: Alternative message templates, keyed by variant name.
    variants: dict[str, str] = field(default_factory=dict)
    #: Who makes its findings (a key of CHECKERS).
    checker: str = "engine"
    #: A note on severity when it depends on the case (shown in the README).
    severity_note: str = ""

    def template(self, variant: str = "") -> str:
        if not variant:
            return self.message
        return self.variants[variant]

    @property
    def params(self) -> dict[str, tuple[str, ...]]:
        """Message parameter names, per variant ("" = the main message)."""
        out = {"": _names(self.message)}
        out.update({k: _names(v) for k, v in self.variants.items()})
        return out

    def finding(self, variant: str = "", **params: Any) -> Finding:
        """A finding of this rule; ``params`` fill the message and the location fields."""
        location = {k: params.pop(k) for k in list(params) if k in _LOCATION_FIELDS}
        severity = location.pop("severity", None) or self.severity
        shown = {k: _tidy(v) for k, v in params.items()}
        return Finding(
            rule=self.id,
            severity=severity,
            message=self.template(variant).format(**shown),
            **location,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity,
            "category": self.category,
            "title": self.title,
            "message": self.message,
            "variants": dict(self.variants),
            "params": {k: list(v) for k, v in self.params.items()},
            "concerns": self.concerns,
            "checker": self.checker,
            "severity_note": self.severity_note,
        }


def _tidy(value: Any) -> Any:
    """A number as a clerk writes it: 5 not 5.0, 0.3 not 0.30000000000000004."""
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        value = round(value, 6)
        return int(value) if value.is_integer() else value
    return value


def _names(template: str) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name)
    )


_LOCATION_FIELDS = {"sheet", "cell", "cells", "section", "quote", "file", "severity"}

RULES: dict[str, Rule] = {}


def declare(*rules: Rule) -> None:
    for rule in rules:
        if rule.id in RULES:
            raise ValueError(f"rule {rule.id} declared twice")
        RULES[rule.id] = rule


def finding(rule_id: str, variant: str = "", **params: Any) -> Finding:
    return RULES[rule_id].finding(variant, **params)


_FMT = form.FORMAT_ID
_FEE = form.FEE_FIELDS

# ---------------------------------------------------------------------------
# §3.1 Cells
# ---------------------------------------------------------------------------
declare(
    Rule(
        "CELL-INT",
        "error",
        "单元格",
        "表二（收费金额除外）、表三、表四的数量单元格应为不小于0的整数",
        "{label}应为不小于0的整数，填写的是“{value}”",
        variants={"text": "{label}填写的“{value}”是文本，不是数字（单元格为文本格式，或含空格、全角数字），请删除后重新输入数字"},
        concerns="表二 9 个数量单元格，表三 175 个，表四 15 个；正文 发出收费通知的件数",
    ),
    Rule(
        "CELL-FEE",
        "error",
        "单元格",
        "表二“本年收费金额（单位：万元）”应为不小于0的数，最多4位小数",
        "{label}应为不小于0的金额（万元，最多4位小数），填写的是“{value}”",
        variants={
            "yuan": "{label}应为不小于0的金额（元，最多2位小数），填写的是“{value}”",
            "text": "{label}填写的“{value}”是文本，不是数字（单元格为文本格式，或含空格、全角数字），请删除后重新输入数字",
        },
        concerns="表二 行政事业性收费；正文 信息处理费金额（元）",
    ),
    Rule(
        "CELL-BLANK",
        "error",
        "单元格",
        "数据单元格不得为空，没有数据也应填0",
        "{label}为空，没有数据也应填写0",
        concerns="表二、表三、表四全部数据单元格",
    ),
    Rule(
        "CELL-FEE-UNIT",
        "warning",
        "单元格",
        "收费金额疑似按“元”而非“万元”填写",
        "{label}为{value}万元，疑似按“元”填写（{reason}），请核实单位是否为万元",
        concerns="表二 行政事业性收费",
    ),
    Rule(
        "CELL-FORMULA",
        "warning",
        "单元格",
        "数据单元格应直接填写数字，不应填写公式（公式在汇总、复制时容易出错）",
        "{label}填写的是公式“{formula}”，请改为直接填写数字",
        concerns="表二、表三、表四的填报单元格（模板工作簿）",
    ),
)

# ---------------------------------------------------------------------------
# §3.2 表二
# ---------------------------------------------------------------------------
declare(
    Rule(
        "T2-MADE-LE",
        "warning",
        "表二",
        "本年制发件数不应超过现行有效件数与本年废止件数之和",
        "表二 {row}：本年制发件数{issued}，超过现行有效件数{in_force}与本年废止件数{repealed}之和{limit}",
        concerns="表二 规章、行政规范性文件",
    ),
    Rule(
        "T2-REGS-LEVEL",
        "error",
        "表二",
        "乡镇（街道）、县级政府及其部门无权制定规章，表二 规章 一行应全部为0",
        "单位类型为“{unit_type}”，无权制定规章，表二 规章 应为0，实为：本年制发件数{issued}，"
        "本年废止件数{repealed}，现行有效件数{in_force}",
        concerns="表二 规章",
    ),
)

# ---------------------------------------------------------------------------
# §3.3 / §3.4 Sum identities: declared in gxexcel.form, their rules come from there.
# ---------------------------------------------------------------------------
declare(
    *(
        Rule(
            r.id,
            "error",
            form.TABLES[r.table].name,
            r.statement,
            "{table}{where}：{left_text}＝{left}，{right_text}＝{right}，" + r.check_text,
            concerns=f"{form.TABLES[r.table].name} 总计单元格及其各项",
        )
        for r in form.IDENTITY_RULES
    )
)

declare(
    Rule(
        "T3-CARRY-LE",
        "error",
        "表三",
        "结转下年度继续办理不应超过本年新收与上年结转之和",
        "表三 {column}列：结转下年度继续办理{carry}，超过本年新收与上年结转之和{available}",
        concerns="表三 四、结转下年度继续办理",
    ),
    Rule(
        "T3-ZERO-CONSIST",
        "error",
        "表三",
        "本年新收和上年结转均为0时，表三其他单元格也应为0",
        "表三 本年新收和上年结转申请均为0，但{label}为{value}",
        concerns="表三 全部单元格",
    ),
    Rule(
        "PLAUS-T3-FEE",
        "warning",
        "表三",
        "有申请因逾期未缴纳信息处理费而不再处理时，第六部分应报告发出的收费通知",
        "表三 有{count}件申请因逾期未按收费通知缴纳费用而不再处理，但第六部分“{notices_label}”为{notices}",
        concerns="表三 （六）其他处理 2.，第六部分 信息处理费",
    ),
    Rule(
        "PLAUS-T4-T3",
        "warning",
        "表四",
        "有行政复议、行政诉讼而表三没有任何申请，请核实",
        "表四 行政复议、行政诉讼共{cases}件，而表三 本年新收和上年结转申请均为0{prior}，请核实",
        concerns="表四 各总计，表三 一、二",
    ),
)

# ---------------------------------------------------------------------------
# §3.5 Text against tables, and text against itself
# ---------------------------------------------------------------------------
declare(
    Rule(
        "X-TEXT-T3",
        "error",
        "正文与表格",
        "正文中引用的申请数字（总计、申请人类型、办理结果及其分项）应与表三一致",
        "正文“{phrase}”中为{text_value}，与{table_label}（{table_value}）不一致",
        variants={"claim": "正文称“{phrase}”，但{table_label}为{table_value}"},
        concerns="正文各部分，表三 总计列",
    ),
    Rule(
        "X-TEXT-T4",
        "error",
        "正文与表格",
        "正文中关于行政复议、行政诉讼的数字和表述应与表四一致",
        "正文“{phrase}”中为{text_value}，与{table_label}（{table_value}）不一致",
        variants={
            "claim": "正文称“{phrase}”，但{table_label}为{table_value}",
        },
        concerns="正文各部分，表四",
    ),
    Rule(
        "X-TEXT-T2",
        "error",
        "正文与表格",
        "正文中引用的规章、规范性文件件数，许可、处罚、强制决定数和行政事业性收费金额应与表二一致",
        "正文“{phrase}”中为{text_value}，与{table_label}（{table_value}）不一致",
        variants={"claim": "正文称“{phrase}”，但{table_label}为{table_value}"},
        concerns="正文各部分，表二",
    ),
    Rule(
        "X-TEXT-ZERO",
        "warning",
        "正文与表格",
        "正文称依申请公开数量增加或存在问题，而表格为0",
        "正文“{phrase}”，但{table_label}为0",
        concerns="正文各部分（尤其第五部分），表三、表二",
    ),
    Rule(
        "X-TEXT-SUM",
        "error",
        "正文与表格",
        "正文自身的总数与分项应一致：分项之和不得超过总数，申请的收、结、转应平衡",
        "正文“{phrase}”：各分项之和{parts}超过总数{total}",
        variants={
            "short": "正文“{phrase}”：各分项之和{parts}少于总数{total}，且未注明“等”",
            "balance": "正文“{phrase}”：新收{new}＋上年结转{carried}＝{left}，"
            "办结{closed}＋结转{carry}＝{right}，收结转不平衡",
        },
        concerns="正文各部分",
        severity_note="分项之和超过总数、收结转不平衡为错误；分项之和少于总数且未注明“等”为警告",
    ),
    Rule(
        "X-FEE-STMT",
        "error",
        "正文与表格",
        "第六部分应说明信息处理费的收取情况（未收取也应说明）",
        "第六部分没有信息处理费的说明（依据" + form.FEE_LAW + "，应说明实际收取的金额，未收取也应写明“未收取”）",
        variants={
            "fields": "第六部分的信息处理费栏目未填写：{missing}",
            "mismatch": "第六部分正文中{label}为{text_value}，与信息处理费栏目填写的{value}不一致",
        },
        concerns="六、其他需要报告的事项；信息处理费栏目",
        severity_note="模板工作簿为错误；导入的已发布报告为警告",
    ),
    Rule(
        "X-S1-ASSESS",
        "warning",
        "正文与表格",
        "各级人民政府的“监督保障”应说明工作考核、社会评议和责任追究结果情况（条例第五十条第四项）",
        "单位类型为“{unit_type}”，“一、总体情况（五）监督保障”应说明工作考核、社会评议和责任追究结果情况"
        "（条例第五十条第四项），正文中未找到{missing}",
        concerns="一、总体情况（五）监督保障",
    ),
    Rule(
        "X-S5-PRIOR",
        "warning",
        "跨年度",
        "第五部分应针对上年报告所列问题说明改进情况，不应照抄上年",
        "第五部分与上年报告的第五部分相似度为{similarity}%，几乎照抄上年，未见对上年问题的整改情况",
        concerns="五、存在的主要问题及改进情况（与上年对比）",
    ),
)

# ---------------------------------------------------------------------------
# §3.6 Identity of the report, structure
# ---------------------------------------------------------------------------
declare(
    Rule(
        "META-YEAR",
        "error",
        "报告身份",
        "标题、统计期限和正文中的年度应与报告年度一致，日期格式正确",
        "{where}中的年度为{found}年，与报告年度{year}年不一致",
        variants={
            "malformed": "日期“{found}”格式有误",
            "no_such_day": "日期“{found}”不存在（该月没有这一天），请核对",
            "period": "统计期限“{found}”应为{year}年1月1日至{year}年12月31日",
            "early": "报告落款日期“{found}”早于报告年度结束（{year}年12月31日）",
        },
        concerns="标题、前言（统计期限）、正文中的日期",
    ),
    Rule(
        "META-PERIOD-STMT",
        "warning",
        "报告身份",
        "应说明统计期限（如“本报告中所列数据的统计期限为某年1月1日至12月31日”）",
        "正文没有说明统计期限（应为{year}年1月1日至{year}年12月31日）",
        variants={
            "vague": "正文只有“{found}”这样模糊的时间表述，没有说明统计期限（应为{year}年1月1日至{year}年12月31日）",
        },
        concerns="前言",
    ),
    Rule(
        "META-COVER",
        "error",
        "报告身份",
        "封面的必填项（单位名称、单位类型、所属县（市、区）、报告年度）应填写，单位类型应为规定的类型之一，"
        "报告年度应为四位数字的年份",
        "封面“{field}”未填写（必填项）",
        variants={
            "year": "封面“{field}”填写的是“{found}”，应为四位数字的年份（如2021）",
            "type": "封面“{field}”填写的是“{found}”，不是规定的单位类型，请从下拉列表中选择（"
            + "、".join(form.UNIT_TYPES)
            + "），否则无法进行与单位类型有关的校验（如乡镇不得制定规章）",
        },
        concerns="封面 单位名称、单位类型、所属县（市、区）、报告年度",
    ),
    Rule(
        "META-UNIT-NAME",
        "error",
        "报告身份",
        "正文中的地名、单位名应是本单位或其下辖村（社区），出现其他乡镇、县名疑似抄袭",
        "正文出现“{name}”，不是本单位（{unit}）或其下辖地名，疑似从其他单位的报告复制",
        concerns="正文全部部分",
    ),
    Rule(
        "META-ROLE",
        "warning",
        "报告身份",
        "正文措辞应与单位类型相符（如乡镇不是政府信息公开工作主管部门）",
        "正文“{phrase}”与单位类型“{unit_type}”不符：{reason}",
        concerns="正文全部部分",
    ),
    Rule(
        "META-DUP",
        "warning",
        "报告身份",
        "正文与上年报告或其他单位同年报告高度雷同",
        "正文与{other}的相似度为{similarity}%，内容雷同",
        variants={
            # the merge compares each part: the part first, so the other unit's county
            # (城关镇人民政府（石桥县）) is not followed by a second bracket
            "part": "正文“{heading}”与{other}的相似度为{similarity}%，内容雷同",
            "parts": "正文“{heading}”与{other}等{count}个单位雷同，最高相似度为{similarity}%",
        },
        concerns="正文全部部分",
    ),
    Rule(
        "META-DEADLINE",
        "warning",
        "报告身份",
        "报告应按期发布（县级以上政府部门1月31日前，本级政府3月31日前）",
        "报告发布日期{date}晚于期限{deadline}",
        concerns="发布日期",
        checker="manual",
    ),
    Rule(
        "META-STALE",
        "warning",
        "报告身份",
        "正文有过时表述（如2021年以后仍称“新修订的条例”，引用已废止文件）",
        "正文“{phrase}”：{reason}",
        concerns="正文全部部分",
    ),
    Rule(
        "STRUCT-SECTIONS",
        "error",
        "结构",
        "六个部分的标题齐全、顺序正确、措辞与格式一致",
        "章节“{heading}”{problem}",
        concerns="六个部分的标题",
        checker="importer",
        severity_note="缺失或顺序错误为错误；措辞改动为警告",
    ),
    Rule(
        "STRUCT-TABLES",
        "error",
        "结构",
        "表二、表三、表四分别位于第二、三、四部分，标签齐全",
        "表格“{table}”的结构不符合规定格式：{problem}",
        concerns="表二、表三、表四",
        checker="importer",
    ),
)

# ---------------------------------------------------------------------------
# §2.4 Template detection (published reports) and template integrity (workbooks)
# ---------------------------------------------------------------------------
_OLD = "，应使用" + _FMT + "规定的2021年格式"
_IN_FORCE = "：{year}年度报告使用的是当时有效的2019年格式（国办公开办函〔2019〕60号），不是错误；该表与2021年格式不可比，其中的数字未读取"
_IN_FORCE_NOTE = "报告年度为2019、2020年时为警告（当时有效的格式）"
declare(
    Rule(
        "TPL-2019-T2A",
        "error",
        "模板",
        "表二使用了2019年格式的栏目（本年新制作数量、本年新公开数量、对外公开总数量）",
        "表二含2019年格式的栏目“{label}”" + _OLD,
        variants={"in_force": "表二含2019年格式的栏目“{label}”" + _IN_FORCE},
        checker="importer",
        severity_note=_IN_FORCE_NOTE,
    ),
    Rule(
        "TPL-2019-T2B",
        "error",
        "模板",
        "表二使用了2019年格式的栏目（上一年项目数量、本年增/减、处理决定数量）",
        "表二含2019年格式的栏目“{label}”" + _OLD,
        variants={"in_force": "表二含2019年格式的栏目“{label}”" + _IN_FORCE},
        checker="importer",
        severity_note=_IN_FORCE_NOTE,
    ),
    Rule(
        "TPL-2019-T2C",
        "error",
        "模板",
        "表二含2019年格式的行“其他对外管理服务事项”",
        "表二含2019年格式的行“{label}”" + _OLD,
        variants={"in_force": "表二含2019年格式的行“{label}”" + _IN_FORCE},
        checker="importer",
        severity_note=_IN_FORCE_NOTE,
    ),
    Rule(
        "TPL-2019-T2D",
        "error",
        "模板",
        "表二含2019年格式的第二十条第（九）项（政府集中采购）",
        "表二含2019年格式的“{label}”" + _OLD,
        variants={"in_force": "表二含2019年格式的“{label}”" + _IN_FORCE},
        checker="importer",
        severity_note=_IN_FORCE_NOTE,
    ),
    Rule(
        "TPL-2019-T2E",
        "warning",
        "模板",
        "表二第（一）项的行标签为“规范性文件”而非“行政规范性文件”",
        "表二的行标签为“{label}”，2021年格式为“行政规范性文件”",
        variants={"in_force": "表二的行标签为“{label}”" + _IN_FORCE},
        checker="importer",
        severity_note="单独出现为警告；与其他 TPL-2019 问题同时出现为错误；" + _IN_FORCE_NOTE,
    ),
    Rule(
        "TPL-2019-T3",
        "error",
        "模板",
        "表三（六）其他处理没有分项，或只有23行数据（2019年格式）",
        "表三有{rows}行数据，（六）其他处理没有3个分项（2019年格式）" + _OLD,
        variants={"in_force": "表三有{rows}行数据，（六）其他处理没有分项：{year}年度报告使用的是当时有效的2019年格式（国办公开办函〔2019〕60号），不是错误"},
        checker="importer",
        severity_note=_IN_FORCE_NOTE,
    ),
    Rule(
        "TPL-PRE2019",
        "warning",
        "模板",
        "出现2019年以前（2007年条例时期）的标题，疑似照抄旧报告",
        "出现2019年以前的旧标题“{label}”，疑似照抄旧报告",
        checker="importer",
    ),
    Rule(
        "TPL-LOCAL",
        "warning",
        "模板",
        "表格含地方格式增加的行或栏目",
        "{table}含国家格式以外的行或栏目“{label}”",
        checker="importer",
    ),
    Rule(
        "TPL-LABEL-EXACT",
        "warning",
        "模板",
        "表格标签与规定格式逐字一致（错字或重新录入的标签）",
        "{table}的标签“{found}”与规定格式“{expected}”不一致",
        checker="importer",
    ),
    Rule(
        "TPL-IMAGE",
        "warning",
        "模板",
        "章节标题存在但正文中没有表格（表格可能以图片发布），无法校验",
        "“{section_heading}”下没有找到{table}的文字（表格可能以图片发布），无法校验",
        checker="importer",
    ),
    Rule(
        "TPL-DOCNO",
        "warning",
        "模板",
        "引用的格式文号应为“" + _FMT + "”",
        "正文引用的文号“{found}”有误，应为“" + _FMT + "”",
    ),
    Rule(
        "TPL-WB-LABEL",
        "error",
        "模板",
        "模板中的标签（表头、行名、栏目名）不得修改",
        "工作表“{sheet_name}”{coordinate}的标签被改为“{found}”，应为“{expected}”",
        concerns="模板的全部标签单元格",
    ),
    Rule(
        "TPL-WB-FORMULA",
        "error",
        "模板",
        "总计单元格应保留模板公式，不得改为手填数字",
        "{label}的公式被改为手填的数字{value}（各项之和为{expected}），请恢复模板的总计公式",
        variants={
            "cached": "{label}在文件中的计算结果为{cached}，与各项之和{expected}不一致（公式可能被修改）",
            "deleted": "{label}的公式被删除，单元格为空（各项之和为{expected}），请恢复模板的总计公式",
            "error": "{label}的公式被改为错误值{value}（各项之和为{expected}），请恢复模板的总计公式",
        },
        concerns="表三、表四的总计单元格",
    ),
    Rule(
        "TPL-WB-SHEETS",
        "error",
        "模板",
        "不得增加或删除模板的工作表",
        "缺少模板工作表“{sheet_name}”",
        variants={"added": "增加了模板以外的工作表“{sheet_name}”"},
        concerns="工作簿的工作表",
    ),
    Rule(
        "TPL-WB-VERSION",
        "error",
        "模板",
        "封面的模板编号和模板版本不得缺失或修改",
        "{field}为“{found}”，应为“{expected}”",
        concerns="封面 模板编号、模板版本",
    ),
    Rule(
        "TPL-WB-MACROS",
        "warning",
        "模板",
        "工作簿不应含有宏（gxexcel 不运行宏）",
        "工作簿含有宏（VBA），gxexcel 不会运行宏；请使用不含宏的模板",
        concerns="工作簿",
    ),
)

# ---------------------------------------------------------------------------
# Across years (when last year's report is given)
# ---------------------------------------------------------------------------
declare(
    Rule(
        "XY-T3-CARRY",
        "error",
        "跨年度",
        "本年“上年结转”应等于上年报告的“结转下年度继续办理”",
        "表三 {column}列：上年结转{carried}，与上年报告的结转下年度继续办理{previous}不一致",
        concerns="表三 二、上年结转政府信息公开申请数量",
        severity_note="总计列为错误；各申请人列为警告（申请人类别可能调整）",
    ),
    Rule(
        "XY-T2-ROLL",
        "warning",
        "跨年度",
        "现行有效件数＝上年现行有效件数＋本年制发件数－本年废止件数",
        "表二 {row}：现行有效件数{in_force}，而上年现行有效{previous}＋本年制发{issued}－本年废止{repealed}＝{expected}",
        concerns="表二 规章、行政规范性文件",
    ),
    Rule(
        "XY-UNIT",
        "warning",
        "跨年度",
        "上年报告应属于同一单位、上一年度，否则跨年度校验不适用",
        "上年报告为“{previous_unit}”{previous_year}，本年为“{unit}”{year}，跨年度校验可能不适用",
        concerns="封面 单位名称、报告年度",
    ),
)


# ---------------------------------------------------------------------------
# importer: what importing a published report (text, HTML, Word) could not read
# ---------------------------------------------------------------------------
declare(
    Rule(
        "IMP-MISSING",
        "error",
        "结构",
        "已发布报告中应能找到标题、年度、六个部分和三张表格的每一行",
        "报告中没有找到{what}",
        concerns="已发布报告的标题、章节和表格",
        checker="importer",
    ),
    Rule(
        "IMP-ROW-SHORT",
        "error",
        "结构",
        "表格每一行的数值个数应与栏目数一致（合并单元格丢失时无法确定数值所属栏目）",
        "{table}“{row}”一行应有{expected}个数值，实际读到{found}个（{values}），"
        "无法确定各数值所属的栏目，该行未导入",
        concerns="表二、表三、表四的数据行",
        checker="importer",
    ),
    Rule(
        "IMP-CELL-BLANK",
        "warning",
        "单元格",
        "已发布表格中空白、“/”或“—”的单元格按空白导入，不当作0",
        "{table}“{row}”的{columns}为空白、“/”或“—”，按空白导入（未当作0）",
        concerns="表二、表三、表四的数据单元格",
        checker="importer",
    ),
    Rule(
        "IMP-NUMBER",
        "warning",
        "单元格",
        "已发布表格中的数字写法不规范（千位分隔符、全角数字）",
        "{table}“{row}”的“{text}”按数字{value}导入，请核对",
        concerns="表二、表三、表四的数据单元格",
        checker="importer",
    ),
)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table() -> str:
    """Every rule as a Markdown table (the README's rule list is generated from this)."""
    lines = [
        "| 规则 | 级别 | 类别 | 检查内容 | 提示示例（模板） | 由谁检查 |",
        "|---|---|---|---|---|---|",
    ]
    for rule in RULES.values():
        severity = SEVERITY_TEXT[rule.severity]
        if rule.severity_note:
            severity += f"（{rule.severity_note}）"
        lines.append(
            "| "
            + " | ".join(
                _md_escape(x)
                for x in (
                    f"`{rule.id}`",
                    severity,
                    rule.category,
                    rule.title,
                    rule.message,
                    CHECKERS[rule.checker],
                )
            )
            + " |"
        )
    return "\n".join(lines) + "\n"
