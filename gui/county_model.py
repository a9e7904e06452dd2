"""The tasks × offices matrix as a Qt table model: one row per task, one column per office.

Shows what ``actions.county.matrix`` computed; decides nothing. Filters give a new (filtered) matrix to
:meth:`CountyMatrixModel.set_matrix`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from core.county.matrix import Cell, Matrix
from core.county.matrix import cell_text as matrix_cell_text
from core.county.matrix import cell_tooltip as matrix_cell_tooltip
from core.model import Status
from core.report.short_names import short_name
from core.tracking import status_percent_conflict

#: (task number, office name) of a cell, for the detail pane.
KeyRole = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
_COLOURS = {
    Status.DONE: "#d8f0d8",
    Status.ONGOING: "#dcebf8",
    Status.IN_PROGRESS: "#fdf0cc",
    Status.NOT_STARTED: "#f8dcdc",
    Status.NOT_APPLICABLE: "#eeeeee",
}
_NOT_REPORTED = "#f4f4f4"
_UNFILLED = "#f4f4f4"  # reported, nothing written for the task: 未填写
_CONFLICT = "#f0a8a0"  # status and percent contradict: red, as the office's own window shows it
_CONFLICT_TEXT = "#b00020"


def cell_conflict(cell: Cell | None) -> str | None:
    """Why the cell's status and percent contradict (core.tracking's rule), or None."""
    if cell is None or cell.status is None:
        return None
    return status_percent_conflict(cell.status, cell.percent)


def cell_text(cell: Cell | None) -> str:
    """The matrix's cell text (core.county.matrix: 未报送, 未填写, 推进中（进展缓慢） 40% ★ 证2 逾期), with ⚠ first
    when status and percent contradict."""
    text = matrix_cell_text(cell)
    if cell_conflict(cell) is not None and cell is not None:
        text = "⚠ " + text + ("" if f" {cell.percent}%" in text else f" {cell.percent}%")
    return text


def cell_tooltip(cell: Cell | None, office: str, task: int) -> str:
    conflict = cell_conflict(cell)
    text = matrix_cell_tooltip(cell, office, task)
    return text + (f"；{conflict}，请与该单位核对" if conflict is not None else "")


class CountyMatrixModel(QAbstractTableModel):
    def __init__(self, matrix: Matrix, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.matrix = matrix

    def set_matrix(self, matrix: Matrix) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.matrix.tasks)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.matrix.columns)

    def key(self, index: _Index) -> tuple[int, str]:
        return self.matrix.tasks[index.row()].number, self.matrix.columns[index.column()].name

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        task, office = self.key(index)
        cell = self.matrix.cell(task, office)
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(cell)
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tooltip(cell, office, task)
        if role == Qt.ItemDataRole.BackgroundRole and cell is not None:
            colour = (_NOT_REPORTED if not cell.reported else _UNFILLED if cell.status is None
                      else _CONFLICT if cell_conflict(cell) else _COLOURS[cell.status])
            return QBrush(QColor(colour))
        if role == Qt.ItemDataRole.ForegroundRole and cell is not None and (cell.overdue or cell_conflict(cell)):
            return QBrush(QColor(_CONFLICT_TEXT))
        if role == Qt.ItemDataRole.FontRole and cell_conflict(cell):
            font = QFont()
            font.setBold(True)  # apart from an overdue 未开始, which is red too
            return font
        if role == KeyRole:
            return (task, office)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.matrix.columns):
                return None
            col = self.matrix.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return col.name if col.reported else f"{col.name}\n（未报送）"
            if role == Qt.ItemDataRole.ToolTipRole:
                when = f"报告日期 {col.report_date}" + ("（逾期）" if col.late else "") if col.reported else "尚未报送"
                return f"{col.name}：涉及 {col.assigned} 项任务，{when}"
            return None
        if not 0 <= section < len(self.matrix.tasks):
            return None
        task = self.matrix.tasks[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{task.number} {short_name(self.matrix.plan, task)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return task.text
        return None
