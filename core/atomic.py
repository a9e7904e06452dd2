"""Writing a file so that a failure (full disk, pulled USB stick, file open elsewhere) never leaves half of it.

The one way every output of the app (report, ledger, progress file, package) reaches the disk: a temporary
file in the same folder, fsync, then ``os.replace`` over the target, then fsync of the folder. The temporary
file's name ends in :data:`PARTIAL_SUFFIX`; one left by a kill is cleared at the next write to that folder.
New files follow the user's umask, like any file a program creates.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import threading
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: an open file cannot be deleted, which protects a write in progress
    fcntl = None  # type: ignore[assignment]


class WriteError(Exception):
    """The file could not be saved; ``str(error)`` is a plain Chinese message for the clerk.

    ``errno`` keeps the operating system's error number (or ``None``) for logs.
    """

    def __init__(self, message: str, errno_: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno_


def _message(exc: OSError, path: Path, replacing: bool) -> str:
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘空间已满，文件没有保存。请清理磁盘或换一个位置保存：{path.parent}"
    if code == errno.EROFS:
        return f"保存位置是只读的（如光盘或写保护的U盘），文件没有保存。请换一个位置：{path.parent}"
    if isinstance(exc, PermissionError) or code in (errno.EACCES, errno.EPERM):
        if replacing and path.exists():
            return (f"文件“{path.name}”正被其他程序打开（如PDF阅读器、WPS或打印程序），无法覆盖。"
                    "请关闭该文件后重试，或换一个文件名保存。")
        return f"没有权限在这个文件夹保存文件，文件没有保存。请换一个位置：{path.parent}"
    if code == errno.ENOENT:
        return f"保存位置不存在，文件没有保存：{path.parent}"
    if code == errno.EISDIR:
        return f"“{path.name}”是一个文件夹，不能当作文件保存。请换一个文件名。"
    return f"文件没有保存成功（{exc.strerror or exc}）。原来的文件保持不变。"


#: The temporary file of a write in progress ends so: one left by a kill is recognisably ours.
PARTIAL_SUFFIX = ".taizhang-partial"


def current_umask() -> int:
    """The process's umask (read without changing it where the system tells it: Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


_UMASK_LOCK = threading.Lock()
#: POSIX renames a file still open (and locked): no :func:`clear_partials` elsewhere can take it in between.
RENAME_WHILE_OPEN = fcntl is not None


def clear_partials(folder: Path) -> int:
    """Delete temporary files of ours in ``folder`` that no write holds any more (a kill -9 left them).

    A write in progress holds a lock on its file (POSIX) or keeps it open (Windows refuses to delete it then);
    either way it is left alone. Returns how many were deleted.
    """
    removed = 0
    try:
        candidates = [p for p in Path(folder).iterdir() if p.name.startswith(".") and p.name.endswith(PARTIAL_SUFFIX)]
    except OSError:
        return 0
    for candidate in candidates:
        try:
            if fcntl is None:
                os.unlink(candidate)
            else:
                fd = os.open(candidate, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    os.unlink(candidate)
                finally:
                    os.close(fd)
            removed += 1
        except OSError:  # held by a write in progress, or already gone
            continue
    return removed


def open_partial(folder: Path, stem: str) -> tuple[int, str]:
    """A new temporary file in ``folder`` for a write of ``stem``: (fd, path), locked while open, with the
    permissions a new file gets from the user's umask (mkstemp alone makes it 0600)."""
    clear_partials(folder)
    fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=PARTIAL_SUFFIX, dir=folder)
    if fcntl is not None:
        with contextlib.suppress(OSError):  # a share without locks: written unlocked, and never cleared
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    if hasattr(os, "fchmod"):
        with contextlib.suppress(OSError):  # FAT on a USB stick refuses modes it cannot hold: its own then
            os.fchmod(fd, 0o666 & ~current_umask())
    return fd, tmp


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to the descriptor (``os.write`` may write only part of it)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, fsync, then replace.

    On any failure the earlier file at ``path`` (if any) is left as it was, the temporary file is
    removed, and :class:`WriteError` is raised with a message the clerk can act on.
    """
    path = Path(path)
    tmp: str | None = None
    replacing = False
    try:
        fd, tmp = open_partial(path.parent, path.stem)
        try:
            write_all(fd, data)
            os.fsync(fd)
            replacing = True
            if RENAME_WHILE_OPEN:
                os.replace(tmp, path)
                tmp = None
        finally:
            os.close(fd)
        if tmp is not None:
            os.replace(tmp, path)
            tmp = None
        fsync_dir(path.parent)
    except OSError as exc:
        raise WriteError(_message(exc, path, replacing), exc.errno) from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def fsync_dir(folder: Path, *, strict: bool = False) -> None:
    """Make a rename durable where the platform allows it (not on Windows: NTFS journals the rename itself).

    ``strict`` lets an OSError through (storage code maps it to a plain message); otherwise it is ignored,
    since the file itself was already written and replaced.
    """
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        if strict:
            raise
        return
    try:
        os.fsync(fd)
    except OSError:
        if strict:
            raise
    finally:
        os.close(fd)
