"""The report model: one unit's annual report, whatever it was read from.

A :class:`Report` holds the cover fields, the narrative text, the structured
信息处理费 figures and every table cell keyed by the cell ids of
:mod:`gxexcel.form`. Cell values are kept as entered (int, float, str or
None for blank) so that the validator can report text, decimals or blanks in
count cells instead of losing them. ``to_json``/``from_json`` round-trip
exactly.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Union

from . import form
from .findings import Finding

CellValue = Union[int, float, str, None]

MODEL_VERSION = 1

#: Excel's error values, as a cell shows them (a cell holding one reads as that text).
ERROR_VALUES: frozenset[str] = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!",
    "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
})


@dataclass
class Source:
    """Where a report came from and what the reader observed on the way."""

    path: str = ""
    kind: str = ""  # workbook | text | html | docx | json | consolidation
    sha256: str = ""
    template_id: str = ""
    template_version: str = ""
    #: Sheet names found in the workbook, in order.
    sheets: list[str] = field(default_factory=list)
    #: Total cells that hold a typed value instead of their formula.
    typed_totals: list[str] = field(default_factory=list)
    #: Input cells holding a formula instead of a typed figure: cell id -> formula.
    formula_inputs: dict[str, str] = field(default_factory=dict)
    #: Cached value of total cells as found in the file (None when not cached).
    cached_totals: dict[str, CellValue] = field(default_factory=dict)
    #: Label cells whose text differs from the form: "sheet!A1" -> text found.
    changed_labels: dict[str, str] = field(default_factory=dict)
    #: The cover's 报告年度 as entered when it is filled but not a whole number (“2021年度”, “二〇二一”).
    year_text: str = ""
    #: Whether the file carries VBA macros (never run).
    has_macros: bool = False
    #: Findings made while reading or importing (format detection, lost cells …).
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Report:
    unit_name: str = ""
    unit_type: str = ""
    parent: str = ""
    year: int | None = None
    contact: str = ""
    phone: str = ""
    title: str = ""
    template_id: str = ""
    template_version: str = ""
    #: Narrative part id (form.NARRATIVE_PARTS) -> text.
    narrative: dict[str, str] = field(default_factory=dict)
    #: Narrative part id -> generation marker (see gxexcel.narrative); "" = clerk text.
    markers: dict[str, str] = field(default_factory=dict)
    #: Fee field id (form.FEE_FIELDS) -> value (count or 元), None when blank.
    fees: dict[str, CellValue] = field(default_factory=dict)
    #: Cell id (form.CELLS) -> value as entered; None = blank.
    cells: dict[str, CellValue] = field(default_factory=dict)
    #: Clerk's explanations of warnings: finding key -> text (出错说明).
    explanations: dict[str, str] = field(default_factory=dict)
    source: Source = field(default_factory=Source)

    def __post_init__(self) -> None:
        # Every cell and fee field is always present; None means blank.
        for cid in form.CELLS:
            self.cells.setdefault(cid, None)
        for fee in form.FEE_FIELDS:
            self.fees.setdefault(fee.id, None)

    # -- construction -----------------------------------------------------

    @classmethod
    def blank(cls, **kwargs: Any) -> "Report":
        """A report with every cell blank (what an empty template reads as)."""
        return cls(**kwargs)

    @classmethod
    def zeros(cls, **kwargs: Any) -> "Report":
        """A report with every input 0 and totals computed (a unit with nothing to report)."""
        report = cls(**kwargs)
        for cid in form.INPUT_CELLS:
            if report.cells[cid] is None:
                report.cells[cid] = 0
        report.fill_totals()
        return report

    # -- figures ----------------------------------------------------------

    def number(self, cell_id: str) -> float:
        """The cell as a number for arithmetic; blank and text count as 0."""
        value = self.cells.get(cell_id)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return 0
        return value

    def computed_total(self, cell_id: str) -> int | float:
        """What a 总计 cell must be: the sum of its input parts."""
        number = self.number
        total = sum([number(p) for p in form.total_parts(cell_id)])
        return tidy_number(total)

    def fill_totals(self) -> "Report":
        """Set every 总计 cell to the sum of its parts (what the template's formulas do)."""
        for cid in form.TOTAL_CELLS:
            self.cells[cid] = self.computed_total(cid)
        return self

    @property
    def title_text(self) -> str:
        """The official title: 单位 + 年度 + 政府信息公开工作年度报告."""
        if self.title:
            return self.title
        year = f"{self.year}年" if self.year else ""
        return f"{self.unit_name}{year}{form.REPORT_TITLE_SUFFIX}"

    # -- JSON -------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["model_version"] = MODEL_VERSION
        return data

    def to_json(self, **kwargs: Any) -> str:
        kwargs.setdefault("ensure_ascii", False)
        kwargs.setdefault("indent", 2)
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        data = dict(data)
        data.pop("model_version", None)
        source = dict(data.pop("source", {}) or {})
        source["findings"] = [Finding(**f) for f in source.get("findings", [])]
        return cls(**data, source=Source(**source))

    @classmethod
    def from_json(cls, text: str) -> "Report":
        return cls.from_dict(json.loads(text))

    def content(self) -> dict[str, Any]:
        """The report without provenance (source, template stamp); an empty text
        part or marker is the same as a missing one."""
        data = self.to_dict()
        for key in ("source", "template_id", "template_version"):
            data.pop(key)
        for key in ("narrative", "markers"):
            data[key] = {k: v for k, v in data[key].items() if v}
        return data

    def same_content(self, other: "Report") -> bool:
        """Equal as reports: cover, text, fees, cells, explanations (provenance ignored)."""
        return self.content() == other.content()


def tidy_number(value: int | float) -> int | float:
    """A sum as a clean number: float noise rounded away, whole floats as int."""
    if isinstance(value, float):
        value = round(value, 6)
        if value.is_integer():
            return int(value)
    return value
