"""报送前检查: one dialog listing what would weaken the submission (``actions.submission_check``).

Each line opens its task in the window; 仍然继续 goes on anyway (the package records what was left open).
:func:`ask_before_submitting` is the one call for 生成报送材料 and for the report's save.

Signals (SubmissionCheckDialog):
    taskRequested(int): the clerk chose a line; the dialog closes and the caller shows the task.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from actions.session import Session
from actions.submission_check import CONFLICT, KIND_LABELS, KINDS, UNFILLED, SubmissionCheck, check_submission
from core.model import Office

_TASK = Qt.ItemDataRole.UserRole + 1
_RED = "#c0392b"
TITLE_CHARS = 36  # a task's first line, cut (the tooltip has it whole)


class SubmissionCheckDialog(QDialog):
    taskRequested = Signal(int)

    def __init__(self, check: SubmissionCheck, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = check
        self.chosen_task: int | None = None
        self.setWindowTitle(self.tr("报送前检查"))
        layout = QVBoxLayout(self)
        head = QLabel(self.tr("以下情况会削弱报送材料：{0}。\n双击一行可转到该任务修改；也可以仍然{1}。").format(
            self.tr(check.summary()), action), self)
        head.setWordWrap(True)
        layout.addWidget(head)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        for kind in KINDS:
            items = check.of_kind(kind)
            if not items:
                continue
            title = QListWidgetItem(self.tr("{0}（{1} 项）").format(self.tr(KIND_LABELS[kind]), len(items)))
            font = title.font()
            font.setBold(True)
            title.setFont(font)
            title.setFlags(Qt.ItemFlag.ItemIsEnabled)
            if kind == CONFLICT:
                title.setForeground(QBrush(QColor(_RED)))
            self.list.addItem(title)
            for item in items:
                title = item.title if len(item.title) <= TITLE_CHARS else item.title[:TITLE_CHARS] + "…"
                text = self.tr("　第{0}项 {1}").format(item.task, title)
                if kind != UNFILLED:
                    text += self.tr("　— {0}").format(self.tr(item.why))
                line = QListWidgetItem(text)
                line.setData(_TASK, item.task)
                line.setToolTip(self.tr("{0}\n（双击转到第{1}项任务）").format(item.title, item.task))
                if kind == CONFLICT:
                    line.setForeground(QBrush(QColor(_RED)))
                self.list.addItem(line)
        self.list.itemActivated.connect(self._open)
        layout.addWidget(self.list, 1)
        self.buttons = QDialogButtonBox(self)
        self.go_on = self.buttons.addButton(self.tr("仍然{0}").format(action), QDialogButtonBox.ButtonRole.AcceptRole)
        self.back = self.buttons.addButton(self.tr("返回修改"), QDialogButtonBox.ButtonRole.RejectRole)
        self.open_button = self.buttons.addButton(self.tr("转到所选任务"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(lambda: self._open(self.list.currentItem()))
        self.back.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(720, 480)

    def tasks(self) -> list[int]:
        """The task numbers listed, in order (for tests)."""
        return [self.list.item(i).data(_TASK) for i in range(self.list.count())
                if self.list.item(i).data(_TASK) is not None]

    def open_task(self, number: int) -> None:
        self.chosen_task = number
        self.reject()
        self.taskRequested.emit(number)

    def _open(self, item: QListWidgetItem | None) -> None:
        if item is not None and item.data(_TASK) is not None:
            self.open_task(int(item.data(_TASK)))


def _open_in_window(parent: QWidget, number: int) -> None:
    """Close the dialog the check was asked from and show the task in the main window."""
    top = parent.window()
    main = top.parentWidget().window() if isinstance(top, QDialog) and top.parentWidget() is not None else top
    if isinstance(top, QDialog):
        top.reject()
    show = getattr(main, "edit_task", None)
    if show is not None:
        show(number)


def ask_before_submitting(parent: QWidget, session: Session, office: Office, plan_id: int | None = None,
                          today: date | None = None, action: str = "报送",
                          open_task: Callable[[int], None] | None = None) -> bool:
    """Check the submission; True to go on (nothing open, or the clerk chose 仍然…), False to go back.

    A line chosen opens its task (``open_task``, by default: close the calling dialog and show the task in the
    main window) and answers False."""
    check = check_submission(session, office, plan_id, today)
    if check.clean:
        return True
    dialog = SubmissionCheckDialog(check, action, parent)
    dialog.taskRequested.connect(open_task or (lambda n: _open_in_window(parent, n)))
    return dialog.exec() == QDialog.DialogCode.Accepted


def mark_report_submitted(parent: QWidget, session: Session, office: Office, plan_id: int, report_id: int,
                          on: bool) -> bool:
    """标记为已报送 for an archived report, after the 报送前检查 (the clerk may go on anyway); True when changed."""
    from PySide6.QtWidgets import QMessageBox

    from actions import reports
    from actions.errors import ActionError, StorageError

    if on and not ask_before_submitting(parent, session, office, plan_id, action="标记为已报送"):
        return False
    try:
        reports.mark_submitted(session, report_id, on)
    except (ActionError, StorageError) as exc:
        QMessageBox.warning(parent, parent.tr("未能标记"), exc.message)
        return False
    return True
