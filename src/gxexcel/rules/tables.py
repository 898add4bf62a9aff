"""Table rules (spec §3.2–§3.4): the sum identities of gxexcel.form, T2-*, T3-*, PLAUS-*."""

from __future__ import annotations

from typing import Iterator

from .. import form
from ..findings import Finding
from ..model import tidy_number
from .catalog import finding
from .engine import Context, check

EPSILON = 1e-9


def _row_name(row_id: str) -> str:
    row = next(r for r in form.T3.rows if r.id == row_id)
    labels = [x for x in row.labels if x]
    return "".join(labels[1:]) if len(labels) > 1 else labels[0]


def _col_name(table: form.Table, col_id: str) -> str:
    return next(c.label for c in table.columns if c.id == col_id)


def _wording(identity: form.Identity) -> tuple[str, str, str]:
    """How an identity is worded in its finding: (where, left text, right text)."""
    key = identity.key
    if identity.rule == "T3-ROW-TOTAL":
        return f" {_row_name(key)}行", "总计", "各申请人类别之和"
    if identity.rule == "T3-RESULT-SUM":
        return f" {_col_name(form.T3, key)}列", "（七）总计", "（一）至（六）各项之和"
    if identity.rule == "T3-BALANCE":
        return f" {_col_name(form.T3, key)}列", "一＋二", "三（七）＋四"
    group = next(f"{top}{'（' + sub + '）' if sub else ''}" for gid, top, sub in form.T4_GROUPS if gid == key)
    parts = "＋".join(form.CELLS[c].column_labels[-1] for c in identity.right)
    return f" {group}", "总计", parts


@check(*(r.id for r in form.IDENTITY_RULES))
def identities(ctx: Context) -> Iterator[Finding]:
    n = ctx.number
    for identity in form.IDENTITIES:
        left = tidy_number(sum(n(c) for c in identity.left))
        right = tidy_number(sum(n(c) for c in identity.right))
        if abs(left - right) <= EPSILON:
            continue
        where, left_text, right_text = _wording(identity)
        others = [c for c in identity.cells if c != identity.anchor]
        yield finding(
            identity.rule,
            table=form.TABLES[form.CELLS[identity.anchor].table].name,
            where=where,
            left_text=left_text,
            left=left,
            right_text=right_text,
            right=right,
            **ctx.at_cell(identity.anchor, *others),
        )


@check("T3-CARRY-LE")
def carry_le(ctx: Context) -> Iterator[Finding]:
    n = ctx.number
    for col in form.T3.columns:
        cells = (f"t3.carry_forward.{col.id}", f"t3.new.{col.id}", f"t3.carried.{col.id}")
        carry = n(cells[0])
        available = tidy_number(n(cells[1]) + n(cells[2]))
        # “5件” or a blank is CELL-INT/CELL-BLANK's: not a 0 to compare with
        if carry > available + EPSILON and ctx.known(*cells):
            yield finding(
                "T3-CARRY-LE",
                column=col.label,
                carry=tidy_number(carry),
                available=available,
                **ctx.at_cell(f"t3.carry_forward.{col.id}", f"t3.new.{col.id}", f"t3.carried.{col.id}"),
            )


@check("T3-ZERO-CONSIST")
def zero_consistent(ctx: Context) -> Iterator[Finding]:
    n = ctx.number
    incoming = [f"t3.{r}.{c}" for r in ("new", "carried") for c in form.T3_APPLICANT_COLUMNS]
    if any(n(c) for c in incoming) or not ctx.known(*incoming):
        return
    for cell in form.T3.cells:
        if cell.row in ("new", "carried") or cell.role == "total":
            continue
        if n(cell.id):
            label = cell.label.removeprefix(form.T3.name + " ")  # the message names 表三 once
            yield finding("T3-ZERO-CONSIST", label=label, value=tidy_number(n(cell.id)), **ctx.at_cell(cell.id))


@check("T2-MADE-LE")
def made_le(ctx: Context) -> Iterator[Finding]:
    n = ctx.number
    block = form.T2.blocks[0]
    for row in block.rows:
        cells = [f"t2.{row.id}.{c}" for c in ("issued", "repealed", "in_force")]
        issued, repealed, in_force = (n(c) for c in cells)
        if issued > in_force + repealed and ctx.known(*cells):
            yield finding(
                "T2-MADE-LE",
                row=row.labels[0],
                issued=tidy_number(issued),
                in_force=tidy_number(in_force),
                repealed=tidy_number(repealed),
                limit=tidy_number(in_force + repealed),
                **ctx.at_cell(f"t2.{row.id}.issued", f"t2.{row.id}.in_force", f"t2.{row.id}.repealed"),
            )


@check("T2-REGS-LEVEL")
def regs_level(ctx: Context) -> Iterator[Finding]:
    if ctx.report.unit_type not in form.NO_REGULATION_UNIT_TYPES:
        return
    ids = [f"t2.regs.{c}" for c in ("issued", "repealed", "in_force")]
    if any(ctx.number(c) for c in ids):
        issued, repealed, in_force = (tidy_number(ctx.number(c)) for c in ids)
        nonzero = [c for c in ids if ctx.number(c)]
        yield finding(
            "T2-REGS-LEVEL",
            unit_type=ctx.report.unit_type,
            issued=issued,
            repealed=repealed,
            in_force=in_force,
            **ctx.at_cell(*nonzero, *(c for c in ids if c not in nonzero)),
        )


@check("PLAUS-T3-FEE")
def unpaid_needs_notices(ctx: Context) -> Iterator[Finding]:
    count = ctx.number("t3.other_unpaid.total")
    if count <= 0:
        return
    notices = ctx.report.fees.get("fee.notices")
    if isinstance(notices, (int, float)) and not isinstance(notices, bool) and notices > 0:
        return
    fee = next(f for f in form.FEE_FIELDS if f.id == "fee.notices")
    yield finding(
        "PLAUS-T3-FEE",
        count=tidy_number(count),
        notices_label=fee.label,
        notices="空" if notices in (None, "") else notices,
        **ctx.at_cell("t3.other_unpaid.total"),
    )


def _applications(report) -> float:
    return sum(report.number(f"t3.{r}.{c}") for r in ("new", "carried") for c in form.T3_APPLICANT_COLUMNS)


@check("PLAUS-T4-T3")
def cases_without_applications(ctx: Context) -> Iterator[Finding]:
    totals = [f"t4.{gid}.total" for gid, _, _ in form.T4_GROUPS]
    cases = sum(ctx.number(c) for c in totals)
    incoming = [f"t3.{r}.total" for r in ("new", "carried")]
    if cases <= 0 or _applications(ctx.report) or not ctx.known(*incoming):
        return
    prior = ""
    if ctx.previous is not None:
        if _applications(ctx.previous):
            return
        prior = "（上年也为0）"
    yield finding("PLAUS-T4-T3", cases=tidy_number(cases), prior=prior, **ctx.at_cell(*totals))
