"""The main window: dashboard on top; plan outline, task table and the task's detail side by side.

Wiring only: data and every change go through the application layer (``actions``), rules come from
``core``; the pieces live in their own modules. This one holds the window's state (plan, office, roles,
progress, the task shown) and keeps table, filters, detail pane and autosave in step; the menu bar is
``gui.main_menus`` and the dialogs it opens are ``gui.main_dialogs``. No signals of its own.

The table shows first: the detail pane, the menus, the table's keys and search highlighting and the
first-start notice are built right after the first paint (``finish_building``, ``gui.window_finish``), or on
first use of ``detail`` / ``data_menu`` before that; ``after_first_paint`` (the start backup, in ``gui.app``)
runs then too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from actions import editing
from actions.errors import ActionError, StorageError
from actions.office_view import open_office
from actions.session import Session
from core.model import Office, Plan, Progress, Role
from core.paths import SETTINGS_FILE
from core.search import TextIndex
from core.tracking import oversized_fields
from gui import window_finish, window_state
from gui.autosave import Autosaver
from gui.dashboard import Dashboard
from gui.filter_bar import FilterBar
from gui.outline import OutlineTree
from gui.task_filter_proxy import TaskFilterProxy
from gui.task_table_model import COL_NUMBER, COL_TEXT, TaskTableModel
from gui.viewport import own_viewport

COLUMN_WIDTHS = (40, 320, 64, 80, 52, 88, 84)


def _dialogs():
    from gui import main_dialogs  # with gui.keyboard: nothing the first paint needs

    return main_dialogs


def qsettings(session: Session) -> QSettings:
    """Window state lives in ``settings.ini`` in the data folder, so ``--data-dir`` and portable mode cover it
    and a USB stick leaves nothing on the PC."""
    return QSettings(str(session.data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    def __init__(self, session: Session, office: Office, today: date | None = None, parent=None, *,
                 after_first_paint: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.today = today or date.today()
        self.plan_id = session.current_plan_id()
        self.plan: Plan  # read by load_office below, with the roles and progress
        self.office = office
        self.roles: dict[int, Role] = {}
        self.plan_roles: dict[int, Role] = {}
        self.progress: dict[int, Progress] = {}
        self._filtering = False
        self._detail = None  # built after the first paint (see finish_building)
        self._data_menu = None
        self._pending_task: int | None = None  # the task to show once the detail pane exists
        self._built = False
        self._after_first_paint = after_first_paint
        self._delegate = None  # search highlighting: made after the first paint, or by the first query

        self.dashboard = Dashboard(self)
        self.outline = OutlineTree(self)
        self.filters = FilterBar(self)
        self.model = TaskTableModel(self)
        self.model.today = self.today
        self.proxy = TaskFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        own_viewport(self.table)  # table.viewport() then costs nothing (gui.viewport)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NUMBER, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)  # the requirement takes two lines where the window is narrow
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for col, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(2 * self.fontMetrics().lineSpacing() + 8)
        self.empty_label = QLabel(self.tr("没有符合条件的任务。\n请修改查找内容或筛选条件。"), self.table.viewport())
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color:#6b7280;")
        self.empty_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.empty_label.hide()
        self.table.viewport().installEventFilter(self)
        self.detail_slot = QWidget(self)  # the detail pane takes its place after the first paint

        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.filters)
        centre_layout.addWidget(self.table, 1)
        self.splitter = window_state.ProportionalSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.outline)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.detail_slot)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([220, 700, 420])
        self.splitter.setChildrenCollapsible(False)
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(6, 6, 6, 0)
        self.body_layout = body_layout
        body_layout.addWidget(self.dashboard)
        body_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(body)

        self.saved_label = QLabel(self)
        self.statusBar().addWidget(self.filters.count_label)
        self.statusBar().addPermanentWidget(self.saved_label)
        self.autosaver = Autosaver(session, self.plan_id, office.name,
                                   lambda: self._detail.collect() if self._detail is not None else None, self,
                                   base=lambda: self._detail.base() if self._detail is not None else None)
        self._connect()
        self.load_office(office, remembered=True)
        self._restore_state()

    # --- built after the first paint ------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport():
            if event.type() == QEvent.Type.Resize:
                self.empty_label.setGeometry(self.table.viewport().rect())
            elif event.type() == QEvent.Type.Paint and not self._built:
                QTimer.singleShot(0, self.finish_building)
        return super().eventFilter(watched, event)

    @property
    def detail(self):
        """The task's detail pane (``gui.detail_pane.DetailPane``), built on first use."""
        if self._detail is None:
            window_finish.build_detail(self)
        return self._detail

    def is_built(self) -> bool:
        """Whether the menus and the detail pane exist (they are made right after the first paint)."""
        return self._built

    @property
    def delegate(self):
        """The text column's search highlighting (``gui.highlight``); until a query is typed the plain painting
        looks the same, so it is not needed for the first paint."""
        if self._delegate is None:
            from gui.highlight import HighlightDelegate

            self._delegate = HighlightDelegate(self.table)
            self.table.setItemDelegateForColumn(COL_TEXT, self._delegate)
        return self._delegate

    @property
    def data_menu(self):
        if self._data_menu is None:
            self.finish_building()
        return self._data_menu

    def finish_building(self) -> None:
        """Menus, the detail pane and the first-start notice (``gui.window_finish``): after the table is on
        screen; then ``after_first_paint``."""
        if self._built:
            return
        self._built = True
        window_finish.finish(self)
        if self._after_first_paint is not None:
            self._after_first_paint()

    # --- building -----------------------------------------------------------------------------------
    def _connect(self) -> None:
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.outline.scope_changed.connect(self._on_scope)
        self.filters.filters_changed.connect(self._apply_filters)
        self.filters.query_changed.connect(self._apply_query)
        self.dashboard.task_requested.connect(self.jump_to_task)
        self.dashboard.status_requested.connect(
            lambda s: self.filters.status.setCurrentIndex(self.filters.status.findData(s)))
        self.autosaver.saved.connect(self._on_saved)
        self.autosaver.failed.connect(self._on_save_failed)
        self.autosaver.dirty_changed.connect(self._on_dirty)

    # --- loading ------------------------------------------------------------------------------------
    def switch_plan(self, plan_id: int) -> None:
        """Show another plan (progress belongs to plan and office, so everything reloads)."""
        self.plan_id = plan_id
        self.autosaver.plan_id = plan_id
        self.load_office(self.office)

    def load_office(self, office: Office, remembered: bool = False) -> None:
        """Show ``office``'s view of the plan; ``remembered``: select the task shown when the window closed."""
        self.office = office
        if self._data_menu is not None:
            self._data_menu.office = office
        self.autosaver.office = office.name
        view = open_office(self.session, office, self.plan_id)
        self.plan = view.plan
        self.plan_roles = view.plan_roles
        self.roles = view.roles
        self.progress = view.progress
        self.overridden = set(view.overridden)
        self.because = dict(view.because)  # the plan's words that decided each role (各镇(街) → 负责)
        self.slow = set(editing.slow_tasks(self.session, self.plan_id, office.name))  # flagged 进展缓慢
        self.search_index = TextIndex(self.plan, self.progress)
        # The application's display name (落实台账) is added by Qt after the title: not repeated here.
        self.setWindowTitle(self.tr("{0} - {1}").format(office.name, self.plan.title))
        self.model.reset(self.plan, self.roles, self.progress, set(view.overridden))
        self.outline.load(self.plan)
        self._pending_task = None
        if self._detail is not None:
            self._detail.show_nothing()
        self._refresh_summary()
        self._apply_query(self.filters.query())
        last = self._last_task() if remembered else None
        row = self.proxy.proxy_row_of(last) if last is not None else None
        if row is not None:
            self.select_row(row)
        elif self.proxy.rowCount():
            self.select_row(0)

    def _refresh_summary(self) -> None:
        self.dashboard.update_from(self.plan, self.roles, self.progress, self.today)
        self.outline.update_counts(self.roles, self.progress)
        self.filters.set_count(self.proxy.rowCount(), self.model.rowCount())

    # --- selection ----------------------------------------------------------------------------------
    def current_task(self) -> int | None:
        return self._detail.current_task() if self._detail is not None else self._pending_task

    def select_row(self, proxy_row: int) -> None:
        index = self.proxy.index(proxy_row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _on_current_row(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._filtering:  # mid-change the proxy is inconsistent; _after_filter settles it
            self._sync_to_table()

    def _sync_to_table(self) -> None:
        """Show the task at the table's current row (saving the one being left first)."""
        current = self.table.currentIndex()
        number = self.proxy.task_number(current.row()) if current.isValid() else None
        if number == self.current_task():
            return
        if not self.autosaver.flush():
            # Keep the unsaved text where it is: stay on the task it belongs to.
            self._reselect_current()
            self.notify(self.tr("未能保存"), self.statusBar().currentMessage()
                        or self.tr("当前任务的内容未能保存，请先处理后再切换。"))
            return
        if number is None:
            return
        self._show_task(number)

    def notify(self, title: str, message: str) -> QMessageBox:
        """A warning that does not block the event loop (autosave and timers keep running)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _reselect_current(self) -> None:
        number = self.current_task()
        row = self.proxy.proxy_row_of(number) if number is not None else None
        sm = self.table.selectionModel()
        sm.blockSignals(True)
        if row is not None:
            index = self.proxy.index(row, 0)
            sm.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                               | QItemSelectionModel.SelectionFlag.Rows)
        sm.blockSignals(False)
        self.table.viewport().update()

    def _show_task(self, number: int) -> None:
        if self._detail is None:  # before the first paint: shown once the pane is built
            self._pending_task = number
            return
        task = self.plan.task(number)
        overridden = number in self.overridden
        self.detail.show_task(self.plan, task, self.office, self.roles[number], self.plan_roles[number], overridden,
                              self.progress.get(number), self.because.get(number, ""), number in self.slow)
        self.detail.evidence.show_task(self.office.name, number, self.plan_id)

    def jump_to_task(self, number: int) -> None:
        if self.proxy.proxy_row_of(number) is None:
            self.filters.search.clear()
            self._apply_query("")
            for combo in (self.filters.status, self.filters.role):
                combo.setCurrentIndex(0)
            self.filters.overdue.setChecked(False)
            self.outline.select_all_tasks()
            if self.roles.get(number, Role.NONE) is Role.NONE:
                self.filters.scope.setCurrentIndex(1)
        row = self.proxy.proxy_row_of(number)
        if row is not None:
            self.select_row(row)

    def edit_task(self, number: int) -> None:
        """Show ``number`` ready to edit (a line of the 报送前检查): selected, the pane at its top, 状态 focused."""
        self.jump_to_task(number)
        self.raise_()
        self.activateWindow()
        if self.current_task() == number:
            self.detail.verticalScrollBar().setValue(0)
            self.detail.status.setFocus(Qt.FocusReason.OtherFocusReason)

    def next_task(self) -> None:
        row = self.table.currentIndex().row()
        if row + 1 < self.proxy.rowCount():
            self.select_row(row + 1)

    # --- filters ------------------------------------------------------------------------------------
    def _filter(self, **values) -> None:
        self._filtering = True
        try:
            self.proxy.set_filters(**values)
        finally:
            self._filtering = False
        self._after_filter()

    def _on_scope(self, scope: tuple[int | None, int | None]) -> None:
        self._filter(section=scope[0], subsection=scope[1])

    def _apply_filters(self) -> None:
        self._filter(only_mine=self.filters.only_mine(), status=self.filters.status_filter(),
                     role=self.filters.role_filter(), overdue_only=self.filters.overdue_only())

    def _apply_query(self, query: str) -> None:
        matches = self.search_index.search(query) if query.strip() else None
        if query or self._delegate is not None:
            self.delegate.query = query
        if self._detail is not None:
            self._detail.set_query(query)
        self.table.viewport().update()
        self._filter(matches=matches)

    def _after_filter(self) -> None:
        """Keep the shown task selected if it is still listed, else move to the first row listed.

        With no row left the table says so and the detail pane is emptied (once its text is saved)."""
        self.filters.set_count(self.proxy.rowCount(), self.model.rowCount())
        self.empty_label.setGeometry(self.table.viewport().rect())
        self.empty_label.setVisible(self.proxy.rowCount() == 0)
        number = self.current_task()
        row = self.proxy.proxy_row_of(number) if number is not None else None
        if row is not None:
            self.select_row(row)
        elif self.proxy.rowCount():
            self.select_row(0)
        else:
            self.table.selectionModel().clear()
            if self.autosaver.flush():
                self._pending_task = None
                if self._detail is not None:
                    self._detail.show_nothing(self.tr("没有符合条件的任务"))
        self._sync_to_table()

    def focus_steps(self) -> None:
        """Ctrl+E: the cursor into 实施步骤 of the task shown, the pane scrolled to it."""
        edit = self.detail.notes["steps"]
        if edit.isEnabled() and self.current_task() is not None:
            edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.detail.ensureWidgetVisible(edit, 0, 24)

    def focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    # --- saving -------------------------------------------------------------------------------------
    def save_now(self) -> bool:
        ok = self.autosaver.flush()
        if ok:
            self.statusBar().showMessage(self.tr("所有内容均已保存"), 3000)
        return ok

    def _on_saved(self, entry: Progress) -> None:
        self.progress[entry.task] = entry
        self.search_index.update(entry)
        self.model.set_progress(entry)
        self.detail.saved(entry)
        self.detail.mark_refused(set())
        self._refresh_summary()
        self.saved_label.setStyleSheet("color:#1e8a3c;")
        self.saved_label.setText(self.tr("已保存 {0}").format(entry.updated_at[11:19]))
        self.statusBar().clearMessage()

    def _on_save_failed(self, message: str) -> None:
        entry = self.detail.collect()
        self.detail.mark_refused(set(oversized_fields(entry)) if entry else set())
        self.saved_label.setStyleSheet("color:#c0392b;")
        self.saved_label.setText(self.tr("未保存"))
        self.statusBar().showMessage(message)

    def _on_dirty(self, dirty: bool) -> None:
        if dirty and not self.saved_label.text().startswith(self.tr("未保存")):
            self.saved_label.setStyleSheet("color:#8a6d00;")
            self.saved_label.setText(self.tr("正在编辑…"))

    # --- actions ------------------------------------------------------------------------------------
    def _set_slow(self, on: bool) -> None:
        number = self.current_task()
        if number is None:
            return
        self.autosaver.flush()  # the flag is judged against the status as typed
        try:
            editing.set_flag(self.session, self.plan_id, self.office.name, number, "slow", on)
        except (ActionError, StorageError) as exc:
            QMessageBox.warning(self, self.tr("未能标记"), exc.message)
            on = number in self.slow
        (self.slow.add if on else self.slow.discard)(number)
        self.detail.set_slow(on)

    def _set_override(self, role: Role | None) -> None:
        number = self.current_task()
        if number is None:
            return
        try:
            editing.set_override(self.session, self.plan_id, self.office.name, number, role)
        except (ActionError, StorageError) as exc:
            QMessageBox.warning(self, self.tr("未能保存"), exc.message)
            return
        if role is None:
            self.overridden.discard(number)
        else:
            self.overridden.add(number)
        new_role = self.plan_roles[number] if role is None else role
        self.roles[number] = new_role
        self.model.set_role(number, new_role, role is not None)
        self.detail.set_role(new_role, self.plan_roles[number], role is not None)
        self._refresh_summary()

    # --- dialogs (gui.main_dialogs) ---------------------------------------------------------------------
    def show_history(self, field: str) -> None:
        _dialogs().show_history(self, field)

    def change_office(self) -> None:
        _dialogs().change_office(self)

    def open_report(self):
        return _dialogs().open_report(self)

    def open_package(self):
        return _dialogs().open_package(self)

    # --- window state (gui.window_state) ---------------------------------------------------------------
    def _restore_state(self) -> None:
        window_state.restore(self, qsettings(self.session))

    def _last_task(self) -> int | None:
        return window_state.last_task(qsettings(self.session), self.plan_id, self.office.name)

    def save_state(self) -> None:
        window_state.save(self, qsettings(self.session), self.plan_id, self.office.name, self.current_task())

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.autosaver.flush():
            answer = QMessageBox.warning(
                self, self.tr("未能保存"),
                self.statusBar().currentMessage() + "\n\n" + self.tr("仍要退出吗？未保存的内容将会丢失。"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                event.ignore()
                return
        self.save_state()
        self.filters.stop_timers()
        event.accept()
