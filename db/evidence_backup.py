"""Backups that include the evidence, without a full copy of it per backup.

Rule: the evidence of a backup database file lives in the folder ``evidence/`` beside it, laid out
like the live store (``<sha[:2]>/<sha>``). Automatic backups in ``<data>/backups/`` share one such
pool: a new backup adds only content the pool lacks (an independent, verified copy: a reflink where the
file system offers one, never a hard link, so a changed live file cannot change a backup), and
:func:`prune_evidence_pool` drops what no kept backup refers to. ``backup --out`` writes a
self-contained folder (:func:`write_backup_folder`): ``taizhang.sqlite3`` + ``evidence/`` +
``manifest.json``, built under a temporary name and renamed when complete and verified.

A restore first puts every file the backup refers to into the live store, re-hashing each one, from
the backup, the automatic backups' pool and the other backup folders beside it. When only evidence
is damaged everywhere, the database is still restored (it is what the clerk typed), the damaged items
are named in the result, and :func:`fetch_missing_evidence` takes them from another backup later.
Extra files in the store are harmless (the next purge removes them).

Call order after an automatic backup: :func:`after_backup` (pool, pool prune, bin purge).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from core.evidence_rules import EvidenceError
from core.paths import DB_FILE
from db.backup import BACKUP_DIR, copy_database, database_problems
from db.environment import pid_gone
from db.evidence import PurgeResult, purge_bin
from db.evidence_files import (
    blob_path,
    clone_into,
    copy_hashed,
    evidence_dir,
    fsync_dir,
    hash_file,
    is_present,
    place,
    remove_stale_temps,
    stored_hashes,
    unlink_stored,
)
from db.restore import InvalidBackupError, RestoreResult, check_backup_file, restore_database

POOL_DIR = "evidence"
MANIFEST = "manifest.json"
FOLDER_FORMAT = "taizhang-backup"
FOLDER_VERSION = 1
FOLDER_PREFIX = "taizhang-backup-"


class EvidenceMissingError(InvalidBackupError):
    """A backup refers to evidence files found nowhere (or only altered): it cannot be used whole."""


@dataclass(frozen=True)
class PoolResult:
    linked: int  # always 0: pools hold independent copies, never hard links (kept for callers that count)
    copied: int  # new in the pool as a verified, independent copy (a reflink where possible)
    present: int  # already there
    missing: tuple[str, ...]  # hashes the live store lacked or held altered: that backup is incomplete


@dataclass(frozen=True)
class BackupFolder:
    path: Path
    database_bytes: int
    evidence_files: int
    evidence_bytes: int


def _open_ro(db_file: Path) -> sqlite3.Connection:
    uri = Path(db_file).resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:  # WAL file on read-only media
        return sqlite3.connect(f"{uri}?immutable=1", uri=True)


def referenced_in(db_file: Path) -> dict[str, int]:
    """{sha256: size} of the files a database (live or backup) refers to; {} before migration 3."""
    conn = _open_ro(db_file)
    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='evidence'").fetchone() is None:
            return {}
        return {r[0]: int(r[1]) for r in conn.execute(
            "SELECT DISTINCT sha256, size FROM evidence WHERE sha256 IS NOT NULL")}
    finally:
        conn.close()


def item_names(db_file: Path, hashes: Sequence[str]) -> list[str]:
    """任务12 的 12-1 会议照片（会议照片.jpg）for each item behind some hashes."""
    names: list[str] = []
    conn = _open_ro(db_file)
    try:
        for sha in hashes:
            for task, seq, title, name in conn.execute(
                    "SELECT task, seq, title, file_name FROM evidence WHERE sha256=? ORDER BY id", (sha,)):
                names.append(f"任务{task} 的 {task}-{seq} {title}（{name}）")
    finally:
        conn.close()
    return names


def _describe(db_file: Path, hashes: Sequence[str], limit: int = 8) -> str:
    names = item_names(db_file, hashes)
    more = f" 等 {len(names)} 项" if len(names) > limit else ""
    return "；".join(names[:limit]) + more


def _copy_verified(source: Path, folder: Path, sha: str) -> bool:
    """Copy ``source`` into an evidence folder under its content name if its content is ``sha``."""
    try:
        tmp, got, size = copy_hashed(source, folder, limit=None)
    except (EvidenceError, OSError):
        return False
    if got != sha:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    place(tmp, folder, sha, size)
    return True


def _add_to_pool(live: Path, pool: Path, sha: str, size: int, others: Sequence[Path] = ()) -> str | None:
    """'copied', 'present' or None (no good copy anywhere). Each copy is independent of its source (see
    :func:`db.evidence_files.clone_into`) and hash-checked."""
    if is_present(pool, sha, size):
        return "present"
    for source in (*others, live):
        src = blob_path(source, sha)
        if src.is_file() and clone_into(src, pool, sha, size):
            return "copied"
    return None


def backup_evidence(db_file: Path, data_dir: Path, dest_folder: Path | None = None) -> PoolResult:
    """Put every file ``db_file`` refers to into the pool beside it (``dest_folder/evidence``)."""
    pool = Path(dest_folder or Path(db_file).parent) / POOL_DIR
    live = evidence_dir(data_dir)
    remove_stale_temps(pool)
    counts = {"linked": 0, "copied": 0, "present": 0}
    missing = []
    for sha, size in sorted(referenced_in(db_file).items()):
        how = _add_to_pool(live, pool, sha, size)
        if how is None:
            missing.append(sha)
        else:
            counts[how] += 1
    if counts["linked"] or counts["copied"]:
        fsync_dir(pool)
    return PoolResult(counts["linked"], counts["copied"], counts["present"], tuple(missing))


def prune_evidence_pool(backup_folder: Path) -> list[str]:
    """Delete pool files no database in ``backup_folder`` refers to; nothing when one cannot be read."""
    backup_folder = Path(backup_folder)
    pool = backup_folder / POOL_DIR
    keep: set[str] = set()
    for db_file in backup_folder.glob("*.sqlite3"):
        try:
            keep.update(referenced_in(db_file))
        except sqlite3.Error:
            return []  # cannot tell what that backup needs: keep everything
    removed = []
    for sha in sorted(stored_hashes(pool) - keep):
        with contextlib.suppress(OSError):
            unlink_stored(blob_path(pool, sha))
            removed.append(sha)
    remove_stale_temps(pool)
    return removed


@dataclass(frozen=True)
class AfterBackup:
    pool: PoolResult
    pruned: int
    purged: PurgeResult


def after_backup(conn: sqlite3.Connection, data_dir: Path, backup_db: Path, taken_at: datetime) -> AfterBackup:
    """What follows a verified automatic backup: pool its evidence, prune the pool to the kept backups,
    then empty the bin of items removed before this backup (they stay restorable from it)."""
    pool = backup_evidence(backup_db, data_dir)
    pruned = prune_evidence_pool(Path(backup_db).parent)
    purged = purge_bin(conn, data_dir, taken_at) if not pool.missing else PurgeResult(0, 0)
    return AfterBackup(pool, len(pruned), purged)


# --- restoring -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EvidenceRestore:
    checked: int  # files the backup refers to, each re-hashed
    copied: int  # brought back into the live store
    missing: tuple[str, ...] = ()  # hashes found nowhere intact


def restore_evidence(backup_db: Path, data_dir: Path, pools: Sequence[Path] = ()) -> EvidenceRestore:
    """Make the live store hold every file ``backup_db`` refers to, hash-checked, from the first of
    ``pools``, the backup's own pool and the automatic backups' pool that holds it intact; what is
    found nowhere is listed in ``missing``. Call before the swap."""
    live = evidence_dir(data_dir)
    sources = list(dict.fromkeys([*map(Path, pools), Path(backup_db).parent / POOL_DIR,
                                  Path(data_dir) / BACKUP_DIR / POOL_DIR]))
    refs = referenced_in(backup_db)
    copied, missing = 0, []
    for sha, size in sorted(refs.items()):
        with contextlib.suppress(OSError):
            if hash_file(blob_path(live, sha)) == (sha, size):
                continue
        if any(_copy_verified(blob_path(p, sha), live, sha) for p in sources if blob_path(p, sha).is_file()):
            copied += 1
        else:
            missing.append(sha)
    return EvidenceRestore(len(refs), copied, tuple(missing))


def _other_backups(source: Path) -> list[Path]:
    """Evidence pools of the other backup folders beside ``source`` (the same USB stick), newest first."""
    parent = source.parent
    found = sorted((p for p in parent.glob(f"{FOLDER_PREFIX}*") if p != source and (p / POOL_DIR).is_dir()),
                   reverse=True)
    return [p / POOL_DIR for p in found]


def restore_with_evidence(data_dir: Path, source: Path, now: datetime | None = None) -> RestoreResult:
    """Restore the database and its evidence from a backup file or a backup folder (close every
    connection to the database first, as for ``restore_database``).

    A damaged database, or a folder whose manifest or database does not check, is refused with
    nothing changed. Evidence files damaged or missing in the backup are taken from the other backups
    (the automatic pool, other backup folders beside it); those found nowhere do not stop the restore
    of the database: they are named in ``missing_evidence``.
    """
    data_dir, source = Path(data_dir), Path(source)
    if source.is_dir():
        problems = verify_backup_folder(source, evidence=False)
        if problems:
            raise InvalidBackupError(f"{source.name} 不能用于恢复：{'；'.join(problems[:5])}（数据库未改动）")
        db_file, pools = source / DB_FILE, [source / POOL_DIR, *_other_backups(source)]
    else:
        db_file, pools = source, []
    check_backup_file(db_file)
    evidence = restore_evidence(db_file, data_dir, pools)
    result = restore_database(data_dir / DB_FILE, db_file, now)
    if result.safety_backup is not None:  # the data as it was: its files are still in the live store
        with contextlib.suppress(OSError, sqlite3.Error):
            backup_evidence(result.safety_backup.path, data_dir)
    if evidence.missing:
        result = replace(result, missing_evidence=tuple(item_names(data_dir / DB_FILE, evidence.missing)))
    return result


def fetch_missing_evidence(data_dir: Path, other: Path) -> tuple[int, list[str]]:
    """Take the evidence files the live database refers to but lacks (or holds altered) from another
    backup (a folder, or a file with ``evidence/`` beside it), hash-checked. Returns (files brought
    back, items still missing)."""
    data_dir, other = Path(data_dir), Path(other)
    pool = other / POOL_DIR if other.is_dir() else other.parent / POOL_DIR
    live, db_file = evidence_dir(data_dir), data_dir / DB_FILE
    fetched, missing = 0, []
    for sha, size in sorted(referenced_in(db_file).items()):
        with contextlib.suppress(OSError):
            if hash_file(blob_path(live, sha)) == (sha, size):
                continue
        if blob_path(pool, sha).is_file() and _copy_verified(blob_path(pool, sha), live, sha):
            fetched += 1
        else:
            missing.append(sha)
    return fetched, item_names(db_file, missing)


# --- backup --out: one self-contained folder -------------------------------------------------------
def _folder_target(out: Path, now: datetime) -> Path:
    if out.is_dir():
        target = out / f"{FOLDER_PREFIX}{now:%Y%m%d-%H%M%S}"
        n = 1
        while target.exists():
            n += 1
            target = out / f"{FOLDER_PREFIX}{now:%Y%m%d-%H%M%S}-{n}"
        return target
    if out.exists():
        raise EvidenceError(f"“{out.name}”已存在且不是文件夹，请换一个位置")
    if not out.parent.is_dir():
        raise EvidenceError(f"文件夹不存在：{out.parent}")
    return out


def _siblings(target: Path, keep: int = 3) -> list[Path]:
    """The newest earlier backup folders beside ``target``: sources to copy from (same USB stick, where a
    reflink may avoid a second copy of the bytes)."""
    found = sorted((p for p in target.parent.glob(f"{FOLDER_PREFIX}*") if (p / POOL_DIR).is_dir()), reverse=True)
    return [p / POOL_DIR for p in found[:keep]]


def _file_entry(path: Path, rel: str) -> dict:
    sha, size = hash_file(path)
    return {"path": rel, "size": size, "sha256": sha}


def _remove_stale_folders(parent: Path) -> None:
    """Half-written backup folders left by a crash or a pulled stick (their process is gone, or a day old)."""
    cutoff = datetime.now().timestamp() - 86400
    for entry in parent.glob(f".{FOLDER_PREFIX}*.tmp"):
        pid = entry.name.rsplit(".", 2)[-2]
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < cutoff or (pid.isdigit() and pid_gone(int(pid))):
                shutil.rmtree(entry)


def write_backup_folder(db_path: Path, data_dir: Path, out: Path, now: datetime | None = None) -> BackupFolder:
    """``backup --out``: a folder holding a verified copy of the database and every evidence file it
    refers to, with ``manifest.json``. ``out`` an existing folder gets ``taizhang-backup-<time>/``
    inside; otherwise ``out`` is the folder to create. Nothing appears under the final name unless
    complete; a missing or altered live file refuses the whole backup (naming the items)."""
    now = now or datetime.now()
    target = _folder_target(Path(out), now)
    _remove_stale_folders(target.parent)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir()
        copy_database(Path(db_path), tmp / DB_FILE)
        pool = tmp / POOL_DIR
        refs = referenced_in(tmp / DB_FILE)
        others = _siblings(target)
        missing = [sha for sha, size in sorted(refs.items())
                   if _add_to_pool(evidence_dir(data_dir), pool, sha, size, others) is None]
        if missing:
            raise EvidenceMissingError(f"有 {len(missing)} 个佐证材料文件缺失或已被改动，备份没有写入："
                                       f"{_describe(tmp / DB_FILE, missing)}。请先运行“检查”，删除或重新添加这些材料。")
        # each pool file was hashed as it was added; the read-back below checks what landed on the stick
        entries = [{"path": f"{POOL_DIR}/{sha[:2]}/{sha}", "size": size, "sha256": sha}
                   for sha, size in sorted(refs.items())]
        manifest = {"format": FOLDER_FORMAT, "version": FOLDER_VERSION, "created_at": now.isoformat(timespec="seconds"),
                    "database": _file_entry(tmp / DB_FILE, DB_FILE), "evidence": entries}
        with open(tmp / MANIFEST, "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        for folder in {blob_path(pool, sha).parent for sha in refs} | {pool, tmp}:
            if folder.is_dir():
                fsync_dir(folder)
        problems = verify_backup_folder(tmp)
        if problems:
            raise EvidenceMissingError(f"备份写入后校验失败：{'；'.join(problems[:3])}")
        os.rename(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    size = sum(e["size"] for e in entries)
    return BackupFolder(target, manifest["database"]["size"], len(entries), size)


def verify_backup_folder(folder: Path, *, evidence: bool = True) -> list[str]:
    """What is wrong with a backup folder (empty when it can be restored): the manifest, the database
    (integrity, our tables, its hash) and, with ``evidence``, every evidence file's size and hash."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [f"缺少 {MANIFEST}，不是落实台账的备份文件夹"]
    except (OSError, ValueError) as exc:
        return [f"{MANIFEST} 无法读取：{exc}"]
    if not isinstance(manifest, dict) or manifest.get("format") != FOLDER_FORMAT:
        return [f"{MANIFEST} 不是落实台账的备份清单"]
    if not isinstance(manifest.get("version"), int) or manifest["version"] > FOLDER_VERSION:
        return ["备份由更新版本的程序写入，请用新版程序恢复"]
    problems = []
    listed: dict[str, int] = {}
    entries = [manifest.get("database"), *(manifest.get("evidence") or [])]
    for entry in entries:
        try:
            rel, size, sha = entry["path"], int(entry["size"]), entry["sha256"]
            path = folder / rel
            if ".." in Path(rel).parts or Path(rel).is_absolute():
                raise ValueError(rel)
        except (KeyError, TypeError, ValueError):
            problems.append(f"{MANIFEST} 中有格式不对的条目")
            continue
        if rel != DB_FILE:
            listed[sha] = size
            if not evidence:
                continue
        try:
            if hash_file(path) != (sha, size):
                problems.append(f"{rel} 已被改动（大小或校验值不符）")
        except OSError:
            problems.append(f"缺少文件 {rel}")
    db_file = folder / DB_FILE
    if problems:
        return problems
    problems += [f"{DB_FILE}：{p}" for p in database_problems(db_file)]
    if not problems and evidence:
        absent = [sha for sha, size in referenced_in(db_file).items() if listed.get(sha) != size]
        if absent:
            problems.append(f"数据库引用的 {len(absent)} 个佐证材料文件不在备份中：{_describe(db_file, absent)}")
    return problems


def backup_size_estimate(conn: sqlite3.Connection, db_path: Path) -> int:
    """Bytes a backup folder will take (database + distinct evidence), to check free space first."""
    total = Path(db_path).stat().st_size
    total += int(conn.execute("SELECT coalesce(sum(size), 0) FROM (SELECT DISTINCT sha256, size FROM evidence"
                              " WHERE sha256 IS NOT NULL)").fetchone()[0])
    return total
