"""Reports to draft from: a unit with nothing to report, typical townships, a busy county department."""

from __future__ import annotations

import random

from gxexcel import form
from gxexcel.model import Report
from gxexcel.sample import sample_report


def zeros_report(year: int = 2022) -> Report:
    report = Report.zeros(unit_name="平安乡人民政府", unit_type="乡镇人民政府", parent="云溪县", year=year)
    report.fees = {f.id: 0 for f in form.FEE_FIELDS}
    report.narrative = {p.id: "" for p in form.NARRATIVE_PARTS}
    return report


def busy_report(rng: random.Random, unit_name: str = "云溪县自然资源局") -> Report:
    """Every kind of figure non-zero somewhere, 表三 balanced column by column."""
    report = Report.blank(unit_name=unit_name, unit_type="县级政府部门", parent="云溪县", year=2021)
    report.narrative = {p.id: "" for p in form.NARRATIVE_PARTS}
    for block in form.T2.blocks:
        for row in block.rows:
            for col in block.columns:
                cid = f"t2.{row.id}.{col.id}"
                report.cells[cid] = 0 if row.id == "regs" else rng.randint(0, 900)
    report.cells["t2.fees.amount"] = round(rng.uniform(0, 500), 2)
    for col in form.T3_APPLICANT_COLUMNS:
        done = 0
        for row in form.T3_LEAF_RESULT_ROWS:
            value = rng.randint(0, 30) if rng.random() < 0.6 else 0
            report.cells[f"t3.{row}.{col}"] = value
            done += value
        forward = rng.randint(0, 12)
        carried = rng.randint(0, done + forward)
        report.cells[f"t3.carry_forward.{col}"] = forward
        report.cells[f"t3.carried.{col}"] = carried
        report.cells[f"t3.new.{col}"] = done + forward - carried
    for gid, _, _ in form.T4_GROUPS:
        for outcome in ("upheld", "corrected", "other", "pending"):
            report.cells[f"t4.{gid}.{outcome}"] = rng.randint(0, 4) if rng.random() < 0.5 else 0
    report.fill_totals()
    notices = rng.randint(1, 9)
    report.fees = {"fee.notices": notices, "fee.billed": rng.randint(1, 80) * 10 * notices, "fee.collected": 0}
    if rng.random() < 0.6:
        report.fees["fee.collected"] = report.fees["fee.billed"] - rng.randint(0, 5) * 10
    return report


def many_reports(count: int = 30, seed: int = 5) -> list[Report]:
    """All zeros, typical townships (gxexcel.sample) and busy county departments."""
    rng = random.Random(seed)
    reports = [zeros_report(), zeros_report(2023)]
    for i in range(count):
        if i % 3 == 2:
            reports.append(busy_report(rng, f"云溪县第{i}局"))
        else:
            reports.append(sample_report(rng, unit_name=f"{'东西南北中'[i % 5]}{i}镇人民政府"))
    for r in reports:
        for part in form.NARRATIVE_PARTS:
            if part.generated or part.id not in r.narrative:
                r.narrative[part.id] = ""
    return reports
