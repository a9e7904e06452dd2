"""PySide6 6.12.0 dropped a reference to None (and True/False through forwarded bool signals) on every void call,
which on Python 3.11 aborted the app after a few thousand repaints. 6.8.3, which we pin, does not: the workaround
that patched the singletons' reference counts is gone, and this test measures the counts so a Qt upgrade that
brings the leak back fails here instead of in a clerk's window."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_void_calls_icon_paints_and_bool_signals_keep_the_singletons_counts():
    code = textwrap.dedent("""
        import json, os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        sys.path.insert(0, %r)
        from PySide6.QtCore import QObject, QRect, Signal
        from PySide6.QtGui import QPainter, QPixmap
        from PySide6.QtWidgets import QApplication, QLabel
        from core.model import Status
        from gui.icons import status_icon  # qtawesome-style Python icon engine overrides
        app = QApplication([])

        class Relay(QObject):
            first = Signal(bool)
            second = Signal(bool)

        relay = Relay()
        relay.first.connect(relay.second)
        label = QLabel()
        pixmap = QPixmap(32, 32)
        icon = status_icon(Status.DONE)
        before = {str(k): sys.getrefcount(k) for k in (None, True, False)}
        for _ in range(50_000):
            label.setText("落实")
            label.update()
        for i in range(5_000):
            painter = QPainter(pixmap)
            painter.save()
            icon.paint(painter, QRect(0, 0, 16, 16))
            painter.restore()
            painter.end()
            relay.first.emit(i %% 2 == 0)
        after = {str(k): sys.getrefcount(k) for k in (None, True, False)}
        print(json.dumps({k: after[k] - before[k] for k in before}))
    """) % str(ROOT)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    drift = json.loads(out.stdout.strip().splitlines()[-1])
    # a leak of one reference per call would show as tens of thousands here (and abort on 3.11)
    assert all(abs(d) < 100 for d in drift.values()), drift
