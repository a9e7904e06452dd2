"""sqlite-utils over one of our own connections: rows written as dicts, tables and columns read by name.

Used for writes that are plain rows (a plan with its sections, tasks and offices; the review's corrections; a
received package with its progress, flags and evidence listing; an evidence row) and for describing a schema
that is not ours (:mod:`db.verify`). Not used where plain SQL is the better tool, each module says why:
the writes made on every autosave, read-modify-write statements (a counter, ``superseded_by``), and the
migrations (SQL scripts: triggers, CHECK constraints, ``ALTER TABLE``).

sqlite-utils costs ~0.1 s to import, so it is imported here, inside the functions, and only the paths that
need it call them: opening the database and painting the window never do (tests/test_sqlite_utils.py).

``Database(conn)`` is built so that it leaves the connection as it was: no ``PRAGMA recursive_triggers``
(sqlite-utils' default; our triggers never recurse, and a pragma changed behind the store's back would be a
surprise), no plugin scan. Inside our ``BEGIN IMMEDIATE`` every sqlite-utils write runs in a SAVEPOINT that
is released, never committed: the caller's transaction commits or rolls back all of it.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def _database(conn: sqlite3.Connection) -> Database:
    import sqlite_utils  # here, not at the top: ~0.1 s that opening the database must not pay

    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


def writer(conn: sqlite3.Connection) -> Database:
    """For writes inside the caller's transaction.

    Refused outside one: sqlite-utils would then commit each write by itself, and a failure half-way would
    leave the first half saved.
    """
    if not conn.in_transaction:
        raise RuntimeError("sqlite-utils writes must run inside the caller's transaction")
    return _database(conn)


def reader(conn: sqlite3.Connection) -> Database:
    """For reading tables, columns and triggers by name."""
    return _database(conn)
