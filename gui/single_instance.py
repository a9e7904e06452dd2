"""One running window per data folder: a second launch asks the first to come forward, then exits.

A QLockFile in the data folder decides who runs (a lock left by a crashed process is taken over:
Qt checks whether the recorded process still exists); a QLocalServer, named after the data folder,
carries the second launch's "come forward" to the first.

Use::

    instance = SingleInstance(data_dir)
    if not instance.acquire():
        return 0                      # the running window was asked to come forward
    instance.activationRequested.connect(window.bring_to_front)
"""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtCore import QCryptographicHash, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

LOCK_NAME = "taizhang.lock"
_MESSAGE = b"activate\n"


def server_name(data_dir: Path) -> str:
    """Per user and data folder, short enough for a Unix socket path."""
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
        self.name = server_name(self.data_dir)
        self._lock: QLockFile | None = None
        self._server: QLocalServer | None = None
        self._locked: bool | None = None  # what lock() found, once asked

    def acquire(self) -> bool:
        """True: this is the only instance, go on. False: another one runs and was told to come forward.

        When no lock can be made at all (a read-only folder), returns True: opening the database
        will then report the folder problem in plain words.
        """
        if self.lock() or self._take_lock():  # asked again: the other one may have just quit
            if self._lock is not None and self._server is None:
                self._listen()
            return True
        return not self._ask_running_instance()

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

    def _ask_running_instance(self, timeout_ms: int = 2000) -> bool:
        """Tell the running instance to come forward; False if it cannot be reached."""
        sock = QLocalSocket()
        sock.connectToServer(self.name)
        if not sock.waitForConnected(timeout_ms):
            return False
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
