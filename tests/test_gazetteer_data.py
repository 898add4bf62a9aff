"""The place-name list shipped with gxexcel is exactly what the installed JioNLP gives,
and loading it never imports JioNLP."""

from __future__ import annotations

import subprocess
import sys

from gxexcel.rules import gazetteer as gz


def test_shipped_names_equal_what_jionlp_derives():
    version, rows = gz.derive_rows()
    assert gz.DATA_FILE.read_text(encoding="utf-8") == gz.format_rows(version, rows), (
        "src/gxexcel/data/gazetteer.txt is stale: run python3 -m gxexcel.rules.gazetteer")
    assert gz.parse_rows(gz.format_rows(version, rows)) == rows
    assert all(" " not in t and "\t" not in t for *_, towns in rows for t in towns)


def test_loading_the_gazetteer_does_not_import_jionlp():
    code = ("import sys\n"
            "from gxexcel.rules.gazetteer import gazetteer, own_places\n"
            "g = gazetteer()\n"
            "assert '南定镇' in g.towns and '城关镇' in g.towns, len(g.towns)\n"
            "print(sorted(m for m in sys.modules if m.startswith('jionlp')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
