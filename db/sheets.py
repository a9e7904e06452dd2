"""What answer sheets need from storage: entry versions, the snapshot that went out, authors and flags."""

from __future__ import annotations

import sqlite3

from core.model import Progress
from db.plans import now_iso
from db.progress import _COLUMNS, _row_to_progress, write_progress

#: The flags an entry can carry beside its status (progress_flags.flag).
FLAGS = ("slow",)


def entry_versions(conn: sqlite3.Connection, plan_id: int, office: str) -> dict[int, int]:
    """The saved version number of each task's entry (absent: never saved)."""
    rows = conn.execute("SELECT task, version FROM progress WHERE plan_id=? AND office=?", (plan_id, office))
    return {int(t): int(v) for t, v in rows}


def entry_at_version(conn: sqlite3.Connection, plan_id: int, office: str, task: int, version: int) -> Progress | None:
    """The entry as it was saved at ``version`` (from the append-only history); None when there is no such."""
    row = conn.execute(
        f"SELECT {_COLUMNS}, saved_at FROM progress_history WHERE plan_id=? AND office=? AND task=? AND version=?"
        " ORDER BY id DESC LIMIT 1",
        (plan_id, office, task, version),
    ).fetchone()
    return _row_to_progress(row, row[9]) if row is not None else None


def write_authored(conn: sqlite3.Connection, plan_id: int, office: str, entry: Progress,
                   author: str) -> Progress | None:
    """Save ``entry`` (inside the caller's transaction) and name ``author`` on the history row it made."""
    saved = write_progress(conn, plan_id, office, entry)
    if saved is not None and author:
        row = conn.execute("SELECT max(id) FROM progress_history WHERE plan_id=? AND office=? AND task=?",
                           (plan_id, office, entry.task)).fetchone()
        conn.execute("INSERT INTO history_authors (history_id, author) VALUES (?, ?)", (row[0], author[:200]))
    return saved


def version_authors(conn: sqlite3.Connection, plan_id: int, office: str, task: int) -> dict[int, str]:
    """Version number → author, for the versions written by someone other than the clerk."""
    rows = conn.execute(
        "SELECT h.version, a.author FROM progress_history h JOIN history_authors a ON a.history_id = h.id"
        " WHERE h.plan_id=? AND h.office=? AND h.task=? ORDER BY h.id",
        (plan_id, office, task),
    )
    return {int(v): str(a) for v, a in rows}


def load_flags(conn: sqlite3.Connection, plan_id: int, office: str) -> dict[int, frozenset[str]]:
    rows = conn.execute("SELECT task, flag FROM progress_flags WHERE plan_id=? AND office=?", (plan_id, office))
    out: dict[int, set[str]] = {}
    for task, flag in rows:
        out.setdefault(int(task), set()).add(str(flag))
    return {t: frozenset(f) for t, f in out.items()}


def slow_tasks(conn: sqlite3.Connection, plan_id: int, office: str) -> frozenset[int]:
    """The office's tasks flagged 进展缓慢."""
    rows = conn.execute("SELECT task FROM progress_flags WHERE plan_id=? AND office=? AND flag='slow'",
                        (plan_id, office))
    return frozenset(int(t) for (t,) in rows)


def write_flag(conn: sqlite3.Connection, plan_id: int, office: str, task: int, flag: str, on: bool) -> bool:
    """Set or clear one flag (inside the caller's transaction); True when something changed."""
    if flag not in FLAGS:
        raise ValueError(f"unknown flag: {flag!r}")
    if on:
        cur = conn.execute("INSERT INTO progress_flags (plan_id, office, task, flag, set_at) VALUES (?,?,?,?,?)"
                           " ON CONFLICT DO NOTHING", (plan_id, office, task, flag, now_iso()))
    else:
        cur = conn.execute("DELETE FROM progress_flags WHERE plan_id=? AND office=? AND task=? AND flag=?",
                           (plan_id, office, task, flag))
    return cur.rowcount > 0
