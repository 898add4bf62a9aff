"""Every message a clerk reads, checked mechanically as a Chinese reviewer would.

Each rule's message (every variant) is rendered through ``Rule.finding`` with
plausible parameters, and the real messages of the breakers of
``test_rules_each`` are rendered too; none may show a Python repr (None, True,
[...], '...'), English words, ASCII punctuation between Chinese characters, a
count printed as 5.0, unbalanced quotation marks or a doubled term
(“总计 总计”). Cell and figure labels, which most messages embed, are checked
the same way.
"""

from __future__ import annotations

import re
import sys

import pytest

from gxexcel import form
from gxexcel.rules.catalog import RULES
from gxexcel.textfigures import MEASURES

CJK = r"[\u3400-\u9fff（）“”《》〔〕、，。：；]"
#: Words that may appear in messages: the program's name and file-format words.
ALLOWED_LATIN = {"gxexcel", "VBA", "Excel", "WPS", "JSON", "SHA"}


def problems(text: str) -> list[str]:
    """What a reviewer would object to in one message."""
    text = text.replace("本年增/减", "本年增减")  # the 2019 format's own column label
    found = []
    for word in ("None", "True", "False", "nan", "[", "]", "{", "}", "'", '"', "\\n"):
        if word in text:
            found.append(f"Python repr {word!r}")
    bare = re.sub(r"“[^“”]*”", "“…”", text)  # what is quoted is shown as found (“1.0”, “/”)
    for word in re.findall(r"[A-Za-z]{3,}", bare):
        if word not in ALLOWED_LATIN:
            found.append(f"English word {word!r}")
    if re.search(CJK + r"\s*[,;:/!?]\s*" + CJK, bare):
        found.append("ASCII punctuation between Chinese characters")
    if re.search(r"(?<![\d.])\d+\.0(?![\d.])", bare):
        found.append("a whole number printed as x.0")
    if text.count("“") != text.count("”") or text.count("（") != text.count("）"):
        found.append("unbalanced quotation marks or brackets")
    doubled = re.search(r"([\u4e00-\u9fff]{2,})[ 的]?\1", text)
    if doubled:
        found.append(f"doubled term {doubled.group()!r}")
    if re.search(r"[，。、：；][，。、：；]", text):
        found.append("doubled punctuation")
    for table in ("表二", "表三", "表四"):
        if bare.count(table) > 1:
            found.append(f"{table} named twice")
    return found


# ---------------------------------------------------------------------------
# Plausible parameters (as the producers pass them; floats where a sum may be one)
# ---------------------------------------------------------------------------

DEFAULTS = {
    "label": form.CELLS["t3.new.business"].label,
    "value": 5.0,
    "reason": "整数且不小于10000",
    "formula": "=D6+1",
    "row": "行政规范性文件",
    "issued": 9.0,
    "in_force": 1.0,
    "repealed": 0.0,
    "limit": 1.0,
    "unit_type": "乡镇人民政府",
    "table": "表三",
    "where": " 自然人列",
    "left_text": "一＋二",
    "left": 11.0,
    "right_text": "三（七）＋四",
    "right": 12.0,
    "column": "自然人",
    "carry": 50.0,
    "available": 11.0,
    "count": 1.0,
    "notices_label": form.FEE_FIELDS[0].label,
    "notices": 0,
    "cases": 2.0,
    "prior": "（上年也为0）",
    "phrase": "新收政府信息公开申请10件",
    "text_value": 10,
    "table_label": MEASURES["t3.new"].label,
    "table_value": 11.0,
    "parts": 2558.0,
    "total": 382,
    "new": 10,
    "carried": 1.0,
    "closed": 9,
    "missing": "“工作考核”“社会评议”",
    "similarity": 93,
    "found": "2020",
    "year": 2021,
    "field": "报告年度",
    "name": "金山镇",
    "unit": "石门镇人民政府",
    "other": "上年（2020年）报告",
    "date": "2022年2月10日",
    "deadline": "2022年1月31日",
    "heading": "五、存在的主要问题及改进情况",
    "problem": "缺失",
    "rows": 23,
    "section_heading": "三、收到和处理政府信息公开申请情况",
    "sheet_name": "表三",
    "coordinate": "A9",
    "expected": 10.0,
    "cached": 12.0,
    "previous": 3.0,
    "previous_unit": "金竹乡人民政府",
    "previous_year": "（2020年）",
    "what": "报告年度",
    "columns": form.CELLS["t3.new.business"].column_label + "、" + form.CELLS["t4.suit_direct.total"].column_label,
    "values": "3、空白、5",
    "text": "１２",
}

OVERRIDES: dict[str, dict[str, object]] = {
    "CELL-INT": {"value": "3件"},
    "CELL-FEE": {"label": form.CELLS["t2.fees.amount"].label, "value": "-1.5"},
    "CELL-FEE-UNIT": {"label": form.CELLS["t2.fees.amount"].label, "value": "25600"},
    "T2-REGS-LEVEL": {"issued": 1, "in_force": 1},
    "T3-ROW-TOTAL": {"where": " 一、本年新收政府信息公开申请数量行", "left_text": "总计", "right_text": "各申请人类别之和"},
    "T3-RESULT-SUM": {"left_text": "（七）总计", "right_text": "（一）至（六）各项之和"},
    "T4-REVIEW-SUM": {"table": "表四", "where": " 行政复议", "left_text": "总计", "right_text": "结果维持＋结果纠正＋其他结果＋尚未审结"},
    "T4-LIT-DIRECT-SUM": {"table": "表四", "where": " 行政诉讼（未经复议直接起诉）", "left_text": "总计", "right_text": "结果维持＋结果纠正＋其他结果＋尚未审结"},
    "T4-LIT-AFTER-SUM": {"table": "表四", "where": " 行政诉讼（复议后起诉）", "left_text": "总计", "right_text": "结果维持＋结果纠正＋其他结果＋尚未审结"},
    "T3-ZERO-CONSIST": {"label": form.CELLS["t3.open.natural"].label.removeprefix("表三 "), "value": 2.0},
    "X-TEXT-T4": {"phrase": "行政复议3件", "text_value": 3, "table_label": MEASURES["t4.cases"].label, "table_value": 1.0},
    "X-TEXT-T2": {"phrase": "行政处罚决定5件", "text_value": 5, "table_label": MEASURES["t2.penalty"].label, "table_value": 0},
    "X-TEXT-ZERO": {"phrase": "申请数量增加", "table_label": "表三 本年新收与上年结转申请数量之和"},
    "X-FEE-STMT": {"missing": "、".join(f.label for f in form.FEE_FIELDS)},
    "META-YEAR": {"where": "正文", "found": "2020"},
    "META-PERIOD-STMT": {"found": "截止目前"},
    "META-COVER": {"found": "2021年度"},
    "META-DUP": {"count": 3},
    "META-ROLE": {"phrase": "履行政府信息公开工作主管部门职责", "reason": "乡镇（街道）不是政府信息公开工作主管部门"},
    "META-STALE": {"phrase": "新修订的《中华人民共和国政府信息公开条例》", "reason": "条例于2019年修订施行"},
    "STRUCT-TABLES": {"problem": "缺少2行（“（七）总计”“四、结转下年度继续办理”）"},
    "TPL-2019-T2A": {"label": "本年新制作数量", "year": 2020},
    "TPL-2019-T2B": {"label": "上一年项目数量", "year": 2020},
    "TPL-2019-T2C": {"label": "其他对外管理服务事项", "year": 2020},
    "TPL-2019-T2D": {"label": "第二十条第（九）项", "year": 2020},
    "TPL-2019-T2E": {"label": "规范性文件", "year": 2020},
    "TPL-2019-T3": {"year": 2020},
    "TPL-PRE2019": {"label": "依申请公开政府信息和不予公开政府信息的情况"},
    "TPL-LOCAL": {"label": "其中：网上申请"},
    "TPL-LABEL-EXACT": {"found": "1.属于国家机密", "expected": "1.属于国家秘密"},
    "TPL-DOCNO": {"found": "国办政务公开办函〔2021〕30号"},
    "TPL-WB-LABEL": {"found": "1.属于国家机密", "expected": "1.属于国家秘密"},
    "TPL-WB-FORMULA": {"label": form.CELLS["t3.new.total"].label, "value": 12.0},
    "TPL-WB-VERSION": {"field": "模板版本", "found": "0.9", "expected": "1.0"},
    "XY-T2-ROLL": {"in_force": 1.0, "previous": 4.0, "issued": 1.0, "repealed": 0.0, "expected": 5.0},
    "IMP-MISSING": {"what": "表三的“（七）总计”一行"},
    "IMP-ROW-SHORT": {"row": "行政许可", "expected": 1, "found": 2},
    "IMP-CELL-BLANK": {"table": "表四", "row": "行政复议"},
    "IMP-NUMBER": {"table": "表二", "row": "行政许可", "text": "８０５", "value": "805"},
}

CASES = [(rule.id, variant) for rule in RULES.values() for variant in rule.params]


@pytest.mark.parametrize("rule_id, variant", CASES, ids=[f"{r}:{v or 'main'}" for r, v in CASES])
def test_every_rule_message_reads_cleanly(rule_id, variant):
    rule = RULES[rule_id]
    params = {**DEFAULTS, **OVERRIDES.get(rule_id, {})}
    names = rule.params[variant]
    finding = rule.finding(variant, **{k: params[k] for k in names})
    assert problems(finding.message) == [], finding.message
    assert problems(rule.title) == [], rule.title


def test_a_float_sum_is_shown_as_a_whole_number():
    f = RULES["T3-BALANCE"].finding(table="表三", where=" 自然人列", left_text="一＋二", left=11.0,
                                    right_text="三（七）＋四", right=0.1 + 0.2)
    assert f.message == "表三 自然人列：一＋二＝11，三（七）＋四＝0.3，勾稽关系不符"


def test_cell_and_figure_labels_read_cleanly():
    labels = [c.label for c in form.CELLS.values()] + [m.label for m in MEASURES.values()]
    assert [(x, problems(x)) for x in labels if problems(x) or "/" in x] == []


def test_labels_name_the_official_headers():
    assert form.CELLS["t3.total.total"].label == "表三 三、本年度办理结果（七）总计"
    assert form.CELLS["t3.new.business"].label == "表三 一、本年新收政府信息公开申请数量 法人或其他组织（商业企业）"
    assert form.CELLS["t4.suit_after_review.total"].label == "表四 行政诉讼（复议后起诉） 总计"
    assert MEASURES["t4.cases"].label == "表四 行政复议、行政诉讼 总计"
    assert MEASURES["t3.deny"].label == "表三 三、本年度办理结果（三）不予公开 总计"
    assert len({c.label for c in form.CELLS.values()}) == len(form.CELLS)  # merge's detail headers


def test_real_messages_of_every_breaker_read_cleanly():
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    from test_rules_each import BREAK, _run

    bad = []
    for rule in sorted(BREAK):
        make, breaker = BREAK[rule]
        for f in _run(breaker(make())):
            if problems(f.message):
                bad.append((f.rule, f.message, problems(f.message)))
    assert bad == []
