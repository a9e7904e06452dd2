"""Running slow work off the UI thread, with a progress dialog shown only if it takes a while."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

PROGRESS_DELAY_MS = 600  # as Anki does: quick jobs never flash a dialog


class _Signals(QObject):
    """finished(object): the function's result; failed(object): the exception raised."""

    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed back to the UI thread
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_error: Callable[[BaseException], None], parent: QWidget | None = None,
                      label: str = "") -> None:
    """Run ``fn`` on the thread pool; ``on_done``/``on_error`` run on the UI thread.

    A modal progress dialog with ``label`` appears if the job takes longer than PROGRESS_DELAY_MS.
    ``fn`` must not touch widgets (and must use its own database connection).
    """
    job = _Job(fn)
    dialog: list[QProgressDialog] = []
    timer = QTimer(parent)
    timer.setSingleShot(True)

    def show_progress() -> None:
        d = QProgressDialog(label, "", 0, 0, parent)
        d.setCancelButton(None)
        d.setWindowModality(Qt.WindowModality.WindowModal)
        d.setMinimumDuration(0)
        d.show()
        dialog.append(d)

    def finish() -> None:
        timer.stop()
        timer.deleteLater()
        for d in dialog:
            d.close()
            d.deleteLater()

    def done(result: Any) -> None:
        finish()
        on_done(result)

    def failed(exc: BaseException) -> None:
        finish()
        on_error(exc)

    timer.timeout.connect(show_progress)
    job.signals.finished.connect(done, Qt.ConnectionType.QueuedConnection)
    job.signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
    timer.start(PROGRESS_DELAY_MS)
    # Keep the signals object alive until delivery.
    _pending.add(job.signals)
    job.signals.finished.connect(lambda _=None: _pending.discard(job.signals))
    job.signals.failed.connect(lambda _=None: _pending.discard(job.signals))
    QThreadPool.globalInstance().start(job)


_pending: set[_Signals] = set()
