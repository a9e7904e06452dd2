"""Editing an office's progress: an entry, one field, a role override, the history of a field."""

from __future__ import annotations

import dataclasses

from actions.errors import ActionError
from actions.session import Session
from core.dates import parse_date
from core.model import FIELD_LABELS, MAX_FIELD_CHARS, TEXT_FIELDS, Progress, Role, Status
from core.sheets.words import SLOW, SLOW_LABEL
from core.tracking import oversized_fields
from db import sheets as sheet_q
from db.progress import EDITABLE_FIELDS, UnstorableTextError, Version, load_progress

__all__ = ["FLAG_LABELS", "Version", "change_field", "changed_fields", "check_entry", "field_label", "history",
           "restore_version", "save_entry", "save_field", "set_flag", "set_override", "slow_tasks"]

#: Flags an entry carries beside its status (stored apart from the entry), by the name the CLI uses.
FLAG_LABELS = {SLOW: SLOW_LABEL}
_YES = {"是", "yes", "y", "true", "1", "on"}
_NO = {"否", "no", "n", "false", "0", "off", ""}
#: Statuses a 进展缓慢 flag contradicts: done work is not slow, and 不适用 is not this office's.
_NO_SLOW = (Status.DONE, Status.NOT_APPLICABLE)


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


def changed_fields(base: Progress, entry: Progress) -> dict[str, object]:
    """The fields ``entry`` changed relative to ``base`` (the entry the editor started from)."""
    return {f: getattr(entry, f) for f in EDITABLE_FIELDS if getattr(entry, f) != getattr(base, f)}


def save_entry(session: Session, plan_id: int, office: str, entry: Progress,
               base: Progress | None = None) -> Progress | None:
    """Save one task's entry in its own transaction; the saved entry, or None when nothing changed.

    With ``base`` (the entry as the editor loaded it: the window) only the fields that differ from it
    are written, merged into the entry as stored inside the same transaction, so a field another
    process changed meanwhile is kept. Every saved version is kept (``progress_history``). Refused
    whole, with a message, when a field is over the limit or holds text SQLite cannot store.
    """
    _check(entry)
    try:
        if base is None:
            return session.store.save_progress(plan_id, office, entry)
        changes = changed_fields(base, entry)
        if not changes:
            return None
        return session.store.save_fields(plan_id, office, entry.task, changes)
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
    typed = _field_value(field, value)
    _check(dataclasses.replace(Progress(task), **{field: typed}))
    try:  # read and written in one transaction: another process's change to another field stays
        return session.store.save_fields(plan_id, office, task, {field: typed})
    except UnstorableTextError as exc:
        raise ActionError(str(exc)) from None


def field_label(field: str) -> str:
    """The Chinese name of a field or a flag (状态, 进展缓慢, …)."""
    return FIELD_LABELS.get(field) or FLAG_LABELS.get(field, field)


def _flag_value(field: str, value: str) -> bool:
    word = value.strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ActionError(f"“{FLAG_LABELS[field]}”应为 是 或 否：{value}")


def slow_tasks(session: Session, plan_id: int, office: str) -> frozenset[int]:
    """The office's tasks flagged 进展缓慢 (show them with core.sheets.words.flagged_label)."""
    return sheet_q.slow_tasks(session.store.conn, plan_id, office)


def set_flag(session: Session, plan_id: int, office: str, task: int, flag: str, on: bool) -> bool:
    """Set or clear a flag (进展缓慢) on one task; True when something changed.

    The entry is read and the flag written in one BEGIN IMMEDIATE, so a status saved meanwhile is seen:
    a task not yet filled, 已完成 or 不适用 cannot be marked 进展缓慢 (clearing is always allowed)."""
    if flag not in FLAG_LABELS:
        raise ActionError(f"未知标记：{flag}（可用：{'、'.join(FLAG_LABELS)}）")
    if task not in {t.number for t in session.store.plan(plan_id).tasks}:
        raise ActionError(f"方案中没有任务 {task}")
    with session.store.write() as conn:
        entry = load_progress(conn, plan_id, office).get(task)
        if on and entry is None:
            raise ActionError(f"任务 {task} 尚未填写，请先填写状态，再标为{FLAG_LABELS[flag]}")
        if on and entry.status in _NO_SLOW:
            raise ActionError(f"任务 {task} 的状态是{entry.status.label}，不能标为{FLAG_LABELS[flag]}")
        return sheet_q.write_flag(conn, plan_id, office, task, flag, on)


def change_field(session: Session, plan_id: int, office: str, task: int, field: str, value: str) -> bool:
    """``progress set``: one field (:func:`save_field`) or one flag (``slow`` 是/否, :func:`set_flag`);
    True when something changed."""
    if field in FLAG_LABELS:
        return set_flag(session, plan_id, office, task, field, _flag_value(field, value))
    return save_field(session, plan_id, office, task, field, value) is not None


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
