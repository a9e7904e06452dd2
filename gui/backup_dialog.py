"""备份管理: the automatic backups with their time, kind and size; restore one, back up now, open the folder.

The work goes through ``gui.backup_actions.BackupActions`` (the same confirmation and safety backup as
数据 → 从备份恢复…); the list comes from ``actions.backup_list``. No signals of its own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from actions import backup_list
from actions.errors import StorageError
from gui.backup_actions import BackupActions

_PATH = Qt.ItemDataRole.UserRole + 1


class BackupDialog(QDialog):
    def __init__(self, actions: BackupActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actions = actions
        self.session = actions.session
        self.setWindowTitle(self.tr("备份管理"))
        self.resize(640, 460)
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.intro)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels([self.tr("备份时间"), self.tr("类型"), self.tr("大小"), self.tr("内容")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.empty = QLabel(self.tr("还没有备份。点“立即备份”做第一个。"), self)
        self.empty.hide()
        layout.addWidget(self.empty)

        buttons = QHBoxLayout()
        self.restore_button = QPushButton(self.tr("用所选备份恢复…"), self)
        self.backup_button = QPushButton(self.tr("立即备份"), self)
        self.folder_button = QPushButton(self.tr("打开备份文件夹"), self)
        self.close_button = QPushButton(self.tr("关闭"), self)
        for b in (self.restore_button, self.backup_button, self.folder_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

        self.restore_button.clicked.connect(self.restore_selected)
        self.backup_button.clicked.connect(lambda: self.actions.backup_now(lambda _info: self.refresh()))
        self.folder_button.clicked.connect(self.open_folder)
        self.close_button.clicked.connect(self.accept)
        self.table.itemSelectionChanged.connect(self._enable)
        self.table.itemDoubleClicked.connect(lambda _i: self.restore_selected())
        self.actions.restored.connect(self.refresh)
        self.actions.busyChanged.connect(lambda busy: self._enable(busy))
        self.refresh()

    def refresh(self) -> None:
        try:
            rows = backup_list.backup_rows(self.session)
            folder = backup_list.folder(self.session)
        except (OSError, StorageError) as exc:
            rows, folder = [], None
            self.intro.setText(self.tr("无法读取备份文件夹：{0}").format(exc))
        if folder is not None:
            self.intro.setText(self.tr("程序在启动时、导入新方案前和使用中每30分钟（内容有变化时）自动备份。"
                                       "现有 {0} 个备份（较旧的按日、周、月各留一部分，其余自动删除）。"
                                       "用备份恢复时，佐证材料也一并恢复。备份文件夹：{1}").format(len(rows), folder))
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            cells = (row.when, self.tr(row.kind), row.size_text, self.tr(row.contents_text))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(_PATH, str(row.path))
                item.setToolTip(str(row.path))
                if col == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, col, item)
        self.empty.setVisible(not rows)
        if rows:
            self.table.selectRow(0)
        self._enable()

    def selected_path(self):
        from pathlib import Path

        items = self.table.selectedItems()
        return Path(items[0].data(_PATH)) if items else None

    def _enable(self, busy: bool = False) -> None:
        self.restore_button.setEnabled(not busy and self.selected_path() is not None)
        self.backup_button.setEnabled(not busy)

    def restore_selected(self) -> None:
        path = self.selected_path()
        if path is not None:
            self.actions.restore_from(path)

    def open_folder(self) -> bool:
        folder = backup_list.folder(self.session)
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            return True
        QMessageBox.information(self, self.tr("打开备份文件夹"),
                                self.tr("没有可打开文件夹的程序。备份文件夹在：\n{0}").format(folder))
        return False
