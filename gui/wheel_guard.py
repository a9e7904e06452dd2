"""The mouse wheel over a field inside a scrolled pane scrolls the pane; it changes the field only once the
clerk has put the focus in it (clicked or tabbed there).

Without this, scrolling the detail pane with the pointer over 状态, 进度 or 完成时限 changed them, and the
change was autosaved (issue 22).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QWidget,
)

GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)  # QDateEdit and QSpinBox are spin boxes


class WheelGuard(QObject):
    """Event filter: a wheel event over an unfocused guarded field goes to the scroll area around it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget) or watched.hasFocus():
            return False
        area = _scroll_area(watched)
        if area is not None:
            QCoreApplication.sendEvent(area.viewport(), event.clone())
        return True  # the field itself never sees it


def _scroll_area(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, GUARDED):
            return parent
        parent = parent.parentWidget()
    return None


def _inside_guarded(widget: QWidget) -> bool:
    """Part of another guarded field (a date edit's calendar popup with its year box)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, GUARDED):
            return True
        parent = parent.parentWidget()
    return False


def guard_wheel(root: QWidget) -> WheelGuard:
    """Guard every combo box, spin box, date edit and slider under ``root`` (call after building it).

    The fields also stop taking the focus from the wheel (Qt's WheelFocus), so one notch cannot focus a
    field and a second change it."""
    guard = WheelGuard(root)
    for widget in root.findChildren(QWidget):
        if isinstance(widget, GUARDED) and not _inside_guarded(widget):
            guard_one(widget, guard)
    return guard


def guard_one(widget: QWidget, guard: WheelGuard) -> None:
    if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(guard)
