"""Commit pending edits before the app goes away: window close, SIGTERM/SIGHUP, OS log-off.

Python runs signal handlers only between bytecodes, and Qt's event loop is C++: a wake-up socket
(``signal.set_wakeup_fd`` + QSocketNotifier) gives the interpreter a turn, the handler asks Qt to
quit, and ``aboutToQuit`` runs the flush. Log-off arrives as ``commitDataRequest``.

Use once, after the main window exists::

    install_shutdown_hooks(app, window.flush_pending_edits)
"""

from __future__ import annotations

import signal
import sys
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier, QTimer
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    import socket


class ShutdownHooks(QObject):
    """Keeps the wake-up socket and notifier alive as long as the app."""

    def __init__(self, app: QCoreApplication, flush: Callable[[], None]) -> None:
        super().__init__(app)
        self._app = app
        self._flush = flush
        self.flush_count = 0
        self._sockets: tuple[socket.socket, socket.socket] | None = None
        self._notifier: QSocketNotifier | None = None
        self._timer: QTimer | None = None

    def flush(self) -> None:
        """Run the window's flush; a failure is reported, never allowed to stop the shutdown."""
        self.flush_count += 1
        try:
            self._flush()
        except Exception:  # the flush shows its own message; here only make sure quitting goes on
            traceback.print_exc(file=sys.stderr)

    def _on_signal(self, signum: int, frame: object) -> None:
        QTimer.singleShot(0, self._app.quit)

    def _drain(self) -> None:
        assert self._sockets is not None
        try:
            while self._sockets[0].recv(64):
                pass
        except (BlockingIOError, InterruptedError):
            pass

    def install_signals(self) -> None:
        import socket  # here, not at the top: ~6 ms that the window's start no longer waits for

        signals = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
        for signum in signals:
            signal.signal(signum, self._on_signal)
        if hasattr(socket, "socketpair") and sys.platform != "win32":
            rsock, wsock = socket.socketpair()
            rsock.setblocking(False)
            wsock.setblocking(False)
            signal.set_wakeup_fd(wsock.fileno())
            self._sockets = (rsock, wsock)
            self._notifier = QSocketNotifier(rsock.fileno(), QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._drain)
        else:  # Windows: let the interpreter run now and then so a handler is not stuck
            self._timer = QTimer(self)
            self._timer.timeout.connect(lambda: None)
            self._timer.start(250)


def install_shutdown_hooks(app: QCoreApplication, flush: Callable[[], None]) -> ShutdownHooks:
    """Call ``flush`` before the app quits for any reason; returns the hooks object (keep it)."""
    hooks = ShutdownHooks(app, flush)
    app.aboutToQuit.connect(hooks.flush)
    if isinstance(app, QGuiApplication):
        app.commitDataRequest.connect(lambda _manager: hooks.flush())
    hooks.install_signals()
    return hooks
