"""The evidence file store: files copied into ``<data>/evidence/<sha[:2]>/<sha>``, named by content.

A file is read once: each chunk is hashed and written to a temporary file in ``evidence/.tmp/``,
which is fsynced and renamed into place only when the whole file was read, so a file under its
final name is always complete. The same content added twice is stored once. Anything that goes
wrong (file gone, a folder, a loop, unreadable or locked, empty, over 200 MB, disk full) raises
with a message naming the file and leaves no temporary file behind; a crash may leave one, which
:func:`remove_stale_temps` deletes later.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from core.evidence_rules import MAX_FILE_BYTES, EvidenceError
from core.sizes import over_limit
from db.backup import fsync_dir
from db.environment import pid_gone
from db.errors import StorageError, explain

EVIDENCE_DIR = "evidence"
TEMP_DIR = ".tmp"
CHUNK = 1024 * 1024
STALE_TEMP_SECONDS = 60 * 60
_LOCKED_WINERRORS = (32, 33)  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION

# progress(stage, bytes_done): stage is "copy" per chunk, then "stored".
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class StoredFile:
    source: Path
    name: str  # the file name as given
    sha256: str
    size: int
    already_present: bool  # the same content was stored before: nothing new was written


def evidence_dir(data_dir: Path) -> Path:
    return Path(data_dir) / EVIDENCE_DIR


def blob_path(folder: Path, sha256: str) -> Path:
    """Where content ``sha256`` lives under an evidence folder (the live one or a backup's)."""
    return Path(folder) / sha256[:2] / sha256


def mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size < 1024 ** 3 else f"{size / 1024 ** 3:.2f} GB"


def _read_error(exc: OSError, path: Path) -> EvidenceError:
    name = f"“{path.name or path}”"
    if isinstance(exc, FileNotFoundError):
        msg = f"找不到文件{name}：它可能已被移动或删除，或U盘已拔出。没有添加任何文件。"
    elif exc.errno == errno.ELOOP:
        msg = f"{name}是一个循环的快捷方式（符号链接指向自己），无法读取。没有添加任何文件。"
    elif getattr(exc, "winerror", None) in _LOCKED_WINERRORS:
        msg = f"{name}正被其他程序占用（如 Word、WPS 或看图软件），无法读取。请关闭该程序后重试。没有添加任何文件。"
    elif isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        msg = f"没有权限读取{name}。请检查文件权限，或先把它复制到桌面再添加。没有添加任何文件。"
    elif isinstance(exc, IsADirectoryError):
        msg = f"{name}是文件夹，不是文件。请选择文件夹中的文件。没有添加任何文件。"
    else:
        msg = f"读取{name}时出错（{exc.strerror or exc}），U盘可能已拔出。没有添加任何文件。"
    return EvidenceError(msg, path)


def check_source(path: Path) -> int:
    """The size of an addable file; raises EvidenceError naming it when it cannot be added."""
    path = Path(path)
    name = f"“{path.name or path}”"
    try:
        st = os.stat(path)  # follows links: a loop raises ELOOP
    except OSError as exc:
        raise _read_error(exc, path) from None
    if stat.S_ISDIR(st.st_mode):
        raise EvidenceError(f"{name}是文件夹，不是文件。请选择文件夹中的文件。没有添加任何文件。", path)
    if not stat.S_ISREG(st.st_mode):
        raise EvidenceError(f"{name}不是普通文件（可能是设备或管道），无法添加。没有添加任何文件。", path)
    if st.st_size == 0:
        raise EvidenceError(f"{name}是空文件（0 字节），不能作为佐证材料。没有添加任何文件。", path)
    if st.st_size > MAX_FILE_BYTES:
        shown, cap = over_limit(st.st_size, MAX_FILE_BYTES)
        raise EvidenceError(f"{name}有 {shown}，超过单个文件 {cap} 的上限。"
                            "请压缩或拆分后再添加。没有添加任何文件。", path)
    return st.st_size


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    """Size, modification time and file identity: equal before and after a copy means nothing wrote to it."""
    return st.st_size, st.st_mtime_ns, st.st_dev, st.st_ino


def _unlink_quietly(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            os.unlink(path)



def remove_stale_temps(folder: Path, max_age: float = STALE_TEMP_SECONDS) -> int:
    """Delete temporary files under ``folder/.tmp`` left by a crash; returns how many."""
    temp_dir = Path(folder) / TEMP_DIR
    if not temp_dir.is_dir():
        return 0
    cutoff, removed = time.time() - max_age, 0
    for entry in temp_dir.iterdir():
        pid = entry.name.split("-", 1)[0]
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < cutoff or (pid.isdigit() and pid_gone(int(pid))):
                entry.unlink()
                removed += 1
    return removed


def new_temp(folder: Path) -> Path:
    temp_dir = Path(folder) / TEMP_DIR
    temp_dir.mkdir(parents=True, exist_ok=True)
    return temp_dir / f"{os.getpid()}-{uuid.uuid4().hex}.tmp"


def copy_hashed(source: Path, folder: Path, *, limit: int | None = MAX_FILE_BYTES,
                progress: Progress | None = None) -> tuple[Path, str, int]:
    """Copy ``source`` to a fsynced temp file under ``folder/.tmp``, hashing on the way (one read).

    Returns (temp path, sha256, size). The caller renames or deletes the temp file. Read problems
    raise EvidenceError naming the file; write problems raise StorageError.
    """
    source = Path(source)
    h = hashlib.sha256()
    size = 0
    try:
        before = _identity(os.stat(source))
        src = open(source, "rb")  # noqa: SIM115 - closed below, errors told apart from write errors
    except OSError as exc:
        raise _read_error(exc, source) from None
    tmp: Path | None = None
    try:
        try:
            tmp = new_temp(folder)
            out = open(tmp, "xb")  # noqa: SIM115
        except OSError as exc:
            raise explain(exc, folder) or StorageError(f"无法写入佐证材料文件夹（{folder}）：{exc}",
                                                       "cannot_open", folder) from exc
        with out:
            for chunk in read_chunks(src, lambda exc: _read_error(exc, source)):
                size += len(chunk)
                if limit is not None and size > limit:
                    raise EvidenceError(f"“{source.name}”超过单个文件 {mb(limit)} 的上限（复制时仍在变大）。"
                                        "没有添加任何文件。", source)
                h.update(chunk)
                try:
                    out.write(chunk)
                except OSError as exc:
                    raise explain(exc, folder) or StorageError(
                        f"写入佐证材料时出错（{folder}）：{exc}", "cannot_open", folder) from exc
                if progress is not None:
                    progress("copy", size)
            try:
                out.flush()
                os.fsync(out.fileno())
            except OSError as exc:
                raise explain(exc, folder) or StorageError(
                    f"写入佐证材料时出错（{folder}）：{exc}", "cannot_open", folder) from exc
        if size == 0:
            raise EvidenceError(f"“{source.name}”是空文件（0 字节），不能作为佐证材料。没有添加任何文件。", source)
        try:
            after = _identity(os.stat(source))
        except OSError as exc:
            raise _read_error(exc, source) from None
        if after != before or size != before[0]:
            raise EvidenceError(f"“{source.name}”在复制过程中发生了变化（大小或修改时间变了，可能仍在下载或保存）。"
                                "没有添加任何文件；请等它写完后重新添加。", source)
        return tmp, h.hexdigest(), size
    except BaseException:
        _unlink_quietly(tmp)
        raise
    finally:
        src.close()


READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def make_writable(path: Path) -> None:
    """Before deleting or replacing a stored file (Windows refuses either on a read-only file)."""
    with contextlib.suppress(OSError):
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def unlink_stored(path: Path) -> None:
    """Delete a stored (read-only) file; OSError when it cannot be deleted."""
    make_writable(path)
    os.unlink(path)


def clone_into(source: Path, folder: Path, sha256: str, size: int) -> bool:
    """An independent copy of ``source`` under its content name in ``folder``: a reflink where the file
    system offers one (Btrfs, XFS, APFS-like copy-on-write: no second copy of the bytes on disk, yet a
    change to either file never shows in the other), else a plain copy. Never a hard link: with one, a
    single changed byte in the live file would change every backup at once. The copy is re-hashed and
    only placed when it is ``sha256``; False when no good copy could be made."""
    tmp = None
    try:
        tmp = new_temp(folder)
        with open(source, "rb") as src, open(tmp, "xb") as out:
            if not _reflink(src.fileno(), out.fileno()):
                while chunk := src.read(CHUNK):
                    out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if hash_file(tmp) != (sha256, size):
            _unlink_quietly(tmp)
            return False
        place(tmp, folder, sha256, size)
        return True
    except OSError:
        _unlink_quietly(tmp)
        return False


FICLONE = 0x40049409  # linux/fs.h: _IOW(0x94, 9, int)


def _reflink(src_fd: int, dst_fd: int) -> bool:
    """Best effort: True when the kernel made ``dst`` a copy-on-write clone of ``src``."""
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return False
    try:
        import fcntl

        fcntl.ioctl(dst_fd, FICLONE, src_fd)
    except OSError:
        return False
    return True


def place(tmp: Path, folder: Path, sha256: str, size: int) -> bool:
    """Rename a complete temp file to its content name, read-only; False when that content was already there.

    Stored files are read-only so that no program opening one by its path can change it (a photo editor
    saving over it would otherwise alter the evidence and every backup made from it).
    """
    final = blob_path(folder, sha256)
    try:
        if final.is_file() and final.stat().st_size == size:
            _unlink_quietly(tmp)
            return False
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp, READ_ONLY)
        if final.exists():
            make_writable(final)
        os.replace(tmp, final)  # also repairs a stored copy of the wrong size
        fsync_dir(final.parent)
        return True
    except OSError as exc:
        _unlink_quietly(tmp)
        raise explain(exc, folder) or StorageError(f"无法保存佐证材料（{folder}）：{exc}",
                                                   "cannot_open", folder) from exc


def store_file(data_dir: Path, source: Path, progress: Progress | None = None) -> StoredFile:
    """Copy one file into the store (checks first, then one read); see the module docstring."""
    source = Path(source)
    check_source(source)
    folder = evidence_dir(data_dir)
    remove_stale_temps(folder)
    tmp, sha, size = copy_hashed(source, folder, progress=progress)
    placed = place(tmp, folder, sha, size)
    if progress is not None:
        progress("stored", size)
    return StoredFile(source, source.name, sha, size, not placed)


def read_chunks(src: BinaryIO, unreadable: Callable[[OSError], Exception]) -> Iterator[bytes]:
    """``src`` in :data:`CHUNK`-sized pieces until its end; a read error is raised as ``unreadable(exc)``, so
    a copy tells the source's problems apart from those of the folder it writes to."""
    while True:
        try:
            chunk = src.read(CHUNK)
        except OSError as exc:
            raise unreadable(exc) from None
        if not chunk:
            return
        yield chunk


def hash_file(path: Path) -> tuple[str, int]:
    """(sha256, size) of a file, read in chunks."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def is_present(folder: Path, sha256: str, size: int) -> bool:
    """Cheap presence test (name and size); :func:`hash_file` is the real check."""
    try:
        return blob_path(folder, sha256).stat().st_size == size
    except OSError:
        return False


def stored_hashes(folder: Path) -> set[str]:
    """Every content name under an evidence folder (temp files excluded)."""
    found: set[str] = set()
    root = Path(folder)
    if not root.is_dir():
        return found
    for sub in root.iterdir():
        if len(sub.name) == 2 and sub.is_dir():
            found.update(p.name for p in sub.iterdir() if len(p.name) == 64 and p.name.startswith(sub.name))
    return found


def delete_unreferenced(folder: Path, referenced: Iterable[str]) -> list[str]:
    """Delete stored files no row refers to; returns their hashes. Call while holding the write lock."""
    keep = set(referenced)
    removed = []
    for sha in sorted(stored_hashes(folder) - keep):
        try:
            unlink_stored(blob_path(folder, sha))
            removed.append(sha)
        except OSError:
            continue
    return removed
