"""Consolidation: a county merges every unit's submission in one step.

``gxexcel.consolidate(paths, roster=None, previous=None)`` returns a
:class:`Consolidation` with one DataFrame per sheet of the consolidated
workbook; ``.to_excel(path)`` writes the workbook.
"""

from .api import Consolidation, consolidate
from .collect import InputFile, collect
from .roster import RosterUnit, read_roster
from .submissions import DUPLICATE_RULE, STATUSES

__all__ = ["Consolidation", "consolidate", "InputFile", "collect", "RosterUnit", "read_roster", "DUPLICATE_RULE", "STATUSES"]


class _CallableModule(__import__("types").ModuleType):
    """``gxexcel.consolidate(paths, roster=None, previous=None)`` calls :func:`consolidate`
    (gxexcel is a namespace package, so the package itself is the public name)."""

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return consolidate(*args, **kwargs)


__import__("sys").modules[__name__].__class__ = _CallableModule
