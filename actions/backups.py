"""Backups: now, to a USB stick, the list of automatic ones, and restoring one.

The functions that take a ``db_path`` open their own connections, so the window may run them on a worker
thread; restoring needs the session's connection closed first (:func:`restore` does that and reopens).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from actions import guard
from actions.errors import ActionError
from actions.session import Session
from db.backup import BackupInfo, backup_if_changed, backups_dir, copy_database, list_backups, take_backup
from db.restore import InvalidBackupError, RestoreResult, check_backup_file, restore_database

__all__ = [
    "KIND_LABELS",
    "ActionError",
    "BackupInfo",
    "RestoreResult",
    "backup_now",
    "backup_target",
    "backup_to",
    "backups",
    "backups_folder",
    "check_source",
    "kind_label",
    "newest",
    "periodic_backup",
    "restore",
]

#: How the clerk reads each reason a backup was taken.
KIND_LABELS = {
    "start": "启动时", "auto": "每30分钟", "manual": "手动", "before-import": "导入前",
    "before-migration": "升级前", "before-restore": "恢复前",
}


def kind_label(reason: str) -> str:
    return KIND_LABELS.get(reason, reason)


def backups(session: Session) -> list[BackupInfo]:
    """The automatic backups in the data folder, newest first."""
    return list_backups(session.db_path)


def backups_folder(session: Session) -> Path:
    """Where the automatic backups are (shown in 备份管理, the start folder of 从备份恢复…)."""
    return backups_dir(session.db_path)


def newest(db_path: Path) -> BackupInfo | None:
    found = list_backups(db_path)
    return found[0] if found else None


def backup_now(db_path: Path) -> BackupInfo:
    """A verified backup into the data folder's backups now, changed or not (备份管理 → 立即备份); any thread."""
    return take_backup(db_path, "manual")


def periodic_backup(db_path: Path, reason: str = "auto") -> BackupInfo | None:
    """A verified backup when the data changed since the newest one (any thread); None when unchanged."""
    return backup_if_changed(db_path, reason)


@dataclass(frozen=True)
class BackupCopy:
    path: Path
    size: int


def backup_target(session: Session, out: str | Path, now: datetime | None = None) -> Path:
    """Where ``backup --out`` writes: a folder gets a dated file name; checked by the write guard."""
    name = f"taizhang-backup-{(now or datetime.now()):%Y%m%d-%H%M%S}.sqlite3"
    return guard.check_target(out, session.data_dir, guard.BACKUP, default_name=name)


def backup_to(db_path: Path, target: Path) -> BackupCopy:
    """Copy the live database to ``target`` (from :func:`backup_target`), verified; any thread."""
    copy_database(db_path, target)
    return BackupCopy(target, target.stat().st_size)


def check_source(file: str | Path) -> Path:
    """The backup file to restore from, or ActionError saying why it cannot be used. Changes nothing."""
    path = Path(file)
    try:
        check_backup_file(path)
    except InvalidBackupError as exc:
        raise ActionError(f"{exc}（数据库未改动）") from None
    return path


def restore(session: Session, file: str | Path) -> RestoreResult:
    """Replace the data by the backup ``file``; the current data is backed up first.

    The session's connection is closed for the swap and reopened afterwards, whatever happened.
    """
    source = check_source(file)
    session.close()
    try:
        return restore_database(session.db_path, source)
    except InvalidBackupError as exc:
        raise ActionError(f"{exc}（数据库未改动）") from None
    finally:
        session.reopen()
