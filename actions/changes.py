"""What changed since the last archived round: for the ledger's "since last report" marks.

Qt-free data for the report engine (which owns how the ledger shows it): per task, which of the status and
the four notes differ from what they were when the newest archived report of the plan and office was made.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from actions.session import Session
from core.model import NOTE_FIELDS, Office, Progress
from db.store import ArchivedReport

COMPARED = ("status", *NOTE_FIELDS)


@dataclass(frozen=True)
class ChangesSince:
    """``report`` is the newest archived report (None: nothing archived yet, so nothing is marked)."""

    report: ArchivedReport | None
    changed: dict[int, tuple[str, ...]] = field(default_factory=dict)  # task -> fields changed, in COMPARED order

    @property
    def tasks(self) -> list[int]:
        return sorted(self.changed)


def _as_of(session: Session, plan_id: int, office: str, task: int, moment: str) -> Progress:
    """The entry as it stood at ``moment`` (ISO seconds, local time, as saves and archive rows are stamped)."""
    for version in session.store.history(plan_id, office, task):  # newest first
        if version.saved_at <= moment:
            return version.progress
    return Progress(task)


def changed_since_last_archive(session: Session, office: Office, plan_id: int | None = None) -> ChangesSince:
    """Tasks whose status or notes changed since the newest archived report of this plan and office."""
    plan_id = plan_id if plan_id is not None else session.current_plan_id()
    archived = session.store.archived_reports(plan_id, office.name)
    if not archived:
        return ChangesSince(None)
    newest = archived[0]
    changed: dict[int, tuple[str, ...]] = {}
    for task, now in session.store.progress(plan_id, office.name).items():
        if now.updated_at <= newest.created_at:
            continue  # not saved since
        then = _as_of(session, plan_id, office.name, task, newest.created_at)
        differ = tuple(f for f in COMPARED if getattr(then, f) != getattr(now, f))
        if differ:
            changed[task] = differ
    return ChangesSince(newest, changed)
