"""Filtering the task table: the office's tasks, a section, a status, a role, overdue, or search results."""

from __future__ import annotations

import bisect

from PySide6.QtCore import QAbstractProxyModel, QModelIndex, QPersistentModelIndex, Qt

from core.model import Role, Status
from gui.task_table_model import COLUMNS, TaskTableModel

#: The status filter's value for tasks with no saved entry (未填写, apart from 未开始).
UNFILLED = "unfilled"

_Index = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()
#: What QAbstractTableModel.flags gives every task cell (returned here without asking it through mapToSource).
ITEM_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren


class _FilterIndex:
    """Task numbers by role, status, section, subsection and overdue, so a filter is a few set intersections
    instead of a Python call per row. Rebuilt on reset, updated task by task as progress is saved."""

    def __init__(self) -> None:
        self.keys: dict[int, tuple] = {}
        self.sets: dict[tuple, set[int]] = {}

    def rebuild(self, model: TaskTableModel) -> None:
        self.keys, self.sets = {}, {}
        for row in range(model.rowCount()):
            self.update(model, model.task_at(row).number)

    def update(self, model: TaskTableModel, number: int) -> None:
        for key in self.keys.pop(number, ()):
            self.sets[key].discard(number)
        task = model.task_at(model.row_of(number))  # type: ignore[arg-type]
        role = model.role(number)
        entry = model.progress(number)
        state = entry.status if entry is not None else UNFILLED
        keys = (("role", role), ("mine", role is not Role.NONE), ("status", state),
                ("section", task.section), ("subsection", task.subsection), ("overdue", model.overdue(number)))
        self.keys[number] = keys
        for key in keys:
            self.sets.setdefault(key, set()).add(number)

    def get(self, key: tuple) -> set[int]:
        return self.sets.get(key, set())


class TaskFilterProxy(QAbstractProxyModel):
    """The rows of ``TaskTableModel`` that pass the filters, in the model's order; call ``set_filters``.

    Not a ``QSortFilterProxyModel``: that one calls ``filterAcceptsRow`` in Python for every row on every
    change (~3 µs a row: 0.3 s at 100,000 tasks). Here a change intersects precomputed sets of task numbers
    and resets the listed rows; a saved task is re-checked alone and moves in or out. The source model
    sorts (``sort`` is forwarded to it).
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.only_mine = True
        self.status: Status | str | None = None  # a Status, UNFILLED, or None for any
        self.role: Role | None = None
        self.overdue_only = False
        self.section: int | None = None
        self.subsection: int | None = None
        self.matches: set[int] | None = None  # None: no search active
        self._index = _FilterIndex()
        self._rows: list[int] = []  # source rows listed, ascending (proxy row -> source row; bisect for back)
        self._moving: list[tuple[QPersistentModelIndex, int]] = []
        self._source: TaskTableModel | None = None  # sourceModel(), kept here: asked on every painted cell

    # --- filters ------------------------------------------------------------------------------
    def set_filters(self, **values) -> None:
        for key in values:
            if not hasattr(self, key) or callable(getattr(self, key)):
                raise AttributeError(key)
        self.beginResetModel()
        for key, value in values.items():
            setattr(self, key, value)
        self._refilter()
        self.endResetModel()

    def _accepted(self) -> set[int] | None:
        """Task numbers passing every active filter; None when no filter is active."""
        wanted: list[set[int]] = []
        get = self._index.get
        if self.only_mine:
            wanted.append(get(("mine", True)))
        if self.section is not None:
            wanted.append(get(("section", self.section)))
        if self.subsection is not None:
            wanted.append(get(("subsection", self.subsection)))
        if self.status is not None:
            wanted.append(get(("status", self.status)))
        if self.role is not None:
            wanted.append(get(("role", self.role)))
        if self.overdue_only:
            wanted.append(get(("overdue", True)))
        if self.matches is not None:
            wanted.append(self.matches)
        if not wanted:
            return None
        wanted.sort(key=len)
        return wanted[0].intersection(*wanted[1:])

    def _refilter(self) -> None:
        model = self._model()
        if model is None:
            self._rows = []
            return
        accepted = self._accepted()
        numbers = model.numbers()
        if accepted is None:
            self._rows = list(range(len(numbers)))
        elif len(accepted) * 8 < len(numbers):  # few rows: sorting them beats scanning every task
            row_of = model.row_of
            self._rows = sorted(r for r in map(row_of, accepted) if r is not None)
        else:
            self._rows = [r for r, n in enumerate(numbers) if n in accepted]

    def _proxy_row(self, source_row: int) -> int | None:
        at = bisect.bisect_left(self._rows, source_row)
        return at if at < len(self._rows) and self._rows[at] == source_row else None

    def _accepts_one(self, number: int) -> bool:
        """The filters for one task (after a save), from its keys in the index."""
        keys = dict(self._index.keys.get(number, ()))
        if not keys:
            return False
        return ((not self.only_mine or keys["mine"])
                and (self.section is None or keys["section"] == self.section)
                and (self.subsection is None or keys["subsection"] == self.subsection)
                and (self.status is None or keys["status"] == self.status)
                and (self.role is None or keys["role"] is self.role)
                and (not self.overdue_only or keys["overdue"])
                and (self.matches is None or number in self.matches))

    # --- lookups used by the window -----------------------------------------------------------
    def task_number(self, proxy_row: int) -> int | None:
        model = self._model()
        if model is None or not 0 <= proxy_row < len(self._rows):
            return None
        return model.numbers()[self._rows[proxy_row]]

    def proxy_row_of(self, number: int) -> int | None:
        model = self._model()
        row = model.row_of(number) if model is not None else None
        return None if row is None else self._proxy_row(row)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts (see ``TaskTableModel``); the proxy keeps its order and only filters."""
        model = self._model()
        if model is not None:
            model.sort(column, order)

    # --- following the source model -------------------------------------------------------------
    def _model(self) -> TaskTableModel | None:
        return self._source

    def setSourceModel(self, model: TaskTableModel) -> None:  # type: ignore[override]
        self.beginResetModel()
        super().setSourceModel(model)
        self._source = model
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.layoutAboutToBeChanged.connect(self._source_layout_about)
        model.layoutChanged.connect(self._source_layout_changed)
        model.dataChanged.connect(self._source_data_changed)
        self._index.rebuild(model)
        self._refilter()
        self.endResetModel()

    def _source_reset(self) -> None:
        model = self._model()
        if model is not None:
            self._index.rebuild(model)
        self._refilter()
        self.endResetModel()

    def _source_layout_about(self, *_args) -> None:
        self.layoutAboutToBeChanged.emit()
        numbers = self._model().numbers()  # type: ignore[union-attr]
        self._moving = [(QPersistentModelIndex(i), numbers[self._rows[i.row()]]) for i in self.persistentIndexList()]

    def _source_layout_changed(self, *_args) -> None:
        self._refilter()
        old = [QModelIndex(p) for p, _n in self._moving]
        new = []
        for p, number in self._moving:
            row = self.proxy_row_of(number)
            new.append(self.index(row, p.column()) if row is not None else QModelIndex())
        self.changePersistentIndexList(old, new)
        self._moving = []
        self.layoutChanged.emit()

    def _source_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles=()) -> None:
        model = self._model()
        if model is None:
            return
        numbers = model.numbers()
        for row in range(top_left.row(), bottom_right.row() + 1):
            number = numbers[row]
            self._index.update(model, number)
            at = self._proxy_row(row)
            wanted = self._accepts_one(number)
            if at is not None and wanted:
                self.dataChanged.emit(self.index(at, 0), self.index(at, self.columnCount() - 1))
            elif at is not None:
                self.beginRemoveRows(QModelIndex(), at, at)
                del self._rows[at]
                self.endRemoveRows()
            elif wanted:
                at = bisect.bisect_left(self._rows, row)
                self.beginInsertRows(QModelIndex(), at, at)
                self._rows.insert(at, row)
                self.endInsertRows()

    # --- QAbstractProxyModel --------------------------------------------------------------------
    def mapToSource(self, proxy_index: _Index) -> QModelIndex:
        model = self._model()
        if model is None or not proxy_index.isValid() or proxy_index.row() >= len(self._rows):
            return QModelIndex()
        return model.index(self._rows[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: _Index) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        at = self._proxy_row(source_index.row())
        return QModelIndex() if at is None else self.index(at, source_index.column())

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._rows) and 0 <= column < self.columnCount()):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, _index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return _NO_INDEX

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._source is None else COLUMNS

    def hasChildren(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        model = self._source
        row = index.row()  # -1 for an invalid index
        if model is None or not 0 <= row < len(self._rows):
            return None
        return model.cell(self._rows[row], index.column(), role)  # no source QModelIndex: ~800 calls a paint

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        model = self._model()
        if orientation == Qt.Orientation.Horizontal and model is not None:
            return model.headerData(section, orientation, role)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if self._source is None or not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return ITEM_FLAGS

    def sibling(self, row: int, column: int, index: _Index) -> QModelIndex:
        return self.index(row, column)
