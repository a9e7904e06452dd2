"""One running window per data folder: a second launch asks the first to come forward, then exits.

A QLockFile in the data folder decides who runs (a lock left by a crashed process is taken over:
Qt checks whether the recorded process still exists); a QLocalServer, named after the data folder,
carries the second launch's "come forward" to the first.

Use::

    instance = SingleInstance(data_dir)
    if not instance.acquire():
        return 0                      # the running window was asked to come forward
    instance.activationRequested.connect(window.bring_to_front)

The window takes the lock with ``acquire(listen=False)`` and calls :meth:`listen` after its first paint, or
sooner when its event loop runs a while before it (``gui.app``): QtNetwork (~8 ms with its enums) is then not
loaded before the paint. A second launch in between finds the lock held and no server yet, and keeps trying
to reach it while the lock stays held (``_ask_running_instance``).

Signals:
    activationRequested(): a second launch asked this one to come forward.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from PySide6.QtCore import QCryptographicHash, QDeadlineTimer, QLockFile, QObject, QThread, Signal

LOCK_NAME = "taizhang.lock"
_MESSAGE = b"activate\n"


def server_name(data_dir: Path) -> str:
    """Per user and data folder, short enough for a Unix socket path."""
    import getpass  # with termios on POSIX: needed only once the lock is someone's

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    key = f"{user}\0{Path(data_dir).resolve()}".encode("utf-8", "surrogatepass")
    # Qt's SHA-256 (the same digest as hashlib's): hashlib's OpenSSL start-up is ~3 ms of the window's start
    digest = QCryptographicHash.hash(key, QCryptographicHash.Algorithm.Sha256).toHex().data().decode("ascii")
    return "taizhang-" + digest[:20]


class SingleInstance(QObject):
    activationRequested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self._lock: QLockFile | None = None
        self._server = None  # a QLocalServer once listening
        self._locked: bool | None = None  # what lock() found, once asked

    @cached_property
    def name(self) -> str:
        """The server's name, worked out when first needed (``getpass`` is not loaded before the paint)."""
        return server_name(self.data_dir)

    def acquire(self, listen: bool = True) -> bool:
        """True: this is the only instance, go on. False: another one runs and was told to come forward.

        When no lock can be made at all (a read-only folder), returns True: opening the database
        will then report the folder problem in plain words. ``listen=False``: the caller calls
        :meth:`listen` later (the window: after its first paint).
        """
        if self.lock() or self._take_lock():  # asked again: the other one may have just quit
            if listen:
                self.listen()
            return True
        if self._ask_running_instance():
            return False
        if listen:  # unreachable, or it quit meanwhile and the lock is ours now: this one runs
            self.listen()
        return True

    def listen(self) -> None:
        """Start taking "come forward" requests (once; only when the lock is ours)."""
        if self._lock is not None and self._server is None:
            self._listen()

    def lock(self) -> bool:
        """Only the folder's lock, nothing said to anyone (``gui.early_open`` takes it first thing): True when
        it is ours or none can be made (see :meth:`acquire`), False when a running instance holds it."""
        if self._lock is None and self._locked is None:
            self._locked = self._take_lock()
        return self._lock is not None or bool(self._locked)

    def _take_lock(self) -> bool:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            return True
        lock = QLockFile(str(self.data_dir / LOCK_NAME))
        lock.setStaleLockTime(0)  # never stale by age: only when the recorded process is gone
        if lock.tryLock(0):
            self._lock = lock
            return True
        return lock.error() != QLockFile.LockError.LockFailedError

    def _listen(self) -> None:
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(self.name)  # a socket file left by a crash
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_connection)
        server.listen(self.name)
        self._server = server

    def _on_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            sock = self._server.nextPendingConnection()
            # The second launch writes at once and waits for nothing else; a short blocking read
            # keeps the socket's lifetime simple (no callbacks outliving it).
            arrived = bool(sock.bytesAvailable()) or sock.waitForReadyRead(1000)
            if arrived and bytes(sock.readAll().data()).startswith(_MESSAGE.strip()):
                self.activationRequested.emit()
            sock.disconnectFromServer()
            sock.deleteLater()

    def _ask_running_instance(self, timeout_ms: int = 20000) -> bool:
        """Tell the running instance to come forward; False if it cannot be reached within ``timeout_ms``.

        Its server may not be listening yet (a window listens after its first paint, or once its event loop
        has run a moment; on a slow PC its start alone can take seconds): while its lock is held, the
        connection is tried again every 50 ms."""
        from PySide6.QtNetwork import QLocalSocket

        deadline = QDeadlineTimer(timeout_ms)
        sock = QLocalSocket()
        while True:
            sock.connectToServer(self.name)
            if sock.waitForConnected(max(0, deadline.remainingTime())):
                break
            if deadline.hasExpired() or self._take_lock():  # gone meanwhile: this one runs after all
                return False
            QThread.msleep(50)
        sock.write(_MESSAGE)
        sock.flush()  # often writes everything at once, and then there is nothing left to wait for
        ok = sock.bytesToWrite() == 0 or sock.waitForBytesWritten(timeout_ms)
        sock.disconnectFromServer()
        return ok

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
        self._locked = None
