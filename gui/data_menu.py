"""The 数据 menu: import a new plan, switch plans, back up, restore, and the 30-minute backup.

Signals:
    planChosen(int): the clerk picked (or just imported) the plan with this id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from actions.errors import ActionError, StorageError
from actions.session import Session
from core.model import Office
from gui.backup_actions import BackupActions

if TYPE_CHECKING:  # the dialog and the importers load on first use (~60 ms of start-up)
    from gui.plan_import_dialog import PlanImportDialog

BACKUP_INTERVAL_MS = 30 * 60 * 1000


class DataMenu(QObject):
    """Builds the menu on ``window`` and owns the backup actions and timer."""

    planChosen = Signal(int)

    def __init__(self, window: QMainWindow, session: Session, office: Office, before_change) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.office = office
        self.before_change = before_change  # flushes pending edits; returns False to stop
        self.backups = BackupActions(window, session)
        self.backups.restored.connect(self._reopened)
        self.backups.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
        self.timer = QTimer(self)
        self.timer.setInterval(BACKUP_INTERVAL_MS)
        self.timer.timeout.connect(self._periodic)
        self.timer.start()

        self.menu = window.menuBar().addMenu(self.tr("数据(&D)"))
        self.act_import = QAction(self.tr("导入新方案…"), window)
        self.act_import.triggered.connect(self.import_plan)
        self.plans_menu = QMenu(self.tr("切换方案"), window)
        self.plans_menu.aboutToShow.connect(self._fill_plans)
        self.act_backup = QAction(self.tr("备份到…（如U盘）"), window)
        self.act_backup.triggered.connect(self._backup)
        self.act_restore = QAction(self.tr("从备份恢复…"), window)
        self.act_restore.triggered.connect(self._restore)
        self.act_manage = QAction(self.tr("备份管理…"), window)
        self.act_manage.triggered.connect(self.manage_backups)
        self.menu.addAction(self.act_import)
        self.menu.addMenu(self.plans_menu)
        self.menu.addSeparator()
        self.menu.addAction(self.act_backup)
        self.menu.addAction(self.act_restore)
        self.menu.addAction(self.act_manage)
        self.act_county = QAction(self.tr("导入各单位报送材料…"), window)  # the 汇总 window (gui/county_window.py)
        self.act_county.triggered.connect(self.open_county)
        self.menu.addSeparator()
        self.menu.addAction(self.act_county)

    def open_county(self, _checked: bool = False, ask_files: bool = True):  # the window loads on first use
        from gui.county_window import open_county_window

        return open_county_window(self.window, self.session, ask_files=ask_files)

    def _periodic(self) -> None:
        if self.before_change():
            self.backups.periodic_backup()

    def _backup(self) -> None:
        if self.before_change():
            self.backups.backup_to_folder()

    def _restore(self) -> None:
        if self.before_change():
            self.backups.restore_from_file()

    def manage_backups(self):
        """备份管理: the automatic backups, restore one, back up now, open the folder."""
        if not self.before_change():
            return None
        from gui.backup_dialog import BackupDialog

        dialog = BackupDialog(self.backups, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _reopened(self) -> None:
        """After a restore (the session reopened itself): show the data now in the file."""
        try:
            plan_id = self.session.current_plan_id()
        except StorageError as exc:
            QMessageBox.critical(self.window, self.tr("无法打开数据"), exc.message)
            return
        self.planChosen.emit(plan_id)

    def _fill_plans(self) -> None:
        self.plans_menu.clear()
        group = QActionGroup(self.plans_menu)
        current = self.session.current_plan_id()
        for info in self.session.plans():
            action = QAction(self.tr("{0}年 {1}（{2} 项）").format(info.year, info.title, info.task_count),
                             self.plans_menu)
            action.setCheckable(True)
            action.setChecked(info.id == current)
            action.triggered.connect(lambda _checked=False, plan_id=info.id: self.choose(plan_id))
            group.addAction(action)
            self.plans_menu.addAction(action)

    def choose(self, plan_id: int) -> None:
        if not self.before_change():
            return
        try:
            self.session.use_plan(plan_id)
        except (ActionError, StorageError) as exc:
            QMessageBox.warning(self.window, self.tr("无法切换方案"), exc.message)
            return
        self.planChosen.emit(plan_id)

    def import_plan(self) -> PlanImportDialog | None:
        if not self.before_change():
            return None
        from gui.plan_import_dialog import PlanImportDialog

        dialog = PlanImportDialog(self.session, self.office, self.window)
        dialog.planSaved.connect(self._imported)
        dialog.open()
        return dialog

    def _imported(self, plan_id: int) -> None:
        answer = QMessageBox.question(self.window, self.tr("导入完成"), self.tr("新方案已保存。现在切换到新方案吗？"))
        if answer == QMessageBox.StandardButton.Yes:
            self.choose(plan_id)
