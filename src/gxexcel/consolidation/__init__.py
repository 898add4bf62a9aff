"""Consolidation: a county merges every unit's submission in one step.

``gxexcel.consolidate(paths, roster=None, previous=None)`` (this package's
:func:`consolidate`) returns a
:class:`Consolidation` with one DataFrame per sheet of the consolidated
workbook; ``.to_excel(path)`` writes the workbook.
"""

from .api import Consolidation, consolidate
from .collect import InputFile, collect
from .roster import RosterUnit, read_roster
from .submissions import DUPLICATE_RULE, STATUSES

__all__ = ["Consolidation", "consolidate", "InputFile", "collect", "RosterUnit", "read_roster", "DUPLICATE_RULE", "STATUSES"]

