"""A finding: one rule broken at one place, with the clerk's explanation.

Findings are produced by the rule engine (:mod:`gxexcel.rules`) and by the
readers and importers (format detection, lost cells). Every producer uses the
same class so that the CLI, the 校验结果 sheet, the consolidation and the
ribbon show them alike.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]
SEVERITY_TEXT: dict[str, str] = {"error": "错误", "warning": "警告"}


@dataclass
class Finding:
    rule: str
    severity: Severity
    message: str
    #: Workbook location (sheet name and A1 coordinate), "" when not a cell.
    sheet: str = ""
    cell: str = ""
    #: Cell ids of the form the finding concerns (for highlighting).
    cells: list[str] = field(default_factory=list)
    #: Text location: section heading and the quoted sentence.
    section: str = ""
    quote: str = ""
    #: The clerk's explanation (出错说明); only warnings can be explained.
    explanation: str = ""
    file: str = ""

    @property
    def key(self) -> str:
        """Stable identity of a finding across runs, for carrying explanations."""
        where = f"{self.sheet}!{self.cell}" if self.cell else self.section or self.quote[:20]
        if self.quote and (self.cell or self.section):
            # several findings of one rule in one text cell: tell them apart by the sentence
            where += f"“{self.quote[:20]}”"
        return f"{self.rule}@{where}"

    @property
    def explained(self) -> bool:
        return self.severity == "warning" and bool(self.explanation.strip())

    @property
    def location(self) -> str:
        if self.cell:
            return f"{self.sheet}!{self.cell}"
        if self.sheet:
            return self.sheet
        return self.section

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
