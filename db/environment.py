"""Faults of the place the data lives: a read-only or full folder, a network share.

These are checked before SQLite is involved so the clerk gets a message naming the folder.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from db.errors import KIND_READONLY, StorageError, explain

NETWORK_FS_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "9p", "afs", "ceph", "glusterfs",
    "fuse.glusterfs", "davfs", "fuse.davfs2", "fuse.rclone", "lustre", "gpfs", "ncpfs", "coda",
})
DRIVE_REMOTE = 4

_NETWORK_WARNING = (
    "数据文件夹位于网络共享上（{where}，{what}）。"
    "在网络文件夹上，SQLite 的 WAL 日志不可靠，停电或断网时可能丢失或损坏数据。"
    "请把数据文件夹放在本机硬盘上（--data-dir），需要共享时用“备份”命令复制到网络文件夹。"
)


def ensure_writable_dir(folder: Path) -> None:
    """Create ``folder`` if needed and prove a file can be created, written, synced and removed."""
    probe = folder / f".write-test-{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(probe, os.O_CREAT | os.O_WRONLY | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
        try:
            os.write(fd, b"taizhang")
            os.fsync(fd)
        finally:
            os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        with contextlib.suppress(OSError):
            probe.unlink()
        err = explain(exc, folder)
        if err is None:
            err = StorageError(f"无法在数据文件夹中写入文件（{folder}）：{exc.strerror or exc}。"
                               "请换一个可写的文件夹（--data-dir）。", KIND_READONLY, folder)
        raise err from exc


def _unescape_mount(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def linux_fs_type(path: Path, mounts_file: Path = Path("/proc/mounts")) -> str | None:
    """The file-system type of the mount holding ``path`` (longest mount-point prefix)."""
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    target = str(path.resolve())
    best, best_type = "", None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = _unescape_mount(parts[1])
        prefix = mount_point.rstrip("/") + "/"
        if (target == mount_point or target.startswith(prefix) or mount_point == "/") and len(mount_point) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def _windows_drive_is_remote(path: Path) -> bool:
    import ctypes

    root = os.path.splitdrive(str(path.resolve()))[0] + "\\"
    return ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)) == DRIVE_REMOTE  # type: ignore[attr-defined]


def network_share_warning(folder: Path, *, platform: str | None = None,
                          mounts_file: Path = Path("/proc/mounts")) -> str | None:
    """A warning when the data folder is on a network file system, else None."""
    platform = platform or sys.platform
    text = str(folder)
    if platform == "win32":
        if text.startswith(("\\\\", "//")):
            return _NETWORK_WARNING.format(where=text, what="UNC 网络路径")
        try:
            remote = _windows_drive_is_remote(folder)
        except (OSError, AttributeError, ValueError):
            remote = False
        return _NETWORK_WARNING.format(where=text, what="网络驱动器") if remote else None
    if platform.startswith("linux"):
        fs_type = linux_fs_type(folder, mounts_file)
        if fs_type is not None and fs_type.lower() in NETWORK_FS_TYPES:
            return _NETWORK_WARNING.format(where=text, what=f"文件系统 {fs_type}")
    return None


def pid_gone(pid: int) -> bool:
    """Whether process ``pid`` no longer exists (POSIX; elsewhere never assumed): its leftovers may go."""
    if os.name != "posix" or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False
