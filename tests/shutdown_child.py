"""Child for the SIGTERM test: a Qt app with a pending edit; prints "ready" once its loop runs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

from core.model import Progress, Status
from gui.shutdown import install_shutdown_hooks
from tests.stores import open_store


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    store = open_store(Path(sys.argv[1]))
    pending = Progress(11, Status.IN_PROGRESS, 60, achievements="关闭前还没保存的内容")

    def flush() -> None:
        store.save_progress(store.current_plan_id(), "悦城镇", pending)
        print("flushed", flush=True)

    hooks = install_shutdown_hooks(app, flush)
    QTimer.singleShot(0, lambda: print("ready", flush=True))
    rc = app.exec()
    store.close()
    print(f"exit {rc} flushes {hooks.flush_count}", flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
