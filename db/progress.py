"""Progress entries per (plan, office, task), their history, and the clerk's role overrides."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import date

from core.model import TEXT_FIELDS, Progress, Role, Status
from db.plans import now_iso

_COLUMNS = "task, status, percent, owner, due, steps, achievements, problems, next_steps"


@dataclass(frozen=True)
class Version:
    """One saved version of an office's entry for a task (a row of ``progress_history``)."""

    version: int
    saved_at: str
    progress: Progress
    author: str = ""  # who wrote it when not the clerk (a 股室's sheet taken in: history_authors)


def _row_to_progress(r: tuple, updated_at: str) -> Progress:
    return Progress(
        task=r[0],
        status=Status(r[1]),
        percent=r[2],
        owner=r[3],
        due=date.fromisoformat(r[4]) if r[4] else None,
        steps=r[5],
        achievements=r[6],
        problems=r[7],
        next_steps=r[8],
        updated_at=updated_at,
    )


def load_progress(conn: sqlite3.Connection, plan_id: int, office: str) -> dict[int, Progress]:
    rows = conn.execute(
        f"SELECT {_COLUMNS}, updated_at FROM progress WHERE plan_id=? AND office=?", (plan_id, office)
    )
    return {r[0]: _row_to_progress(r, r[9]) for r in rows}


def _same_content(a: Progress, b: Progress) -> bool:
    return replace(a, updated_at="") == replace(b, updated_at="")


class UnstorableTextError(ValueError):
    """Text SQLite cannot hold (a lone surrogate, e.g. from a broken paste): refused, nothing written."""


def check_storable(**texts: str) -> None:
    """Raise UnstorableTextError naming the field and position of the first character UTF-8 cannot encode."""
    for key, value in texts.items():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise UnstorableTextError(
                f"字段 {key} 的第 {exc.start + 1} 个字符无法保存（孤立的代理字符 U+{ord(value[exc.start]):04X}），"
                "请删除该字符后重试；内容没有保存。"
            ) from None


def write_progress(conn: sqlite3.Connection, plan_id: int, office: str, p: Progress) -> Progress | None:
    """Upsert one entry (call inside a transaction). Returns the saved entry, or None if unchanged.

    The history triggers copy every saved version into ``progress_history``. Text that cannot be
    stored raises UnstorableTextError before anything is written.
    """
    check_storable(**{key: getattr(p, key) for key in TEXT_FIELDS})
    row = conn.execute(
        f"SELECT {_COLUMNS}, updated_at, version FROM progress WHERE plan_id=? AND office=? AND task=?",
        (plan_id, office, p.task),
    ).fetchone()
    if row is not None and _same_content(_row_to_progress(row, row[9]), p):
        return None
    stamp = now_iso()
    values = (p.status.value, int(p.percent), p.owner, p.due.isoformat() if p.due else None, p.steps,
              p.achievements, p.problems, p.next_steps, stamp)
    if row is None:
        conn.execute(
            "INSERT INTO progress (plan_id, office, task, status, percent, owner, due, steps, achievements,"
            " problems, next_steps, updated_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1)",
            (plan_id, office, p.task, *values),
        )
    else:
        conn.execute(
            "UPDATE progress SET status=?, percent=?, owner=?, due=?, steps=?, achievements=?, problems=?,"
            " next_steps=?, updated_at=?, version=version+1 WHERE plan_id=? AND office=? AND task=?",
            (*values, plan_id, office, p.task),
        )
    return replace(p, updated_at=stamp)


#: The fields a clerk edits; ``task`` and ``updated_at`` are the row's key and stamp.
EDITABLE_FIELDS = ("status", "percent", "owner", "due", *TEXT_FIELDS)


def merge_fields(conn: sqlite3.Connection, plan_id: int, office: str, task: int,
                 changes: dict[str, object]) -> Progress | None:
    """Apply ``changes`` (field → value) to the entry as stored now, and save it (inside the caller's
    BEGIN IMMEDIATE). Reading and writing in one transaction means a field changed meanwhile by another
    process (the window beside a CLI command) is kept, not written back with the value read earlier.
    Returns the saved entry, or None when nothing changed."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not an editable field: {sorted(unknown)}")
    row = conn.execute(
        f"SELECT {_COLUMNS}, updated_at FROM progress WHERE plan_id=? AND office=? AND task=?",
        (plan_id, office, task),
    ).fetchone()
    current = _row_to_progress(row, row[9]) if row is not None else Progress(task)
    return write_progress(conn, plan_id, office, replace(current, **changes))


def load_history(conn: sqlite3.Connection, plan_id: int, office: str, task: int) -> list[Version]:
    """Every saved version of one entry, newest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS}, saved_at, version, coalesce(a.author, '') FROM progress_history h"
        " LEFT JOIN history_authors a ON a.history_id = h.id WHERE plan_id=? AND office=? AND task=?"
        " ORDER BY h.id DESC",
        (plan_id, office, task),
    )
    return [Version(r[10], r[9], _row_to_progress(r, r[9]), r[11]) for r in rows]


def load_overrides(conn: sqlite3.Connection, plan_id: int, office: str) -> dict[int, Role]:
    rows = conn.execute("SELECT task, role FROM overrides WHERE plan_id=? AND office=?", (plan_id, office))
    return {t: Role.from_key(r) for t, r in rows}


def write_override(conn: sqlite3.Connection, plan_id: int, office: str, task: int, role: Role | None) -> None:
    """Set (or with None, clear) the clerk's role for a task."""
    if role is None:
        conn.execute("DELETE FROM overrides WHERE plan_id=? AND office=? AND task=?", (plan_id, office, task))
    else:
        conn.execute(
            "INSERT INTO overrides (plan_id, office, task, role, created_at) VALUES (?,?,?,?,?)"
            " ON CONFLICT (plan_id, office, task) DO UPDATE SET role=excluded.role, created_at=excluded.created_at",
            (plan_id, office, task, role.key, now_iso()),
        )
