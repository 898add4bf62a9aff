"""Generation markers: how a later run knows whether the clerk touched a drafted passage.

When gxexcel drafts a part it stores ``gx:<hash of the text>`` in ``report.markers``
(written in column C of the 正文 sheet, :func:`gxexcel.layout.marker_position`). On the
next run the text is refreshed only if it still hashes to its marker (or is empty); a
part with no marker, or whose text no longer matches, is the clerk's and is kept.
"""

from __future__ import annotations

import hashlib
from typing import Literal

PREFIX = "gx:"

PartState = Literal["empty", "generated", "edited", "clerk"]
STATE_TEXT: dict[str, str] = {
    "empty": "空白",
    "generated": "自动生成（未改动）",
    "edited": "自动生成后经人工修改",
    "clerk": "人工填写",
}


def normalize(text: str | None) -> str:
    """Text as compared for the marker: line ends unified, outer blanks ignored (Excel adds \\r)."""
    return "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()


def make_marker(text: str) -> str:
    return PREFIX + hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()[:16]


def part_state(text: str | None, marker: str | None) -> PartState:
    if not normalize(text):
        return "empty"
    marker = (marker or "").strip()
    if not marker.startswith(PREFIX):
        return "clerk"
    return "generated" if make_marker(text or "") == marker else "edited"


def may_replace(text: str | None, marker: str | None, *, force: bool = False) -> bool:
    """Whether a drafted text may replace what is there: empty or untouched generated text."""
    return force or part_state(text, marker) in ("empty", "generated")
