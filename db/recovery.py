"""Checking the database when it is opened, and recovering from a damaged file.

A damaged file is never deleted: it is renamed aside (with its -wal and -shm) and the newest
backup that passes its check takes its place. The clerk is told which backup was used, because
edits made after it may be missing.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from db import connection
from db.backup import APPEND_ONLY, BackupInfo, copy_database, database_problems, last_row, list_backups
from db.errors import KIND_CORRUPT, StorageError, explain
from db.schema import SCHEMA_VERSION
from db.verify import decode_problems, shape_problems, size_problems

NOTICE_RESTORED = "restored"
NOTICE_FRESH = "fresh"
NOTICE_WARNING = "warning"
#: Up to this many history rows every open reads them all (~5 µs a row, ~50 ms); above, only those newer than
#: the newest backup's.
FULL_CHECK_ROWS = 10_000
_CORRUPT_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


@dataclass(frozen=True)
class Notice:
    """Something the clerk must be told at start: the CLI prints it to stderr, the GUI shows it."""

    kind: str  # NOTICE_RESTORED, NOTICE_FRESH or NOTICE_WARNING
    message: str
    damaged_path: Path | None = None
    backup: BackupInfo | None = None

    def __str__(self) -> str:
        return self.message


def is_corruption(exc: BaseException) -> bool:
    """A SQLite error that means the file is damaged (as opposed to busy, read-only, full…)."""
    if isinstance(exc, UnicodeDecodeError):  # text that is not UTF-8 can only come from damage
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and (code & 0xFF) in _CORRUPT_CODES:
        return True
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def quick_check(path: Path) -> str | None:
    """None when ``path`` is missing (a first start) or healthy; otherwise what is wrong.

    Busy, locked or unreadable files raise StorageError: they are not damage and are left alone.
    """
    try:
        if not path.exists():
            return None
        if path.stat().st_size == 0:
            return "文件是空的（0 字节）"
        conn = sqlite3.connect(str(path), timeout=connection.BUSY_TIMEOUT_MS / 1000)
        conn.text_factory = connection.decode_text
    except (OSError, sqlite3.Error) as exc:
        raise explain(exc, path) or exc from exc
    try:
        rows = [r[0] for r in conn.execute("PRAGMA quick_check")]
    except UnicodeDecodeError as exc:  # SQLite quoted damaged schema text in its message
        return f"数据库结构已损坏（{exc.reason}）"
    except sqlite3.Error as exc:
        if is_corruption(exc):
            return str(exc)
        raise explain(exc, path) or exc from exc
    finally:
        conn.close()
    return None if rows == ["ok"] else "；".join(rows[:3])


def _sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


def set_aside(path: Path, now: datetime) -> Path:
    """Rename a damaged database (and its -wal/-shm/-journal) to ``<name>.damaged-<time>``."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        for side, side_target in zip(_sidecars(path), _sidecars(target), strict=True):
            if side.exists():
                os.replace(side, side_target)
        os.replace(path, target)
    except OSError as exc:
        raise explain(exc, path) or StorageError(
            f"数据库文件已损坏（{path}），且无法把它移到一边：{exc}。请关闭其他程序后重试，或联系技术人员。",
            KIND_CORRUPT, path) from exc
    return target


def recover(path: Path, problem: str, now: datetime | None = None) -> Notice:
    """Set the damaged file aside and put the newest good backup in its place."""
    now = now or datetime.now()
    damaged = set_aside(path, now)
    for backup in list_backups(path):
        if database_problems(backup.path):
            continue
        try:
            copy_database(backup.path, path)
        except StorageError:
            continue
        return Notice(
            NOTICE_RESTORED,
            f"数据库文件已损坏（{problem}），原文件已保留为 {damaged.name}。"
            f"已自动从 {backup.label} 的备份恢复：此后录入或修改的内容可能缺失，请核对最近的记录。",
            damaged, backup,
        )
    return Notice(
        NOTICE_FRESH,
        f"数据库文件已损坏（{problem}），且没有可用的备份。原文件已保留为 {damaged.name}（位于 {path.parent}），"
        "程序已新建一个空的数据库。请联系技术人员尝试从原文件中找回数据。",
        damaged, None,
    )


def verified_rows(path: Path, conn: sqlite3.Connection) -> dict[str, int]:
    """Rowids up to which each append-only table was verified: the last row of the newest backup, when this
    file holds that very row. Every backup is a page copy whose every row decoded before it was named, and
    these tables are only ever added to (deleting is refused by a trigger), so rows up to it were whole then.

    Empty (read everything) while there are at most :data:`FULL_CHECK_ROWS` of them, or when the newest
    backup is not of this file (another file put in its place, a restore of an older one) or cannot be read.
    """
    newest = next(iter(list_backups(path)), None)
    if newest is None:
        return {}
    out: dict[str, int] = {}
    for table in APPEND_ONLY:
        try:
            backed_up = last_row(newest.path, table)
            if backed_up is None or backed_up[0] <= FULL_CHECK_ROWS:
                continue
            here = last_row(conn, table, backed_up[0])
        except sqlite3.Error:
            continue
        if here == backed_up:
            out[table] = int(backed_up[0])
    return out


def content_problem(path: Path) -> str | None:
    """What quick_check cannot see: a file shorter than its header says, columns that are not ours,
    rows that do not decode. None when fine (or when there is no file yet).

    Rows of the history tables that the newest backup holds are not decoded again (see :func:`verified_rows`):
    a large file opens in about the time quick_check takes. Damage to them after that backup is found by the
    next backup (its copy is decoded in full), by restore and by the ``check`` command.
    """
    try:
        if not path.exists() or path.stat().st_size == 0:
            return None
    except OSError as exc:
        raise explain(exc, path) or exc from exc
    size = size_problems(path, live=True)
    if size:
        return size[0]
    try:
        conn = sqlite3.connect(str(path), timeout=connection.BUSY_TIMEOUT_MS / 1000)
        conn.text_factory = connection.decode_text
    except sqlite3.Error as exc:
        raise explain(exc, path) or exc from exc
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version < 1 or version > SCHEMA_VERSION:
            return None  # a file being created, or one migrate() refuses with its own message
        problems = shape_problems(conn, version) or decode_problems(conn, verified_rows(path, conn))
    except sqlite3.Error as exc:
        if is_corruption(exc):
            return str(exc)
        raise explain(exc, path) or exc from exc
    finally:
        conn.close()
    return problems[0] if problems else None


def check_and_recover(path: Path, now: datetime | None = None) -> Notice | None:
    """The check run by every open: None when the file is fine, else a notice of what was done."""
    problem = quick_check(path)
    if problem is None:
        problem = content_problem(path)
    if problem is None:
        return None
    return recover(path, problem, now)
