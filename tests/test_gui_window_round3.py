"""The window, round 3: the wheel never changes a field it merely passes over, the keyboard reaches
everything, restored geometry fits the screen, 未填写 apart from 未开始, and the check before submitting."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication


@pytest.fixture
def open_window(qtbot, session):
    from gui.main_window import MainWindow

    windows = []

    def make(today: date = date(2019, 10, 1), size=(1366, 768)):
        w = MainWindow(session, session.office("悦城镇"), today=today)
        windows.append(w)
        if size is not None:
            w.resize(*size)
        w.show()
        qtbot.waitUntil(w.is_built, timeout=10_000)
        return w

    yield make
    for w in windows:
        if w.isVisible():
            w.close()
        w.deleteLater()
    qtbot.wait(1)


def wheel(widget, notches: int = -1) -> None:
    """One wheel turn over the middle of ``widget`` (negative: towards the clerk, i.e. scrolling down)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_a_field_scrolls_and_changes_nothing(open_window, qtbot):
    w = open_window()
    w.jump_to_task(12)
    pane = w.detail
    pane.resize(pane.width(), 300)  # the pane must scroll, as at 1366×768
    w.table.setFocus()
    fields = {"status": pane.status, "override": pane.override, "slider": pane.percent_slider,
              "percent": pane.percent, "due": pane.due}
    before = {"status": pane.status.currentIndex(), "override": pane.override.currentIndex(),
              "slider": pane.percent_slider.value(), "percent": pane.percent.value(), "due": pane.due.date()}
    bar = pane.verticalScrollBar()
    assert bar.maximum() > 0
    for name, widget in fields.items():
        for notches in (-1, 1, -3):
            wheel(widget, notches)
        assert not widget.hasFocus(), name
    after = {"status": pane.status.currentIndex(), "override": pane.override.currentIndex(),
             "slider": pane.percent_slider.value(), "percent": pane.percent.value(), "due": pane.due.date()}
    assert after == before
    bar.setValue(0)
    wheel(pane.status, -1)
    assert bar.value() > 0  # the pane scrolled instead
    assert w.save_now()
    assert 12 not in w.session.store.progress(w.plan_id, "悦城镇")  # nothing was saved
    assert pane.status.focusPolicy() == Qt.FocusPolicy.StrongFocus  # a notch does not focus the box either
