"""Opening the data folder while the window's modules still load (issue 22).

The open-time check (check, recover, migrate, seed: ``Session.prepare``) is mostly SQLite's own work, which
runs without Python's lock. Started on a thread of its own before QtWidgets and the window's modules are
imported, it is done (or nearly) by the time the window asks for it: ~20 ms of the cold start overlap.

Nothing changes in what is guaranteed: the single-instance lock is taken first, so a second launch never
checks (or sets aside) the files of the window already running; the log is set up before the thread starts,
so whatever the check logs lands in ``taizhang.log``; the thread opens and closes its own connection, and the
window still makes its own on the UI thread (``Session.attach``) and lets the clerk edit only after the check
has finished (``gui.app.open_session`` waits for it, with the progress dialog when it is slow, and shows
its failure plainly).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from actions.log import setup_logging
from actions.session import Notice, Session
from core.paths import resolve_data_dir
from gui.single_instance import SingleInstance


class EarlyOpen:
    """The folder, its single-instance lock, and ``Session.prepare`` started on a thread when the lock is ours."""

    def __init__(self, data_dir_arg: str | None) -> None:
        self.data_dir = resolve_data_dir(data_dir_arg)
        setup_logging(self.data_dir, "window")
        self.instance = SingleInstance(self.data_dir)
        self._notices: list[Notice] = []
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if self.instance.lock():
            # Not a daemon: a migration under way is never cut off by the process ending.
            self._thread = threading.Thread(target=self._prepare, name="taizhang-open", daemon=False)
            self._thread.start()

    def _prepare(self) -> None:
        try:
            self._notices = Session.prepare(self.data_dir, auto_backup=False)
        except BaseException as exc:  # handed to whoever waits for it (gui.app.open_session)
            self._error = exc

    def job(self) -> Callable[[], list[Notice]]:
        """What ``open_session`` runs on its worker: waiting for the thread started here, or (when none was,
        e.g. the lock was taken only later) the check itself."""
        if self._thread is None:
            return lambda: Session.prepare(self.data_dir, auto_backup=False)
        return self._wait

    def _wait(self) -> list[Notice]:
        self.wait()
        if self._error is not None:
            raise self._error
        return self._notices

    def wait(self) -> None:
        """Until the check has finished (before the lock is let go, and before the process ends)."""
        if self._thread is not None:
            self._thread.join()
