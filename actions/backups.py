"""Backups: now, to a USB stick, the list of automatic ones, and restoring one.

The functions that take a ``db_path`` open their own connections, so the window may run them on a worker
thread; restoring needs the session's connection closed first (:func:`restore` does that and reopens).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from actions import guard
from actions.errors import ActionError, StorageError
from actions.session import Session
from core.evidence_rules import EvidenceError
from core.paths import DB_FILE
from db import evidence as evidence_q
from db.backup import BackupInfo, backup_if_changed, backups_dir, copy_database, list_backups, take_backup
from db.connection import connect
from db.errors import KIND_FULL, explain
from db.evidence_backup import (
    fetch_missing_evidence,
    referenced_in,
    restore_with_evidence,
    verify_backup_folder,
    write_backup_folder,
)
from db.restore import InvalidBackupError, RestoreResult, check_backup_file
from db.store import pool_evidence

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
    "fetch_evidence",
    "kind_label",
    "newest",
    "periodic_backup",
    "restore",
]

#: How the clerk reads each reason a backup was taken.
KIND_LABELS = {
    "start": "启动时", "auto": "每30分钟", "manual": "手动", "before-import": "导入前",
    "before-migration": "升级前", "before-restore": "恢复前",
    "before-county-import": "汇总导入前", "before-county-remove": "移出报送材料前",
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


def _pooled(db_path: Path, info: BackupInfo) -> BackupInfo:
    """The backup's evidence files into the shared pool, on a connection of this thread's own."""
    conn = connect(db_path)
    try:
        return pool_evidence(conn, db_path, info)
    finally:
        conn.close()


def backup_now(db_path: Path) -> BackupInfo:
    """A verified backup into the data folder's backups now, changed or not (备份管理 → 立即备份); any thread."""
    return _pooled(db_path, take_backup(db_path, "manual"))


def periodic_backup(db_path: Path, reason: str = "auto") -> BackupInfo | None:
    """A verified backup when the data changed since the newest one (any thread); None when unchanged."""
    info = backup_if_changed(db_path, reason)
    return _pooled(db_path, info) if info is not None else None


@dataclass(frozen=True)
class BackupCopy:
    path: Path  # the backup file, or the backup folder (database, evidence/, manifest.json)
    size: int  # bytes written
    evidence_files: int


def backup_target(session: Session, out: str | Path, now: datetime | None = None) -> Path:
    """Where ``backup --out`` writes, checked by the write guard.

    A folder (a USB stick) gets a dated backup folder inside it, holding the database and every evidence file;
    a file name ending in .sqlite3 gets a single file, allowed only while there is no evidence to carry.
    """
    path = Path(out).expanduser()
    if path.is_dir():
        return guard.check_folder(out, session.data_dir)
    if str(out).strip() and not path.exists() and path.suffix.lower() not in guard.BACKUP.suffixes:
        return _new_folder(path, session.data_dir)  # a folder name that is not there yet: made, then used
    target = guard.check_target(out, session.data_dir, guard.BACKUP)
    if evidence_q.stored_bytes(session.store.conn):
        raise ActionError(f"有佐证材料时，备份是一个文件夹（数据库和全部佐证材料），不能保存为单个文件“{target.name}”。"
                          "请用 --out 指定一个文件夹，例如U盘（文件夹不存在时会新建）。")
    return target


def _new_folder(path: Path, data_dir: Path) -> Path:
    guard.check_folder(path.parent, data_dir)  # the parent must exist, be writable and not ours
    try:
        path.mkdir()
    except FileExistsError:
        pass
    except OSError as exc:
        raise explain(exc, path) or StorageError(f"无法新建文件夹“{path}”（{exc.strerror or exc}）", "write",
                                                 path) from exc
    return guard.check_folder(path, data_dir)


def _space_needed(db_path: Path, folder: bool) -> int:
    """What a backup writes, generously: the database with its -wal, and every evidence file it refers to."""
    size = 0
    for name in (db_path, db_path.with_name(db_path.name + "-wal")):
        with contextlib.suppress(OSError):
            size += os.stat(name).st_size  # stat only: the live file is never opened outside SQLite
    if folder:
        size += sum(referenced_in(db_path).values())
    return size + 1024 * 1024


def _check_space(db_path: Path, target: Path) -> int:
    needed = _space_needed(db_path, target.is_dir())
    where = target if target.is_dir() else target.parent
    try:
        free = shutil.disk_usage(where).free
    except OSError:
        return needed
    if free < needed:
        raise StorageError(f"磁盘空间不足，备份没有写入：约需 {_mb(needed)}，{where} 只剩 {_mb(free)}。"
                           "请清理空间或换一个位置（如另一个U盘）。", KIND_FULL, target)
    return needed


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


def backup_to(db_path: Path, target: Path) -> BackupCopy:
    """Copy the data to ``target`` (from :func:`backup_target`), verified; any thread."""
    needed = _check_space(db_path, target)
    try:
        if target.is_dir():
            try:
                folder = write_backup_folder(db_path, db_path.parent, target)
            except (EvidenceError, InvalidBackupError) as exc:
                _check_space(db_path, target)  # a copy that failed for want of space reads as "missing"
                raise ActionError(getattr(exc, "message", str(exc))) from None
            return BackupCopy(folder.path, folder.database_bytes + folder.evidence_bytes, folder.evidence_files)
        copy_database(db_path, target)
        return BackupCopy(target, target.stat().st_size, 0)
    except OSError as exc:  # the stick or the disk: a plain message, exit code 1
        err = explain(exc, target)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            err = StorageError(f"磁盘空间不足，备份没有写入（约需 {_mb(needed)}）：{target}。"
                               "请清理空间或换一个位置（如另一个U盘）。", KIND_FULL, target)
        raise err or StorageError(f"备份没有写入（{exc.strerror or exc}）：{target}", "write", target) from exc


def check_source(file: str | Path, session: Session | None = None, live_db: Path | None = None) -> Path:
    """The backup (file or backup folder) to restore from, or ActionError saying why not. Changes nothing.

    With ``session`` (or ``live_db``, its database's path), the data folder's own live database is refused
    before anything reads it (reading it here with plain file calls would drop this process's SQLite locks)."""
    path = Path(file)
    live_db = session.db_path if session is not None else live_db
    if live_db is not None:
        live = live_db.resolve()
        try:
            chosen = path.resolve()
        except (OSError, RuntimeError):
            chosen = path
        if chosen in {live, *(live.with_name(live.name + s) for s in ("-wal", "-shm", "-journal"))} \
                or chosen == live.parent:
            raise ActionError(f"“{path.name}”是正在使用的数据本身，不是备份，不能从它恢复。"
                              "请选择U盘上的备份文件夹，或数据文件夹中 backups 里的备份文件。")
    try:
        if path.is_dir():
            problems = verify_backup_folder(path, evidence=False)  # damaged evidence does not stop the database
            if problems:
                raise InvalidBackupError(f"{path.name} 不能用于恢复：{'；'.join(problems[:5])}")
        else:
            check_backup_file(path)
    except InvalidBackupError as exc:
        raise ActionError(f"{exc}（数据库未改动）") from None
    return path


def restore(session: Session, file: str | Path) -> RestoreResult:
    """Replace the data by the backup ``file``; the current data is backed up first.

    The session's connection is closed for the swap and reopened afterwards, whatever happened.
    """
    source = check_source(file, session)
    session.close()
    try:
        return restore_with_evidence(session.data_dir, source)
    except InvalidBackupError as exc:
        raise ActionError(f"{exc}（数据库未改动）") from None
    finally:
        session.reopen()


def fetch_evidence(session: Session, file: str | Path) -> tuple[int, list[str]]:
    """After a restore that named damaged evidence: take those files from another backup (``file``: a backup
    folder, or a backup file with ``evidence/`` beside it). Returns (files brought back, items still missing)."""
    source = check_source(file, session)
    return fetch_missing_evidence(session.data_dir, source)


def restore_closed(data_dir: Path, file: str | Path) -> RestoreResult:
    """:func:`restore` for a background job: the caller has closed its session and reconnects it afterwards
    (:meth:`Session.reconnect`, on its own thread). The restored file is checked here, off the caller's thread."""
    source = check_source(file, live_db=Path(data_dir) / DB_FILE)
    try:
        return restore_with_evidence(Path(data_dir), source)
    except InvalidBackupError as exc:
        raise ActionError(f"{exc}（数据库未改动）") from None
    finally:
        Session.prepare(Path(data_dir), auto_backup=False)
