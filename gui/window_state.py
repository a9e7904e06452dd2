"""The main window's remembered state in ``settings.ini``: geometry, splitter, columns, the last task shown."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMainWindow

LAST_TASK = "main/last_task"  # "plan_id|office|task": the task shown when the window closed


def restore(window: QMainWindow, s: QSettings) -> None:
    """Geometry, splitter and column widths as left; on first start sized for the screen (1366×768 included)."""
    geometry = s.value("main/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    else:
        screen = window.screen().availableGeometry()
        window.resize(min(1600, int(screen.width() * 0.95)), min(1000, int(screen.height() * 0.92)))
        window.move(screen.center() - window.rect().center())
        width = window.width()  # a narrow screen: the outline and the detail pane leave the table room
        window.splitter.setSizes([int(width * 0.14), int(width * 0.54), int(width * 0.32)])
    for key, target in (("main/splitter", window.splitter), ("main/header", window.table.horizontalHeader())):
        value = s.value(key)
        if value is not None:
            target.restoreState(value)


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
