"""The application layer: one Qt-free function per thing a clerk does.

``cli/`` and ``gui/`` call only this package (never ``db`` or ``sqlite3``), so the command line and the
window can never disagree. Each action opens its own transaction, calls ``db/`` and ``core/``, and returns
plain data or raises :class:`~actions.errors.ActionError` (bad input the clerk can fix, exit code 2) or
:class:`~actions.errors.StorageError` (the environment: disk full, read-only, locked; exit code 1).

The modules, by what the clerk does:
- ``session``: open a data folder, offices, plans, settings;
- ``office_view``: the office's view of the current plan (tasks, roles, progress, overrides);
- ``editing``: save a field or an entry, role overrides, history and restoring a version;
- ``progress_files``: export and import the progress exchange file;
- ``reports``: build, write, archive and reprint the 落实情况报告;
- ``plans``: import a new plan with checks and carry-over;
- ``backups``: back up, list backups, restore;
- ``guard``: the one check every file the app writes goes through.
- ``county``: the collecting side (县府办, 牵头单位): import the offices' packages, the matrix, the 汇总 report.
"""
