"""The main window's remembered state in ``settings.ini``: geometry, splitter, columns, the last task shown."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QMainWindow, QSplitter

LAST_TASK = "main/last_task"  # "plan_id|office|task": the task shown when the window closed
MIN_SHARE = 0.5  # a restored window is at least this share of the screen each way …
MIN_SIZE = (1000, 600)  # … or this, on a large screen (still never more than the screen)


def restore(window: QMainWindow, s: QSettings) -> None:
    """Geometry, splitter and column widths as left; on first start sized for the screen (1366×768 included)."""
    geometry = s.value("main/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
        clamp_to_screen(window)
    else:
        screen = window.screen().availableGeometry()
        window.resize(min(1600, int(screen.width() * 0.95)), min(1000, int(screen.height() * 0.92)))
        window.move(screen.center() - window.rect().center())
        width = window.width()  # a narrow screen: the outline and the detail pane leave the table room
        window.splitter.setSizes([int(width * 0.16), int(width * 0.52), int(width * 0.32)])
    for key, target in (("main/splitter", window.splitter), ("main/header", window.table.horizontalHeader())):
        value = s.value(key)
        if value is not None:
            target.restoreState(value)


def fitted(frame: QRect, available: QRect) -> QRect:
    """``frame`` moved and sized to lie within ``available``, and no smaller than a usable window.

    A usable window is at least MIN_SHARE of the screen each way (a window saved at 1366×768 came back at
    791×355 on a 1920×1080 screen), and never larger than the screen."""
    min_w = min(available.width(), max(MIN_SIZE[0], int(available.width() * MIN_SHARE)))
    min_h = min(available.height(), max(MIN_SIZE[1], int(available.height() * MIN_SHARE)))
    width = max(min_w, min(frame.width(), available.width()))
    height = max(min_h, min(frame.height(), available.height()))
    left = min(max(frame.left(), available.left()), available.right() + 1 - width)
    top = min(max(frame.top(), available.top()), available.bottom() + 1 - height)
    return QRect(left, top, width, height)


def clamp_to_screen(window: QMainWindow) -> None:
    """Fit a restored (not maximised) window to the screen it is on, title bar included."""
    if window.isMaximized() or window.isFullScreen():
        return
    available = window.screen().availableGeometry()
    frame = window.frameGeometry()
    client = window.geometry()
    extra_w, extra_h = frame.width() - client.width(), frame.height() - client.height()
    target = fitted(frame, available)
    hint = window.minimumSizeHint()  # the window cannot go below it, even on a very small screen
    width = max(target.width(), hint.width() + extra_w)
    height = max(target.height(), hint.height() + extra_h)
    if (width, height) != (frame.width(), frame.height()):
        window.resize(width - extra_w, height - extra_h)
    left = max(available.left(), min(target.left(), available.right() + 1 - width))
    top = max(available.top(), min(target.top(), available.bottom() + 1 - height))
    if (left, top) != (frame.left(), frame.top()):
        window.move(left, top)


class ProportionalSplitter(QSplitter):
    """A splitter whose panes keep their shares of the width when the window is resized (QSplitter gives
    the whole change to the panes by stretch factor, so the editing pane stayed narrow)."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        old = self.sizes()
        super().resizeEvent(event)
        horizontal = self.orientation() == Qt.Orientation.Horizontal
        before = event.oldSize().width() if horizontal else event.oldSize().height()
        total = sum(self.sizes())
        if before <= 0 or sum(old) <= 0 or total <= 0 or len(old) < 2:
            return
        shares = [size / sum(old) for size in old]
        new = [round(share * total) for share in shares]
        new[-1] = total - sum(new[:-1])
        self.setSizes(new)


def last_task(s: QSettings, plan_id: int, office: str) -> int | None:
    """The task shown when the window last closed on this plan and office."""
    value = str(s.value(LAST_TASK, "") or "")
    plan, _, rest = value.partition("|")
    name, _, number = rest.rpartition("|")
    if plan == str(plan_id) and name == office and number.isdigit():
        return int(number)
    return None


def save(window: QMainWindow, s: QSettings, plan_id: int, office: str, task: int | None) -> None:
    if task is not None:
        s.setValue(LAST_TASK, f"{plan_id}|{office}|{task}")
    s.setValue("main/geometry", window.saveGeometry())
    s.setValue("main/splitter", window.splitter.saveState())
    s.setValue("main/header", window.table.horizontalHeader().saveState())
    s.sync()
