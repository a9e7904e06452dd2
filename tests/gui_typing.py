"""Typing Chinese into a widget the way a keyboard (or input method) does: one key event per character.

``QTest.keyClicks`` aborts on characters outside Latin-1 (it maps each character to a key code), so
Chinese text is sent as key events with ``Qt.Key_unknown`` and the character as the event's text,
which is what an input method commit looks like to a QPlainTextEdit or QLineEdit. The events are built
here: ``QTest.sendKeyEvent`` with a one-character string picks its ``char`` overload on PySide6 6.8 and
sends only the first UTF-8 byte.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def type_text(widget, text: str) -> None:
    for ch in text:
        if ch.isascii() and ch.isprintable():
            QTest.keyClick(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))
