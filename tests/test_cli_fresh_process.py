"""The command line works in a plain interpreter, as after ``pip install gxexcel`` from a wheel.

In the development install, the editable-install hook (a .pth file run by ``site``) imports
``importlib.util`` at start-up and so hides a missing import; a wheel install has no such
hook and ``gxexcel`` crashed with a traceback. The test starts Python without ``site``
(no .pth hooks) and puts the source and the installed libraries on the path by hand.
"""

from __future__ import annotations

import site
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.mark.parametrize("argv", [["--help"], ["spec"], ["validate", "--help"]], ids=" ".join)
def test_cli_runs_without_site_hooks(argv):
    paths = [str(SRC), *site.getsitepackages()]
    code = (
        "import sys\n"
        f"sys.path[:0] = {paths!r}\n"
        "assert 'importlib.util' not in sys.modules\n"
        "from gxexcel.cli import main\n"
        f"sys.argv = ['gxexcel', *{argv!r}]\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert "gxexcel" in out.stdout or "表三" in out.stdout
