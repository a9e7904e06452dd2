"""Restoring the database from a backup file chosen by the clerk (a USB stick, say).

Order matters: check the file, copy it into the data folder and check the copy, back up the
current database, and only then swap the files with one ``os.replace``.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from db import connection
from db.backup import BackupInfo, copy_database, database_problems, fsync_dir, remove_quietly, take_backup
from db.errors import KIND_CORRUPT, KIND_LOCKED, StorageError, explain
from db.recovery import quick_check, set_aside


class InvalidBackupError(ValueError):
    """The chosen file cannot be restored from; the message says why, in Chinese."""


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    safety_backup: BackupInfo | None  # the database as it was before the restore
    damaged_path: Path | None  # set when the current database was damaged and moved aside instead


def check_backup_file(path: Path) -> None:
    """Raise InvalidBackupError unless ``path`` is an intact Taizhang database we can read."""
    problems = database_problems(Path(path))
    if problems:
        raise InvalidBackupError(f"{Path(path).name} 不能用于恢复：{'；'.join(problems)}")


def _retire_live(db_path: Path) -> None:
    """Fold the WAL into the file and leave WAL mode, which needs every other connection gone."""
    try:
        conn = sqlite3.connect(str(db_path), isolation_level=None, timeout=connection.BUSY_TIMEOUT_MS / 1000)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise explain(exc, db_path) or exc from exc
    if str(mode).lower() != "delete" or Path(f"{db_path}-wal").exists():
        raise StorageError(f"数据库正被另一个程序使用（{db_path}），无法恢复。请关闭其他打开它的程序后重试。",
                           KIND_LOCKED, db_path)


def restore_database(db_path: Path, source: Path, now: datetime | None = None) -> RestoreResult:
    """Replace the database at ``db_path`` by a copy of ``source``.

    Call with every connection of this process to ``db_path`` closed. Raises InvalidBackupError
    for a bad file (nothing changed) and StorageError for the environment (nothing changed).
    """
    source = Path(source)
    now = now or datetime.now()
    check_backup_file(source)
    staged = db_path.with_name(f".{db_path.name}.restore-{os.getpid()}.tmp")
    try:
        copy_database(source, staged, source_on_media=True)
        problems = database_problems(staged)
        if problems:
            raise InvalidBackupError(f"{source.name} 不能用于恢复：{'；'.join(problems)}")
        safety, damaged = None, None
        if db_path.exists():
            if quick_check(db_path) is None:
                try:
                    safety = take_backup(db_path, "before-restore", now)
                except StorageError as exc:
                    if exc.kind != KIND_CORRUPT:
                        raise
                    damaged = set_aside(db_path, now)
            else:
                damaged = set_aside(db_path, now)
        if db_path.exists():
            _retire_live(db_path)
        for side in (Path(f"{db_path}-shm"), Path(f"{db_path}-journal")):
            remove_quietly(side)  # left only by a crash; they belong to the old file
        os.replace(staged, db_path)
        fsync_dir(db_path.parent)
    except OSError as exc:
        raise explain(exc, db_path) or StorageError(f"恢复失败（{db_path}）：{exc}", "cannot_open", db_path) from exc
    finally:
        remove_quietly(staged, Path(f"{staged}-journal"))
    return RestoreResult(source, safety, damaged)
