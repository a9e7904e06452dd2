"""The one way the window runs slow work off the UI thread.

Every long action (opening the data, backups, restore, reading a plan, building a report) goes through a
:class:`Runner`: the job is kept alive until its result is delivered, failures are mapped to one plain
message (:func:`error_message`), and a progress dialog appears only if the job takes longer than
``PROGRESS_DELAY_MS`` (as Anki does, so quick jobs never flash a dialog).

A job never touches the window's database connection (SQLite refuses it: connections are opened with
``check_same_thread``). It is handed plain data, or opens its own with ``actions.session.in_own_session``;
opening and restoring do their slow part in the job and the window reconnects on its own thread
(``Session.prepare``/``attach``, ``actions.backups.restore_closed``/``Session.reconnect``).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from actions.errors import ActionError, StorageError

PROGRESS_DELAY_MS = 600
log = logging.getLogger(__name__)


def error_message(exc: BaseException) -> str:
    """What the clerk reads for a failed job: the action's own message, or a plain note for our bugs."""
    if isinstance(exc, ActionError):
        return str(exc)
    if isinstance(exc, StorageError):
        return exc.message
    log.error("内部错误\n%s", getattr(exc, "__traceback_text__", "") or "".join(traceback.format_exception(exc)))
    text = QCoreApplication.translate("Runner", "内部错误：{0}: {1}（详细信息已写入日志）")
    return text.format(type(exc).__name__, exc)


class _Signals(QObject):
    """done(object): the function's result; failed(object): the exception it raised."""

    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed back to the UI thread
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class Runner(QObject):
    """Runs functions on a thread pool and delivers their outcome on the UI thread.

    ``serial=True`` gives the runner its own one-thread pool: jobs run one at a time, in order (backups,
    restores, report builds). Otherwise jobs share the global pool.

    Signals:
        busyChanged(bool): True while any job of this runner is running or queued.
    """

    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None, serial: bool = False) -> None:
        super().__init__(parent)
        self._pool: QThreadPool | None = None
        if serial:
            self._pool = QThreadPool(self)
            self._pool.setMaxThreadCount(1)
        self._pending: set[_Signals] = set()

    @property
    def pool(self) -> QThreadPool:
        return self._pool or QThreadPool.globalInstance()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[str], None] | None = None, *, widget: QWidget | None = None,
            label: str = "") -> None:
        """Run ``fn`` off the UI thread; ``on_done(result)`` or ``on_error(message)`` runs on the UI thread.

        ``fn`` must not touch widgets or the UI thread's database connection. Without ``on_error`` a
        failure is shown in a warning box over ``widget``. With ``label``, a modal progress dialog shows
        the label if the job takes longer than PROGRESS_DELAY_MS.
        """
        signals = _Signals()
        dialogs: list[QProgressDialog] = []
        timer = QTimer(self)
        timer.setSingleShot(True)

        def show_progress() -> None:
            d = QProgressDialog(label, "", 0, 0, widget)
            d.setCancelButton(None)
            d.setWindowModality(Qt.WindowModality.WindowModal)
            d.setMinimumDuration(0)
            d.show()
            dialogs.append(d)

        def finish() -> None:
            timer.stop()
            timer.deleteLater()
            for d in dialogs:
                d.close()
                d.deleteLater()
            self._pending.discard(signals)
            self.busyChanged.emit(self.busy)

        def done(result: Any) -> None:
            finish()
            on_done(result)

        def failed(exc: BaseException) -> None:
            finish()
            message = error_message(exc)
            if on_error is not None:
                on_error(message)
            else:
                QMessageBox.warning(widget, QCoreApplication.translate("Runner", "操作没有成功"), message)

        if label:
            timer.timeout.connect(show_progress)
            timer.start(PROGRESS_DELAY_MS)
        signals.done.connect(done, Qt.ConnectionType.QueuedConnection)
        signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        self._pending.add(signals)  # keeps the signals object alive until delivery
        self.busyChanged.emit(True)
        self.pool.start(_Job(fn, signals))

    def wait(self) -> None:
        """Block until every started job has finished (their results are still delivered later)."""
        self.pool.waitForDone()


_default: Runner | None = None


def default_runner() -> Runner:
    """The application's shared runner for one-off jobs."""
    global _default
    if _default is None:
        _default = Runner(QCoreApplication.instance())
    return _default
