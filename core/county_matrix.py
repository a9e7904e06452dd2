"""The collecting side's picture: tasks × offices, from the packages the offices sent.

Pure functions over the plan, the offices, each office's current received progress and evidence counts.
Rules (the same as an office's own dashboard, core/tracking.py):

- An office is *assigned* a task when the plan gives it any role (core.assign.role_for); a cell exists for
  every assigned pair, and for any task an office reported on although the plan does not name it.
- An office that sent no package has cells with ``status`` None (未报送).
- A reported, assigned task without an entry is 未开始. *Overdue*: due date passed and neither done nor
  not applicable. The done rate leaves not-applicable cells out of the denominator.
- A package is *late* when its report date is after the plan's deadline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from core.assign import role_for
from core.model import Office, OfficeKind, Plan, Progress, Role, Status, Task, Units
from core.tracking import is_overdue

#: Status order in counts and legends: finished work first.
STATUS_ORDER = (Status.DONE, Status.ONGOING, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE)
KIND_LABELS = {OfficeKind.TOWN: "镇（街道）", OfficeKind.DEPARTMENT: "县直部门"}


@dataclass(frozen=True)
class Cell:
    role: Role
    status: Status | None  # None: the office has not reported
    percent: int = 0
    has_achievements: bool = False
    evidence: int = 0
    overdue: bool = False

    @property
    def reported(self) -> bool:
        return self.status is not None


@dataclass(frozen=True)
class OfficeColumn:
    office: Office
    assigned: int  # tasks the plan assigns to the office (among all the plan's tasks)
    report_date: str | None  # the current package's report date; None: not reported
    late: bool = False

    @property
    def name(self) -> str:
        return self.office.name

    @property
    def reported(self) -> bool:
        return self.report_date is not None


@dataclass(frozen=True)
class Matrix:
    plan: Plan
    tasks: tuple[Task, ...]
    columns: tuple[OfficeColumn, ...]
    cells: Mapping[tuple[int, str], Cell]
    progress: Mapping[str, Mapping[int, Progress]] = field(repr=False)
    today: date = field(default_factory=date.today)

    def cell(self, task: int, office: str) -> Cell | None:
        return self.cells.get((task, office))

    def entry(self, task: int, office: str) -> Progress | None:
        return self.progress.get(office, {}).get(task)

    @property
    def missing(self) -> list[OfficeColumn]:
        """Offices with assigned tasks that have not reported, in column order."""
        return [c for c in self.columns if not c.reported and c.assigned]

    @property
    def received(self) -> list[OfficeColumn]:
        return [c for c in self.columns if c.reported]

    def visible_cells(self) -> Iterable[tuple[Task, OfficeColumn, Cell]]:
        for t in self.tasks:
            for c in self.columns:
                cell = self.cells.get((t.number, c.name))
                if cell is not None:
                    yield t, c, cell

    def status_counts(self, office: str | None = None) -> dict[Status, int]:
        """Reported cells by status (every status present), for one office or all shown."""
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for _t, c, cell in self.visible_cells():
            if cell.status is not None and (office is None or c.name == office):
                counts[cell.status] += 1
        return counts

    def filtered(self, *, section: int | None = None, kind: OfficeKind | None = None, overdue: bool = False,
                 lead: Office | None = None, reported_only: bool = False) -> Matrix:
        """Rows of one section / led by ``lead``; columns of one kind (or only offices that reported);
        rows with an overdue cell only."""
        tasks = [t for t in self.tasks if section is None or t.section == section]
        if lead is not None:
            tasks = [t for t in tasks if role_for(t, lead) is Role.LEAD]
        columns = [c for c in self.columns if (kind is None or c.office.kind is kind)
                   and (c.reported or not reported_only)]
        if overdue:
            names = [c.name for c in columns]
            tasks = [t for t in tasks if any((cell := self.cells.get((t.number, n))) is not None and cell.overdue
                                             for n in names)]
        return Matrix(self.plan, tuple(tasks), tuple(columns), self.cells, self.progress, self.today)


def build_matrix(plan: Plan, offices: Iterable[Office], report_dates: Mapping[str, str],
                 progress: Mapping[str, Mapping[int, Progress]], evidence: Mapping[str, Mapping[int, int]],
                 today: date | None = None) -> Matrix:
    """Every office the plan assigns a task (or that reported) as a column, every task as a row.

    ``report_dates``: office -> report date of its current package; ``progress``/``evidence``: office ->
    task -> its entry / number of evidence items, from those packages.
    """
    today = today or date.today()
    deadline = plan.deadline.isoformat() if plan.deadline else None
    columns: list[OfficeColumn] = []
    cells: dict[tuple[int, str], Cell] = {}
    # role_for depends only on the unit cell and the office; cells repeat (merged cells, inherited units),
    # so each distinct cell gets a number once and roles are kept per (cell number, office)
    cell_ids: dict[Units, int] = {}
    task_cells = [(t, cell_ids.setdefault(t.units, len(cell_ids))) for t in plan.tasks]
    roles: dict[tuple[int, str], Role] = {}
    for office in offices:
        reported = office.name in report_dates
        entries = progress.get(office.name, {})
        counts = evidence.get(office.name, {})
        assigned = 0
        for t, cell_id in task_cells:
            key = (cell_id, office.name)
            role = roles.get(key)
            if role is None:
                role = roles[key] = role_for(t, office)
            if role is not Role.NONE:
                assigned += 1
            p = entries.get(t.number)
            if role is Role.NONE and p is None:
                continue
            if not reported:
                cells[(t.number, office.name)] = Cell(role, None)
            elif p is None:
                cells[(t.number, office.name)] = Cell(role, Status.NOT_STARTED, evidence=counts.get(t.number, 0))
            else:
                cells[(t.number, office.name)] = Cell(role, p.status, p.percent, bool(p.achievements.strip()),
                                                      counts.get(t.number, 0), is_overdue(p, today))
        if not assigned and not reported:
            continue
        when = report_dates.get(office.name)
        columns.append(OfficeColumn(office, assigned, when, bool(when and deadline and when > deadline)))
    return Matrix(plan, plan.tasks, tuple(columns), cells, progress, today)


def done_rate(counts: Mapping[Status, int]) -> tuple[int, int]:
    """(done, total) with not-applicable cells left out of the total."""
    total = sum(counts.values()) - counts.get(Status.NOT_APPLICABLE, 0)
    return counts.get(Status.DONE, 0), total


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def status_summary(matrix: Matrix) -> dict:
    """``county status --json``: offices received and missing, counts by status, the done rate."""
    received = []
    for c in matrix.received:
        counts = matrix.status_counts(c.name)
        received.append({"office": c.name, "kind": c.office.kind.value, "report_date": c.report_date,
                         "late": c.late, "assigned": c.assigned,
                         "counts": {s.value: n for s, n in counts.items()}})
    counts = matrix.status_counts()
    done, total = done_rate(counts)
    return {
        "plan": {"title": matrix.plan.title, "year": matrix.plan.year,
                 "deadline": matrix.plan.deadline.isoformat() if matrix.plan.deadline else None},
        "tasks": len(matrix.tasks),
        "offices": {"expected": sum(1 for c in matrix.columns if c.assigned), "received": len(received),
                    "missing": len(matrix.missing)},
        "received": received,
        "missing": [{"office": c.name, "kind": c.office.kind.value, "assigned": c.assigned} for c in matrix.missing],
        "counts": {s.value: n for s, n in counts.items()},
        "done": done,
        "done_total": total,
        "done_percent": percent(done, total),
    }
