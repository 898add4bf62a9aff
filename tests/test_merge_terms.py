"""Words the merge shares with validate and the add-in: 校验情况 says 级别 as the
校验结果 sheet and ``gxexcel validate`` do, and older consolidations (严重程度) still read."""

from __future__ import annotations

import openpyxl

from gxexcel import findings_sheet
from gxexcel.consolidation import columns as C
from gxexcel.consolidation import consolidate
from gxexcel.consolidation.readback import read_consolidation
from gxexcel.sample import write_samples


def test_findings_sheet_says_jibie_and_older_consolidations_still_read(tmp_path):
    folder = tmp_path / "各乡镇报表"
    write_samples(folder, 4, seed=3, errors=True, manifest_dir=tmp_path)
    out = consolidate([folder]).to_excel(tmp_path / "全县汇总.xlsx")
    sheet_words = {c.header for c in findings_sheet.COLUMNS}  # the 校验结果 sheet of each workbook
    wb = openpyxl.load_workbook(out)
    header = [c.value for c in wb[C.SHEET_FINDINGS][1]]
    assert "级别" in header and "严重程度" not in header and "级别" in sheet_words
    new = read_consolidation(out, display="全县汇总.xlsx", sha256="")
    assert any(u.findings for u in new)
    # a consolidation written before the rename: the same column headed 严重程度
    wb[C.SHEET_FINDINGS].cell(row=1, column=header.index("级别") + 1, value="严重程度")
    older = tmp_path / "去年版本的汇总.xlsx"
    wb.save(older)
    old = read_consolidation(older, display="全县汇总.xlsx", sha256="")
    assert [u.findings for u in old] == [u.findings for u in new]
