"""The window's keyboard paths: into the task table, from task to task, out to the editing pane and back.

- In the table, Tab and Shift+Tab go to the next and previous task (one press per task); Tab on the last task
  leaves for the editing pane. Enter, F6 and Ctrl+Tab go to the pane's first field (状态).
- Ctrl+E (the window's 转到实施步骤 action) jumps to 实施步骤; Esc or F6 in the pane goes back to the table.
- After a dialog the focus returns to the field it was in (:func:`return_focus`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QWidget

_TO_PANE = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F6)


class TableKeys(QObject):
    """Event filter on the task table (``window`` is the MainWindow)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        window.table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key, mods = event.key(), event.modifiers()
        plain = not (mods & ~Qt.KeyboardModifier.KeypadModifier)
        if key == Qt.Key.Key_Tab and mods & Qt.KeyboardModifier.ControlModifier:
            self.to_pane()
            return True
        if key == Qt.Key.Key_Tab and plain:
            self.step(+1)
            return True
        if key == Qt.Key.Key_Backtab:
            return self.step(-1)
        if key in _TO_PANE and plain:
            self.to_pane()
            return True
        return False

    def step(self, delta: int) -> bool:
        """Move to the next (+1) or previous (-1) task; past the last one, into the pane. False: not handled."""
        w = self.window
        row = w.table.currentIndex().row() + delta
        if 0 <= row < w.proxy.rowCount():
            w.select_row(row)
            return True
        if delta > 0:
            self.to_pane()
            return True
        return False

    def to_pane(self) -> None:
        pane = self.window.detail
        if pane.widget().isEnabled():
            pane.status.setFocus(Qt.FocusReason.TabFocusReason)


def install_pane_keys(window) -> None:
    """Esc and F6 inside the editing pane go back to the table."""
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_F6):
        shortcut = QShortcut(QKeySequence(key), window.detail)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda: window.table.setFocus(Qt.FocusReason.ShortcutFocusReason))


def return_focus(dialog: QDialog) -> QDialog:
    """When ``dialog`` closes, put the focus back where it was when it opened."""
    before: QWidget | None = QApplication.focusWidget()
    if before is not None:
        def back(_result: int = 0) -> None:
            try:
                if before.isVisible() and before.isEnabled():
                    before.activateWindow()
                    before.setFocus(Qt.FocusReason.OtherFocusReason)
            except RuntimeError:  # the widget went away meanwhile
                pass
        dialog.finished.connect(back)
    return dialog
