"""PySide6 widgets, models and dialogs.

Importing the package first works around a crash in PySide6 6.12.0 on Python 3.11 (see ``keep_none_alive``).
"""

from __future__ import annotations

import ctypes
import sys

_MARGIN = 1 << 60


def keep_none_alive() -> bool:
    """Make ``None`` effectively immortal, as Python 3.12+ does; returns whether it was needed.

    PySide6 6.12.0 drops one reference to ``None`` on every call of a void method (``setText``,
    ``update``, ``QPainter.save``...) and on every Python override of a virtual (qtawesome's icon engine).
    On Python 3.12+ ``None`` is immortal and nothing happens; on 3.11, which the build ships, its count
    reaches zero after a few thousand calls and CPython aborts ("none_dealloc: deallocating None"): the
    task table lost ~110 references per repaint, so the window died after ~120 repaints. Raising the
    count by 2**60 keeps it far from zero (and far from overflow) for any session.

    The same happens to ``True`` and ``False`` when a ``Signal(bool)`` is forwarded to another signal
    (the runner's ``busyChanged``): CPython aborts in ``bool_dealloc`` at exit. They get the same margin.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    for singleton in (None, True, False):
        refcnt = ctypes.c_ssize_t.from_address(id(singleton))  # ob_refcnt is PyObject's first field
        if refcnt.value < _MARGIN // 2:
            refcnt.value += _MARGIN
    return True


keep_none_alive()
