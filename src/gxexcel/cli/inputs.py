"""What the commands that take "a report" accept, read one way for all of them
(``validate``, ``validate --previous``, ``report``): a template workbook, a report saved
as JSON (``Report.to_json``), or a published report through the importer."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import UnreadableError
from ..model import Report
from ..safety import WORKBOOK_NAMES, check_not_archive

#: Workbook suffixes, read by content: .xls and .xlsb are refused by gxexcel.safety with advice
#: to save them as .xlsx (the same text merge gives).
WORKBOOK_SUFFIXES = WORKBOOK_NAMES


#: What a folder given to ``validate`` contributes: workbooks and published reports. A saved
#: report .json is taken only when named (folders hold other JSON, such as a sample's manifest).


EMPTY_FOLDER = "这是一个文件夹，其中没有可校验的文件（.xlsx 填报模板，或已发布的报告：{kinds}）。"
ARCHIVES_IN_FOLDER = "文件夹中有 {count} 个压缩包：gxexcel merge 可以直接汇总 .zip、.7z 压缩包中的报表；校验请先解压。"


def expand_folders(paths: Iterable[Path]) -> list[Path]:
    """``paths`` with each folder replaced by the report files under it (recursively, sorted;
    Excel's lock files ``~$…`` and unfinished writes ``.~…`` left out). Files, and folders
    without any report file, are passed through as given: :func:`load_report` says what is
    wrong with them, one by one."""
    from ..consolidation.collect import PUBLISHED_SUFFIXES, files_under

    wanted = PUBLISHED_SUFFIXES | set(WORKBOOK_SUFFIXES)  # published reports: what gxexcel import reads
    out: list[Path] = []
    for path in paths:
        found = [p for p in files_under(path) if p.suffix.lower() in wanted] if path.is_dir() else []
        out.extend(found or [path])
    return out


#: A consolidation given where a unit's report is expected (validate, report).
CONSOLIDATION_GIVEN = ("这是 gxexcel 汇总生成的汇总结果，不是单位的年度报表：其中各单位的校验结果见它的“校验情况”工作表。"
                       "市级汇总各县的汇总结果请用 gxexcel merge 文件夹 -o 市汇总.xlsx。")

def _roster_given() -> str:
    from ..consolidation.roster import ROSTER_NOT_REPORT

    return ROSTER_NOT_REPORT + "：名册用于汇总时指定应报单位（gxexcel merge 文件夹 --roster 名册.xlsx），不需要校验。"


#: A roster given where a unit's report is expected (validate, report; a roster beside the reports).
ROSTER_GIVEN = _roster_given()


def load_report(path: Path) -> Report:
    """The report in ``path``; anything unusable raises a GxError with a Chinese message."""
    from ..consolidation.collect import PUBLISHED_KINDS

    suffix = path.suffix.lower()
    if path.is_dir():
        from ..consolidation.collect import ARCHIVE_SUFFIXES, files_under

        archives = sum(1 for p in files_under(path) if p.suffix.lower() in ARCHIVE_SUFFIXES)
        raise UnreadableError(EMPTY_FOLDER.format(kinds=PUBLISHED_KINDS)
                              + (ARCHIVES_IN_FOLDER.format(count=archives) if archives else ""), path=str(path))
    if suffix in WORKBOOK_SUFFIXES:
        from ..errors import NotOurTemplateError
        from ..reader import read_workbook

        try:
            return read_workbook(path)
        except NotOurTemplateError:
            from ..consolidation.readback import is_consolidation

            if is_consolidation(path):  # a county's consolidation checked by the city office
                raise UnreadableError(CONSOLIDATION_GIVEN, path=str(path)) from None
            from ..consolidation.roster import is_roster

            if is_roster(path):  # the roster kept beside the reports
                raise UnreadableError(ROSTER_GIVEN, path=str(path)) from None
            raise
    if suffix == ".json":
        return _load_json(path)
    check_not_archive(path)  # a .zip, .7z or .rar: what merge would do with it
    from ..importer import import_report, is_published_report

    if suffix not in (".doc", ".pdf") and not is_published_report(path):  # .doc, .pdf: the importer advises
        if suffix == ".csv":
            from ..consolidation.roster import is_roster

            if is_roster(path):  # the roster saved as .csv, named as 名册.xlsx is
                raise UnreadableError(ROSTER_GIVEN, path=str(path))
        raise UnreadableError(
            f"不支持的输入格式；请使用填报模板（.xlsx）、gxexcel 保存的 .json 或已发布的报告（{PUBLISHED_KINDS}）。",
            path=str(path),
        )
    return import_report(path)


def _load_json(path: Path) -> Report:
    try:
        report = Report.from_json(path.read_text(encoding="utf-8"))
    except OSError:
        raise UnreadableError("文件无法读取（不存在或没有读取权限）。", path=str(path)) from None
    except (ValueError, TypeError, KeyError, AttributeError):
        # not JSON, or JSON that is not a report saved by gxexcel (wrong fields or shapes)
        raise UnreadableError(
            "不是 gxexcel 保存的报告数据（JSON）：内容无法识别，请使用 gxexcel import --json 得到的文件。",
            path=str(path),
        ) from None
    report.source.path = str(path)
    report.source.kind = report.source.kind or "json"
    return report
