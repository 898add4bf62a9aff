"""gxexcel: the annual 政府信息公开工作年度报告 in Excel — template, checks, narrative, consolidation.

The public API, for scripts and notebooks::

    import gxexcel
    report = gxexcel.read_workbook("南定镇.xlsx")        # or gxexcel.import_report("南定镇2021年报.html")
    findings = gxexcel.validate(report)
    c = gxexcel.consolidate(["各乡镇报表/"], roster="名册.xlsx")
    c.detail, c.findings, c.submissions                  # pandas DataFrames

Names are imported on first use, so ``import gxexcel`` stays light (the CLI's
``gxexcel spec`` does not load pandas or xlwings).
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("gxexcel")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

#: public name -> (module, attribute)
_EXPORTS: dict[str, tuple[str, str]] = {
    "Report": ("gxexcel.model", "Report"),
    "Finding": ("gxexcel.findings", "Finding"),
    "build_template": ("gxexcel.template", "build_template"),
    "read_workbook": ("gxexcel.reader", "read_workbook"),
    "write_workbook": ("gxexcel.writer", "write_workbook"),
    "validate": ("gxexcel.rules.engine", "validate"),
    "import_report": ("gxexcel.importer", "import_report"),
    "consolidate": ("gxexcel.consolidation", "consolidate"),
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'gxexcel' has no attribute {name!r}")
    module, attr = _EXPORTS[name]
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
