"""One process at a time checks, creates, migrates and seeds a data folder's database.

Six commands started together on an empty folder used to race: two ran the same migration, one
took a file still being created (0 bytes) for a damaged one and set it aside. An OS file lock
(``fcntl.flock`` / ``msvcrt.locking``) on ``.taizhang.lock`` serialises :meth:`Store.open`; the OS
releases it when a process dies, so a killed process never leaves the folder locked.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from db.errors import KIND_LOCKED, StorageError, explain

LOCK_NAME = ".taizhang.lock"
WAIT_SECONDS = 60.0
_POLL = 0.02


def _try_lock(fd: int) -> bool:
    if os.name == "nt":
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if os.name == "nt":
        import msvcrt

        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def opening_lock(data_dir: Path, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the data folder's opening lock; StorageError (locked) after ``wait`` seconds."""
    path = Path(data_dir) / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
    except OSError as exc:
        raise explain(exc, Path(data_dir)) or StorageError(
            f"无法在数据文件夹中建立锁文件（{path}）：{exc.strerror or exc}", KIND_LOCKED, path) from exc
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                raise StorageError(f"另一个落实台账程序正在打开这个数据文件夹（{data_dir}），等待超时。"
                                   "请稍后重试，或关闭其他正在运行的本程序。", KIND_LOCKED, Path(data_dir))
            time.sleep(_POLL)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
