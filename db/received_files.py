"""The received packages' own copies: ``<data>/received/<sha256>.zip``, named by the zip's SHA-256.

An imported zip is copied here before its rows are committed, so a cell's 佐证材料 still opens when the USB
stick or the mail folder it came from is gone. The copy is the bytes that were verified: each chunk is hashed
as it is written (to a locked temporary file, ``core.atomic``), and only a copy whose hash and size are the
ones recorded at verification is renamed into place, read-only, and the folder fsynced. The name is the
``file_sha256`` the package's row keeps, so the same zip is stored once whichever plan or row refers to it;
a copy no row refers to any more is deleted after the removing transaction (one left over is harmless).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from core.atomic import RENAME_WHILE_OPEN, fsync_dir, open_partial, write_all
from core.package.write import PackageError
from db.errors import KIND_CANNOT_OPEN, KIND_FULL, StorageError, explain
from db.evidence_files import READ_ONLY, hash_file, make_writable, read_chunks, unlink_stored

RECEIVED_DIR = "received"
log = logging.getLogger("taizhang.received")


def received_dir(data_dir: Path) -> Path:
    return Path(data_dir) / RECEIVED_DIR


def copy_path(data_dir: Path, file_sha256: str) -> Path:
    """Where the copy of the zip with this SHA-256 lives (whether or not it is there)."""
    return received_dir(data_dir) / f"{file_sha256}.zip"


def intact(path: Path, sha256: str, size: int) -> bool:
    """``path`` is a plain file holding exactly those bytes (re-hashed)."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size != size:
            return False
        return hash_file(path) == (sha256, size)
    except OSError:
        return False


def _storage(exc: OSError, folder: Path) -> StorageError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageError(f"磁盘已满，无法在数据文件夹中保存它的副本（{folder}），没有导入任何内容。"
                            "请清理磁盘空间后重新导入。", KIND_FULL, folder)
    known = explain(exc, folder)
    if known is not None:
        return known
    return StorageError(f"无法在数据文件夹中保存它的副本（{folder}：{exc.strerror or exc}），没有导入任何内容。",
                        KIND_CANNOT_OPEN, folder)


def _unreadable(source: Path, exc: OSError) -> PackageError:
    return PackageError(f"报送材料“{source.name}”不能导入：校验后再读取时出错（{exc.strerror or exc}），"
                        "文件可能已被移动或U盘已拔出。没有导入任何内容。", source)


def _changed(source: Path) -> PackageError:
    return PackageError(f"报送材料“{source.name}”不能导入：它在校验之后被改动了（内容与校验时不同）。"
                        "没有导入任何内容；请等它保存或下载完毕后重新导入。", source)


def _replace(tmp: str, final: Path) -> None:
    if final.exists():
        make_writable(final)  # an altered copy is repaired; Windows will not replace a read-only file
    os.replace(tmp, final)


def keep_copy(data_dir: Path, source: Path, sha256: str, size: int) -> bool:
    """Copy ``source`` to :func:`copy_path`, read-only; True when a copy was written, False when an intact
    one was there already.

    The bytes are hashed while they are written and must be ``sha256``/``size`` (what was verified): a zip
    changed since is a :class:`PackageError`, as is one that cannot be read any more; the data folder
    refusing the copy (disk full, read-only) is a :class:`StorageError`. Either way nothing is left behind.
    """
    source = Path(source)
    folder = received_dir(data_dir)
    final = copy_path(data_dir, sha256)
    if intact(final, sha256, size):
        return False
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise _storage(exc, folder) from exc
    try:
        src = open(source, "rb")  # noqa: SIM115 - closed below; read errors told apart from write errors
    except OSError as exc:
        raise _unreadable(source, exc) from None
    tmp: str | None = None
    try:
        try:
            fd, tmp = open_partial(folder, sha256[:16])
        except OSError as exc:
            raise _storage(exc, folder) from exc
        try:
            h, done = hashlib.sha256(), 0
            for chunk in read_chunks(src, lambda exc: _unreadable(source, exc)):
                done += len(chunk)
                h.update(chunk)
                try:
                    write_all(fd, chunk)
                except OSError as exc:
                    raise _storage(exc, folder) from exc
                if done > size:  # grown since it was verified: refused below without reading the rest
                    break
            if (h.hexdigest(), done) != (sha256, size):
                raise _changed(source)
            try:
                os.fsync(fd)
                if hasattr(os, "fchmod"):
                    with contextlib.suppress(OSError):  # FAT on a USB stick may refuse modes it cannot hold
                        os.fchmod(fd, READ_ONLY)
                if RENAME_WHILE_OPEN:
                    _replace(tmp, final)
                    tmp = None
            except OSError as exc:
                raise _storage(exc, folder) from exc
        finally:
            os.close(fd)
        try:
            if tmp is not None:  # Windows: closed first, then marked read-only and renamed
                os.chmod(tmp, READ_ONLY)
                _replace(tmp, final)
                tmp = None
            fsync_dir(folder, strict=True)
        except OSError as exc:
            raise _storage(exc, folder) from exc
        return True
    finally:
        src.close()
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def referenced(conn: sqlite3.Connection, file_sha256: str) -> bool:
    """Some received package (of any plan) is that zip."""
    return conn.execute("SELECT 1 FROM received_packages WHERE file_sha256=? LIMIT 1",
                        (file_sha256,)).fetchone() is not None


def drop_copy_if_unused(conn: sqlite3.Connection, data_dir: Path, file_sha256: str) -> bool:
    """Delete the copy when no row refers to it any more (after the removing transaction committed); True
    when a file was deleted. One that cannot be deleted stays: harmless, and logged."""
    if referenced(conn, file_sha256):
        return False
    path = copy_path(data_dir, file_sha256)
    try:
        unlink_stored(path)
    except FileNotFoundError:
        return False
    except OSError:
        log.warning("could not delete the unused package copy %s", path, exc_info=True)
        return False
    return True


@dataclass(frozen=True)
class CopyProblem:
    office: str
    report_date: str
    file_name: str
    path: Path
    verdict: str  # missing | altered | unreadable

    @property
    def message(self) -> str:
        what = f"{self.office}报告日期为 {self.report_date} 的报送材料“{self.file_name}”"
        if self.verdict == "missing":
            return (f"{what}：数据文件夹中没有它的副本（{self.path.name}），打开其佐证材料时需要原压缩包。"
                    "重新导入该压缩包即可补存（内容不会重复导入）。")
        if self.verdict == "altered":
            return (f"{what}：数据文件夹中的副本已被改动（校验值不符）：{self.path}。"
                    "重新导入原压缩包即可修复。")
        return f"{what}：数据文件夹中的副本无法读取：{self.path}"


def check_copies(conn: sqlite3.Connection, data_dir: Path) -> list[CopyProblem]:
    """Every received package whose copy is missing, altered (re-hashed) or unreadable; empty when all is
    well. Copies no row refers to are not a problem."""
    verdicts: dict[str, str | None] = {}
    problems = []
    rows = conn.execute("SELECT office, report_date, file_name, file_sha256, file_size FROM received_packages"
                        " ORDER BY office, report_date, id")
    for office, report_date, file_name, sha, size in rows:
        path = copy_path(data_dir, sha)
        if sha not in verdicts:
            try:
                if path.is_symlink() or not path.is_file():
                    verdicts[sha] = "missing"
                else:
                    verdicts[sha] = None if hash_file(path) == (sha, int(size)) else "altered"
            except OSError:
                verdicts[sha] = "unreadable"
        verdict = verdicts[sha]
        if verdict is not None:
            problems.append(CopyProblem(office, report_date, file_name, path, verdict))
    return problems
