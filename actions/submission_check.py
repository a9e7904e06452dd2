"""The check before a submission leaves: what would weaken it, listed once for 生成报送材料 and the report's
save, and recorded in the package's manifest when the clerk went on anyway.

Four kinds, each by the shared rules of ``core.tracking`` (the window's row colours and the dashboard use
the same ones): a status its percent contradicts (:func:`~core.tracking.entry_conflict`), a task with no
saved entry (未填写, :func:`~core.tracking.standing`: related-only tasks left unfilled are not asked for),
an overdue task (:func:`~core.tracking.overdue_tasks`, the entry's 完成时限 else the plan's date), and
已完成 without 成效做法.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from actions.office_view import open_office
from actions.session import Session
from core.model import Office, Plan, Progress, Role, Status
from core.tracking import UNFILLED_LABEL, effective_due, entry_conflict, overdue_tasks, standing

CONFLICT, UNFILLED, OVERDUE, DONE_WITHOUT_ACHIEVEMENTS = "conflict", "unfilled", "overdue", "done_no_achievements"
KIND_LABELS = {  # worst first; the long list of 未填写 last
    CONFLICT: "状态与进度矛盾",
    DONE_WITHOUT_ACHIEVEMENTS: "已完成但未写成效做法",
    OVERDUE: "已逾期",
    UNFILLED: UNFILLED_LABEL,
}
KINDS = tuple(KIND_LABELS)


@dataclass(frozen=True)
class CheckItem:
    kind: str  # one of KINDS
    task: int
    title: str  # the task's first line
    why: str  # e.g. 状态为已完成，但进度只有 40%

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class SubmissionCheck:
    office: str
    checked_on: date
    items: tuple[CheckItem, ...]  # by kind in KINDS order, then task number

    @property
    def clean(self) -> bool:
        return not self.items

    def of_kind(self, kind: str) -> list[CheckItem]:
        return [i for i in self.items if i.kind == kind]

    def counts(self) -> dict[str, int]:
        return {k: len(self.of_kind(k)) for k in KINDS}

    def summary(self) -> str:
        """One line: 状态与进度矛盾 1 项，未填写 62 项，… ; 检查通过 when nothing is open."""
        parts = [f"{KIND_LABELS[k]} {n} 项" for k, n in self.counts().items() if n]
        return "，".join(parts) if parts else "检查通过：没有矛盾、未填写、逾期或缺少成效做法的任务"

    def as_manifest(self) -> dict:
        """What the package records as left open (task numbers by kind) when the clerk went on anyway."""
        return {"checked_on": self.checked_on.isoformat(), "summary": self.summary(),
                "left_open": {k: [i.task for i in self.of_kind(k)] for k in KINDS}}


def check_from(plan: Plan, roles: dict[int, Role], progress: dict[int, Progress], office: str,
               today: date) -> SubmissionCheck:
    """The check over one snapshot (any thread; no database)."""
    tasks = {t.number: t for t in plan.tasks}
    assigned = [n for n, r in sorted(roles.items()) if r is not Role.NONE]
    items: list[CheckItem] = []
    for number in assigned:
        why = entry_conflict(progress.get(number))
        if why is not None:
            items.append(CheckItem(CONFLICT, number, tasks[number].first_line, why))
    for number in standing(roles, progress).unfilled_tasks:
        items.append(CheckItem(UNFILLED, number, tasks[number].first_line, "尚未保存过任何内容"))
    for number in overdue_tasks(progress, today, plan, roles):
        if roles.get(number, Role.NONE) is Role.NONE:
            continue
        due = effective_due(progress.get(number), tasks[number])
        items.append(CheckItem(OVERDUE, number, tasks[number].first_line,
                               f"完成时限 {due.isoformat() if due else ''} 已过"))
    for number in assigned:
        p = progress.get(number)
        if p is not None and p.status is Status.DONE and not p.achievements.strip():
            items.append(CheckItem(DONE_WITHOUT_ACHIEVEMENTS, number, tasks[number].first_line,
                                   "状态为已完成，但成效做法是空的"))
    order = {k: i for i, k in enumerate(KINDS)}
    return SubmissionCheck(office, today, tuple(sorted(items, key=lambda i: (order[i.kind], i.task))))


def check_submission(session: Session, office: Office, plan_id: int | None = None,
                     today: date | None = None) -> SubmissionCheck:
    """The check for ``office`` on the plan (the current one by default), as of ``today``."""
    view = open_office(session, office, plan_id)
    return check_from(view.plan, view.roles, view.progress, office.name, today or date.today())
