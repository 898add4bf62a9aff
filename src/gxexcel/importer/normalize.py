"""Normalisation of published text for matching: never used to rewrite what is kept.

Published reports differ from the official labels in ways that do not change the
wording: Traditional characters from a site's converter (規章), full-width or
half-width punctuation and digits (（一）/(一), １２), spaces inside labels
(规 章), different quote marks and list markers (1、/1.). :func:`key` removes all
of these so that two texts with the same wording get the same key. Texts kept in
the model (narrative, titles) stay as published.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

_T2S = OpenCC("t2s")

#: Quote marks and brackets that vary between renderings and carry no wording.
_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』《》〈〉")
_SPACE = re.compile(r"\s+")
#: ``1、``/``1．``/``（1）`` list markers of sub-items, written as ``1.``.
_ITEM_MARK = re.compile(r"^\(?(\d+)\)?[、.,，]")
_NUM_CN = "一二三四五六七八九十"


def simplified(text: str) -> str:
    """Traditional → Simplified Chinese (OpenCC ``t2s``); Simplified text is unchanged."""
    return _T2S.convert(text)


def width(text: str) -> str:
    """Full-width letters, digits and punctuation as half-width (Unicode NFKC)."""
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """The matching key of a label or heading: same wording ⇒ same key."""
    out = width(simplified(text or ""))
    out = _SPACE.sub("", out).translate(_QUOTES)
    out = out.rstrip(":：")
    out = _ITEM_MARK.sub(lambda m: m.group(1) + ".", out)
    return out


def clean_line(text: str) -> str:
    """A published line as kept: non-breaking and ideographic spaces at the ends removed."""
    return text.replace("\u00a0", " ").replace("\u3000", " ").strip()


_NUMBER = re.compile(r"^[+-]?(\d+(,\d{3})*|\d*)(\.\d+)?$")
#: What published tables print in a cell that has no figure.
BLANK_MARKS = frozenset({"", "/", "-", "—", "–", "－", "--", "——", "\\"})


def is_blank_mark(text: str) -> bool:
    return _SPACE.sub("", width(text or "")) in BLANK_MARKS


def parse_number(text: str) -> int | float | None:
    """``"12"``, ``"１２"``, ``"1,234"``, ``"0.25"`` → number; anything else → None."""
    raw = _SPACE.sub("", width(text or ""))
    if not raw or not _NUMBER.match(raw) or not any(ch.isdigit() for ch in raw):
        return None
    raw = raw.replace(",", "")
    if "." in raw:
        return float(raw)
    return int(raw)


def has_thousands_separator(text: str) -> bool:
    """``1,234`` or ``1 234`` (spaces between digits are read as one number, so it is reported)."""
    t = width(text or "")
    return "," in t or _DIGITS_SPACED.search(t) is not None


_DIGITS_SPACED = re.compile(r"\d\s+\d")


def chinese_numeral(n: int) -> str:
    return _NUM_CN[n - 1]
