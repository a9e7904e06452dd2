"""The task table: one row per plan task, with this office's role and progress.

``TaskTableModel`` holds no rules: roles come from the application layer's office view, overdue from
``core.tracking``. Its filter proxy is ``gui.task_filter_proxy.TaskFilterProxy``.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from core.cn import short_time
from core.model import ROLE_LABELS, Plan, Progress, Role, Status, Task
from core.tracking import effective_due, entry_conflict, is_overdue, state_label, status_of
from gui.icons import state_icon
from gui.roles_help import role_tooltip

COL_NUMBER, COL_TEXT, COL_ROLE, COL_STATUS, COL_PERCENT, COL_DUE, COL_UPDATED = range(7)
COLUMNS = 7

TaskNumberRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex
# The roles as plain ints: ``cell`` runs ~800 times for the first paint alone, enum lookups add up there.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_SERVED = frozenset({_DISPLAY, _DECORATION, _TOOLTIP, _FOREGROUND, _FONT, _ALIGNMENT, int(TaskNumberRole),
                     int(SortRole)})  # any other role (check state, background, size hint…): None at once
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
RED, GREY = "#c0392b", "#8a8f98"
_brushes: dict[str, QBrush] = {}


def _brush(color: str) -> QBrush:
    if color not in _brushes:
        _brushes[color] = QBrush(QColor(color))
    return _brushes[color]


def _tr(text: str) -> str:
    return QCoreApplication.translate("TaskTableModel", text)


def _headers() -> list[str]:
    return [_tr("序号"), _tr("工作任务"), _tr("本单位角色"), _tr("状态"), _tr("进度"), _tr("完成时限"), _tr("最近更新")]


class TaskTableModel(QAbstractTableModel):
    """Rows are the plan's tasks, in plan order until ``sort`` orders them by a column. No signals beyond
    QAbstractTableModel's own: ``set_progress`` emits ``dataChanged`` for one row, ``reset`` a model reset,
    ``sort`` a layout change.

    The model sorts itself (the proxy forwards ``sort`` here): a sorting ``QSortFilterProxyModel`` calls
    ``data(SortRole)`` through Python twice per comparison each time a filter lets rows back in, which took
    1.3 s at 10,000 tasks. Sorting here is one Python ``sorted`` per header click.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._tasks: list[Task] = []
        self._roles: dict[int, Role] = {}
        self._overridden: set[int] = set()
        self._progress: dict[int, Progress] = {}
        self._row_of: dict[int, int] = {}
        self._numbers: list[int] = []
        self._sort: tuple[int, Qt.SortOrder] = (COL_NUMBER, Qt.SortOrder.AscendingOrder)
        self.today = date.today()
        self._headers: list[str] | None = None

    # --- loading ------------------------------------------------------------------------------
    def reset(self, plan: Plan, roles: dict[int, Role], progress: dict[int, Progress],
              overridden: set[int] | None = None) -> None:
        self.beginResetModel()
        self._tasks = list(plan.tasks)
        self._roles = dict(roles)
        self._overridden = set(overridden or ())
        self._progress = dict(progress)
        self._tasks = self._sorted(self._tasks, *self._sort)
        self._row_of = {t.number: i for i, t in enumerate(self._tasks)}
        self._numbers = [t.number for t in self._tasks]
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column`` (ties in plan order); persistent indexes follow their task."""
        if not 0 <= column < 7:
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        old_rows = self._row_of
        self._tasks = self._sorted(self._tasks, column, order)
        self._row_of = {t.number: i for i, t in enumerate(self._tasks)}
        self._numbers = [t.number for t in self._tasks]
        moved_from = self.persistentIndexList()
        by_old_row = {row: number for number, row in old_rows.items()}
        moved_to = [self.index(self._row_of[by_old_row[i.row()]], i.column()) for i in moved_from]
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    def sort_order(self) -> tuple[int, Qt.SortOrder]:
        return self._sort

    def _sorted(self, tasks: list[Task], column: int, order: Qt.SortOrder) -> list[Task]:
        tasks = sorted(tasks, key=lambda t: t.number)
        if column == COL_NUMBER:
            keyed = tasks
        else:
            def key(task: Task):
                entry = self._progress.get(task.number)
                return self._sort_key(task, entry, status_of(entry), column)
            keyed = sorted(tasks, key=key)
        return keyed[::-1] if order == Qt.SortOrder.DescendingOrder else keyed

    def set_progress(self, entry: Progress) -> None:
        self._progress[entry.task] = entry
        self._row_changed(entry.task)

    def set_role(self, number: int, role: Role, overridden: bool) -> None:
        self._roles[number] = role
        (self._overridden.add if overridden else self._overridden.discard)(number)
        self._row_changed(number)

    def _row_changed(self, number: int) -> None:
        row = self._row_of.get(number)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    # --- lookups used by the proxy and the window ---------------------------------------------
    def task_at(self, row: int) -> Task:
        return self._tasks[row]

    def row_of(self, number: int) -> int | None:
        return self._row_of.get(number)

    def numbers(self) -> list[int]:
        """Task numbers in row order (the proxy reads this list; do not change it)."""
        return self._numbers

    def role(self, number: int) -> Role:
        return self._roles.get(number, Role.NONE)

    def progress(self, number: int) -> Progress | None:
        return self._progress.get(number)

    def overdue(self, number: int) -> bool:
        """The entry's 完成时限, else the plan's date for the task (core.tracking.is_overdue)."""
        row = self._row_of.get(number)
        task = self._tasks[row] if row is not None else None
        return is_overdue(self._progress.get(number), self.today, task)

    # --- QAbstractTableModel --------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tasks)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY and 0 <= section < 7:
            if self._headers is None:
                self._headers = _headers()
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        return self.cell(index.row(), index.column(), role) if index.isValid() else None

    def cell(self, row: int, col: int, role: int):
        """``data`` for a row and column, without a QModelIndex: the proxy calls this directly."""
        if role not in _SERVED or not 0 <= row < len(self._tasks):
            return None
        task = self._tasks[row]
        if role == _DISPLAY:
            return self._display(task, self._progress.get(task.number), col)
        entry = self._progress.get(task.number)
        if role == _ALIGNMENT:
            return _RIGHT if col in (COL_NUMBER, COL_PERCENT) else None
        if role == _DECORATION:
            return state_icon(entry) if col == COL_STATUS else None
        if role == TaskNumberRole:
            return task.number
        if role == SortRole:
            return self._sort_key(task, entry, status_of(entry), col)
        if role == _TOOLTIP and col == COL_STATUS and entry is None:
            return _tr("未填写：这项任务还没有保存过任何内容")
        if role == _TOOLTIP and col == COL_ROLE:
            return role_tooltip(self.role(task.number))
        if col in (COL_STATUS, COL_PERCENT):
            conflict = entry_conflict(entry)  # 已完成 at 80%: flagged in the row (and in the gap list)
            if conflict is not None:
                if role == _TOOLTIP:
                    return _tr(conflict)
                if role == _FOREGROUND:
                    return _brush(RED)
                font = QFont()
                font.setBold(True)
                return font
        if role == _FONT:
            return None
        if role == _TOOLTIP:
            if col == COL_TEXT:
                return task.text
            if col == COL_DUE and is_overdue(entry, self.today, task):
                return _tr("已逾期")
            if col == COL_UPDATED and entry:
                return entry.updated_at.replace("T", " ")
            return None
        # the foreground
        if col == COL_DUE and is_overdue(entry, self.today, task):
            return _brush(RED)
        if self.role(task.number) is Role.NONE:
            return _brush(GREY)
        return None

    def _display(self, task: Task, entry: Progress | None, col: int) -> str:
        if col == COL_NUMBER:
            return str(task.number)
        if col == COL_TEXT:
            return task.first_line
        if col == COL_ROLE:
            label = _tr(ROLE_LABELS[self.role(task.number)])
            return label + _tr("（已调整）") if task.number in self._overridden else label
        if col == COL_STATUS:
            return _tr(state_label(entry))  # 未填写 apart from 未开始
        if col == COL_PERCENT:
            return f"{entry.percent}%" if entry else ""
        if col == COL_DUE:
            if entry is not None and entry.due is not None:
                return entry.due.isoformat()
            return task.due_text or (task.due.isoformat() if task.due else "")  # the plan's words
        if col == COL_UPDATED:
            return short_time(entry.updated_at)[5:] if entry else ""  # 11-02 09:15; full in the tooltip
        return ""

    def _sort_key(self, task: Task, entry: Progress | None, status: Status, col: int):
        if col == COL_ROLE:
            return -int(self.role(task.number))
        if col == COL_STATUS:
            return list(Status).index(status) if entry is not None else -1
        if col == COL_PERCENT:
            return entry.percent if entry else -1
        if col == COL_DUE:
            due = effective_due(entry, task)
            return due.isoformat() if due else "9999"
        if col == COL_UPDATED:
            return entry.updated_at if entry else ""
        if col == COL_TEXT:
            return task.first_line
        return task.number
