"""The collecting side's picture: tasks × offices, from the packages the offices sent.

Pure functions over the plan, the offices, each office's current received progress and evidence counts.
Rules (the same as an office's own dashboard, core/tracking.py):

- An office is *assigned* a task when the plan gives it any role (core.assign.role_for); a cell exists for
  every assigned pair, and for any task an office reported on although the plan does not name it.
- An office that sent no package has cells with ``reported`` False (未报送).
- A reported, assigned task without an entry is 未填写 (``status`` None, ``reported`` True), never 未开始;
  a 相关 (related-only) task left unfilled stays out of every count (core.tracking's :class:`Standing`).
  *Overdue*: core.tracking.is_overdue with the plan's date for the task (an unfilled task past it is overdue).
  The done rate leaves not-applicable cells out of the denominator and is printed by core.cn.percent_text.
- 进展缓慢 is a flag beside the status (``slow``), shown as 推进中（进展缓慢） and as the county word 进展缓慢.
- A package is *late* when its report date is after the plan's deadline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from core.assign import role_for
from core.model import ROLE_LABELS, Office, OfficeKind, Plan, Progress, Role, Status, Task, Units
from core.sheets.words import SLOW, county_word, flagged_label, is_slow
from core.tracking import UNFILLED_LABEL, Standing, is_overdue

#: Status order in counts and legends: finished work first.
STATUS_ORDER = (Status.DONE, Status.ONGOING, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE)
KIND_LABELS = {OfficeKind.TOWN: "镇（街道）", OfficeKind.DEPARTMENT: "县直部门"}


NOT_REPORTED_LABEL = "未报送"


@dataclass(frozen=True)
class Cell:
    role: Role
    status: Status | None  # None: no entry (not reported, or reported and left 未填写)
    percent: int = 0
    has_achievements: bool = False
    evidence: int = 0
    overdue: bool = False
    reported: bool = True
    slow: bool = False  # the office marked the task 进展缓慢

    @property
    def filled(self) -> bool:
        return self.status is not None

    @property
    def counted(self) -> bool:
        """Whether the cell counts in a rate: reported, and filled unless the office is only 相关."""
        return self.reported and (self.filled or self.role is not Role.RELATED)

    @property
    def label(self) -> str:
        """未报送 / 未填写 / the status, with （进展缓慢） when flagged: 推进中（进展缓慢）."""
        if not self.reported:
            return NOT_REPORTED_LABEL
        if self.status is None:
            return UNFILLED_LABEL
        return flagged_label(self.status, self.slow)

    @property
    def county_word(self) -> str:
        """The county 台账's 完成状况 (完成 / 序时推进 / 进展缓慢); 未报送 / 未填写 for no entry."""
        if self.status is None:
            return self.label
        return county_word(self.status, self.slow)


def cell_text(cell: Cell | None) -> str:
    """The matrix cell: 已完成 100% ★ 证2 逾期 (status, percent, ★ when 成效做法 is written, evidence count,
    overdue); 未报送, 未填写, 推进中（进展缓慢） 40%."""
    if cell is None:
        return ""
    text = cell.label
    if cell.status is not None and cell.status not in (Status.NOT_APPLICABLE, Status.NOT_STARTED):
        text += f" {cell.percent}%"
    if cell.has_achievements:
        text += " ★"
    if cell.evidence:
        text += f" 证{cell.evidence}"
    if cell.overdue:
        text += " 逾期"
    return text


def cell_tooltip(cell: Cell | None, office: str, task: int) -> str:
    """The cell's hover text: who, role, state, percent, notes and evidence, overdue."""
    if cell is None:
        return f"{office}：任务{task} 不是该单位的任务"
    role = ROLE_LABELS[cell.role]
    if not cell.reported:
        return f"{office}（{role}）：尚未报送"
    if cell.status is None:
        parts = [f"{office}（{role}）：已报送，此项{UNFILLED_LABEL}"]
    else:
        parts = [f"{office}（{role}）：{cell.label}，进度 {cell.percent}%",
                 "已填写成效做法" if cell.has_achievements else "未填写成效做法"]
    parts.append(f"佐证材料 {cell.evidence} 项" if cell.evidence else "无佐证材料")
    if cell.overdue:
        parts.append("已超过完成时限")
    return "；".join(parts)


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
        """Filled cells by status (every status present), for one office or all shown; 未填写 is apart
        (:meth:`standing`)."""
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for _t, c, cell in self.visible_cells():
            if cell.status is not None and (office is None or c.name == office):
                counts[cell.status] += 1
        return counts

    def standing(self, office: str | None = None) -> Standing:
        """How the shown reported cells stand (one office's, or all): filled ones by status, 未填写 apart, a
        相关 task left unfilled out; the rate by :attr:`Standing.rate_text`. ``unfilled_tasks`` lists the task
        of each unfilled cell (a task repeats when several offices left it unfilled)."""
        counts = dict.fromkeys(Status, 0)
        unfilled: list[int] = []
        for t, c, cell in self.visible_cells():
            if (office is not None and c.name != office) or not cell.counted:
                continue
            if cell.status is None:
                unfilled.append(t.number)
            else:
                counts[cell.status] += 1
        return Standing(counts, len(unfilled), tuple(unfilled))

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
                 today: date | None = None,
                 flags: Mapping[str, Mapping[int, Iterable[str]]] | None = None) -> Matrix:
    """Every office the plan assigns a task (or that reported) as a column, every task as a row.

    ``report_dates``: office -> report date of its current package; ``progress``/``evidence``/``flags``:
    office -> task -> its entry / number of evidence items / flags ("slow"), from those packages.
    """
    today = today or date.today()
    flags = flags or {}
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
        office_flags = flags.get(office.name, {})
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
                cells[(t.number, office.name)] = Cell(role, None, reported=False)
            elif p is None:
                cells[(t.number, office.name)] = Cell(role, None, evidence=counts.get(t.number, 0),
                                                      overdue=is_overdue(None, today, t))
            else:
                cells[(t.number, office.name)] = Cell(role, p.status, p.percent, bool(p.achievements.strip()),
                                                      counts.get(t.number, 0), is_overdue(p, today, t),
                                                      slow=is_slow(p.status, SLOW in office_flags.get(t.number, ())))
        if not assigned and not reported:
            continue
        when = report_dates.get(office.name)
        columns.append(OfficeColumn(office, assigned, when, bool(when and deadline and when > deadline)))
    return Matrix(plan, plan.tasks, tuple(columns), cells, progress, today)


def _standing_json(st: Standing) -> dict:
    """The figures a status row carries: counts by status, 未填写 apart, the done rate as the report prints it."""
    return {"counts": {s.value: st.counts[s] for s in STATUS_ORDER}, "unfilled": st.unfilled,
            "done": st.done, "done_total": st.total, "done_rate": st.rate_text,
            "done_percent": float(st.rate_text.rstrip("%"))}


def slow_count(matrix: Matrix, office: str | None = None) -> int:
    """Shown filled cells flagged 进展缓慢 (one office's, or all)."""
    return sum(1 for _t, c, cell in matrix.visible_cells()
               if cell.slow and cell.filled and (office is None or c.name == office))


def status_summary(matrix: Matrix) -> dict:
    """``county status --json``: offices received and missing; per office and in all, counts by status with
    未填写 apart (``unfilled``), the 进展缓慢 flags, and the done rate by core.cn.percent_text (``done_rate``
    "52.9%", ``done_percent`` 52.9) — the figures the 汇总 prints."""
    received = []
    for c in matrix.received:
        received.append({"office": c.name, "kind": c.office.kind.value, "report_date": c.report_date,
                         "late": c.late, "assigned": c.assigned, **_standing_json(matrix.standing(c.name)),
                         "slow": slow_count(matrix, c.name)})
    return {
        "plan": {"title": matrix.plan.title, "year": matrix.plan.year,
                 "deadline": matrix.plan.deadline.isoformat() if matrix.plan.deadline else None},
        "tasks": len(matrix.tasks),
        "offices": {"expected": sum(1 for c in matrix.columns if c.assigned), "received": len(received),
                    "missing": len(matrix.missing)},
        "received": received,
        "missing": [{"office": c.name, "kind": c.office.kind.value, "assigned": c.assigned} for c in matrix.missing],
        **_standing_json(matrix.standing()),
        "slow": slow_count(matrix),
    }
