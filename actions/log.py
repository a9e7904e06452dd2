"""A log file the clerk can send when something goes wrong: ``<data folder>/logs/taizhang.log``, rotated.

Three files of at most 1 MB each. Failures of the log itself (read-only folder, full disk) never stop the
app: logging then goes nowhere.
"""

from __future__ import annotations

import logging
import logging.handlers
import platform
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
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                                       encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.taizhang = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.raiseExceptions = False  # a full disk must not turn logging into tracebacks on stderr
    # platform.system/release, not platform.platform(): that one runs `uname -p` (~50 ms at every start)
    logging.getLogger("taizhang").info("%s | Python %s, SQLite %s, %s %s", what, sys.version.split()[0],
                                       SQLITE_VERSION, platform.system(), platform.release())
    return path
