"""The review of 股室 answers: per task and field the current value, the 股室's, and take / keep / keep both.

Conflicts (changed in the app since the sheet went out, or two 股室 differ) are marked and start on the safe
choice. Rows matched to no task, and whatever else the reader noticed, are listed below; nothing is taken from
them. The dialog only records the choices; the window applies them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from core.sheets.review import Choice, Review

CONFLICT_BG = QColor("#FDE2E1")
SHOWN_CHARS = 400


class SheetReviewDialog(QDialog):
    COLUMNS = ("任务", "字段", "填报股室", "现有内容", "股室填报", "选择")

    def __init__(self, review: Review, parent=None) -> None:
        super().__init__(parent)
        self.review = review
        self.setWindowTitle(self.tr("导入股室填报 · 逐项确认"))
        layout = QVBoxLayout(self)
        tasks = len({c.task for c in review.changes})
        self.summary = QLabel(self.tr(
            "共 {0} 处填报（{1} 项任务），其中冲突 {2} 处（红色）。确认每一项的选择后点“导入”；"
            "历史版本中记为相应股室填报。").format(len(review.changes), tasks, len(review.conflicts)))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(len(review.changes), len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.combos: list[QComboBox] = []
        for row, c in enumerate(review.changes):
            field = self.tr(c.label) + (self.tr("\n冲突：{0}").format(self.tr(c.conflict)) if c.conflict else "")
            texts = (str(c.task), field, c.author, self._short(c.shown(c.current)) or self.tr("（空）"),
                     self._short(c.shown(c.incoming)))
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{c.place}")
                if c.conflict:
                    item.setBackground(QBrush(CONFLICT_BG))
                self.table.setItem(row, col, item)
            combo = QComboBox(self.table)
            choices = [Choice.TAKE, Choice.KEEP, Choice.BOTH] if c.is_text else [Choice.TAKE, Choice.KEEP]
            for choice in choices:
                combo.addItem(self.tr(choice.label), choice)
            combo.setCurrentIndex(choices.index(c.choice) if c.choice in choices else 1)
            self.table.setCellWidget(row, 5, combo)
            self.combos.append(combo)
        header = self.table.horizontalHeader()
        for col, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.ResizeToContents,
                                    QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Stretch,
                                    QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(col, mode)
        self.table.setColumnWidth(2, 170)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        notes = self._notes()
        if notes:
            self.notes = QPlainTextEdit("\n".join(notes), self)
            self.notes.setReadOnly(True)
            self.notes.setMaximumHeight(110)
            layout.addWidget(QLabel(self.tr("没有导入的内容：")))
            layout.addWidget(self.notes)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(self.tr("导入"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.setEnabled(bool(review.changes))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(1200, 640)

    def _short(self, text: str) -> str:
        return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + self.tr("…（共 {0} 字）").format(len(text))

    def _notes(self) -> list[str]:
        r = self.review
        return ([self.tr("未对应到任务的行：{0}").format(x) for x in r.extra_rows]
                + [self.tr("注意：{0}").format(x) for x in r.problems]
                + [self.tr("表中增加的列（没有读取）：{0}").format(x) for x in r.added_columns])

    def accept(self) -> None:
        """Record the clerk's choices on the review's changes."""
        for c, combo in zip(self.review.changes, self.combos, strict=True):
            c.choice = combo.currentData(Qt.ItemDataRole.UserRole)
        super().accept()
