"""Turn the cells of one table, as published, into the cells of the model.

The published table arrives as a stream of tokens: the cells of :class:`Row`
items (one token per cell, blank cells kept, rows known) and the
whitespace-separated words of :class:`Line` items (a table copied as one cell
per line, or a whole body on one line; rows unknown, blank cells lost). The
parser walks the stream: a token matching a row label starts that row, the
figures after it are its values; group labels (三、本年度办理结果, （三）不予公开)
and headers only set context. A row with more or fewer figures than columns is
reported (IMP-ROW-SHORT) and left blank: a lone figure is never assigned to a
column by guessing. Blank and “/” cells stay None and are reported
(IMP-CELL-BLANK). Totals are kept as published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from .. import form
from ..findings import Finding
from ..model import CellValue, tidy_number
from ..rules.catalog import finding
from . import formats
from .items import Item, Row
from .labels import MAX_LABEL_PARTS, Label, LabelIndex, Match, index
from .normalize import has_thousands_separator, is_blank_mark, key, parse_number, width

_PROSE = re.compile(r"[。；;！？]")
#: 表三's columns of 法人或其他组织, and the local subtotal column some localities add to them.
_T3_ORG_LABELS = tuple(c.label for c in form.T3.columns if c.group)
_SUBTOTAL_KEYS = frozenset({"小计", "合计", "法人或其他组织小计", "法人或其他组织合计"})
#: 表三 （六）其他处理: three sub-rows since 2021, a single row in the 2019 format.
_T3_OTHER_GROUP = next(r.labels[1] for r in form.T3.rows if r.id == "other_other")


@dataclass
class Token:
    text: str
    item: int  # index of the item it came from
    row: int | None  # the item index for table rows, None for words of a line

    @cached_property
    def blank(self) -> bool:
        return is_blank_mark(self.text)

    @cached_property
    def number(self) -> int | float | None:
        return parse_number(self.text)

    def is_value(self) -> bool:
        """A figure or an explicit blank; in a table row also an empty cell."""
        if self.number is not None:
            return True
        if self.row is not None:
            return self.blank
        return self.blank and self.text.strip() != ""


@dataclass
class TableResult:
    table: str
    cells: dict[str, CellValue] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    #: items the table used (labels or figures)
    used: set[int] = field(default_factory=set)
    #: at least one label or figure of the table was found
    found: bool = False
    rows_seen: set[str] = field(default_factory=set)
    labels_seen: set[str] = field(default_factory=set)  # official texts of the labels found
    row_items: set[int] = field(default_factory=set)  # items holding row labels and their figures
    old_rules: dict[str, str] = field(default_factory=dict)  # TPL-2019 rule -> first label
    label_diffs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def span(self) -> tuple[int, int] | None:
        return (min(self.used), max(self.used)) if self.used else None


def tokens_of(items: list[Item], offset: int = 0) -> list[Token]:
    out: list[Token] = []
    for i, item in enumerate(items, start=offset):
        if isinstance(item, Row):
            out.extend(Token(c, i, i) for c in item.cells)
        else:
            out.extend(Token(w, i, None) for w in item.text.split())
    return out


def _row_name(label: Label) -> str:
    return label.text or "数据行"  # 表四's one unnamed row: “表四“数据行”一行”, not “表四“表四数据行””


def _cell_ids(table: str, row: str) -> list[str]:
    return [c.id for c in form.TABLES[table].cells if c.row == row]


def column_labels(table: str) -> list[str]:
    """The official column headings of a table (group headings included), in order."""
    t = form.TABLES[table]
    columns = [c for b in t.blocks for c in b.columns] if t.blocks else list(t.columns)
    out = [part for c in columns for part in (c.group.split("/") if getattr(c, "group", "") else []) + [c.label]]
    return list(dict.fromkeys(x for x in out if x))


def _cells_of_row_named(table: str, name: str) -> list[str]:
    return next(
        (_cell_ids(table, lb.row) for lb in index(table).rows if _row_name(lb) == name), []
    )


class _Parser:
    def __init__(self, table: str, tokens: list[Token]) -> None:
        self.table = table
        self.name = form.TABLES[table].name
        self.idx: LabelIndex = index(table)
        self.tokens = tokens
        self.result = TableResult(table)
        self.header_seen = False
        #: 表三's local 小计 column of 法人或其他组织: index among a row's figures, when the header has one
        self.subtotal_at: int | None = None
        self.subtotal_label = ""

    # -- helpers ----------------------------------------------------------

    def _texts_at(self, i: int) -> list[str]:
        """Up to MAX_LABEL_PARTS text tokens from i on (same row for table rows) for label matching."""
        first = self.tokens[i]
        texts = []
        for tok in self.tokens[i : i + MAX_LABEL_PARTS]:
            if tok.row != first.row or tok.is_value() or not tok.text.strip():
                break
            texts.append(tok.text)
        return texts

    def _match(self, i: int) -> Match | None:
        texts = self._texts_at(i)
        if not texts:
            return None
        if _PROSE.search(texts[0]) and len(texts[0]) > 30:
            return None
        return self.idx.match(texts)

    def _values_after(self, i: int, label: Label | None, row: int | None) -> tuple[list[Token], int]:
        """The value tokens from i on that belong to the row ``row`` (None: words of
        lines, where a row ends at the first non-figure or after its expected count)."""
        toks = self.tokens
        cap = label.values if (label is not None and row is None) else 0
        vals: list[Token] = []
        j = i
        while j < len(toks):
            tok = toks[j]
            if tok.row != row:
                break
            if row is not None:
                if tok.text.strip() and not tok.is_value() and self._match(j):
                    break  # the next row's label in a row that lost its line breaks
            elif not tok.is_value():
                break
            vals.append(tok)
            j += 1
            if cap and len(vals) >= cap:
                break
        return vals, j

    # -- the walk ---------------------------------------------------------

    def run(self) -> TableResult:
        i = 0
        toks = self.tokens
        while i < len(toks):
            tok = toks[i]
            if not tok.text.strip():
                i += 1
                continue
            if tok.is_value():
                if self.table == "t4" and self.header_seen and "" not in self.result.rows_seen:
                    label = next(lb for lb in self.idx.rows if lb.row == "")
                    vals, i = self._values_after(i, label, tok.row)
                    self._assign(label, vals)
                    continue
                i += 1
                continue
            m = self._match(i)
            if m is None:
                self._unknown(i)
                i += 1
                continue
            self._seen(m, i)
            i += m.consumed
            last = m.labels[-1]
            if last.kind == "row":
                self.result.row_items.update(toks[k].item for k in range(i - m.consumed, i))
                vals, i = self._values_after(i, last, toks[i - 1].row)
                self._assign(last, vals)
            elif last.kind == "old" and last.values:
                _, i = self._values_after(i, None, toks[i - 1].row)
            elif last.text == _T3_OTHER_GROUP:
                if i < len(toks) and toks[i].is_value() and toks[i].text.strip():
                    # （六）其他处理 followed by figures: the single row of the 2019 format
                    _, i = self._values_after(i, None, toks[i - 1].row)
                    self.result.old_rules.setdefault("TPL-2019-T3", last.text)
        return self.result

    def _seen(self, m: Match, i: int) -> None:
        self.result.found = True
        for k in range(i, i + m.consumed):
            self.result.used.add(self.tokens[k].item)
        for label in m.labels:
            self.result.labels_seen.add(label.text)
            if label.kind in ("header", "note", "group"):
                self.header_seen = True
            if label.rule:
                self.result.old_rules.setdefault(label.rule, m.found if not m.exact else label.text)
        if not m.exact and len(m.labels) == 1:
            self.result.label_diffs.append((m.found, m.labels[0].text))

    def _unknown(self, i: int) -> None:
        tok = self.tokens[i]
        if (
            self.table == "t3"
            and self.header_seen
            and not self.result.rows_seen
            and self.subtotal_at is None
            and key(tok.text) in _SUBTOTAL_KEYS
        ):
            # a header cell 小计 among the columns of 法人或其他组织: after those already named
            self.subtotal_at = 1 + sum(1 for c in _T3_ORG_LABELS if c in self.result.labels_seen)
            self.subtotal_label = tok.text.strip()
            self.result.used.add(tok.item)
            return
        nxt = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
        if (
            tok.row is not None
            and nxt is not None
            and nxt.row == tok.row
            and nxt.number is not None
            and self.header_seen
            and not _PROSE.search(tok.text)
            and parse_number(tok.text) is None
        ):
            self.result.findings.append(
                finding("TPL-LOCAL", table=self.name, label=tok.text.strip(), section=self.name)
            )
            self.result.used.add(tok.item)

    def _without_subtotal(self, vals: list[Token]) -> list[Token]:
        """A row's figures without the 小计 column, when it is the sum of the five columns of
        法人或其他组织 (then the header told the columns right); else unchanged (IMP-ROW-SHORT)."""
        at = self.subtotal_at or 0
        sub, rest = vals[at], vals[:at] + vals[at + 1 :]
        org = [t.number for t in rest[1:6]]
        if sub.number is None or any(n is None for n in org) or abs(sub.number - sum(org)) > 1e-9:
            return vals
        if not any(f.rule == "TPL-LOCAL" and self.subtotal_label in f.message for f in self.result.findings):
            self.result.findings.append(
                finding("TPL-LOCAL", table=self.name, label=self.subtotal_label, section=self.name)
            )
        return rest

    def _assign(self, label: Label, vals: list[Token]) -> None:
        res = self.result
        res.found = True
        for v in vals:
            res.used.add(v.item)
            res.row_items.add(v.item)
        if label.row in res.rows_seen:
            return
        res.rows_seen.add(label.row)
        expected = label.values
        vals = list(vals)
        while len(vals) > expected and vals and vals[-1].blank:
            vals.pop()
        while len(vals) > expected and vals and vals[0].blank:
            vals.pop(0)
        ids = _cell_ids(self.table, label.row)
        name = _row_name(label)
        if len(vals) == expected + 1 and self.subtotal_at is not None:
            vals = self._without_subtotal(vals)
        if len(vals) != expected:
            shown = "、".join(v.text.strip() or "空白" for v in vals) or "无"
            res.findings.append(
                finding(
                    "IMP-ROW-SHORT",
                    table=self.name,
                    row=name,
                    expected=expected,
                    found=len(vals),
                    values=shown,
                    cells=ids,
                    section=self.name,
                    quote=name,
                )
            )
            return
        blanks = []
        irregular: list[tuple[str, str, CellValue]] = []  # (cell, text, value): one finding per row
        for cid, tok in zip(ids, vals):
            value: CellValue
            if tok.blank:
                value = None
                blanks.append(cid)
            elif tok.number is not None:
                value = tok.number
                if has_thousands_separator(tok.text) or width(tok.text).strip() != tok.text.strip():
                    irregular.append((cid, tok.text.strip(), value))
            else:
                value = tok.text.strip()
            res.cells[cid] = value
        if irregular:
            res.findings.append(
                finding(
                    "IMP-NUMBER",
                    table=self.name,
                    row=name,
                    text="”“".join(text for _, text, _ in irregular),
                    value="、".join(str(tidy_number(value)) for _, _, value in irregular),
                    cells=[cid for cid, _, _ in irregular],
                    section=self.name,
                )
            )
        if blanks:
            cols = "、".join(form.CELLS[c].column_label or c for c in blanks)
            res.findings.append(
                finding(
                    "IMP-CELL-BLANK",
                    table=self.name,
                    row=name,
                    columns=cols,
                    cells=blanks,
                    section=self.name,
                )
            )


#: Report years for which the 2019 format (国办公开办函〔2019〕60号) was the one in force.
FORMAT_2019_YEARS = (2019, 2020)


def parse_table(table: str, items: list[Item], offset: int = 0, *, year: int | None = None) -> TableResult:
    """Parse one table from the items of its section (``offset`` = index of the first item);
    ``year`` is the report year (a 2019-format table is right for 2019 and 2020)."""
    result = _Parser(table, tokens_of(items, offset)).run()
    _finish(result, year)
    return result


def _finish(res: TableResult, year: int | None = None) -> None:
    name = form.TABLES[res.table].name
    if res.table == "t2" and formats.T2_2019_RULES & set(res.old_rules):
        # 2019 表二: its columns mean something else; none of its figures are imported.
        res.cells = {}
        res.findings = [f for f in res.findings if f.rule not in ("IMP-ROW-SHORT", "IMP-CELL-BLANK", "IMP-NUMBER")]
    for found, expected in res.label_diffs:
        res.findings.append(
            finding("TPL-LABEL-EXACT", table=name, found=found, expected=expected, section=name)
        )
    old = dict(res.old_rules)
    several = bool(formats.T2_2019_RULES & set(old))
    in_force = year in FORMAT_2019_YEARS  # the format in force then: said once per rule, as a warning
    for rule, label in old.items():
        if in_force:
            rows = len(res.rows_seen - {"other_no_correction", "other_unpaid", "other_other"}) + 1
            res.findings.append(finding(rule, "in_force", label=label, rows=rows, year=year, section=name,
                                        severity="warning"))
        elif rule == "TPL-2019-T3":
            rows = len(res.rows_seen - {"other_no_correction", "other_unpaid", "other_other"}) + 1
            res.findings.append(finding(rule, rows=rows, section=name))
        elif rule == "TPL-2019-T2E":
            res.findings.append(
                finding(rule, label=label, section=name, severity="error" if several else None)
            )
        else:
            res.findings.append(finding(rule, label=label, section=name))
    if res.found and not (res.table == "t2" and several):
        reported = {c for f in res.findings if f.rule == "IMP-ROW-SHORT" for c in f.cells}
        old_t3 = "TPL-2019-T3" in old
        missing: list[str] = []
        for label in index(res.table).rows:
            if label.row in res.rows_seen:
                continue
            ids = _cell_ids(res.table, label.row)
            if set(ids) & reported:
                continue
            if old_t3 and label.row.startswith("other_"):
                continue
            res.findings.append(
                finding(
                    "IMP-MISSING",
                    what=f"{name}的“{_row_name(label)}”一行",
                    cells=ids,
                    section=name,
                )
            )
            missing.append(_row_name(label))
        gone_columns = [c for c in column_labels(res.table) if c not in res.labels_seen]
        if missing or gone_columns:
            # the published table's labels are not the official set
            problems = []
            if missing:
                shown = "、".join(f"“{m}”" for m in missing[:3]) + ("等" if len(missing) > 3 else "")
                problems.append(f"缺少{len(missing)}行（{shown}）")
            if gone_columns:
                problems.append("缺少栏目" + "、".join(f"“{c}”" for c in gone_columns))
            res.findings.append(
                finding(
                    "STRUCT-TABLES",
                    table=name,
                    problem="；".join(problems),
                    section=name,
                    cells=[c for m in missing for c in _cells_of_row_named(res.table, m)],
                )
            )
