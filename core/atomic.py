"""Writing a file so that a failure (full disk, pulled USB stick, file open elsewhere) never leaves half of it.

The one way every output of the app (report, ledger, progress file, package) reaches the disk: a temporary
file in the same folder, fsync, then ``os.replace`` over the target, then fsync of the folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path


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


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, fsync, then replace.

    On any failure the earlier file at ``path`` (if any) is left as it was, the temporary file is
    removed, and :class:`WriteError` is raised with a message the clerk can act on.
    """
    path = Path(path)
    tmp: str | None = None
    replacing = False
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        replacing = True
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
