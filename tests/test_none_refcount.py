"""PySide6 6.12.0 drops a reference to None on every void call; on Python 3.11 that used to abort the app."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_many_void_calls_and_icon_paints_do_not_abort():
    code = textwrap.dedent("""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        sys.path.insert(0, %r)
        import gui  # the guard
        from PySide6.QtCore import QRect
        from PySide6.QtGui import QPainter, QPixmap
        from PySide6.QtWidgets import QApplication, QLabel
        from core.model import Status
        from gui.icons import status_icon
        app = QApplication([])
        label = QLabel()
        for _ in range(50_000):
            label.setText("落实")
        pixmap = QPixmap(32, 32)
        icon = status_icon(Status.DONE)
        for _ in range(5_000):
            painter = QPainter(pixmap)
            icon.paint(painter, QRect(0, 0, 16, 16))
            painter.end()
        print("alive")
    """) % str(ROOT)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "alive" in out.stdout
