"""The office's view of a plan: its tasks with roles, progress and role overrides, read once."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from actions.session import Session
from core.assign import roles_explained, roles_for, with_overrides
from core.model import Office, Plan, Progress, Role, Task
from core.sheets.words import flagged_label
from core.tracking import UNFILLED_LABEL, is_filled
from db import sheets as sheet_q


@dataclass(frozen=True)
class OfficeView:
    """Everything the task table, the dashboard, the report and ``tasks --json`` read, in one snapshot."""

    plan_id: int
    plan: Plan
    office: Office
    roles: dict[int, Role]  # with the clerk's overrides
    plan_roles: dict[int, Role]  # as the plan reads, before overrides
    progress: dict[int, Progress]
    overridden: frozenset[int]
    because: dict[int, str] = field(default_factory=dict)  # the plan's words that decided each role (各镇(街))

    def assigned(self) -> list[Task]:
        """The plan's tasks whose role for the office is not NONE, in plan order."""
        return [t for t in self.plan.tasks if self.roles.get(t.number, Role.NONE) is not Role.NONE]


def open_office(session: Session, office: Office, plan_id: int | None = None) -> OfficeView:
    """Read the plan, the office's overrides, roles and progress once (not per row)."""
    plan_id = plan_id if plan_id is not None else session.current_plan_id()
    plan = session.store.plan(plan_id)
    own = session.remembered_office()
    if own is not None and own.name == office.name and not office.aliases:
        office = own  # the clerk's own office, with the other names it goes by
    overrides = session.store.overrides(plan_id, office.name)
    as_planned = roles_explained(plan, office)  # worked out once: the overrides only replace some of them
    explained = with_overrides(as_planned, overrides)
    return OfficeView(plan_id, plan, office, {n: r for n, (r, _) in explained.items()},
                      {n: r for n, (r, _) in as_planned.items()},
                      session.store.progress(plan_id, office.name), frozenset(overrides),
                      {n: b for n, (r, b) in explained.items() if r is not Role.NONE})


def task_rows(plan: Plan, roles: dict[int, Role], progress: dict[int, Progress],
              overridden: frozenset[int] | set[int] = frozenset(), because: dict[int, str] | None = None,
              slow: Collection[int] = ()) -> list[dict]:
    """One JSON object per task: the shape of ``tasks --json`` and ``plan import --json``.

    ``status`` is 未开始 for a task without an entry (the file format's default); ``filled`` says whether
    there is one, and ``state`` is what the report shows: 未填写, the status, 推进中（进展缓慢） when flagged."""
    from core.progress.file import progress_fields  # the exchange file's rules: not for the window's start

    rows = []
    for t in plan.tasks:
        saved = progress.get(t.number)
        p = saved or Progress(t.number)
        rows.append({
            "number": t.number,
            "section": plan.section_label(t),
            "subsection": plan.subsection_label(t),
            "text": t.text,
            "lead_units": list(t.units.lead),
            "responsible_units": list(t.units.responsible),
            "cooperating_units": list(t.units.cooperating),
            "role": roles.get(t.number, Role.NONE).key,
            "role_overridden": t.number in overridden,
            **progress_fields(p),
            "filled": is_filled(saved),
            "slow": saved is not None and t.number in slow,
            "state": flagged_label(p.status, t.number in slow) if saved is not None else UNFILLED_LABEL,
        })
        if because is not None:
            rows[-1]["role_because"] = because.get(t.number)
    return rows


def office_task_rows(session: Session, office_name: str | None) -> list[dict]:
    """``tasks --office N --json``: every task of the current plan with the office's role and progress."""
    view = open_office(session, session.require_office(office_name))
    return task_rows(view.plan, view.roles, view.progress, view.overridden, view.because,
                     sheet_q.slow_tasks(session.store.conn, view.plan_id, view.office.name))


def plan_offices(session: Session) -> list[Office]:
    """The offices the chooser offers: the current plan's named units, then the clerk's own and added ones."""
    return session.plan_offices()


def task_counts(session: Session, office: Office, plan_id: int | None = None) -> dict[Role, int]:
    """How many of the plan's tasks fall to ``office`` in each role (strongest first; roles with none left out).

    Works for an office not saved yet (the office chooser asks before adding a typed name).
    """
    plan_id = plan_id if plan_id is not None else session.current_plan_id()
    saved = session.office(office.name)
    overrides = session.store.overrides(plan_id, office.name) if saved is not None else {}
    roles = roles_for(session.store.plan(plan_id), office, overrides)
    counts = {role: 0 for role in sorted(Role, reverse=True) if role is not Role.NONE}
    for role in roles.values():
        if role is not Role.NONE:
            counts[role] += 1
    return {role: n for role, n in counts.items() if n}
