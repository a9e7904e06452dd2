"""The strip at the top: counts by status, done against assigned, days to the report deadline,
and what would weaken the report.

Signals:
    task_requested(int): the clerk clicked a report gap; the window jumps to that task.
    status_requested(object): the clerk clicked a count (a ``Status``, or ``UNFILLED`` for 未填写).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
)

from core.model import Plan, Progress, Role, Status
from core.tracking import UNFILLED_LABEL, days_left, entry_conflict, report_gaps, standing
from gui.icons import icon, status_icon, unfilled_icon
from gui.task_filter_proxy import UNFILLED

_TASK = 0x0100 + 1
MAX_GAPS_LISTED = 500  # the title gives the full count; a list of 100,000 rebuilt on every save froze the window


# A deadline passed longer ago than this is an old plan's, not an overdue report.
OLD_PLAN_DAYS = 60


class Dashboard(QFrame):
    task_requested = Signal(int)
    status_requested = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 6)

        left = QVBoxLayout()
        counts_row = QHBoxLayout()
        self.status_buttons: dict[Status | str, QToolButton] = {}
        for s in (UNFILLED, *Status):
            b = QToolButton(self)
            b.setIcon(unfilled_icon() if s == UNFILLED else status_icon(s))
            b.setIconSize(QSize(16, 16))
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            b.setAutoRaise(True)
            label = UNFILLED_LABEL if s == UNFILLED else s.label
            b.setToolTip(self.tr("只显示“{0}”的任务").format(self.tr(label)))
            b.clicked.connect(lambda _c=False, st=s: self.status_requested.emit(st))
            counts_row.addWidget(b)
            self.status_buttons[s] = b
        counts_row.addStretch(1)
        left.addLayout(counts_row)

        bar_row = QHBoxLayout()
        self.progress = QProgressBar(self)
        self.progress.setTextVisible(True)
        self.progress.setMinimumWidth(160)
        bar_row.addWidget(self.progress, 1)
        self.deadline = QLabel(self)
        self.deadline.setTextFormat(Qt.TextFormat.PlainText)
        bar_row.addWidget(self.deadline)
        left.addLayout(bar_row)
        outer.addLayout(left, 3)

        right = QVBoxLayout()
        self.gaps_title = QLabel(self)
        right.addWidget(self.gaps_title)
        self.gaps = QListWidget(self)
        self.gaps.setMaximumHeight(self.fontMetrics().height() * 4 + 8)
        self.gaps.setUniformItemSizes(True)
        self.gaps.itemActivated.connect(self._on_item)
        self.gaps.itemClicked.connect(self._on_item)
        right.addWidget(self.gaps)
        outer.addLayout(right, 4)

    def update_from(self, plan: Plan, roles: dict[int, Role], progress: dict[int, Progress],
                    today: date | None = None) -> None:
        today = today or date.today()
        now = standing(roles, progress)  # 未填写 apart from 未开始; related-only tasks count once filled
        for s, b in self.status_buttons.items():
            if s == UNFILLED:
                b.setText(f"{self.tr(UNFILLED_LABEL)} {now.unfilled}")
            else:
                b.setText(f"{self.tr(s.label)} {now.counts[s]}")
        self.progress.setRange(0, max(now.total, 1))
        self.progress.setValue(now.done)
        self.progress.setFormat(self.tr("已完成 {0} / {1}（{2}）").format(now.done, now.total, now.rate_text))
        left = days_left(plan.deadline, today)
        if left is None:
            self.deadline.setText(self.tr("方案未写明报送时限"))
        elif left < -OLD_PLAN_DAYS:  # an old plan (the built-in 2019 one): no alarm, say which year it is
            self.deadline.setText(self.tr("报送时限 {0} 已过（{1}年的方案）").format(plan.deadline.isoformat(),
                                                                                 plan.year))
        elif left < 0:
            self.deadline.setText(self.tr("报送时限 {0}：已逾期 {1} 天").format(plan.deadline.isoformat(), -left))
        elif left == 0:
            self.deadline.setText(self.tr("报送时限 {0}：今天截止").format(plan.deadline.isoformat()))
        else:
            self.deadline.setText(self.tr("报送时限 {0}：还有 {1} 天").format(plan.deadline.isoformat(), left))
        urgent = left is not None and -OLD_PLAN_DAYS <= left < 7
        self.deadline.setStyleSheet("color:#c0392b;" if urgent else "color:#6b7280;" if left is not None and left < 0
                                    else "")

        gaps = report_gaps(roles, progress)
        current = self.gaps.currentItem()
        keep = current.data(_TASK) if current else None
        self.gaps.clear()
        self.gaps_title.setText(self.tr("会削弱报告的地方：{0} 项").format(len(gaps)) if gaps
                                else self.tr("报告内容齐全"))
        tasks = {t.number: t for t in plan.tasks}  # Plan.task() scans: 100,000 gaps took minutes
        for gap in gaps[:MAX_GAPS_LISTED]:
            task = tasks[gap.task]
            item = QListWidgetItem(icon("warning"), self.tr("第{0}项 {1}：{2}").format(
                gap.task, self.tr(gap.weakness.label), task.first_line))
            item.setData(_TASK, gap.task)
            conflict = entry_conflict(progress.get(gap.task))
            item.setToolTip(self.tr(conflict) if conflict else task.first_line)
            self.gaps.addItem(item)
            if gap.task == keep:
                self.gaps.setCurrentItem(item)

    def gap_tasks(self) -> list[int]:
        return [self.gaps.item(i).data(_TASK) for i in range(self.gaps.count())]

    def _on_item(self, item: QListWidgetItem) -> None:
        self.task_requested.emit(int(item.data(_TASK)))
