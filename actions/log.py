"""A log file the clerk can send when something goes wrong: ``<data folder>/logs/taizhang.log``, rotated.

Three files of at most 1 MB each. Failures of the log itself (read-only folder, full disk) never stop the
app: logging then goes nowhere.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from actions.session import SQLITE_VERSION

LOG_DIR = "logs"
LOG_FILE = "taizhang.log"
MAX_BYTES = 1024 * 1024
BACKUP_COUNT = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOG_DIR / LOG_FILE


class RotatingLog(logging.FileHandler):
    """The log file, moved to ``.1`` (``.1`` to ``.2`` …, BACKUP_COUNT kept) before it would pass MAX_BYTES.

    What ``logging.handlers.RotatingFileHandler`` does, kept here because that module brings socket and pickle
    along: ~12 ms of every window's start before the first paint.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path, encoding="utf-8", delay=True)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._would_overflow(record):
                self._rotate()
        except Exception:  # the log's own failure never stops the app
            self.handleError(record)
            return
        super().emit(record)

    def _would_overflow(self, record: logging.LogRecord) -> bool:
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, os.SEEK_END)
        return self.stream.tell() > 0 and self.stream.tell() + len(self.format(record).encode("utf-8")) + 1 >= MAX_BYTES

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # type: ignore[assignment]
        base = self.baseFilename
        for i in range(BACKUP_COUNT - 1, 0, -1):
            if os.path.exists(f"{base}.{i}"):
                os.replace(f"{base}.{i}", f"{base}.{i + 1}")
        if os.path.exists(base):
            os.replace(base, f"{base}.1")


def _system() -> tuple[str, str]:
    """The OS and its release for the log's first line (``platform`` costs ~3 ms to import; uname does not)."""
    if hasattr(os, "uname"):
        uname = os.uname()
        return uname.sysname, uname.release
    import platform

    return platform.system(), platform.release()


def setup_logging(data_dir: Path, what: str) -> Path | None:
    """Log to the data folder's rotating file; returns its path, or None when it cannot be written."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "taizhang", False):
            root.removeHandler(handler)
            handler.close()
    path = log_path(data_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingLog(path)
    except OSError:
        return None
    handler.taizhang = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.raiseExceptions = False  # a full disk must not turn logging into tracebacks on stderr
    # the system's name and release, not platform.platform(): that one runs `uname -p` (~50 ms at every start)
    logging.getLogger("taizhang").info("%s | Python %s, SQLite %s, %s %s", what, sys.version.split()[0],
                                       SQLITE_VERSION, *_system())
    return path
