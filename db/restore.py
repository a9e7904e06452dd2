"""Restoring the database from a backup file chosen by the clerk (a USB stick, say).

Order matters: check the file, copy it into the data folder and check the copy, back up the
current database, and only then swap the files with one ``os.replace``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from db import connection
from db.backup import BackupInfo, copy_database, database_problems, fsync_dir, remove_quietly, take_backup
from db.errors import KIND_CORRUPT, KIND_LOCKED, StorageError, explain
from db.open_lock import opening_lock
from db.recovery import quick_check, set_aside


class InvalidBackupError(ValueError):
    """The chosen file cannot be restored from; the message says why, in Chinese."""


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    safety_backup: BackupInfo | None  # the database as it was before the restore
    damaged_path: Path | None  # set when the current database was damaged and moved aside instead
    missing_evidence: tuple[str, ...] = ()  # evidence items the backup's files could not bring back (named)


def check_backup_file(path: Path) -> None:
    """Raise InvalidBackupError unless ``path`` is an intact Taizhang database we can read.

    A file with a -wal beside it is checked as it reads with that -wal applied (see
    :func:`replay_wal`); the copy made for that is removed again.
    """
    path = Path(path)
    if not _has_wal(path):
        problems = database_problems(path)
    else:
        folder = path.parent
        with tempfile.TemporaryDirectory(prefix=".taizhang-check-") as tmp:
            try:
                problems = database_problems(replay_wal(path, Path(tmp)))
            except (OSError, sqlite3.Error) as exc:
                problems = [f"无法读取它的 -wal 日志（{folder}）：{exc}"]
    if problems:
        raise InvalidBackupError(f"{path.name} 不能用于恢复：{'；'.join(problems)}")


def _has_wal(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    try:
        return wal.is_file() and wal.stat().st_size > 0
    except OSError:
        return False


def replay_wal(source: Path, folder: Path) -> Path:
    """A private, self-contained copy of ``source`` with its -wal applied; returns its path.

    A copy taken from a running program has its latest saves only in ``<file>-wal``. Opening the
    file read-only without its -shm (or on read-only media) makes SQLite ignore the -wal, and those
    saves would be lost without a word. So the file and its -wal are copied into ``folder``, where
    SQLite replays the -wal on open; it is then checkpointed into the file and WAL mode is left.
    The -shm is never copied: SQLite rebuilds it from the -wal.
    """
    source = Path(source)
    copy = folder / "restore-source.sqlite3"
    shutil.copyfile(source, copy)
    shutil.copyfile(f"{source}-wal", f"{copy}-wal")
    frames_before = (Path(f"{copy}-wal").stat().st_size - 32) // (_wal_page_size(copy) + 24)
    conn = sqlite3.connect(str(copy), isolation_level=None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opening replays the -wal
        busy, log, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()
    if busy or log != done or (frames_before > 0 and log <= 0):
        raise InvalidBackupError(f"{source.name} 旁的 -wal 日志无法读取（已损坏或不完整），为免丢失其中的记录，"
                                 "不予恢复。请把数据库文件和它的 -wal 文件一起从原电脑重新复制。")
    return copy


def _wal_page_size(path: Path) -> int:
    with open(f"{path}-wal", "rb") as fh:
        header = fh.read(32)
    size = int.from_bytes(header[8:12], "big") if len(header) == 32 else 0
    return size if size >= 512 else 4096


def _hold_exclusively(db_path: Path) -> sqlite3.Connection:
    """A connection holding the live file exclusively until it is closed; KIND_LOCKED while another
    connection (another process: the window, a command) has it open.

    The WAL is folded in and WAL mode left (SQLite allows that only to the last connection: this is how
    "someone else has it open" is told), then ``locking_mode = EXCLUSIVE`` keeps the write lock after
    the first transaction: nobody reads or writes the file until the swap is done, so no save can land
    between the before-restore backup and the swap.
    """
    busy = StorageError(f"另一个程序（落实台账的窗口或命令）正在使用这个数据文件夹（{db_path.parent}），"
                        "为免其中正在保存的内容丢失，没有恢复，数据没有改动。请先关闭它，再恢复。",
                        KIND_LOCKED, db_path)
    try:
        conn = sqlite3.connect(str(db_path), isolation_level=None, timeout=connection.BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise explain(exc, db_path) or exc from exc
    try:
        conn.text_factory = connection.decode_text
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if str(mode).lower() != "delete" or Path(f"{db_path}-wal").exists():
            raise busy
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        conn.close()
        err = explain(exc, db_path)
        raise (busy if err is not None and err.kind == KIND_LOCKED else err or exc) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _before_swap() -> None:
    """A seam for tests: runs while the live file is held, after the before-restore backup, before the swap."""


#: Windows cannot replace a file, or delete its -wal, while a connection has it open: there the exclusive hold
#: ends just before the swap (the opening lock still keeps every other process out until it is done).
CLOSE_BEFORE_SWAP = os.name == "nt"


def restore_database(db_path: Path, source: Path, now: datetime | None = None) -> RestoreResult:
    """Replace the database at ``db_path`` by a copy of ``source``.

    Call with every connection of this process to ``db_path`` closed. From the before-restore backup
    through the swap the live file is held exclusively and the folder's opening lock is held (a
    command started meanwhile waits, then opens the restored file); while another process has the
    database open the restore is refused (KIND_LOCKED). Raises InvalidBackupError for a bad file
    (nothing changed) and StorageError for the environment (nothing changed).
    """
    source = Path(source)
    now = now or datetime.now()
    check_backup_file(source)
    staged = db_path.with_name(f".{db_path.name}.restore.{os.getpid()}.tmp")
    private = db_path.with_name(f".{db_path.name}.walcopy.{os.getpid()}.tmp")
    holder: sqlite3.Connection | None = None
    try:
        if _has_wal(source):
            private.mkdir(parents=True, exist_ok=True)
            source_file = replay_wal(source, private)
        else:
            source_file = source
        copy_database(source_file, staged, source_on_media=True)
        problems = database_problems(staged)
        if problems:
            raise InvalidBackupError(f"{source.name} 不能用于恢复：{'；'.join(problems)}")
        safety, damaged = None, None
        with opening_lock(db_path.parent):
            if db_path.exists():
                if quick_check(db_path) is None:
                    holder = _hold_exclusively(db_path)
                    try:
                        safety = take_backup(db_path, "before-restore", now, source_conn=holder)
                    except StorageError as exc:
                        if exc.kind != KIND_CORRUPT:
                            raise
                        holder.close()
                        holder = None
                        damaged = set_aside(db_path, now)
                else:
                    damaged = set_aside(db_path, now)
            _before_swap()
            if CLOSE_BEFORE_SWAP and holder is not None:
                # Windows replaces no open file and deletes no open -wal: the hold ends here. The opening lock
                # is still held, so a command started now waits and then opens the restored file.
                holder.close()
                holder = None
            for side in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm"), Path(f"{db_path}-journal")):
                remove_quietly(side)  # left only by a crash; they belong to the old file
            os.replace(staged, db_path)
            fsync_dir(db_path.parent)
            if holder is not None:
                holder.close()  # the lock was on the old file, which no name points to any more
                holder = None
    except (OSError, sqlite3.Error) as exc:
        raise explain(exc, db_path) or StorageError(f"恢复失败（{db_path}）：{exc}", "cannot_open", db_path) from exc
    finally:
        if holder is not None:
            holder.close()
        remove_quietly(staged, Path(f"{staged}-journal"))
        shutil.rmtree(private, ignore_errors=True)
    return RestoreResult(source, safety, damaged)
