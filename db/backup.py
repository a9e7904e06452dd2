"""Automatic and manual backups with SQLite's online backup API.

A backup is written to a temporary name, checked (integrity, size against its header, columns,
every row decodes: see :func:`database_problems`), fsynced and only then renamed into place, so
every file named ``taizhang-*.sqlite3`` in ``backups/`` was verified when it was made. Older
backups are pruned (see :mod:`core.retention`) only after a new one succeeded.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from core.atomic import fsync_dir as atomic_fsync_dir
from core.patterns import LazyPattern
from db.connection import decode_text
from db.environment import pid_gone
from db.errors import KIND_CORRUPT, KIND_READONLY, StorageError, explain
from db.schema import SCHEMA_VERSION
from db.verify import decode_problems, shape_problems, size_problems

if TYPE_CHECKING:
    import hashlib

    from core.retention import RetentionPolicy

BACKUP_DIR = "backups"
REQUIRED_TABLES = frozenset({"plans", "tasks", "offices", "progress", "progress_history", "settings"})
#: Tables whose rows are only ever added (a trigger refuses deleting, nothing updates them): a backup holding
#: their last row holds every row before it too.
APPEND_ONLY = ("progress_history",)
#: Tables whose every insert and update adds a row to ``progress_history`` (the history triggers, which every
#: open requires): that table's last row and their row count tell whether they changed.
LOGGED = ("progress",)
# Backups made before a risky step are kept apart from the rotation: the newest few of each.
EVENT_REASONS = ("before-migration", "before-restore", "before-import")
EVENTS_KEPT = 5
STALE_TEMP_SECONDS = 15 * 60
_NAME = re.compile(r"^taizhang-(\d{8}-\d{6})(?:-(\d+))?-([a-z-]+)\.sqlite3$")
_STAMP = "%Y%m%d-%H%M%S"  # ISO 8601's basic form, read back by datetime.fromisoformat (no _strptime at start)
_TIMEOUT = 5.0


@dataclass(frozen=True)
class BackupInfo:
    """A backup file in ``backups/``, with the time and the reason its name gives."""

    path: Path
    taken_at: datetime
    reason: str

    @property
    def label(self) -> str:
        """The time as the clerk reads it, to the second (two backups can fall in one minute):
        2019年12月4日 15:30:07."""
        t = self.taken_at
        return f"{t.year}年{t.month}月{t.day}日 {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def backup_contents(path: Path) -> tuple[int, int] | None:
    """(tasks with a saved entry, 佐证材料 items not in the bin) in a backup; None when it cannot be read."""
    try:
        conn = _open_readonly(path)
    except sqlite3.Error:
        return None
    try:
        filled = int(conn.execute("SELECT count(*) FROM progress").fetchone()[0])
        has_evidence = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='evidence'").fetchone()
        evidence = int(conn.execute("SELECT count(*) FROM evidence WHERE removed_at IS NULL").fetchone()[0]) \
            if has_evidence else 0
        return filled, evidence
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / BACKUP_DIR


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Automatic backups, newest first (by the time in the name, then the counter)."""
    found: list[tuple[datetime, int, BackupInfo]] = []
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    for entry in folder.iterdir():
        m = _NAME.match(entry.name)
        if not m:
            continue
        try:
            stamp = datetime.fromisoformat(m.group(1))
        except ValueError:
            continue
        counter = int(m.group(2) or 0)
        # Same-second backups get distinct times (ordered by counter) so retention tells them apart.
        found.append((stamp, counter, BackupInfo(entry, stamp + timedelta(microseconds=counter), m.group(3))))
    found.sort(key=lambda x: (x[0], x[1]), reverse=True)
    return [info for _, _, info in found]


# --- checking ------------------------------------------------------------------------------------
def _open_readonly(path: Path, *, allow_immutable: bool = False) -> sqlite3.Connection:
    """Open without creating or changing anything.

    ``allow_immutable`` is for a WAL-mode file on read-only media (a USB stick): never use it on
    the live database, because an immutable connection ignores the WAL and its committed data.
    """
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=_TIMEOUT)
    conn.text_factory = decode_text
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        if not allow_immutable:
            raise
        conn = sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=_TIMEOUT)
        conn.text_factory = decode_text
        return conn


def database_problems(path: Path, *, full: bool = True, live: bool = False) -> list[str]:
    """Why ``path`` is not a usable Taizhang database; empty when it is.

    Checks that it is SQLite, has the size its header promises (see :mod:`db.verify`; ``live``
    allows a -wal beside it), passes integrity_check (quick_check with ``full=False``), has our
    tables with our columns, a schema version this program can read, and that every row decodes.
    """
    try:
        if not path.is_file():
            return ["文件不存在"]
        if path.stat().st_size == 0:
            return ["文件是空的"]
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return ["不是落实台账的数据文件（不是 SQLite 数据库）"]
        size = size_problems(path, live=live)
        if size:
            return [f"数据库已损坏：{size[0]}"]
        conn = _open_readonly(path, allow_immutable=not live)
    except (OSError, sqlite3.Error, UnicodeDecodeError) as exc:
        return [f"无法读取：{exc}"]
    try:
        check = "integrity_check" if full else "quick_check"
        rows = [r[0] for r in conn.execute(f"PRAGMA {check}")]
        if rows != ["ok"]:
            return [f"数据库已损坏：{'；'.join(rows[:3])}"]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if not REQUIRED_TABLES.issubset(tables) or version < 1:
            if version < 0:
                return [f"不是落实台账的数据文件（数据版本号 {version} 无效）"]
            return ["不是落实台账的数据文件（缺少台账数据表）"]
        if version > SCHEMA_VERSION:
            return [f"由更新版本的程序创建（数据版本 {version}，本程序支持到 {SCHEMA_VERSION}），请用新版程序恢复"]
        shape = shape_problems(conn, version)
        if shape:
            return [f"不是本程序能读取的落实台账数据文件：{'；'.join(shape[:3])}"]
        decoded = decode_problems(conn)
        if decoded:
            return [f"数据库已损坏：{'；'.join(decoded[:3])}"]
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        return [f"数据库已损坏：{exc}"]
    finally:
        conn.close()
    return []


def _hash_rows(h: hashlib._Hash, conn: sqlite3.Connection, table: str, where: str = "", args: tuple = ()) -> None:
    """Every row of ``table`` into ``h``: SQLite quotes each value (text, number, blob as hex, NULL) and joins a
    row's values, so Python handles one string per row."""
    quoted = '"' + table.replace('"', '""') + '"'
    names = [r[1] for r in conn.execute(f"PRAGMA table_info({quoted})")]
    row = " || ',' || ".join(f'quote("{n.replace(chr(34), chr(34) * 2)}")' for n in names) or "''"
    try:
        conn.execute(f"SELECT rowid FROM {quoted} LIMIT 0")
        order = "rowid"
    except sqlite3.OperationalError:  # WITHOUT ROWID table
        order = "1"
    saved = conn.text_factory
    conn.text_factory = bytes  # hashed as stored: damaged text is data too
    try:
        for (value,) in conn.execute(f"SELECT {row} FROM {quoted}{where} ORDER BY {order}", args):
            h.update(b"\x00R%d:" % len(value) + value)
    finally:
        conn.text_factory = saved


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def data_fingerprint(conn: sqlite3.Connection) -> str:
    """A hash of every row of every table: equal fingerprints mean equal data.

    Sound across processes (unlike ``PRAGMA data_version``) and cheap for a clerk's database.
    """
    import hashlib  # backups only: OpenSSL's start-up (~3 ms) is not on the window's way to its first paint

    h = hashlib.sha256()
    h.update(str(conn.execute("PRAGMA user_version").fetchone()[0]).encode())
    for table in _tables(conn):
        h.update(b"\x00T" + table.encode("utf-8"))
        _hash_rows(h, conn, table)
    return h.hexdigest()


def change_fingerprint(conn: sqlite3.Connection) -> str:
    """Like :func:`data_fingerprint`, but an append-only table counts by its last row (its rowid included), and
    a table it logs by its row count: equal when the data is equal, since history rows are only ever added and
    every other change of a logged row adds one. A 200 MB file is not read in full."""
    import hashlib  # as in data_fingerprint: not on the window's way to its first paint

    h = hashlib.sha256()
    h.update(str(conn.execute("PRAGMA user_version").fetchone()[0]).encode())
    for table in _tables(conn):
        h.update(b"\x00T" + table.encode("utf-8"))
        if table in APPEND_ONLY:
            _hash_rows(h, conn, table, f' WHERE rowid = (SELECT max(rowid) FROM "{table}")')
        elif table in LOGGED:
            h.update(b"\x00C%d" % conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
        else:
            _hash_rows(h, conn, table)
    return h.hexdigest()


def last_row(db: Path | sqlite3.Connection, table: str, rowid: int | None = None) -> tuple | None:
    """(rowid, every column as stored) of the row ``rowid`` of ``table`` (its last row when None), text as
    bytes; None when there is none. ``db`` is a connection or a file opened read-only for this."""
    conn = db if isinstance(db, sqlite3.Connection) else _open_readonly(db)
    saved = conn.text_factory
    conn.text_factory = bytes
    quoted = '"' + table.replace('"', '""') + '"'
    try:
        if rowid is None:
            return conn.execute(f"SELECT rowid, * FROM {quoted} ORDER BY rowid DESC LIMIT 1").fetchone()
        return conn.execute(f"SELECT rowid, * FROM {quoted} WHERE rowid = ?", (rowid,)).fetchone()
    finally:
        conn.text_factory = saved
        if conn is not db:
            conn.close()


# --- copying -------------------------------------------------------------------------------------
def fsync_dir(folder: Path) -> None:
    atomic_fsync_dir(folder, strict=True)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _backup_pages(source: sqlite3.Connection, dest: sqlite3.Connection) -> None:
    """The copy itself (a seam for fault-injection tests)."""
    source.backup(dest)


def remove_quietly(*paths: Path) -> None:
    for p in paths:
        with contextlib.suppress(OSError):
            p.unlink()


def _claim_temp(tmp: Path) -> None:
    """Create the temp file ourselves first, so a folder we cannot write to is named as such."""
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise StorageError(f"无法写入备份：文件夹 {tmp.parent} 是只读的或没有写入权限。"
                               "请换一个可写的文件夹，或检查U盘是否写保护。", KIND_READONLY, tmp.parent) from exc
        raise
    os.close(fd)


def copy_database(source: Path, dest: Path, *, verify: bool = True, source_on_media: bool = False,
                  source_conn: sqlite3.Connection | None = None) -> None:
    """Copy a (possibly live) database to ``dest`` atomically: temp file, check, fsync, rename.

    The copy is a single self-contained file (rollback journal mode). With ``verify`` the source
    file's size must match its header and the copy must pass :func:`database_problems` in full
    (integrity, columns, every row decodes). Raises StorageError: the environment's kinds for disk
    or permission trouble, ``corrupt`` when a check fails. ``dest`` is untouched unless everything
    succeeded. ``source_conn``, when given, is a connection to ``source`` to copy through (restore's,
    which holds the file exclusively: a second connection would wait for it).
    """
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        if verify:
            damaged = size_problems(source, live=not source_on_media)
            if damaged:
                raise StorageError(f"数据库文件不完整，不能作为备份：{damaged[0]}", KIND_CORRUPT, source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        remove_quietly(tmp, Path(f"{tmp}-journal"))
        _claim_temp(tmp)
        src = source_conn or _open_readonly(source, allow_immutable=source_on_media)
        try:
            dst = sqlite3.connect(str(tmp), isolation_level=None, timeout=_TIMEOUT)
            try:
                _backup_pages(src, dst)
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            if source_conn is None:
                src.close()
        if verify:
            problems = database_problems(tmp)
            if problems:
                raise StorageError(f"备份副本未通过完整性检查：{'；'.join(problems[:3])}", KIND_CORRUPT, source)
        _fsync_file(tmp)
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
    except StorageError:
        remove_quietly(tmp, Path(f"{tmp}-journal"))
        raise
    except (OSError, sqlite3.Error) as exc:
        remove_quietly(tmp, Path(f"{tmp}-journal"))
        err = explain(exc, dest)
        if err is None:
            err = StorageError(f"无法写入备份 {dest}：{exc}", "cannot_open", dest)
        raise err from exc


# --- automatic backups ---------------------------------------------------------------------------
def _new_backup_path(db_path: Path, now: datetime, reason: str) -> Path:
    """A name newer than every backup of the same second: its counter is past the highest ever used, so a
    counter freed by pruning is never reused (a reused low counter would sort oldest and be pruned at once)."""
    folder = backups_dir(db_path)
    stamp = now.strftime(_STAMP)
    used = [int(m.group(2) or 1) for m in map(_NAME.match, _names(folder)) if m and m.group(1) == stamp]
    if not used:
        return folder / f"taizhang-{stamp}-{reason}.sqlite3"
    return folder / f"taizhang-{stamp}-{max(used) + 1}-{reason}.sqlite3"


def _names(folder: Path) -> list[str]:
    try:
        return [entry.name for entry in folder.iterdir()]
    except OSError:
        return []


# A killed copy may leave its -wal/-shm. Read only when a temp file is found: compiled then.
_TEMP_PID = LazyPattern(r"[.-](\d+)(?:\.tmp)?(?:-journal|-wal|-shm)?$")


def _owner_gone(temp: Path) -> bool:
    """True when the process named in a temp file's name (``….<pid>.tmp``) no longer runs.

    POSIX only: on Windows ``os.kill`` would terminate the process, so there only age counts.
    """
    m = _TEMP_PID.search(temp.name)
    if os.name != "posix" or m is None:
        return False
    return pid_gone(int(m.group(1)))


def _stale_temps(folder: Path, patterns: tuple[str, ...]) -> list[Path]:
    if not folder.is_dir():
        return []
    return [entry for pattern in patterns for entry in folder.glob(pattern)]


def remove_stale_temps(db_path: Path, max_age: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Delete temp files left by a killed backup, restore or start (their process is gone, or they
    are old): in ``backups/`` and, beside the database, a restore's staged copy, its private copy of
    a -wal and the folder's write probe. Returns what was removed."""
    cutoff = time.time() - max_age
    found = _stale_temps(backups_dir(db_path), (".*.tmp*",))
    found += _stale_temps(db_path.parent, (f".{db_path.name}.*.tmp*", ".write-test-*"))
    removed = []
    for entry in found:
        with contextlib.suppress(OSError):
            if entry.lstat().st_mtime < cutoff or _owner_gone(entry):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
                removed.append(entry)
    return removed


def prune_backups(db_path: Path, now: datetime, policy: RetentionPolicy | None = None) -> list[Path]:
    """Delete automatic backups the policy (core.retention's default when None) no longer keeps; returns what was
    deleted."""
    from core.retention import DEFAULT_POLICY, backups_to_keep  # after a backup only, never before the first paint

    backups = list_backups(db_path)
    rotating = [b for b in backups if b.reason not in EVENT_REASONS]
    keep_times = backups_to_keep([b.taken_at for b in rotating], now, policy or DEFAULT_POLICY)
    keep = {b.path for b in rotating if b.taken_at in keep_times}
    for reason in EVENT_REASONS:
        keep.update([b.path for b in backups if b.reason == reason][:EVENTS_KEPT])
    removed = []
    for b in backups:
        if b.path not in keep:
            with contextlib.suppress(OSError):
                b.path.unlink()
                removed.append(b.path)
    return removed


def take_backup(db_path: Path, reason: str = "auto", now: datetime | None = None,
                source_conn: sqlite3.Connection | None = None) -> BackupInfo:
    """Back up the database into ``backups/``, verify it, then prune older ones (see :func:`copy_database`
    for ``source_conn``)."""
    now = now or datetime.now()
    remove_stale_temps(db_path)
    dest = _new_backup_path(db_path, now, reason)
    copy_database(db_path, dest, source_conn=source_conn)
    prune_backups(db_path, now)
    return next(b for b in list_backups(db_path) if b.path == dest)


def _fingerprint_of(path: Path) -> str | None:
    try:
        conn = _open_readonly(path)
    except sqlite3.Error:
        return None
    try:
        return change_fingerprint(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def backup_if_changed(db_path: Path, reason: str = "auto", now: datetime | None = None) -> BackupInfo | None:
    """Take a backup unless the newest one already holds exactly the current data.

    Used at start and by the editor's 30-minute timer. Returns None when nothing changed.
    """
    if not db_path.exists():
        return None
    newest = next(iter(list_backups(db_path)), None)
    if newest is not None:
        try:
            current = _fingerprint_of(db_path)
        except OSError:
            current = None
        if current is not None and current == _fingerprint_of(newest.path):
            return None
    return take_backup(db_path, reason, now)
