"""SQLite and file-system failures, told apart: the environment's fault gets a plain message.

Following the split qutebrowser makes: busy, read-only, full, corrupt or unreachable storage is
not a bug of ours, so the clerk is told what happened and what to do, without a traceback.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path


class StorageError(Exception):
    """A storage failure the clerk can act on. ``kind`` is one of the KIND_* constants."""

    def __init__(self, message: str, kind: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.path = path


KIND_READONLY = "readonly"
KIND_FULL = "full"
KIND_LOCKED = "locked"
KIND_CORRUPT = "corrupt"
KIND_TOO_NEW = "too_new"
KIND_CANNOT_OPEN = "cannot_open"


_FULL = "磁盘已满，无法保存{where}。请清理磁盘空间后重试。"  # the window adds that the typed text is kept
_READONLY_DIR = "数据文件夹是只读的或没有写入权限{where}。请换一个可写的文件夹（--data-dir）。"
_READONLY_DB = "数据库是只读的{where}。请检查文件夹权限，或换一个可写的数据文件夹。"
_LOCKED = "数据库正被另一个程序占用{where}。请关闭其他打开它的程序（或另一个本软件窗口）后重试。"


def explain(exc: BaseException, path: Path | None = None) -> StorageError | None:
    """Map an exception to a StorageError, or None when it looks like our own bug."""
    where = f"（{path}）" if path else ""
    text = str(exc).lower()
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        if exc.errno == errno.ENOSPC:
            return StorageError(_FULL.format(where=where), KIND_FULL, path)
        if exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
            return StorageError(_READONLY_DIR.format(where=where), KIND_READONLY, path)
        return None
    if not isinstance(exc, sqlite3.Error):
        return None
    if code in (sqlite3.SQLITE_FULL,) or "database or disk is full" in text:
        return StorageError(_FULL.format(where=where), KIND_FULL, path)
    if code in (sqlite3.SQLITE_READONLY,) or "readonly" in text or "read-only" in text:
        return StorageError(_READONLY_DB.format(where=where), KIND_READONLY, path)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text or "busy" in text:
        return StorageError(_LOCKED.format(where=where), KIND_LOCKED, path)
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in text or "not a database" in text:
        return StorageError(f"数据库文件已损坏{where}。", KIND_CORRUPT, path)
    if code == sqlite3.SQLITE_CANTOPEN or "unable to open" in text:
        return StorageError(f"无法打开数据库文件{where}。请检查文件夹是否存在且可写。", KIND_CANNOT_OPEN, path)
    if code == sqlite3.SQLITE_IOERR or "disk i/o error" in text:
        return StorageError(f"读写数据库时出现磁盘错误{where}。请检查磁盘或U盘是否已拔出。", KIND_CANNOT_OPEN, path)
    return None
