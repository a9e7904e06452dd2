"""The import review grid: the parsed tasks as rows the clerk can correct before the plan is saved.

Every change is a correction (plain data, see core/plan_grid.py) handed to the dialog through
:attr:`ReviewGrid.corrected`; the dialog applies it through the action and gives the grid the new plan.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from actions.plans import GRID_COLUMNS, GRID_LABELS, grid_cell, grid_flags
from core.model import Plan

_FLAG_BG = QColor("#fff4e5")
_FLAGS = len(GRID_COLUMNS)  # the last column: what looks wrong


class ReviewGrid(QWidget):
    """Signals:
        corrected(dict): one correction the clerk made (a cell edit, merge, split or heading).
    """

    corrected = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan: Plan | None = None
        self._filling = False
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, len(GRID_COLUMNS) + 1, self)
        self.table.setHorizontalHeaderLabels([self.tr(GRID_LABELS[c]) for c in GRID_COLUMNS] + [self.tr("需要核对")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for c, width in enumerate((44, 110, 380, 120, 150, 110, 80, 150)):
            header.resizeSection(c, width)
        header.setSectionResizeMode(GRID_COLUMNS.index("text"), QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._on_item_changed)

        self.merge_button = QPushButton(self.tr("与下一行合并"), self)
        self.split_button = QPushButton(self.tr("拆分本行"), self)
        self.heading_button = QPushButton(self.tr("标为标题行"), self)
        self.merge_button.clicked.connect(lambda: self._row_op("merge"))
        self.split_button.clicked.connect(lambda: self._row_op("split"))
        self.heading_button.clicked.connect(lambda: self._row_op("heading"))
        self.flag_count = QLabel(self)
        self.bar = bar = QHBoxLayout()
        bar.addWidget(self.flag_count, 1)
        for b in (self.merge_button, self.split_button, self.heading_button):
            bar.addWidget(b)

        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.note.hide()

    def add_button(self, button: QPushButton) -> None:
        """A button of the dialog's (列的用途…) beside the grid's own."""
        self.bar.addWidget(button)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def set_plan(self, plan: Plan) -> None:
        """Show the plan; keeps the selected row where it can."""
        self.plan = plan
        row = self.table.currentRow()
        self._filling = True
        try:
            flags = grid_flags(plan)
            self.table.setRowCount(len(plan.tasks))
            for r in range(len(plan.tasks)):
                background = _FLAG_BG if flags[r] else QColor(0, 0, 0, 0)
                for c, column in enumerate(GRID_COLUMNS):
                    self._cell(r, c).setText(grid_cell(plan, r, column))
                    self._cell(r, c).setBackground(background)
                flag = self._cell(r, _FLAGS)
                flag.setText("；".join(flags[r]))
                flag.setFlags(flag.flags() & ~Qt.ItemFlag.ItemIsEditable)
                flag.setForeground(QColor("#b00020"))
                flag.setBackground(background)
            flagged = sum(1 for f in flags if f)
            self.flag_count.setText(self.tr("{0} 行任务，{1} 行需要核对（橙色）。双击单元格可直接修改。")
                                    .format(len(plan.tasks), flagged))
        finally:
            self._filling = False
        if 0 <= row < len(plan.tasks):
            self.table.selectRow(row)

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        """The item at (row, column), made once and then updated in place (an item is never replaced
        while its own change is being handled)."""
        item = self.table.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            self.table.setItem(row, column, item)
        return item

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or self.plan is None or item.column() >= len(GRID_COLUMNS):
            return
        column = GRID_COLUMNS[item.column()]
        if item.text() == grid_cell(self.plan, item.row(), column):
            return
        self.corrected.emit({"op": "cell", "task": item.row(), "column": column, "value": item.text()})

    def _row_op(self, op: str) -> None:
        row = self.table.currentRow()
        if self.plan is None or row < 0:
            return
        self.corrected.emit({"op": op, "task": row})
