"""The roster: the units that must report (xlsx or csv: 单位名称, 单位类型, optional 单位代码)."""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from .. import form
from ..errors import GxError

_LABELS = {f.id: f.label for f in form.META_FIELDS}
NAME_LABEL = _LABELS["unit_name"]  # 单位名称
TYPE_LABEL = _LABELS["unit_type"]  # 单位类型
CODE_LABEL = "单位代码"
ROSTER_HEADER: tuple[str, ...] = (NAME_LABEL, TYPE_LABEL, CODE_LABEL)
#: A city's roster may give each unit's county in a column of its own (as 报送情况 does).
COUNTY_LABEL = "所属县（市、区）"
COUNTY_HEADERS = frozenset({COUNTY_LABEL, "所属县", "所属县区", "所属县市区", "所属区县", "县（市、区）", "县市区", "县区", "区县"})


@dataclass(frozen=True)
class RosterUnit:
    name: str
    unit_type: str = ""
    code: str = ""
    row: int = 0  # row in the roster file (for messages)
    county: str = ""  # its 所属县（市、区） when the roster gives it in a column (a city's roster)

    @property
    def key(self) -> str:
        """The name it is matched by: qualified by its county column as “云溪县城关镇” written in the
        name is (云溪县 | 云溪镇 is 云溪县云溪镇; 石桥县 | 石桥县云溪镇 is kept)."""
        county = unit_key(self.county)
        written = county[-1:] in ("县", "区", "市", "旗") and unit_key(self.name).startswith(county) \
            and len(unit_key(self.name)) > len(county)
        return self.name if not county or written else self.county + self.name


#: The organ a place's name is followed by, as rosters and cover sheets variously write
#: it: 城关镇 / 城关镇政府 / 城关镇人民政府, 东城街道 / 东城街道办 / 东城街道办事处.
_ORGAN = re.compile(r"(?<=[镇乡县区市旗州盟省])政府$|(?<=街道)办(?:事处)?$|(?<=苏木)政府$")

#: The name-matching rule, as the 汇总 sheet and the README state it.
NAME_RULE = (
    "名册与报表的单位名称比较时，忽略空格和全角半角差异，“人民政府”与“政府”视为相同，并把乡镇、县区名称后的“人民政府”“政府”"
    "和街道名称后的“办事处”“办”视为同一单位（如“城关镇”与“城关镇人民政府”、“东城街道”与“东城街道办事处”）；"
    "同名单位的所属县（市、区）不同时（如两个县各有城关镇），视为不同单位。"
)


@functools.lru_cache(maxsize=1 << 16)
def unit_key(name: str) -> str:
    """How unit names are compared (:data:`NAME_RULE`): NFKC, without any whitespace, and
    without the organ after a place's name (人民政府/政府 after 镇乡县区市旗…, 办事处/办
    after 街道; 人民政府 is 政府 anywhere: 县人民政府办公室 is 县政府办公室), so 城关镇 and
    城关镇人民政府 are one unit; 城关街道, a county's
    人民政府办公室 or a 政府办 stay different units."""
    return _ORGAN.sub("", plain_name(name).replace("人民政府", "政府"))


def plain_name(name: str) -> str:
    """A name without whitespace and full-width/half-width differences (NFKC)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def parent_key(parent: str) -> str:
    """How 所属县（市、区） values are compared: as unit names, and 云溪 is 云溪县."""
    key = unit_key(parent)
    return key[:-1] if len(key) > 2 and key[-1] in "县区市旗" else key


def read_roster(path: str | Path) -> list[RosterUnit]:
    """Read a roster. The header row holds 单位名称 (required), 单位类型 and 单位代码
    (optional), in any order; without a recognisable header the columns are taken
    in that order. Raises :class:`GxError` with a Chinese message on bad input."""
    path = Path(path)
    if not path.is_file():
        raise GxError("名册文件不存在。", path=str(path))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows, sheet = _csv_rows(path), ""
    elif suffix in {".xlsx", ".xlsm", ".xls", ".ods"}:
        rows, sheet = _sheet_rows(path)
    else:
        raise GxError("名册只支持 .xlsx 或 .csv 文件（列：单位名称、单位类型、单位代码）。", path=str(path))
    return _units(rows, path, sheet)


#: Names of sum rows at the foot of a roster, which are not units.
SUM_ROW_NAMES = frozenset({"合计", "总计", "小计", "共计"})


def _csv_rows(path: Path) -> list[list[str]]:
    """Rows of a CSV roster: UTF-8 (with or without BOM), GBK/GB18030 as saved by Chinese
    Windows, or UTF-16 with its byte-order mark as Excel and WPS save "Unicode 文本";
    separated by commas, or by tabs as in that Unicode text."""
    data = path.read_bytes()
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # gb18030 decodes any byte string: only broken UTF-16 ends here
        raise GxError("名册的文字编码无法识别，请另存为 UTF-8 编码的 CSV。", path=str(path))
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


#: What a roster must hold, as the messages for a wrong file say it.
ROSTER_HINT = f"名册应列出应报单位（列：{NAME_LABEL}、{TYPE_LABEL}、{CODE_LABEL}）。"


#: What merge says of a roster found among the submissions (a copy of the --roster file left in the
#: folder of reports): listed as 无法读取 so that every file is accounted for, with this reason.
ROSTER_NOT_REPORT = "这是名册，不是单位的报表"
ROSTER_AMONG_INPUTS = (ROSTER_NOT_REPORT + "，未作为报表读取；按名册汇总请用 --roster 指定名册文件，"
                       "名册不必放在报送文件的文件夹中。")


def is_roster(path: str | Path) -> bool:
    """Whether ``path`` is a roster by content (a .csv, or a workbook of any workbook suffix): its
    first sheet has a header row with 单位名称 and reads as a roster (:func:`read_roster`'s rows)."""
    path = Path(path)
    try:
        rows, sheet = (_csv_rows(path), "") if path.suffix.lower() == ".csv" else _sheet_rows(path)
        if not any(NAME_LABEL in (c.strip() for c in row) for row in rows[:10]):
            return False  # without its header any table would read as names in the first column
        return bool(_units(rows, path, sheet))
    except (GxError, OSError, ValueError):
        return False


def _not_a_roster(path: Path, names: list[str]) -> None:
    """A consolidation or a unit's report picked as the roster by mistake (they lie in the
    same folders) is named for what it is, not read as a roster with odd lines."""
    from .. import layout
    from .readback import is_consolidation

    if {layout.SHEET_COVER, layout.TABLE_SHEETS["t3"], layout.TABLE_SHEETS["t4"]} <= set(names):
        raise GxError("这是单位的年度报表（填报模板工作簿），不是名册。" + ROSTER_HINT, path=str(path))
    if is_consolidation(path):
        raise GxError("这是 gxexcel 汇总生成的汇总结果，不是名册。" + ROSTER_HINT
                      + "汇总结果可作为汇总的输入，或用 --previous 指定为上年汇总。", path=str(path))


def _sheet_rows(path: Path) -> tuple[list[list[str]], str]:
    try:
        with open(path, "rb") as fh:  # by content: a 名册.xls that is an .xlsx opens as one
            wb = CalamineWorkbook.from_filelike(fh)
        try:
            _not_a_roster(path, wb.sheet_names)
            name = wb.sheet_names[0]
            rows = wb.get_sheet_by_name(name).to_python()
        finally:
            wb.close()
    except OSError:
        raise GxError("名册无法读取（文件不存在或没有读取权限）。", path=str(path)) from None
    except (CalamineError, IndexError):  # the library's (English) text is no help to a clerk
        raise GxError("名册无法读取：文件已损坏或不是 Excel 工作簿（可能拷贝未完成）。"
                      "请在 Excel 或 WPS 中打开名册，另存为 .xlsx（或 .csv）后重新汇总。", path=str(path)) from None
    return [[_cell_text(v) for v in row] for row in rows], name


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _units(rows: list[list[str]], path: Path, sheet: str) -> list[RosterUnit]:
    rows = [[c.strip() for c in row] for row in rows]
    header_index = next((i for i, row in enumerate(rows) if NAME_LABEL in row), None)
    if header_index is None:
        columns, start = {NAME_LABEL: 0, TYPE_LABEL: 1, CODE_LABEL: 2}, 0
    else:
        header = rows[header_index]
        columns = {label: header.index(label) for label in ROSTER_HEADER if label in header}
        county_at = next((i for i, h in enumerate(header) if plain_name(h).replace("(", "（").replace(")", "）")
                          in COUNTY_HEADERS), None)
        if county_at is not None:  # a city's roster: 所属县（市、区） | 单位名称
            columns[COUNTY_LABEL] = county_at
        start = header_index + 1
    out: list[RosterUnit] = []
    seen: dict[str, tuple[str, int]] = {}
    for number, row in enumerate(rows[start:], start=start + 1):
        get = lambda label: row[columns[label]] if label in columns and columns[label] < len(row) else ""  # noqa: E731
        name = get(NAME_LABEL)
        if not name or any(unit_key(c) in SUM_ROW_NAMES for c in row):
            continue  # blank rows and the 合计 row many rosters end with (合计 under 序号 or 单位名称)
        unit_type = get(TYPE_LABEL)
        if unit_type and unit_type not in form.UNIT_TYPES:
            raise GxError(
                f"单位类型“{unit_type}”不是规定的类型之一（{'、'.join(form.UNIT_TYPES)}）。",
                path=str(path), sheet=sheet, cell=f"第 {number} 行",
            )
        unit = RosterUnit(name, unit_type, get(CODE_LABEL), number, get(COUNTY_LABEL))
        name = unit.key  # as a city's roster qualifies it: its county column before the name
        key = unit_key(name)
        if key in seen:
            first, line = seen[key]
            same = f"单位“{name}”" if first == name else f"单位“{first}”和“{name}”是同一单位，"
            hint = (f"如是不同县（市、区）的同名单位，请在名称前写明所属县（市、区），如“云溪县{name}”。"
                    if first == name else "")
            raise GxError(f"{same}在名册中出现两次（第 {line} 行和第 {number} 行）。{hint}",
                          path=str(path), sheet=sheet)
        seen[key] = (name, number)
        out.append(unit)
    if not out:
        raise GxError(f"名册中没有任何单位（需要“{NAME_LABEL}”列）。", path=str(path), sheet=sheet)
    return out
