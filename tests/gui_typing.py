"""Typing Chinese into a widget the way a keyboard (or input method) does: one key event per character.

``QTest.keyClicks`` aborts on characters outside Latin-1 (it maps each character to a key code), so
Chinese text is sent as key events with ``Qt.Key_unknown`` and the character as the event's text,
which is what an input method commit looks like to a QPlainTextEdit or QLineEdit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def type_text(widget, text: str) -> None:
    for ch in text:
        if ch.isascii() and ch.isprintable():
            QTest.keyClick(widget, ch)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                               Qt.KeyboardModifier.NoModifier)
