"""Whatever text arrives, importing gives a report or a Chinese message, never a traceback."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxexcel import form
from gxexcel.errors import GxError
from gxexcel.importer import import_text

FIXTURES = Path(__file__).parent / "fixtures" / "import"
LINES = (FIXTURES / "pipe_quirks.txt").read_text(encoding="utf-8").splitlines() + (
    FIXTURES / "split_labels.txt"
).read_text(encoding="utf-8").splitlines()

_WORDS = (
    [s.heading for s in form.SECTIONS]
    + [x for c in form.CELLS.values() for x in c.row_labels + c.column_labels if x]
    + ["0", "12", "1,234", "１２", "/", "—", "-3", "0.5", "5件", "", "\t", "|", "（六）其他处理", "规 章"]
    + ["城关镇人民政府2021年政府信息公开工作年度报告", "<table><tr><td>", "</td><td>", "</td></tr></table>"]
)
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _import(text: str, kind: str = "text") -> None:
    try:
        report = import_text(text, kind=kind)
    except GxError as exc:
        assert str(exc) and not str(exc).isascii()  # a Chinese message
        return
    assert set(report.cells) == set(form.CELLS)
    assert all(v is None or isinstance(v, (int, float, str)) for v in report.cells.values())


@SETTINGS
@given(st.lists(st.sampled_from(_WORDS), max_size=120), st.sampled_from(["\n", " ", "\t", " | ", "\n\t"]))
def test_label_soup(words, sep):
    _import(sep.join(words))
    _import(sep.join(words), kind="html")


@SETTINGS
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=200))
def test_lines_of_real_renderings_shuffled_dropped_and_repeated(lines):
    _import("\n".join(lines))


@SETTINGS
@given(st.text(max_size=400))
def test_any_text(text):
    _import(text)
    _import(text, kind="html")
