"""The task table's filter proxy (set intersections, no per-row Python) and the model's own sorting."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt

from core.assign import roles_for
from core.model import Progress, Role, Status
from core.tracking import is_overdue, status_of
from gui.task_filter_proxy import UNFILLED, TaskFilterProxy
from gui.task_table_model import COL_NUMBER, COL_STATUS, TaskTableModel

TODAY = date(2019, 11, 20)


@pytest.fixture
def models(qapp, plan, store):
    office = store.office("悦城镇")
    roles = roles_for(plan, office)
    progress = {
        n: Progress(n, [Status.IN_PROGRESS, Status.DONE, Status.ONGOING][n % 3], 50,
                    due=date(2019, 11, 1) if n % 4 == 0 else None, updated_at="2019-11-02T09:00:00")
        for n in range(1, 69, 2)
    }
    model = TaskTableModel()
    model.today = TODAY
    model.reset(plan, roles, progress)
    proxy = TaskFilterProxy()
    proxy.setSourceModel(model)
    return model, proxy, roles, progress


def listed(proxy) -> list[int]:
    return [proxy.task_number(r) for r in range(proxy.rowCount())]


def expected(plan, roles, progress, **f) -> list[int]:
    out = []
    for t in plan.tasks:
        n, role = t.number, roles[t.number]
        if f.get("only_mine", True) and role is Role.NONE:
            continue
        entry = progress.get(n)
        state = entry.status if entry is not None else UNFILLED  # 未填写 apart from 未开始
        if f.get("status") is not None and state != f["status"]:
            continue
        if f.get("role") is not None and role is not f["role"]:
            continue
        if f.get("overdue_only") and not is_overdue(progress.get(n), TODAY, t):
            continue
        if f.get("section") is not None and t.section != f["section"]:
            continue
        if f.get("matches") is not None and n not in f["matches"]:
            continue
        out.append(n)
    return out


@pytest.mark.parametrize("filters", [
    {}, {"only_mine": False}, {"status": Status.DONE}, {"status": Status.NOT_STARTED, "only_mine": False},
    {"status": UNFILLED}, {"status": UNFILLED, "only_mine": False},
    {"role": Role.RESPONSIBLE}, {"overdue_only": True}, {"section": 2}, {"matches": {3, 5, 65, 68}},
    {"matches": set()}, {"status": Status.IN_PROGRESS, "overdue_only": True, "section": 0},
])
def test_filters_list_exactly_the_matching_tasks_in_order(models, plan, filters):
    _model, proxy, roles, progress = models
    proxy.set_filters(**{"only_mine": True, **filters})
    assert listed(proxy) == expected(plan, roles, progress, **filters)


def test_a_save_moves_the_task_in_or_out_of_a_status_filter(models, qtmodeltester):
    model, proxy, _roles, _progress = models
    proxy.set_filters(status=Status.DONE)
    before = listed(proxy)
    gone = before[0]
    model.set_progress(Progress(gone, Status.IN_PROGRESS, 60))
    assert gone not in listed(proxy)
    model.set_progress(Progress(2, Status.DONE, 100))
    assert 2 in listed(proxy) and listed(proxy) == sorted(listed(proxy))
    qtmodeltester.check(proxy)


def test_header_sort_orders_rows_and_keeps_the_current_task(models, qtmodeltester):
    from PySide6.QtWidgets import QTableView

    _model, proxy, _roles, progress = models
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(COL_NUMBER, Qt.SortOrder.AscendingOrder)
    row = proxy.proxy_row_of(33)
    view.selectionModel().setCurrentIndex(proxy.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    view.sortByColumn(COL_STATUS, Qt.SortOrder.DescendingOrder)
    statuses = [list(Status).index(status_of(progress.get(n))) for n in listed(proxy)]
    assert statuses == sorted(statuses, reverse=True)
    assert proxy.task_number(view.currentIndex().row()) == 33
    qtmodeltester.check(proxy)
    view.sortByColumn(COL_NUMBER, Qt.SortOrder.AscendingOrder)
    assert listed(proxy) == sorted(listed(proxy))
    assert proxy.mapFromSource(QModelIndex()) == QModelIndex()


def test_each_painted_role_of_a_cell_through_the_proxy(qapp, plan, store):
    """What the table paints, role by role, read as the view reads it (the proxy hands each cell to
    ``TaskTableModel.cell`` without a source index): the values, and None for every role not served."""
    from PySide6.QtGui import QBrush, QFont, QIcon

    from gui.roles_help import role_tooltip
    from gui.task_filter_proxy import ITEM_FLAGS
    from gui.task_table_model import COL_DUE, COL_PERCENT, COL_ROLE, COL_TEXT, COL_UPDATED, SortRole, TaskNumberRole

    office = store.office("悦城镇")
    roles = roles_for(plan, office)
    none_task = next(n for n, r in roles.items() if r is Role.NONE)
    progress = {12: Progress(12, Status.DONE, 80, due=date(2019, 11, 1), updated_at="2019-11-02T09:15:00"),
                13: Progress(13, Status.IN_PROGRESS, 50, due=date(2019, 11, 1))}
    model = TaskTableModel()
    model.today = TODAY
    model.reset(plan, roles, progress)
    proxy = TaskFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filters(only_mine=False)
    D = Qt.ItemDataRole

    def cell(number: int, col: int, role):
        index = proxy.index(proxy.proxy_row_of(number), col)
        return proxy.data(index, role)

    assert [cell(12, c, D.DisplayRole) for c in range(7)] == [
        "12", plan.task(12).first_line, "负责", "已完成", "80%", "2019-11-01", "11-02 09:15"]
    assert cell(12, COL_STATUS, D.ToolTipRole) == "状态为已完成，但进度只有 80%"
    assert cell(12, COL_STATUS, D.ForegroundRole) == QBrush("#c0392b")  # the conflict, in red and bold
    assert isinstance(cell(12, COL_PERCENT, D.FontRole), QFont) and cell(12, COL_PERCENT, D.FontRole).bold()
    assert cell(11, COL_STATUS, D.FontRole) is None
    assert cell(13, COL_DUE, D.ForegroundRole) == QBrush("#c0392b") and cell(13, COL_DUE, D.ToolTipRole) == "已逾期"
    assert cell(12, COL_DUE, D.ForegroundRole) is None and cell(12, COL_DUE, D.ToolTipRole) is None  # done in time
    assert cell(none_task, COL_TEXT, D.ForegroundRole) == QBrush("#8a8f98")  # not the office's task: grey
    assert cell(11, COL_TEXT, D.ForegroundRole) is None
    assert cell(11, COL_TEXT, D.ToolTipRole) == plan.task(11).text
    assert cell(11, COL_STATUS, D.ToolTipRole) == "未填写：这项任务还没有保存过任何内容"
    assert cell(11, COL_ROLE, D.ToolTipRole) == role_tooltip(roles[11])
    assert cell(12, COL_UPDATED, D.ToolTipRole) == "2019-11-02 09:15:00"
    assert isinstance(cell(11, COL_STATUS, D.DecorationRole), QIcon) and cell(11, COL_TEXT, D.DecorationRole) is None
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert [cell(12, c, D.TextAlignmentRole) for c in range(7)] == [right, None, None, None, right, None, None]
    assert (cell(12, COL_DUE, TaskNumberRole), cell(12, COL_PERCENT, SortRole)) == (12, 80)
    for role in (D.CheckStateRole, D.BackgroundRole, D.SizeHintRole, D.EditRole, D.WhatsThisRole):
        assert cell(12, COL_STATUS, role) is None
    index = proxy.index(0, 0)
    assert proxy.flags(index) == model.flags(proxy.mapToSource(index)) == ITEM_FLAGS
    assert proxy.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags and proxy.data(QModelIndex()) is None
    assert [proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(7)] == [
        "序号", "工作任务", "本单位角色", "状态", "进度", "完成时限", "最近更新"]
    assert proxy.columnCount() == model.columnCount() == 7
