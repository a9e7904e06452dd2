"""How an office stands on a plan: counts by status, overdue tasks, and what would weaken the report.

Pure functions over the plan, the office's roles and its progress entries; the GUI dashboard and
filters show what these compute and decide nothing themselves.

Rules:

- A task is *assigned* to the office when its role is anything but ``Role.NONE``.
- A task with no progress row counts as ``Status.NOT_STARTED`` and is *untouched*.
- *Done* means ``Status.DONE``; ``Status.NOT_APPLICABLE`` tasks leave the denominator of the
  done/assigned ratio (the clerk said they are not this office's).
- A task is *overdue* when its due date has passed and it is neither done nor not applicable.
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


def status_of(progress: Progress | None) -> Status:
    return progress.status if progress is not None else Status.NOT_STARTED


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
    done: int
    total: int  # assigned tasks that are not marked not applicable

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def done_ratio(roles: Mapping[int, Role], progress: Mapping[int, Progress]) -> DoneRatio:
    counts = status_counts(roles, progress)
    total = sum(counts.values()) - counts[Status.NOT_APPLICABLE]
    return DoneRatio(counts[Status.DONE], total)


def is_overdue(progress: Progress | None, today: date) -> bool:
    if progress is None or progress.due is None:
        return False
    if progress.status in (Status.DONE, Status.NOT_APPLICABLE):
        return False
    return progress.due < today


def overdue_tasks(progress: Mapping[int, Progress], today: date) -> set[int]:
    return {n for n, p in progress.items() if is_overdue(p, today)}


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
