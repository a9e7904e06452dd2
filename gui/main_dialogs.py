"""The dialogs the main window opens: 打印报告, 生成报送材料, 切换单位 and a field's 历史版本.

Each saves what is typed first (nothing goes into a dialog unsaved) and hands the dialog the session; what
comes back is applied through the window (``load_office``, ``edit_task``, the detail pane). The window keeps
its own state; this module only opens and wires dialogs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from actions import editing
from actions.errors import StorageError
from actions.office_view import task_counts
from core.model import FIELD_LABELS
from gui.keyboard import return_focus

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def open_report(window: MainWindow):
    """Ctrl+P: the report dialog, on everything saved so far (reportlab loads only now)."""
    from gui.report.dialog import ReportDialog

    if not window.autosaver.flush():
        return None
    dialog = return_focus(ReportDialog(window.session, window.plan_id, window.office, window))
    dialog.reportSaved.connect(
        lambda path: window.statusBar().showMessage(window.tr("报告已保存到 {0}").format(path)))
    dialog.open()
    window._report_dialog = dialog
    return dialog


def open_package(window: MainWindow):
    """生成报送材料…: the package dialog, on everything saved so far."""
    from gui.package_dialog import PackageDialog

    if not window.autosaver.flush():
        return None
    dialog = return_focus(PackageDialog(window.session, window.office, window, today=window.today))
    dialog.taskRequested.connect(window.edit_task)
    dialog.open()
    window._package_dialog = dialog
    return dialog


def change_office(window: MainWindow) -> None:
    """切换单位…: choose, remember and show another office."""
    from gui.office_dialog import OfficeDialog

    if not window.autosaver.flush():
        return
    dialog = return_focus(OfficeDialog(window.session, window.office.name, window))
    if dialog.exec() and dialog.chosen is not None:
        try:
            window.session.choose_office(dialog.chosen)
        except StorageError as exc:
            QMessageBox.warning(window, window.tr("未能保存"), exc.message)
        window.load_office(dialog.chosen)
        count = sum(task_counts(window.session, dialog.chosen, window.plan_id).values())
        window.statusBar().showMessage(window.tr("已切换到{0}：当前方案中分给本单位 {1} 项任务").format(
            dialog.chosen.name, count), 10000)


def show_history(window: MainWindow, field: str) -> None:
    """The earlier versions of one field of the task shown; the one chosen goes back into the pane."""
    number = window.current_task()
    if number is None or not window.autosaver.flush():
        return
    from gui.history_dialog import HistoryDialog

    versions = editing.history(window.session, window.plan_id, window.office.name, number)
    dialog = return_focus(HistoryDialog(versions, field, window.tr(FIELD_LABELS[field]), number, window))
    if dialog.exec() and dialog.chosen_text is not None:
        window.detail.restore_text(field, dialog.chosen_text)
