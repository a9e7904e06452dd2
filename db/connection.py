"""Opening the database: pragmas for durability, schema migrations, and refusing newer files."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from db.errors import KIND_CORRUPT, KIND_TOO_NEW, StorageError, explain
from db.schema import MIGRATIONS, SCHEMA_VERSION
from db.verify import header_through_sqlite

BUSY_TIMEOUT_MS = 3000


def _statements(script: str) -> Iterator[str]:
    """Split a script into complete statements (trigger bodies contain semicolons)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf
            buf = ""
    if buf.strip():
        yield buf


def decode_text(data: bytes) -> str:
    """Text columns as str; bytes that are not UTF-8 (only in a damaged file) become U+FFFD, not a crash."""
    return data.decode("utf-8", "replace")


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode; write through :func:`transaction`.

    Bound to the thread that opened it (``check_same_thread``): a background job opens its own.
    """
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.text_factory = decode_text
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous = FULL")
        if str(mode).lower() != "wal":
            # WAL is refused on some network shares; DELETE journal with FULL sync is still safe.
            conn.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception.

    SQLite may already have rolled back by itself (SQLITE_FULL, some I/O errors), and a failed
    COMMIT can leave the transaction open: either way the original error is the one raised.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def refuse_version(found: int, path: Path | None) -> None:
    """Raise StorageError for a schema version this program must not touch."""
    if found > SCHEMA_VERSION:
        raise StorageError(
            f"这个数据库由更新版本的落实台账创建（数据版本 {found}，本程序支持到 {SCHEMA_VERSION}）。"
            "请使用新版程序打开，本程序不会改动它。",
            KIND_TOO_NEW,
            path,
        )
    if found < 0:  # no version of this program writes a negative user_version: the header is damaged
        raise StorageError(f"数据库文件的版本号无效（{found}），文件已损坏或不是本程序写出的。", KIND_CORRUPT, path)


def header_version(path: Path) -> int | None:
    """``user_version`` from the file's header, changing nothing (no -wal or -shm made or folded in).

    Read through an ``immutable`` SQLite connection, never ``open()``: this process may hold a
    connection to the file, and closing a plain descriptor would drop that connection's locks
    (see :func:`db.verify.header_through_sqlite`). None when the file is missing or not SQLite.
    """
    if not path.is_file():
        return None
    header = header_through_sqlite(path)
    return None if header is None else header[2]


def refuse_too_new(path: Path) -> None:
    """StorageError (too new) when the file's header names a newer schema; reads only the header."""
    peeked = header_version(path)
    if peeked is not None and peeked > SCHEMA_VERSION:
        refuse_version(peeked, path)


def migrate(conn: sqlite3.Connection, path: Path | None = None,
            before: Callable[[int, int], None] | None = None) -> int:
    """Bring the schema up to date; returns the version found. ``before(old, new)`` runs first.

    Each step re-reads the version inside BEGIN IMMEDIATE, so two processes never run the same
    migration (the second finds it done).
    """
    found = schema_version(conn)
    refuse_version(found, path)
    if found == SCHEMA_VERSION:
        return found
    if before is not None and found > 0:
        before(found, SCHEMA_VERSION)
    for version in range(found + 1, SCHEMA_VERSION + 1):
        with transaction(conn):
            now = schema_version(conn)
            refuse_version(now, path)
            if now >= version:
                continue
            for statement in _statements(MIGRATIONS[version - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
    return found


def open_database(path: Path, before_migrate: Callable[[int, int], None] | None = None) -> sqlite3.Connection:
    """Open (creating if needed) and migrate; environment failures become StorageError.

    A file whose header names a version we must not touch is refused before any connection that
    could write (connect() would switch it to WAL): not one byte of it changes.
    """
    peeked = header_version(path)
    if peeked is not None:
        refuse_version(peeked, path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = connect(path)
    except (OSError, sqlite3.Error) as exc:
        raise explain(exc, path) or exc from exc
    try:
        migrate(conn, path, before_migrate)
    except StorageError:
        conn.close()
        raise
    except (OSError, sqlite3.Error) as exc:
        conn.close()
        raise explain(exc, path) or exc from exc
    return conn
