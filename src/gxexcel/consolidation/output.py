"""The output of a merge that would be one of its inputs (it lies in an input folder or is
named as an input): never a submission to destroy.

It is replaced only when it is an earlier result of this same merge: a gxexcel consolidation
each of whose units is read again in this run, from the same place (same 经由汇总文件) and
either the same content (SHA-256) or the same file, since replaced by a new version (a
township's corrected workbook saved over its old one). Anything else (a township's workbook, a
county's consolidation in a city's folder, an earlier result holding a unit this run lacks) is
refused before anything is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import GxError
from ..safety import display_path
from .units import Unit

WHY = "它是本次汇总的输入之一"
LOSS = "覆盖会丢失其中的数据"


class OutputIsInputError(GxError):
    """The output names one of the inputs and replacing it would lose data (exit code 2)."""


def refusal(path: str | os.PathLike[str], reason: str, *, in_folder: bool = True) -> OutputIsInputError:
    remedy = "把它移出输入文件夹" if in_folder else "不再把它列为输入"
    return OutputIsInputError(f"{WHY}：{reason}，{LOSS}。未写出汇总结果；请为汇总结果另取文件名，或{remedy}。",
                              path=display_path(path))


@dataclass(frozen=True)
class EarlierResult:
    """An existing output found among the inputs that is a gxexcel consolidation."""

    path: Path  # as found under the inputs
    in_folder: bool
    sources: tuple[tuple[str, str, str, str], ...]  # (unit, 来源文件, 经由汇总文件, SHA-256) of its 明细

    def check(self, units: Iterable[Unit]) -> None:
        """Raise :class:`OutputIsInputError` unless every unit of it is among ``units`` (this run's)."""
        seen: set[tuple[str, str]] = set()
        for u in units:
            if u.readable:
                seen.add((u.via, "file:" + u.file))
                if u.sha256:
                    seen.add((u.via, "sha:" + u.sha256))
        missing = [(name, file, via) for name, file, via, sha in self.sources
                   if (via, "file:" + file) not in seen and not (sha and (via, "sha:" + sha) in seen)]
        if missing:
            name, file, via = missing[0]
            where = f"来源文件“{file}”" + (f"，经由汇总文件“{via}”" if via else "")
            more = f"等{len(missing)}个单位" if len(missing) > 1 else ""
            raise refusal(self.path, f"虽是 gxexcel 汇总生成的汇总结果，但其中{name}（{where}）{more}的报表不在本次输入中",
                          in_folder=self.in_folder)


def earlier_results(skipped: dict[str, tuple[Path, bool]]) -> list[EarlierResult]:
    """The outputs found among the inputs (``collect(..., skipped=)``), each checked to be a
    gxexcel consolidation whose units can be told; anything else is refused at once."""
    from .readback import is_consolidation, unit_sources

    out = []
    for file, in_folder in skipped.values():
        if not is_consolidation(file):
            raise refusal(file, "不是 gxexcel 汇总生成的汇总结果，而是报送的报表或其他文件", in_folder=in_folder)
        sources = unit_sources(file)
        if sources is None:
            raise refusal(file, "虽是 gxexcel 汇总生成的汇总结果，但无法核对其中各单位的来源文件", in_folder=in_folder)
        out.append(EarlierResult(file, in_folder, tuple(sources)))
    return out


def check_target(output: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]], *,
                 roster: str | os.PathLike[str] | None = None,
                 previous: str | os.PathLike[str] | None = None) -> None:
    """Refuse, before anything is read, an output that is this merge's roster or last year's
    consolidation, or an existing file outside the inputs that is not a gxexcel consolidation
    (a workbook of someone's: overwriting it would lose it). An output among the inputs is
    judged by :func:`earlier_results` once they are collected."""
    from .readback import is_consolidation

    target = Path(output)
    for given, what in ((roster, "本次汇总的名册（--roster）"), (previous, "上年的汇总结果（--previous）")):
        if given is not None and Path(given).exists() and target.exists() and os.path.samefile(given, target):
            raise OutputIsInputError(f"它是{what}，{LOSS}。未写出汇总结果；请为汇总结果另取文件名。",
                                     path=display_path(target))
    if not target.is_file() or is_consolidation(target):
        return
    real = Path(os.path.realpath(target))
    for given in inputs:
        folder = Path(os.path.realpath(given))
        if real == folder or folder in real.parents:
            return  # among the inputs: earlier_results() says what it is
    raise OutputIsInputError(f"文件已存在，且不是 gxexcel 汇总生成的汇总结果，{LOSS}。未写出汇总结果；"
                             "请为汇总结果另取文件名，或先把它移走。", path=display_path(target))
