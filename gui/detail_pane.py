"""The right pane: one task in full and the office's editable record of it.

Signals:
    edited(): the clerk changed a field (the window restarts the autosave timer).
    field_left(): focus left an editable field (the window saves at once).
    override_requested(object): the clerk picked a role override: a ``Role``, or None to follow the plan.
    history_requested(str): the 历史版本 button of a text field (its Progress attribute name) was clicked.
    slow_toggled(bool): the clerk ticked or cleared 进展缓慢 (a flag beside the status, not a status).
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.model import (
    FIELD_LABELS,
    MAX_FIELD_CHARS,
    NOTE_FIELDS,
    ROLE_LABELS,
    Office,
    Plan,
    Progress,
    Role,
    Status,
    Task,
)
from core.tracking import UNFILLED_LABEL, due_date_suspicious, status_percent_conflict, unit_covers_office
from gui.highlight import MATCH_COLOR, highlighted_html
from gui.icons import icon, status_icon
from gui.roles_help import role_tooltip
from gui.text_highlight import SearchHighlighter
from gui.wheel_guard import guard_wheel

NO_DATE = QDate(1900, 1, 1)  # the QDateEdit minimum, shown as “未设定”
OFFICE_MARK = "#cfe8ff"


def _units_html(task: Task, office: Office, tr) -> str:
    rows = []
    for label, names in ((tr("牵头单位"), task.units.lead), (tr("负责单位"), task.units.responsible),
                         (tr("配合单位"), task.units.cooperating)):
        if not names:
            continue
        parts = []
        for name in names:
            text = html.escape(name)
            if unit_covers_office(name, office, task):
                text = f'<b style="background-color:{OFFICE_MARK};">{text}</b>'
            parts.append(text)
        rows.append(f"{label}：{'、'.join(parts)}")
    if not rows:
        rows.append(tr("方案未写明牵头及责任单位"))
    return "<br>".join(rows)


class ElidedLabel(QLabel):
    """One line, cut with … where it does not fit; ``text()`` and the tooltip keep the whole text."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(40, super().minimumSizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.setFont(self.font())
        elided = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided)


class NoteEdit(QPlainTextEdit):
    """A text field that asks for about NOTE_LINES lines and grows with spare room (the pane scrolls).

    Three lines keep 存在问题, 下一步措施 and 佐证材料 within a short scroll at 1366×768."""

    NOTE_LINES = 3

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(self.sizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(200, self.fontMetrics().lineSpacing() * self.NOTE_LINES + 14)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class DetailPane(QScrollArea):
    edited = Signal()
    field_left = Signal()
    override_requested = Signal(object)
    history_requested = Signal(str)
    slow_toggled = Signal(bool)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._task: Task | None = None
        self._entry: Progress | None = None
        self._plan_year = date.today().year
        self._query = ""
        self._loading = False
        self._filled = False
        self._because = ""  # the plan's words that made the shown task this office's
        self.evidence = None  # the 佐证材料 section (gui.evidence_panel), added by the window

        # The heading stays in view above the scrolled part: the clerk always sees which task is being typed.
        self.header = QWidget(self)
        self.header.setAutoFillBackground(True)
        head_row = QHBoxLayout(self.header)
        head_row.setContentsMargins(9, 4, 9, 4)
        self.title = ElidedLabel(self.header)
        self.title.setStyleSheet("font-weight:bold;")
        head_row.addWidget(self.title, 1)
        self.state = QLabel(self.header)  # 已完成 100%: the state as the fields show it now
        head_row.addWidget(self.state)
        self._header_height = self.header.sizeHint().height()
        self.setViewportMargins(0, self._header_height, 0, 0)

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setSpacing(4)
        self.requirement = QLabel(body)
        self.requirement.setWordWrap(True)
        self.requirement.setTextFormat(Qt.TextFormat.RichText)
        self.requirement.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.requirement.setFrameShape(QFrame.Shape.StyledPanel)
        self.requirement.setMargin(6)
        self.requirement.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.requirement)
        self.units = QLabel(body)
        self.units.setWordWrap(True)
        self.units.setTextFormat(Qt.TextFormat.RichText)
        self.units.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.units.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.units)

        role_row = QHBoxLayout()
        self.role_label = QLabel(body)
        self.role_label.setWordWrap(True)  # the plan's words after the role can be long: wrap, never widen
        self.role_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        role_row.addWidget(self.role_label, 1)
        self.override = QComboBox(body)
        self.override.addItem(self.tr("按方案确定"), "plan")
        for r in (Role.LEAD, Role.RESPONSIBLE, Role.COOPERATING):
            self.override.addItem(self.tr("改为本单位{0}").format(self.tr(ROLE_LABELS[r])), r)
        self.override.addItem(self.tr("标记为非本单位任务"), Role.NONE)
        self.override.setToolTip(self.tr("方案写得不清楚时，可调整本单位在这项任务中的角色"))
        self.override.activated.connect(self._on_override)
        role_row.addWidget(self.override)
        layout.addLayout(role_row)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.status = QComboBox(body)
        for s in Status:
            self.status.addItem(status_icon(s), self.tr(s.label), s)
        pct_row = QHBoxLayout()  # 状态 and 进度 on one row (one row less to scroll)
        pct_row.addWidget(self.status, 2)
        self.percent_slider = QSlider(Qt.Orientation.Horizontal, body)
        self.percent_slider.setRange(0, 100)
        self.percent_slider.setPageStep(10)
        self.percent = QSpinBox(body)
        self.percent.setRange(0, 100)
        self.percent.setSuffix("%")
        pct_row.addWidget(self.percent_slider, 1)
        pct_row.addWidget(self.percent)
        self.slow = QCheckBox(self.tr("进展缓慢"), body)
        self.slow.setToolTip(self.tr("县里台账的“进展缓慢”：标在推进中的任务上，报告和台账中显示为“推进中（进展缓慢）”"))
        self.slow.toggled.connect(lambda on: self.slow_toggled.emit(on))
        form.addRow(self.tr("状态/进度"), pct_row)
        self.percent_warning = QLabel(body)  # 已完成 at 80%: the rule is core.tracking.status_percent_conflict
        self.percent_warning.setWordWrap(True)
        self.percent_warning.setStyleSheet("color:#c0392b;")
        self.percent_warning.hide()
        form.addRow("", self.percent_warning)
        self.owner = QLineEdit(body)
        self.owner.setMaxLength(MAX_FIELD_CHARS * 10)  # never truncate silently; over the limit is refused
        self.owner.setPlaceholderText(self.tr("如：党政办 张三"))
        form.addRow(self.tr("责任股室/责任人"), self.owner)
        due_row = QHBoxLayout()
        self.due = QDateEdit(body)
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setMinimumDate(NO_DATE)
        self.due.setSpecialValueText(self.tr("未设定"))
        self.due.calendarWidget().installEventFilter(self)
        self.clear_due = QToolButton(body)
        self.clear_due.setText(self.tr("清除"))
        self.clear_due.setToolTip(self.tr("不设完成时限"))
        due_row.addWidget(self.due, 1)
        due_row.addWidget(self.clear_due)
        due_row.addWidget(self.slow)  # beside the deadline: the pane keeps the width of the window's column
        form.addRow(self.tr("完成时限"), due_row)
        self.due_warning = QLabel(body)
        self.due_warning.setWordWrap(True)
        self.due_warning.setStyleSheet("color:#b35900;")
        self.due_warning.hide()
        form.addRow("", self.due_warning)
        layout.addLayout(form)

        self.notes: dict[str, QPlainTextEdit] = {}
        self.note_warnings: dict[str, QLabel] = {}
        self.history_buttons: dict[str, QToolButton] = {}
        self.highlighters: dict[str, SearchHighlighter] = {}
        for name in NOTE_FIELDS:
            label = FIELD_LABELS[name]
            head = QHBoxLayout()
            head.addWidget(QLabel(self.tr(label), body))
            warn = QLabel(body)
            warn.setStyleSheet("color:#c0392b;")
            warn.hide()
            head.addWidget(warn, 1)
            hb = QToolButton(body)
            hb.setIcon(icon("history"))
            hb.setText(self.tr("历史版本"))
            hb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            hb.setAutoRaise(True)
            hb.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from one text field to the next
            hb.setIconSize(QSize(14, 14))
            hb.setMaximumHeight(self.fontMetrics().height() + 6)  # a compact heading row
            hb.clicked.connect(lambda _c=False, n=name: self.history_requested.emit(n))
            head.addStretch(0)
            head.addWidget(hb)
            layout.addLayout(head)
            edit = NoteEdit(body)
            edit.setObjectName(name)
            edit.setTabChangesFocus(True)
            layout.addWidget(edit, 1)
            self.notes[name] = edit
            self.note_warnings[name] = warn
            self.history_buttons[name] = hb
            self.highlighters[name] = SearchHighlighter(edit.document())
        self.setWidget(body)

        self.percent_slider.valueChanged.connect(self.percent.setValue)
        self.percent.valueChanged.connect(self.percent_slider.setValue)
        self.status.currentIndexChanged.connect(self._changed)
        self.percent.valueChanged.connect(self._changed)
        self.status.currentIndexChanged.connect(lambda _i: self._check_percent())
        self.percent.valueChanged.connect(lambda _v: self._check_percent())
        self.owner.textEdited.connect(self._changed)
        self.due.dateChanged.connect(self._changed)
        self.due.dateChanged.connect(lambda _d: self._check_due())
        self.clear_due.clicked.connect(lambda: self.due.setDate(NO_DATE))
        for edit in self.notes.values():
            edit.textChanged.connect(self._changed)
        for w in (self.status, self.percent, self.owner, self.due, *self.notes.values()):
            w.installEventFilter(self)
        self.wheel_guard = guard_wheel(body)  # the wheel scrolls the pane unless the field has the focus
        self.show_nothing()

    # --- showing a task -----------------------------------------------------------------------------
    def show_nothing(self, message: str = "") -> None:
        """No task: every field emptied and the pane disabled (e.g. when a filter leaves no row)."""
        self._loading = True
        self._task = None
        self._entry = None
        self.title.setText(message or self.tr("请在左侧表格中选择一项任务"))
        self.state.clear()
        self.requirement.clear()
        self.units.clear()
        self.role_label.clear()
        self.status.setCurrentIndex(0)
        self.percent.setValue(0)
        self.owner.clear()
        self.due.setDate(NO_DATE)
        for edit in self.notes.values():
            edit.clear()
        self.mark_refused(set())
        self.percent_warning.hide()
        self.due_warning.hide()
        if self.evidence is not None:
            self.evidence.show_nothing()
        self._loading = False
        self.widget().setEnabled(False)

    def show_task(self, plan: Plan, task: Task, office: Office, role: Role, plan_role: Role,
                  overridden: bool, entry: Progress | None, because: str = "", slow: bool = False) -> None:
        """``because``: the plan's words that made the task this office's (各镇(街), 县教育局), shown by the role."""
        self._loading = True
        if self._task is None or self._task.number != task.number:
            self.verticalScrollBar().setValue(0)  # a new task opens at its heading and status
        self._task = task
        self._plan_year = plan.year
        self._entry = entry or Progress(task=task.number)
        self._filled = entry is not None
        self.widget().setEnabled(True)
        path = plan.section_label(task)
        if task.subsection is not None:
            path += " › " + plan.subsection_label(task)
        self.title.setText(self.tr("第{0}项").format(task.number) + "　" + path)
        self._render_requirement()
        self.units.setText(_units_html(task, office, self.tr))
        self.units.setToolTip(task.units.raw)
        self._because = because
        self.set_slow(slow)
        self.set_role(role, plan_role, overridden)
        e = self._entry
        self.status.setCurrentIndex(list(Status).index(e.status))
        self.percent.setValue(e.percent)
        self.owner.setText(e.owner)
        self.owner.setCursorPosition(0)
        self.due.setDate(QDate(e.due.year, e.due.month, e.due.day) if e.due else NO_DATE)
        for name, edit in self.notes.items():
            edit.setPlainText(getattr(e, name))  # a new task: its own undo history starts here
        self.mark_refused(set())
        self._check_due()
        self._check_percent()
        self._show_state()
        self._loading = False

    def add_evidence(self, panel: QWidget) -> None:
        """The 佐证材料 section goes below the text fields (it lists, the window feeds it the task)."""
        self.evidence = panel
        self.widget().layout().addWidget(panel)

    def set_slow(self, on: bool) -> None:
        """Show the task's 进展缓慢 flag (the window saves it through the action, which says when it cannot)."""
        self.slow.blockSignals(True)
        self.slow.setChecked(on)
        self.slow.blockSignals(False)

    def set_role(self, role: Role, plan_role: Role, overridden: bool) -> None:
        text = self.tr("本单位角色：{0}").format(self.tr(ROLE_LABELS[role]))
        if overridden:
            text += self.tr("（已调整，方案中为：{0}）").format(self.tr(ROLE_LABELS[plan_role]))
        elif self._because and role is not Role.NONE:
            text += self.tr("（方案写的是“{0}”）").format(self._because)
        self.role_label.setText(text)
        self.role_label.setStyleSheet(f"background-color:{OFFICE_MARK};" if overridden else "")
        self.role_label.setToolTip(role_tooltip(role))  # what the role means for the report
        self.override.setCurrentIndex(self.override.findData(role) if overridden else 0)

    def current_task(self) -> int | None:
        return self._task.number if self._task else None

    def set_query(self, query: str) -> None:
        self._query = query
        self._render_requirement()
        # Re-highlighting changes formats, and QPlainTextEdit reports that as textChanged: not an edit.
        was_loading, self._loading = self._loading, True
        try:
            for h in self.highlighters.values():
                h.set_query(query)
        finally:
            self._loading = was_loading

    def _render_requirement(self) -> None:
        if self._task is None:
            return
        self.requirement.setText(highlighted_html(self._task.text, self._query, MATCH_COLOR).replace("\n", "<br>"))

    # --- reading back ------------------------------------------------------------------------------
    def collect(self) -> Progress | None:
        """The entry as the editors show it now (None when no task is shown)."""
        if self._task is None or self._entry is None:
            return None
        d = self.due.date()
        return replace(
            self._entry,
            status=self.status.currentData(),
            percent=self.percent.value(),
            owner=self.owner.text(),
            due=None if d == NO_DATE else date(d.year(), d.month(), d.day()),
            **{name: edit.toPlainText() for name, edit in self.notes.items()},
        )

    def base(self) -> Progress | None:
        """The entry the editors started from: the autosaver writes only the fields changed since."""
        return self._entry

    def saved(self, entry: Progress) -> None:
        """The autosaver stored ``entry``; what the editors show becomes the base (editors are left alone).

        Not ``entry`` itself: a field another process changed meanwhile is in ``entry`` but not in the
        editor, and taking it as the base would make the editor's older text look like a new edit.
        """
        if self._task is not None and entry.task == self._task.number:
            shown = self.collect()
            self._entry = replace(shown, updated_at=entry.updated_at) if shown is not None else entry
            self._filled = True
            self._show_state()

    def restore_text(self, field: str, text: str) -> None:
        """Put an older version into the editor as one undoable edit (it then autosaves)."""
        if field == "owner":
            self.owner.selectAll()
            self.owner.insert(text)
            self._changed()
            return
        edit = self.notes[field]
        cursor = edit.textCursor()
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        edit.setTextCursor(cursor)

    def mark_refused(self, fields: set[str]) -> None:
        for name, warn in self.note_warnings.items():
            over = name in fields
            warn.setText(self.tr("未保存：超过 {0} 字").format(MAX_FIELD_CHARS) if over else "")
            warn.setVisible(over)
            self.notes[name].setStyleSheet("QPlainTextEdit{border:2px solid #c0392b;}" if over else "")

    # --- internals ---------------------------------------------------------------------------------
    def _changed(self, *_args) -> None:
        if not self._loading and self._task is not None:
            self._show_state(edited=True)
            self.edited.emit()

    def _show_state(self, edited: bool = False) -> None:
        """The heading's state: 未填写 until the task has an entry or an edit, else status and percent."""
        self._filled = self._filled or edited
        status = self.status.currentData()
        if not self._filled or status is None:
            self.state.setText(self.tr(UNFILLED_LABEL) if self._task is not None else "")
            return
        text = self.tr(status.label)
        if status is not Status.NOT_APPLICABLE:
            text += f" {self.percent.value()}%"
        self.state.setText(text)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_header()

    def _place_header(self) -> None:
        """Above the viewport, as wide as it (the scroll bar keeps its own column)."""
        view = self.viewport().geometry()
        self.header.setGeometry(view.left(), self.contentsRect().top(), view.width(), self._header_height)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if dx:
            self._place_header()

    def _check_percent(self) -> None:
        conflict = status_percent_conflict(self.status.currentData(), self.percent.value())
        self.percent_warning.setText(self.tr("⚠ {0}，请核对。").format(self.tr(conflict)) if conflict else "")
        self.percent_warning.setVisible(conflict is not None)

    def _check_due(self) -> None:
        d = self.due.date()
        due = None if d == NO_DATE else date(d.year(), d.month(), d.day())
        if due_date_suspicious(due, self._plan_year):
            self.due_warning.setText(self.tr("完成时限 {0} 与方案年度（{1}年）相差较远，请确认是否填错。")
                                     .format(due.isoformat() if due else "", self._plan_year))
            self.due_warning.show()
        else:
            self.due_warning.hide()

    def _on_override(self, index: int) -> None:
        data = self.override.itemData(index)
        self.override_requested.emit(None if data == "plan" else data)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QWidget) \
                and watched is not self.due.calendarWidget():
            self.ensureWidgetVisible(watched, 0, 24)
        elif event.type() == QEvent.Type.FocusOut and watched is not self.due.calendarWidget():
            self.field_left.emit()
        elif event.type() == QEvent.Type.Show and watched is self.due.calendarWidget() \
                and self.due.date() == NO_DATE:
            today = date.today()
            year = today.year if today.year == self._plan_year else self._plan_year
            self.due.calendarWidget().setCurrentPage(year, today.month)
        return super().eventFilter(watched, event)
