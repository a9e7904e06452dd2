"""How an office stands on a plan: counts by status, overdue tasks, and what would weaken the report.

Pure functions over the plan, the office's roles and its progress entries; the GUI dashboard and
filters show what these compute and decide nothing themselves.

Rules:

- A task is *assigned* to the office when its role is anything but ``Role.NONE``.
- A task with no saved progress entry is *未填写* (unfilled): it is not 未开始, and every count says so apart
  (:data:`UNFILLED_LABEL`, :func:`state_label`, :class:`Standing`). The window, the report, the package and the
  county side all use this rule.
- The rate counts the assigned tasks, less 不适用 ones and less 相关 (related-only) tasks left unfilled.
- *Done* means ``Status.DONE``; ``Status.NOT_APPLICABLE`` tasks leave the denominator of the
  done/assigned ratio (the clerk said they are not this office's).
- A task is *overdue* when its deadline (the entry's 完成时限, else the plan's date for the task) is before the
  day in question and its status is not 已完成, 持续推进 or 不适用; an unfilled task past the plan's date is overdue.
- Percentages are printed by :func:`core.cn.percent_text` only (one decimal, halves up).
- The report is weakened by: a status its percent contradicts (:func:`status_percent_conflict`), done without
  成效做法, 推进中 without 下一步措施, and no note written at all. Gaps are judged by what the entry holds, not by
  whether it was ever saved: text typed and deleted again, or only a percent set, is still a gap.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from core.assign import role_for
from core.model import MAX_FIELD_CHARS, NOTE_FIELDS, TEXT_FIELDS, Office, Plan, Progress, Role, Status, Task, Units

# A due date more than this many years away from the plan's year is probably a typing slip.
DUE_YEAR_SLACK = 1


#: What the window, the report, the package and the county show for a task with no saved entry.
UNFILLED_LABEL = "未填写"


def status_of(progress: Progress | None) -> Status:
    """The entry's status; NOT_STARTED for no entry. Prefer :func:`state_label` to show a task: it keeps 未填写
    apart from 未开始."""
    return progress.status if progress is not None else Status.NOT_STARTED


def is_filled(progress: Progress | None) -> bool:
    """Whether the office ever saved an entry for the task."""
    return progress is not None


def state_label(progress: Progress | None) -> str:
    """未填写 for no saved entry, else the status's label (未开始, 推进中, …)."""
    return progress.status.label if progress is not None else UNFILLED_LABEL


def counted_tasks(roles: Mapping[int, Role], progress: Mapping[int, Progress]) -> list[int]:
    """The assigned tasks a rate counts, in plan order: related-only (相关) tasks count only once filled."""
    return [n for n in assigned_tasks(roles)
            if roles[n] is not Role.RELATED or is_filled(progress.get(n))]


@dataclass(frozen=True)
class Standing:
    """How an office stands: filled tasks by status, unfilled ones apart, and the done rate.

    ``counts`` holds every status (zero if none) over the filled counted tasks; ``unfilled`` the counted tasks
    with no entry; ``total`` the rate's denominator (counted tasks less 不适用)."""

    counts: dict[Status, int]
    unfilled: int
    unfilled_tasks: tuple[int, ...]

    @property
    def done(self) -> int:
        return self.counts[Status.DONE]

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.unfilled - self.counts[Status.NOT_APPLICABLE]

    @property
    def rate_text(self) -> str:
        from core.cn import percent_text
        return percent_text(self.done, self.total)


def standing(roles: Mapping[int, Role], progress: Mapping[int, Progress]) -> Standing:
    counts = dict.fromkeys(Status, 0)
    unfilled: list[int] = []
    for number in counted_tasks(roles, progress):
        p = progress.get(number)
        if p is None:
            unfilled.append(number)
        else:
            counts[p.status] += 1
    return Standing(counts, len(unfilled), tuple(unfilled))


def assigned_tasks(roles: Mapping[int, Role]) -> list[int]:
    """Task numbers assigned to the office, in plan order."""
    return sorted(n for n, r in roles.items() if r is not Role.NONE)


def status_counts(roles: Mapping[int, Role], progress: Mapping[int, Progress]) -> dict[Status, int]:
    """How many assigned tasks are in each status (every status present, zero if none)."""
    counts = dict.fromkeys(Status, 0)
    for number in assigned_tasks(roles):
        counts[status_of(progress.get(number))] += 1
    return counts


@dataclass(frozen=True)
class DoneRatio:
    """Done tasks against the assigned ones that are not 不适用."""

    done: int
    total: int  # assigned tasks that are not marked not applicable

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def done_ratio(roles: Mapping[int, Role], progress: Mapping[int, Progress]) -> DoneRatio:
    counts = status_counts(roles, progress)
    total = sum(counts.values()) - counts[Status.NOT_APPLICABLE]
    return DoneRatio(counts[Status.DONE], total)


#: Statuses that are never overdue: done, ongoing by nature (持续推进), or not this office's.
NEVER_OVERDUE = (Status.DONE, Status.ONGOING, Status.NOT_APPLICABLE)


def effective_due(progress: Progress | None, task: Task | None = None) -> date | None:
    """The entry's 完成时限 when set, else the plan's date for the task (None when neither gives one)."""
    if progress is not None and progress.due is not None:
        return progress.due
    return task.due if task is not None else None


def is_overdue(progress: Progress | None, today: date, task: Task | None = None) -> bool:
    """Deadline before ``today`` and status not 已完成, 持续推进 or 不适用 (an unfilled task counts as open)."""
    due = effective_due(progress, task)
    if due is None:
        return False
    if progress is not None and progress.status in NEVER_OVERDUE:
        return False
    return due < today


def overdue_tasks(progress: Mapping[int, Progress], today: date, plan: Plan | None = None,
                  roles: Mapping[int, Role] | None = None) -> list[int]:
    """Overdue task numbers in plan order: the entries', and with ``plan`` and ``roles`` also the assigned
    tasks without an entry whose plan date has passed."""
    numbers = set(progress)
    if plan is not None and roles is not None:
        numbers |= set(assigned_tasks(roles))
    tasks = {t.number: t for t in plan.tasks} if plan is not None else {}
    return sorted(n for n in numbers if is_overdue(progress.get(n), today, tasks.get(n)))


def days_left(deadline: date | None, today: date) -> int | None:
    """Days until the report deadline: 0 on the day, negative once past, None without a deadline."""
    return None if deadline is None else (deadline - today).days


def due_date_suspicious(due: date | None, plan_year: int) -> bool:
    """A due date far outside the plan's year (e.g. 2091 typed for 2019)."""
    return due is not None and abs(due.year - plan_year) > DUE_YEAR_SLACK


def status_percent_conflict(status: Status, percent: int) -> str | None:
    """Why a status and a percent contradict each other, or None when they agree.

    The one rule for the window (row and gap list) and the progress-file import: 已完成 needs 100%,
    未开始 needs 0%, 推进中 lies between (100% means it is done). 不适用 takes any percent.
    """
    if status is Status.DONE and percent < 100:
        return f"状态为已完成，但进度只有 {percent}%"
    if status is Status.NOT_STARTED and percent > 0:
        return f"状态为未开始，但进度已有 {percent}%"
    if status is Status.IN_PROGRESS and percent >= 100:
        return f"状态为推进中，但进度已是 {percent}%"
    return None


def entry_conflict(progress: Progress | None) -> str | None:
    """:func:`status_percent_conflict` for a progress entry (None for no entry)."""
    return None if progress is None else status_percent_conflict(progress.status, progress.percent)


def has_notes(progress: Progress | None) -> bool:
    """Whether any of the four notes holds more than white space."""
    return progress is not None and any(getattr(progress, f).strip() for f in NOTE_FIELDS)


class Weakness(enum.Enum):
    STATUS_PERCENT_CONFLICT = "status_percent_conflict"
    DONE_WITHOUT_ACHIEVEMENTS = "done_without_achievements"
    IN_PROGRESS_WITHOUT_NEXT_STEPS = "in_progress_without_next_steps"
    UNTOUCHED = "untouched"

    @property
    def label(self) -> str:
        return WEAKNESS_LABELS[self]


WEAKNESS_LABELS = {
    Weakness.STATUS_PERCENT_CONFLICT: "状态与进度不一致",
    Weakness.DONE_WITHOUT_ACHIEVEMENTS: "已完成但未填写成效做法",
    Weakness.IN_PROGRESS_WITHOUT_NEXT_STEPS: "推进中但未填写下一步措施",
    Weakness.UNTOUCHED: "尚未填写任何内容",
}


@dataclass(frozen=True)
class ReportGap:
    """A task whose entry would weaken the report, and how."""

    task: int
    weakness: Weakness


def report_gaps(roles: Mapping[int, Role], progress: Mapping[int, Progress]) -> list[ReportGap]:
    """What would weaken the report, worst first (status and percent contradicting, done without 成效做法,
    推进中 without 下一步措施, no note at all), in plan order within each kind; one entry per task at most.

    Judged by content: an entry saved with every note empty counts as untouched."""
    gaps: list[ReportGap] = []
    for number in assigned_tasks(roles):
        p = progress.get(number)
        if p is None:
            gaps.append(ReportGap(number, Weakness.UNTOUCHED))
        elif entry_conflict(p) is not None:
            gaps.append(ReportGap(number, Weakness.STATUS_PERCENT_CONFLICT))
        elif p.status is Status.DONE and not p.achievements.strip():
            gaps.append(ReportGap(number, Weakness.DONE_WITHOUT_ACHIEVEMENTS))
        elif p.status is Status.IN_PROGRESS and not p.next_steps.strip():
            gaps.append(ReportGap(number, Weakness.IN_PROGRESS_WITHOUT_NEXT_STEPS))
        elif p.status is Status.NOT_STARTED and not has_notes(p):
            gaps.append(ReportGap(number, Weakness.UNTOUCHED))
    order = list(Weakness)
    return sorted(gaps, key=lambda g: (order.index(g.weakness), g.task))


def section_counts(plan: Plan, roles: Mapping[int, Role], progress: Mapping[int, Progress],
                   tasks: Iterable[int] | None = None) -> tuple[int, int]:
    """(done, assigned) among the given task numbers (all the plan's when None)."""
    numbers = [t.number for t in plan.tasks] if tasks is None else list(tasks)
    assigned = [n for n in numbers if roles.get(n, Role.NONE) is not Role.NONE]
    done = sum(status_of(progress.get(n)) is Status.DONE for n in assigned)
    return done, len(assigned)


def oversized_fields(entry: Progress) -> list[str]:
    """Names of text fields longer than MAX_FIELD_CHARS (such an entry is not saved)."""
    return [name for name in TEXT_FIELDS if len(getattr(entry, name)) > MAX_FIELD_CHARS]


def unit_covers_office(unit: str, office: Office, task: Task) -> bool:
    """Whether a unit name in the task's cell stands for the office: its own name, an alias of it,
    or a category phrase such as 各镇政府(街道办) that includes it."""
    one = Units(lead=(unit,), aliases=task.units.aliases)
    probe = Task(task.number, task.section, task.subsection, task.text, one)
    return role_for(probe, office) is not Role.NONE
