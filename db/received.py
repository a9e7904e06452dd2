"""Packages received from other offices (the collecting side): storage only.

Kept apart from the collector's own ``progress``: tables ``received_packages``, ``received_progress`` and
``received_evidence`` (migration 4). An office's *current* package is its row with ``superseded_by`` NULL;
older ones stay as history, each pointing at the package that replaced it.

A package's rows are inserted through sqlite-utils (:mod:`db.sqlite_utils_db`): plain rows, as dicts, in
bulk, inside the caller's transaction. Plain SQL stays for the ``superseded_by`` UPDATEs and
:func:`remove_package`: read-modify-write steps (read which package is current, then repoint), made under the
caller's ``BEGIN IMMEDIATE`` as set-based statements sqlite-utils would spell no shorter; and for the reads,
joins run at every refresh of the collector's view.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from core.model import Progress, Status
from db.sqlite_utils_db import writer


@dataclass(frozen=True)
class ReceivedPackage:
    id: int
    office: str
    report_date: str
    created_at: str
    app_version: str
    file_name: str
    manifest_sha256: str
    file_sha256: str
    file_size: int
    imported_at: str
    superseded_by: int | None

    @property
    def current(self) -> bool:
        return self.superseded_by is None


@dataclass(frozen=True)
class ReceivedEvidence:
    task: int
    number: str
    title: str
    kind: str  # evidence | evidence_link
    path: str
    sha256: str
    size: int
    url: str = ""
    seen_date: str = ""


_PACKAGE_COLUMNS = ("id, office, report_date, created_at, app_version, file_name, manifest_sha256, file_sha256,"
                    " file_size, imported_at, superseded_by")


def _package(row: tuple) -> ReceivedPackage:
    return ReceivedPackage(*row)


def by_manifest(conn: sqlite3.Connection, plan_id: int, manifest_sha256: str) -> ReceivedPackage | None:
    row = conn.execute(f"SELECT {_PACKAGE_COLUMNS} FROM received_packages WHERE plan_id=? AND manifest_sha256=?",
                       (plan_id, manifest_sha256)).fetchone()
    return _package(row) if row else None


def by_office_date(conn: sqlite3.Connection, plan_id: int, office: str, report_date: str) -> ReceivedPackage | None:
    row = conn.execute(f"SELECT {_PACKAGE_COLUMNS} FROM received_packages WHERE plan_id=? AND office=?"
                       " AND report_date=?", (plan_id, office, report_date)).fetchone()
    return _package(row) if row else None


def current_package(conn: sqlite3.Connection, plan_id: int, office: str) -> ReceivedPackage | None:
    row = conn.execute(f"SELECT {_PACKAGE_COLUMNS} FROM received_packages WHERE plan_id=? AND office=?"
                       " AND superseded_by IS NULL", (plan_id, office)).fetchone()
    return _package(row) if row else None


def current_packages(conn: sqlite3.Connection, plan_id: int) -> list[ReceivedPackage]:
    rows = conn.execute(f"SELECT {_PACKAGE_COLUMNS} FROM received_packages WHERE plan_id=? AND superseded_by IS NULL"
                        " ORDER BY office", (plan_id,))
    return [_package(r) for r in rows]


def history(conn: sqlite3.Connection, plan_id: int, office: str | None = None) -> list[ReceivedPackage]:
    """Every package received (current and replaced), newest report first."""
    sql = f"SELECT {_PACKAGE_COLUMNS} FROM received_packages WHERE plan_id=?"
    args: tuple = (plan_id,)
    if office is not None:
        sql += " AND office=?"
        args += (office,)
    rows = conn.execute(sql + " ORDER BY office, report_date DESC, created_at DESC, id DESC", args)
    return [_package(r) for r in rows]


def insert_package(conn: sqlite3.Connection, plan_id: int, *, office: str, report_date: str, created_at: str,
                   app_version: str, file_name: str, manifest_sha256: str, file_sha256: str, file_size: int,
                   imported_at: str, entries: Iterable[Progress], evidence: Iterable[ReceivedEvidence],
                   slow: Iterable[int] = ()) -> int:
    """Insert a package with its progress, its 进展缓慢 flags (``slow``: task numbers) and evidence listing
    (inside the caller's transaction).

    The newer of it and the office's current package (by report date, then creation time) becomes current;
    the other points at it. Returns the new package's id.
    """
    db = writer(conn)
    previous = current_package(conn, plan_id, office)
    new_id = int(db["received_packages"].insert({
        "plan_id": plan_id, "office": office, "report_date": report_date, "created_at": created_at,
        "app_version": app_version, "file_name": file_name, "manifest_sha256": manifest_sha256,
        "file_sha256": file_sha256, "file_size": file_size, "imported_at": imported_at,
    }).last_pk)
    if previous is not None:
        if (report_date, created_at) > (previous.report_date, previous.created_at):
            conn.execute("UPDATE received_packages SET superseded_by=? WHERE id=?", (new_id, previous.id))
        else:  # an older report arriving late goes straight into the history
            conn.execute("UPDATE received_packages SET superseded_by=? WHERE id=?", (previous.id, new_id))
    db["received_progress"].insert_all(
        {"package_id": new_id, "task": p.task, "status": p.status.value, "percent": p.percent, "owner": p.owner,
         "due": p.due.isoformat() if p.due else None, "steps": p.steps, "achievements": p.achievements,
         "problems": p.problems, "next_steps": p.next_steps, "updated_at": p.updated_at}
        for p in entries)
    db["received_flags"].insert_all({"package_id": new_id, "task": t, "flag": "slow"} for t in sorted(set(slow)))
    db["received_evidence"].insert_all(
        {"package_id": new_id, "path": e.path, "task": e.task, "number": e.number, "title": e.title, "kind": e.kind,
         "sha256": e.sha256, "size": e.size, "url": e.url, "seen_date": e.seen_date}
        for e in evidence)
    return new_id


def _progress(r: tuple) -> Progress:
    return Progress(task=r[0], status=Status(r[1]), percent=r[2], owner=r[3],
                    due=date.fromisoformat(r[4]) if r[4] else None, steps=r[5], achievements=r[6], problems=r[7],
                    next_steps=r[8], updated_at=r[9])


def current_progress(conn: sqlite3.Connection, plan_id: int) -> dict[str, dict[int, Progress]]:
    """office -> task -> entry, from each office's current package."""
    rows = conn.execute(
        "SELECT p.office, r.task, r.status, r.percent, r.owner, r.due, r.steps, r.achievements, r.problems,"
        " r.next_steps, r.updated_at FROM received_progress r JOIN received_packages p ON p.id = r.package_id"
        " WHERE p.plan_id=? AND p.superseded_by IS NULL", (plan_id,))
    out: dict[str, dict[int, Progress]] = {}
    for r in rows:
        out.setdefault(r[0], {})[r[1]] = _progress(r[1:])
    return out


def package_progress(conn: sqlite3.Connection, package_id: int) -> dict[int, Progress]:
    rows = conn.execute("SELECT task, status, percent, owner, due, steps, achievements, problems, next_steps,"
                        " updated_at FROM received_progress WHERE package_id=?", (package_id,))
    return {r[0]: _progress(r) for r in rows}


def current_flags(conn: sqlite3.Connection, plan_id: int) -> dict[str, dict[int, frozenset[str]]]:
    """office -> task -> flags (slow), from each office's current package."""
    rows = conn.execute(
        "SELECT p.office, f.task, f.flag FROM received_flags f JOIN received_packages p ON p.id = f.package_id"
        " WHERE p.plan_id=? AND p.superseded_by IS NULL", (plan_id,))
    out: dict[str, dict[int, set[str]]] = {}
    for office, task, flag in rows:
        out.setdefault(office, {}).setdefault(int(task), set()).add(str(flag))
    return {o: {t: frozenset(f) for t, f in tasks.items()} for o, tasks in out.items()}


def package_slow(conn: sqlite3.Connection, package_id: int) -> frozenset[int]:
    """The tasks one package marks 进展缓慢."""
    rows = conn.execute("SELECT task FROM received_flags WHERE package_id=? AND flag='slow'", (package_id,))
    return frozenset(int(t) for (t,) in rows)


def current_evidence_counts(conn: sqlite3.Connection, plan_id: int) -> dict[str, dict[int, int]]:
    """office -> task -> number of evidence items (a link and its screenshot count once, by number)."""
    rows = conn.execute(
        "SELECT p.office, e.task, COUNT(DISTINCT CASE WHEN e.number = '' THEN e.path ELSE e.number END)"
        " FROM received_evidence e"
        " JOIN received_packages p ON p.id = e.package_id WHERE p.plan_id=? AND p.superseded_by IS NULL"
        " GROUP BY p.office, e.task", (plan_id,))
    out: dict[str, dict[int, int]] = {}
    for office, task, n in rows:
        out.setdefault(office, {})[task] = n
    return out


def evidence_for(conn: sqlite3.Connection, package_id: int, task: int | None = None) -> list[ReceivedEvidence]:
    sql = ("SELECT task, number, title, kind, path, sha256, size, url, seen_date FROM received_evidence"
           " WHERE package_id=?")
    args: tuple = (package_id,)
    if task is not None:
        sql += " AND task=?"
        args += (task,)
    return [ReceivedEvidence(*r) for r in conn.execute(sql + " ORDER BY task, path", args)]


def remove_package(conn: sqlite3.Connection, package_id: int) -> None:
    """Delete a package with its progress and evidence listing (inside the caller's transaction).

    Packages it had replaced stop pointing at it; then the newest one of the office left (by report date,
    then creation time) is current again and any other current one points at it.
    """
    row = conn.execute("SELECT plan_id, office FROM received_packages WHERE id=?", (package_id,)).fetchone()
    if row is None:
        return
    plan_id, office = row
    conn.execute("UPDATE received_packages SET superseded_by=NULL WHERE superseded_by=?", (package_id,))
    conn.execute("DELETE FROM received_packages WHERE id=?", (package_id,))
    heads = [r[0] for r in conn.execute(
        "SELECT id FROM received_packages WHERE plan_id=? AND office=? AND superseded_by IS NULL"
        " ORDER BY report_date DESC, created_at DESC, id DESC", (plan_id, office))]
    for other in heads[1:]:
        conn.execute("UPDATE received_packages SET superseded_by=? WHERE id=?", (heads[0], other))
