"""Editing an office's progress: an entry, one field, a role override, the history of a field."""

from __future__ import annotations

import dataclasses

from actions.errors import ActionError
from actions.session import Session
from core.dates import parse_date
from core.model import FIELD_LABELS, MAX_FIELD_CHARS, TEXT_FIELDS, Progress, Role, Status
from core.tracking import oversized_fields
from db.progress import UnstorableTextError, Version

__all__ = ["Version", "check_entry", "history", "restore_version", "save_entry", "save_field", "set_override"]


def _check(entry: Progress) -> None:
    too_long = oversized_fields(entry)
    if too_long:
        names = "、".join(FIELD_LABELS[f] for f in too_long)
        raise ActionError(f"“{names}”超过 {MAX_FIELD_CHARS:,} 字，未保存。请删减后再保存。")
    if not 0 <= entry.percent <= 100:
        raise ActionError(f"进度应在 0 到 100 之间：{entry.percent}")


def check_entry(entry: Progress) -> None:
    """Refuse (ActionError) an entry the editor would refuse: a field over the limit, a percent out of range."""
    _check(entry)


def save_entry(session: Session, plan_id: int, office: str, entry: Progress) -> Progress | None:
    """Save one task's entry in its own transaction; the saved entry, or None when nothing changed.

    Every saved version is kept (``progress_history``). Refused whole, with a message, when a field is
    over the limit or holds text SQLite cannot store.
    """
    _check(entry)
    try:
        return session.store.save_progress(plan_id, office, entry)
    except UnstorableTextError as exc:
        raise ActionError(str(exc)) from None


def _field_value(field: str, value: str) -> object:
    """The typed value of ``field`` from the text a clerk gave on the command line."""
    if field in TEXT_FIELDS:
        return value
    if field == "percent":
        if not value.strip().isdigit() or not 0 <= int(value) <= 100:
            raise ActionError(f"进度应是 0 到 100 的整数：{value}")
        return int(value)
    if field == "status":
        for status in Status:
            if value in (status.value, status.label):
                return status
        raise ActionError(f"未知状态：{value}（可用：{'、'.join(s.label for s in Status)}）")
    if field == "due":
        if not value.strip():
            return None
        try:
            return parse_date(value)  # the one parser of typed dates (core.dates)
        except ValueError:
            raise ActionError(f"完成时限应写成 年-月-日，例如 2019-12-31：{value}") from None
    raise ActionError(f"未知字段：{field}（可用：{'、'.join(FIELD_LABELS)}）")


def save_field(session: Session, plan_id: int, office: str, task: int, field: str, value: str) -> Progress | None:
    """Change one field of one task (status, percent, owner, due or a note), keeping the others."""
    if task not in {t.number for t in session.store.plan(plan_id).tasks}:
        raise ActionError(f"方案中没有任务 {task}")
    current = session.store.progress(plan_id, office).get(task, Progress(task))
    entry = dataclasses.replace(current, **{field: _field_value(field, value)})
    return save_entry(session, plan_id, office, entry)


def set_override(session: Session, plan_id: int, office: str, task: int, role: Role | None) -> None:
    """The clerk's correction of the office's role for a task; None goes back to the plan's reading."""
    session.store.set_override(plan_id, office, task, role)


def history(session: Session, plan_id: int, office: str, task: int) -> list[Version]:
    """Every saved version of the task's entry, newest first."""
    return session.store.history(plan_id, office, task)


def restore_version(session: Session, plan_id: int, office: str, task: int, field: str,
                    version: int) -> Progress | None:
    """Bring back ``field`` as it was in ``version``; saved as a new version (so it can be undone)."""
    if field not in TEXT_FIELDS:
        raise ActionError(f"只能恢复文字字段：{'、'.join(FIELD_LABELS[f] for f in TEXT_FIELDS)}")
    found = [v for v in history(session, plan_id, office, task) if v.version == version]
    if not found:
        raise ActionError(f"任务 {task} 没有第 {version} 版")
    return save_field(session, plan_id, office, task, field, getattr(found[0].progress, field))
