"""The Excel binding: ribbon button functions and worksheet functions (xlwings).

Every function here takes an xlwings ``Book`` (on a desktop ``xw.Book.caller()``,
in tests a book of xlwings' remote engine) and reuses the core: the reader's
grid logic, the rule engine, the narrative, the publication and the
consolidation. Nothing here knows a label or a cell address of its own: they
come from :mod:`gxexcel.form` and :mod:`gxexcel.layout`.
"""
