"""已提交的报告: the archived reports of one plan and office, newest first.

A submission (报送) is one event: a package with its files, or a report the clerk marked 已报送. Every other
row is a save, listed as 仅保存 so it can still be viewed and reprinted, but not counted as submitted."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from actions.reports import ArchivedReport, is_submission, submission_files
from core.cn import chinese_date_iso, short_time


class ReportHistory(QWidget):
    """The list of archived reports with 重新打印 / 另存为 for the selected one.

    Signals:
        selected(int): an archived report was selected (its id), -1 when the selection was cleared.
        printRequested(int): 重新打印… for that report id.
        saveRequested(int): 另存为… for that report id.
        markRequested(int, bool): 标记为已报送 (True) or 取消报送标记 (False) for that report id.
    """

    selected = Signal(int)
    printRequested = Signal(int)
    saveRequested = Signal(int)
    markRequested = Signal(int, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = QLabel(self.tr("生成的报送材料算一次报送；另存的PDF、Word、Excel只是保存，交出后可选中并"
                                   "“标记为已报送”。每一份都可以随时查看、重新打印当时的原样文件。"))
        self.note.setWordWrap(True)
        self.list = QListWidget()
        self.list.currentItemChanged.connect(self._on_current)
        self.print_button = QPushButton(self.tr("重新打印…"))
        self.save_button = QPushButton(self.tr("另存为…"))
        self.print_button.clicked.connect(lambda: self._request(self.printRequested))
        self.save_button.clicked.connect(lambda: self._request(self.saveRequested))
        self.mark_button = QPushButton(self.tr("标记为已报送"))
        self.mark_button.clicked.connect(self._mark)
        self._submitted: dict[int, bool] = {}
        buttons = QHBoxLayout()
        buttons.addWidget(self.mark_button)
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
        self._submitted = {r.id: is_submission(r) for r in reports}
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
                files = submission_files(r)
                if r.format == "package":
                    what = self.tr("报送材料（{0}）").format("、".join(files) if files else "zip")
                    extra = r.options.get("evidence_files")
                    if isinstance(extra, int) and extra:
                        what += self.tr("，佐证材料 {0} 个").format(extra)
                else:
                    what = r.format.upper()
                mark = self.tr("已报送") if self._submitted[r.id] else self.tr("仅保存")
                text = self.tr("　【{0}】{1}的报告\n　{2}，存档于 {3}　指纹 {4}").format(
                    mark, chinese_date_iso(r.report_date), what, short_time(r.created_at), r.sha256[:12])
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                where = r.options.get("saved_to")
                tip = self.tr("报送轮次：{0}\nSHA-256：{1}").format(round_label or self.tr("未注明"), r.sha256)
                item.setToolTip(tip + (self.tr("\n保存到：{0}").format(where) if where else ""))
                self.list.addItem(item)
                if r.id == keep:
                    self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if not reports:
            self.list.addItem(QListWidgetItem(self.tr("还没有提交过报告。")))
            self.list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        self._enable()

    def submission_count(self) -> int:
        """Submissions listed (a package or a report marked 已报送); plain saves are not counted."""
        return sum(self._submitted.values())

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
        current = self.current_id()
        has = current is not None
        self.print_button.setEnabled(has)
        self.save_button.setEnabled(has)
        self.mark_button.setEnabled(has)
        submitted = self._submitted.get(current, False) if current is not None else False
        self.mark_button.setText(self.tr("取消报送标记") if submitted else self.tr("标记为已报送"))

    def _mark(self) -> None:
        current = self.current_id()
        if current is not None:
            self.markRequested.emit(current, not self._submitted.get(current, False))

    def _request(self, signal: Signal) -> None:
        current = self.current_id()
        if current is not None:
            signal.emit(current)
