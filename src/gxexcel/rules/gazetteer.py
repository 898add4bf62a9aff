"""Chinese place names (townships, towns, street offices, counties) for META-UNIT-NAME.

The names come from JioNLP's gazetteer of administrative divisions
(``china_location.txt``: province, city, county, township and village level).
Loading them through JioNLP takes seconds and imports most of JioNLP, so the
names this module needs are derived once into a compact file shipped with
gxexcel (``data/gazetteer.txt``, one line per county: province, city, county,
its townships), which loads in milliseconds. Regenerate it after upgrading
JioNLP with ``python3 -m gxexcel.rules.gazetteer``; a test checks it equals what
:func:`derive_rows` derives from the installed JioNLP.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

#: Suffixes of the names META-UNIT-NAME looks for (township level, then county level).
TOWN_SUFFIXES = ("街道", "镇", "乡")
COUNTY_SUFFIXES = ("县", "区")
#: County-level names that are also generic words or zones rather than places.
GENERIC_MARKERS = ("开发", "高新", "示范", "工业", "园区", "管理", "试验", "合作", "保护", "新区", "城区", "矿区", "林区")
#: Township-level names in the gazetteer that are mostly used as common words in reports.
GENERIC_NAMES = frozenset({"中心镇", "中心乡", "中心街道", "小城镇", "新城镇", "城区街道", "工业街道", "民族街道"})
MIN_LENGTH = 3  # at least two characters before the suffix: 我镇, 全县 are not names


@dataclass
class Gazetteer:
    #: town name -> set of (province, city, county) it occurs in
    towns: dict[str, set[tuple[str, str, str]]] = field(default_factory=dict)
    #: county name -> set of (province, city)
    counties: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    #: county name -> its township-level names
    towns_of_county: dict[str, set[str]] = field(default_factory=dict)

    def is_place(self, name: str) -> bool:
        if len(name) < MIN_LENGTH or name in GENERIC_NAMES:
            return False
        if name.endswith(TOWN_SUFFIXES):
            return name in self.towns
        if name.endswith(COUNTY_SUFFIXES):
            return name in self.counties and not any(m in name for m in GENERIC_MARKERS)
        return False


#: The derived name list shipped with gxexcel.
DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "gazetteer.txt"
_HEADER = "# gxexcel place names derived from JioNLP {version} china_location: province<TAB>city<TAB>county<TAB>townships separated by spaces"

Row = tuple[str, str, str, tuple[str, ...]]  # province, city, county, its township-level names


def derive_rows() -> tuple[str, list[Row]]:
    """(JioNLP version, rows) from the installed JioNLP's own loader (slow: seconds)."""
    # JioNLP prints a banner on import; keep it off our stdout (``--json`` output).
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        import jionlp
        from jionlp.dictionary.dictionary_loader import china_location_loader

        data = china_location_loader(detail=True)
    rows: list[Row] = []
    for province, cities in data.items():
        if province.startswith("_"):
            continue
        for city, counties in cities.items():
            if city.startswith("_"):
                continue
            for county, towns in counties.items():
                if county.startswith("_"):
                    continue
                rows.append((province, city, county, tuple(sorted({t for t in towns if not t.startswith("_")}))))
    return jionlp.__version__, sorted(rows)


def format_rows(version: str, rows: list[Row]) -> str:
    lines = [_HEADER.format(version=version)]
    lines += ["\t".join((province, city, county, " ".join(towns))) for province, city, county, towns in rows]
    return "\n".join(lines) + "\n"


def parse_rows(text: str) -> list[Row]:
    rows: list[Row] = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        province, city, county, towns = line.split("\t")
        rows.append((province, city, county, tuple(towns.split())))
    return rows


@cache
def gazetteer() -> Gazetteer:
    """The place names, from the derived file shipped with gxexcel (milliseconds)."""
    g = Gazetteer()
    for province, city, county, towns in parse_rows(DATA_FILE.read_text(encoding="utf-8")):
        g.counties.setdefault(county, set()).add((province, city))
        names = g.towns_of_county.setdefault(county, set())
        for town in towns:
            g.towns.setdefault(town, set()).add((province, city, county))
            names.add(town)
    return g


_SUFFIX_RE = re.compile("|".join(TOWN_SUFFIXES + COUNTY_SUFFIXES))
_HAN_RE = re.compile(r"[\u4e00-\u9fff]+")
_MAX_LENGTH = 9


def place_names(text: str) -> list[tuple[int, str]]:
    """(offset, name) of township- and county-level place names in ``text`` (longest match)."""
    g = gazetteer()
    out: list[tuple[int, str]] = []
    last_end = -1
    for m in _SUFFIX_RE.finditer(text):
        end = m.end()
        for start in range(max(0, end - _MAX_LENGTH, last_end), end - MIN_LENGTH + 1):
            name = text[start:end]
            if _HAN_RE.fullmatch(name) and g.is_place(name):
                out.append((start, name))
                last_end = end
                break
    return out


def own_places(unit_name: str, parent: str = "") -> set[str]:
    """Place names that belong to the reporting unit: itself, its county and (for a county) its townships."""
    g = gazetteer()
    own: set[str] = set()
    for text in (unit_name, parent):
        own.update(name for _, name in place_names(text))
        for suffix in ("人民政府", "办事处", "政府"):
            if text.endswith(suffix):
                text = text[: -len(suffix)]
        if text:
            own.add(text)
    counties = {n for n in own if n.endswith(COUNTY_SUFFIXES)}
    for town in [n for n in own if n.endswith(TOWN_SUFFIXES)]:
        for _, _, county in g.towns.get(town, ()):
            if not counties or county in counties:
                counties.add(county)
    for county in counties:
        own.add(county)
        for province, city in g.counties.get(county, ()):
            own.update((province, city))
    if not any(n.endswith(TOWN_SUFFIXES) for n in own if n in g.towns):
        # a county-level unit: its own townships are its subdivisions
        for county in counties:
            own.update(g.towns_of_county.get(county, ()))
    return own


def main() -> None:
    """Regenerate :data:`DATA_FILE` from the installed JioNLP."""
    version, rows = derive_rows()
    DATA_FILE.write_text(format_rows(version, rows), encoding="utf-8")
    print(f"{DATA_FILE}: {len(rows)} counties, {sum(len(r[3]) for r in rows)} township names (JioNLP {version})")


if __name__ == "__main__":
    main()
