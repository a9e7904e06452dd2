"""已提交的报告: the archived reports of one plan and office, newest first."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from actions.reports import ArchivedReport
from core.cn import chinese_date_iso, short_time


class ReportHistory(QWidget):
    """The list of archived reports with 重新打印 / 另存为 for the selected one.

    Signals:
        selected(int): an archived report was selected (its id), -1 when the selection was cleared.
        printRequested(int): 重新打印… for that report id.
        saveRequested(int): 另存为… for that report id.
    """

    selected = Signal(int)
    printRequested = Signal(int)
    saveRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = QLabel(self.tr("每次另存为PDF或打印的报告都保存在这里，可以随时查看、重新打印当时提交的原样文件。"))
        self.note.setWordWrap(True)
        self.list = QListWidget()
        self.list.currentItemChanged.connect(self._on_current)
        self.print_button = QPushButton(self.tr("重新打印…"))
        self.save_button = QPushButton(self.tr("另存为…"))
        self.print_button.clicked.connect(lambda: self._request(self.printRequested))
        self.save_button.clicked.connect(lambda: self._request(self.saveRequested))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._enable()

    def set_reports(self, reports: list[ArchivedReport]) -> None:
        """The archived reports grouped by round (报送轮次), rounds in order of their newest report."""
        keep = self.current_id()
        self.list.blockSignals(True)
        self.list.clear()
        by_round: dict[str, list[ArchivedReport]] = {}
        for r in reports:  # newest first
            by_round.setdefault(r.round_label, []).append(r)
        for round_label, group in by_round.items():
            head = QListWidgetItem(self.tr("{0}（{1} 份）").format(round_label or self.tr("未注明轮次"), len(group)))
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)  # readable, not selectable
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            self.list.addItem(head)
            for r in group:
                text = self.tr("　{0}的报告\n　{1}，存档于 {2}　指纹 {3}").format(
                    chinese_date_iso(r.report_date), r.format.upper(), short_time(r.created_at), r.sha256[:12])
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                item.setToolTip(self.tr("报送轮次：{0}\nSHA-256：{1}").format(
                    round_label or self.tr("未注明"), r.sha256))
                self.list.addItem(item)
                if r.id == keep:
                    self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if not reports:
            self.list.addItem(QListWidgetItem(self.tr("还没有提交过报告。")))
            self.list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        self._enable()

    def round_of(self, report_id: int) -> str:
        """The round heading a report is listed under (for tests and the viewing label)."""
        heading = ""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) is None:
                heading = item.text()
            elif item.data(Qt.ItemDataRole.UserRole) == report_id:
                return heading
        return ""

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return int(value) if value is not None else None

    def select(self, report_id: int) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == report_id:
                self.list.setCurrentRow(row)
                return True
        return False

    def _on_current(self, *_args: object) -> None:
        self._enable()
        current = self.current_id()
        self.selected.emit(current if current is not None else -1)

    def _enable(self) -> None:
        has = self.current_id() is not None
        self.print_button.setEnabled(has)
        self.save_button.setEnabled(has)

    def _request(self, signal: Signal) -> None:
        current = self.current_id()
        if current is not None:
            signal.emit(current)
