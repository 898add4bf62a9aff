"""The catalogue of rules: id, severity, Chinese title and message template.

Adding a rule is one entry here plus, for rules the engine evaluates, one
check function registered under the same id. Readers and importers build
their findings from these entries too, so every finding of a given rule looks
the same wherever it was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import form
from ..findings import Finding, Severity


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    category: str  # 单元格 / 表二 / 表三 / 表四 / 正文与表格 / 报告身份 / 模板 / 跨年度
    title: str  # one-line Chinese description of what the rule checks
    message: str  # str.format template for the finding message

    def finding(self, **params: Any) -> Finding:
        """A finding of this rule; ``params`` fill the message and the location fields."""
        location = {k: params.pop(k) for k in list(params) if k in _LOCATION_FIELDS}
        return Finding(
            rule=self.id,
            severity=location.pop("severity", self.severity),
            message=self.message.format(**params),
            **location,
        )

    def to_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "severity": self.severity,
            "category": self.category,
            "title": self.title,
            "message": self.message,
        }


_LOCATION_FIELDS = {"sheet", "cell", "cells", "section", "quote", "file", "severity"}

RULES: dict[str, Rule] = {}


def declare(*rules: Rule) -> None:
    for rule in rules:
        if rule.id in RULES:
            raise ValueError(f"rule {rule.id} declared twice")
        RULES[rule.id] = rule


def finding(rule_id: str, **params: Any) -> Finding:
    return RULES[rule_id].finding(**params)


# The sum identities are declared in gxexcel.form; their rules come from there.
declare(
    *(
        Rule(
            r.id,
            "error",
            form.TABLES[r.table].name,
            r.statement,
            "{table}{where}：{left_text}＝{left}，{right_text}＝{right}，" + r.check_text,
        )
        for r in form.IDENTITY_RULES
    )
)
