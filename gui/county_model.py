"""The tasks × offices matrix as a Qt table model: one row per task, one column per office.

Shows what ``actions.county.matrix`` computed; decides nothing. Filters give a new (filtered) matrix to
:meth:`CountyMatrixModel.set_matrix`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from core.county_matrix import Cell, Matrix
from core.model import ROLE_LABELS, Status
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
_CONFLICT = "#f0a8a0"  # status and percent contradict: red, as the office's own window shows it
_CONFLICT_TEXT = "#b00020"


def cell_conflict(cell: Cell | None) -> str | None:
    """Why the cell's status and percent contradict (core.tracking's rule), or None."""
    if cell is None or cell.status is None:
        return None
    return status_percent_conflict(cell.status, cell.percent)


def cell_text(cell: Cell | None) -> str:
    """已完成 100% ★ 📎2: status, percent, ★ when 成效做法 is written, the evidence count."""
    if cell is None:
        return ""
    if cell.status is None:
        return "未报送"
    conflict = cell_conflict(cell) is not None
    text = ("⚠ " if conflict else "") + cell.status.label
    if conflict or cell.status not in (Status.NOT_APPLICABLE, Status.NOT_STARTED):
        text += f" {cell.percent}%"
    if cell.has_achievements:
        text += " ★"
    if cell.evidence:
        text += f" 证{cell.evidence}"
    if cell.overdue:
        text += " 逾期"
    return text


def cell_tooltip(cell: Cell | None, office: str, task: int) -> str:
    if cell is None:
        return f"{office}：任务{task} 不是该单位的任务"
    role = ROLE_LABELS[cell.role]
    if cell.status is None:
        return f"{office}（{role}）：尚未报送"
    conflict = cell_conflict(cell)
    parts = [f"{office}（{role}）：{cell.status.label}，进度 {cell.percent}%"]
    if conflict is not None:
        parts.append(f"{conflict}，请与该单位核对")
    parts += ["已填写成效做法" if cell.has_achievements else "未填写成效做法",
              f"佐证材料 {cell.evidence} 项" if cell.evidence else "无佐证材料"]
    if cell.overdue:
        parts.append("已超过完成时限")
    return "；".join(parts)


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
            colour = (_NOT_REPORTED if cell.status is None else _CONFLICT if cell_conflict(cell)
                      else _COLOURS[cell.status])
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
