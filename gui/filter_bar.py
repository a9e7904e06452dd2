"""The search box and filters above the task table.

Signals:
    filters_changed(): scope, status, role or overdue changed (read them with the accessors).
    query_changed(str): the search text, debounced (SEARCH_DEBOUNCE_MS after the last keystroke).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from core.model import ROLE_LABELS, Role, Status
from core.tracking import UNFILLED_LABEL
from gui.icons import icon, status_icon, unfilled_icon
from gui.roles_help import role_tooltip
from gui.task_filter_proxy import UNFILLED

SEARCH_DEBOUNCE_MS = 150


class FilterBar(QWidget):
    filters_changed = Signal()
    query_changed = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("搜索任务要求和已填写内容（Ctrl+F）"))
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setMinimumWidth(160)
        layout.addWidget(self.search, 3)

        self.scope = QComboBox(self)
        self.scope.addItem(self.tr("本单位任务"), True)
        self.scope.addItem(self.tr("全部任务"), False)
        layout.addWidget(self.scope)

        self.status = QComboBox(self)
        self.status.addItem(self.tr("全部状态"), None)
        self.status.addItem(unfilled_icon(), self.tr(UNFILLED_LABEL), UNFILLED)  # no saved entry
        self.status.setItemData(1, self.tr("还没有保存过任何内容的任务（不同于“未开始”）"), Qt.ItemDataRole.ToolTipRole)
        for s in Status:
            self.status.addItem(status_icon(s), self.tr(s.label), s)
        layout.addWidget(self.status)

        self.role = QComboBox(self)
        self.role.addItem(self.tr("全部角色"), None)
        for r in (Role.LEAD, Role.RESPONSIBLE, Role.COOPERATING, Role.RELATED):
            self.role.addItem(self.tr(ROLE_LABELS[r]), r)
            self.role.setItemData(self.role.count() - 1, role_tooltip(r), Qt.ItemDataRole.ToolTipRole)
        layout.addWidget(self.role)

        self.overdue = QCheckBox(self.tr("只看逾期"), self)
        layout.addWidget(self.overdue)

        self.count_label = QLabel(self)  # the window puts it in the status bar

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._timer.timeout.connect(lambda: self.query_changed.emit(self.query()))
        self.search.textChanged.connect(lambda _t: self._timer.start())
        for combo in (self.scope, self.status, self.role):
            combo.currentIndexChanged.connect(lambda _i: self.filters_changed.emit())
        self.overdue.toggled.connect(lambda _b: self.filters_changed.emit())

    def finish(self) -> None:
        """After the window's first paint: the search box's clear button (~5 ms to load its icon; an empty box
        does not show it anyway)."""
        self.search.setClearButtonEnabled(True)

    def query(self) -> str:
        return self.search.text().strip()

    def only_mine(self) -> bool:
        return bool(self.scope.currentData())

    def status_filter(self) -> Status | str | None:
        """A Status, UNFILLED (未填写), or None for every task."""
        return self.status.currentData()

    def role_filter(self) -> Role | None:
        return self.role.currentData()

    def overdue_only(self) -> bool:
        return self.overdue.isChecked()

    def set_count(self, shown: int, total: int) -> None:
        self.count_label.setText(self.tr("显示 {0} / {1} 项").format(shown, total))

    def stop_timers(self) -> None:
        self._timer.stop()
