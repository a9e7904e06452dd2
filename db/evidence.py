"""佐证材料 rows: adding files and links, listing, the bin (remove, undo, purge) and the consistency check.

Numbering: an item's number is ``<task>-<seq>`` (12-1, 12-2 …) in the order items were added to that
task. The number is stored with the item and never changes or gets reused: removing 12-2 leaves
12-1 and 12-3 as they were (a package or ledger already sent keeps meaning what it said), undo brings
12-2 back under its old number, and a later item gets 12-4 even after 12-2 is purged from the bin
(``evidence_numbers`` remembers the highest number given per task).

Adding is two steps so the slow part holds no lock: the files are copied into the store first
(:mod:`db.evidence_files`), then one short transaction inserts every row, after checking under the
write lock that each file is still there. A row therefore never exists without its file; a crash
between the steps leaves only an unreferenced stored file, removed by the next :func:`purge_bin`.

The evidence row is inserted through sqlite-utils (:mod:`db.sqlite_utils_db`, a dict inside that
transaction; the table's CHECK constraints still refuse a bad row). Plain SQL stays for the number counter
(``evidence_numbers``: one ``ON CONFLICT … last_seq + 1`` statement, a read-modify-write sqlite-utils cannot
express), for the bin's UPDATE/DELETE statements (set-based, by condition) and for the reads.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from core.evidence_rules import (
    WARN_FOLDER_BYTES,
    EvidenceError,
    check_seen_date,
    check_url,
    clean_note,
    clean_title,
    safe_file_name,
    safe_suffix,
    title_from_file_name,
)
from core.package.write import PackageEvidence
from db.connection import transaction
from db.errors import explain
from db.evidence_files import (
    Progress,
    StoredFile,
    blob_path,
    check_source,
    delete_unreferenced,
    evidence_dir,
    hash_file,
    is_present,
    mb,
    remove_stale_temps,
    store_file,
)
from db.sqlite_utils_db import writer

_COLUMNS = ("id, plan_id, office, task, seq, kind, title, note, seen_date, file_name, sha256, size, url, "
            "added_at, removed_at")


@dataclass(frozen=True)
class EvidenceItem:
    id: int
    plan_id: int
    office: str
    task: int
    seq: int
    kind: str  # 'file' or 'link'
    title: str
    note: str
    seen_date: str | None  # YYYY-MM-DD: when the photo was taken / the page was seen
    file_name: str  # the file name as given ('' for a link without screenshot)
    sha256: str | None
    size: int | None
    url: str | None
    added_at: str
    removed_at: str | None  # set while in the bin

    @property
    def number(self) -> str:
        """12-1: the task number and the item's place in that task."""
        return f"{self.task}-{self.seq}"

    @property
    def label(self) -> str:
        """What the ledger's 佐证材料 column prints: 12-1 会议照片."""
        return f"{self.number} {self.title}"

    @property
    def suffix(self) -> str:
        name = self.file_name
        return "." + name.rsplit(".", 1)[1] if "." in name.strip(".") else ""

    def as_json(self) -> dict:
        """The keys of ``evidence list --json``."""
        return {"id": self.id, "task": self.task, "number": self.number, "title": self.title, "kind": self.kind,
                "file_name": self.file_name, "sha256": self.sha256, "size": self.size, "url": self.url,
                "seen_date": self.seen_date, "note": self.note, "added_at": self.added_at,
                "removed_at": self.removed_at}


@dataclass(frozen=True)
class AddResult:
    items: tuple[EvidenceItem, ...]
    warning: str | None  # set when the evidence folder passed 2 GB, or a file was given twice
    duplicates: tuple[str, ...] = ()  # files given more than once in one add: each added once


@dataclass(frozen=True)
class EvidenceProblem:
    task: int
    number: str
    title: str
    item_id: int
    problem: str  # 'missing' or 'altered'
    message: str


def _item(row: tuple) -> EvidenceItem:
    return EvidenceItem(*row)


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


@contextmanager
def _write(conn: sqlite3.Connection, where: Path | None = None) -> Iterator[sqlite3.Connection]:
    try:
        with transaction(conn) as c:
            yield c
    except (OSError, sqlite3.Error) as exc:
        raise explain(exc, where) or exc from exc


# --- reading -----------------------------------------------------------------------------------
def get_item(conn: sqlite3.Connection, item_id: int) -> EvidenceItem:
    row = conn.execute(f"SELECT {_COLUMNS} FROM evidence WHERE id=?", (item_id,)).fetchone()
    if row is None:
        raise EvidenceError(f"没有编号为 {item_id} 的佐证材料")
    return _item(row)


def list_items(conn: sqlite3.Connection, plan_id: int, office: str, task: int | None = None, *,
               include_removed: bool = False) -> list[EvidenceItem]:
    """An office's items (or one task's), by task then number; the bin only with ``include_removed``."""
    sql = f"SELECT {_COLUMNS} FROM evidence WHERE plan_id=? AND office=?"
    args: list = [plan_id, office]
    if task is not None:
        sql += " AND task=?"
        args.append(task)
    if not include_removed:
        sql += " AND removed_at IS NULL"
    return [_item(r) for r in conn.execute(sql + " ORDER BY task, seq", args)]


def list_bin(conn: sqlite3.Connection, plan_id: int, office: str) -> list[EvidenceItem]:
    rows = conn.execute(f"SELECT {_COLUMNS} FROM evidence WHERE plan_id=? AND office=? AND removed_at IS NOT NULL"
                        " ORDER BY removed_at DESC, id DESC", (plan_id, office))
    return [_item(r) for r in rows]


def labels_by_task(conn: sqlite3.Connection, plan_id: int, office: str) -> dict[int, list[str]]:
    """{12: ['12-1 会议照片', '12-2 …']} for the ledger's 佐证材料 column (items in the bin left out)."""
    out: dict[int, list[str]] = {}
    for item in list_items(conn, plan_id, office):
        out.setdefault(item.task, []).append(item.label)
    return out


def stored_bytes(conn: sqlite3.Connection) -> int:
    """Bytes of distinct stored content any row (bin included) refers to."""
    row = conn.execute("SELECT coalesce(sum(size), 0) FROM (SELECT DISTINCT sha256, size FROM evidence"
                       " WHERE sha256 IS NOT NULL)").fetchone()
    return int(row[0])


def folder_warning(conn: sqlite3.Connection) -> str | None:
    total = stored_bytes(conn)
    if total <= WARN_FOLDER_BYTES:
        return None
    return (f"佐证材料已占用 {mb(total)}，超过 {mb(WARN_FOLDER_BYTES)}。备份和报送材料会变大、变慢；"
            "可以把大视频或重复的照片移出，或压缩图片后再添加。")


# --- adding ------------------------------------------------------------------------------------
def _check_target(conn: sqlite3.Connection, plan_id: int, office: str, task: int) -> None:
    if conn.execute("SELECT 1 FROM offices WHERE name=?", (office,)).fetchone() is None:
        raise EvidenceError(f"未知单位：{office}")
    if conn.execute("SELECT 1 FROM tasks WHERE plan_id=? AND number=?", (plan_id, task)).fetchone() is None:
        raise EvidenceError(f"当前方案中没有任务 {task}")


def _next_seq(conn: sqlite3.Connection, plan_id: int, office: str, task: int) -> int:
    conn.execute("INSERT INTO evidence_numbers (plan_id, office, task, last_seq) VALUES (?,?,?,1)"
                 " ON CONFLICT (plan_id, office, task) DO UPDATE SET last_seq = last_seq + 1",
                 (plan_id, office, task))
    return int(conn.execute("SELECT last_seq FROM evidence_numbers WHERE plan_id=? AND office=? AND task=?",
                            (plan_id, office, task)).fetchone()[0])


def _insert(conn: sqlite3.Connection, plan_id: int, office: str, task: int, kind: str, title: str, note: str,
            seen: str | None, stored: StoredFile | None, url: str | None) -> EvidenceItem:
    seq = _next_seq(conn, plan_id, office, task)
    row_id = writer(conn)["evidence"].insert({
        "plan_id": plan_id, "office": office, "task": task, "seq": seq, "kind": kind, "title": title, "note": note,
        "seen_date": seen, "file_name": stored.name if stored else "", "sha256": stored.sha256 if stored else None,
        "size": stored.size if stored else None, "url": url, "added_at": _now(),
    }).last_pk
    return get_item(conn, int(row_id or 0))


def _ensure_stored(data_dir: Path, stored: StoredFile) -> StoredFile:
    """Under the write lock: the stored file is still there (a purge may have run since the copy)."""
    if is_present(evidence_dir(data_dir), stored.sha256, stored.size):
        return stored
    again = store_file(data_dir, stored.source)
    if again.sha256 != stored.sha256:
        raise EvidenceError(f"“{stored.name}”在添加过程中被改动了，请重新添加。没有添加任何文件。", stored.source)
    return again


def add_files(conn: sqlite3.Connection, data_dir: Path, plan_id: int, office: str, task: int,
              sources: Sequence[Path], *, title: str | None = None, note: str = "",
              seen_date: date | str | None = None, today: date | None = None,
              progress: Progress | None = None) -> AddResult:
    """Add files to a task, all or nothing. ``title`` applies to every file (default: each file's name
    without suffix); numbers follow the order of ``sources``.

    Raises EvidenceError (bad input, message names the file) or StorageError (disk, permissions).
    """
    if not sources:
        raise EvidenceError("没有选择文件")
    sources, duplicates = _distinct_files(sources)
    titles = [clean_title(title) if title is not None else title_from_file_name(Path(s).name) for s in sources]
    note = clean_note(note)
    seen = check_seen_date(seen_date, today)
    _check_target(conn, plan_id, office, task)
    for s in sources:  # every file checked before any is copied
        check_source(Path(s))
    stored = [store_file(data_dir, Path(s), progress) for s in sources]  # slow part: no lock held
    with _write(conn, data_dir) as c:
        items = [_insert(c, plan_id, office, task, "file", t, note, seen, _ensure_stored(data_dir, s), None)
                 for t, s in zip(titles, stored, strict=True)]
    warning = folder_warning(conn)
    if duplicates:
        said = "、".join(f"“{name}”" for name in duplicates)
        twice = f"{said}选了不止一次，只添加了一项。"
        warning = twice if warning is None else f"{twice}{warning}"
    return AddResult(tuple(items), warning, duplicates)


def _distinct_files(sources: Sequence[Path]) -> tuple[list[Path], tuple[str, ...]]:
    """The sources with a file given again (the same path, or another name of the same file) left out,
    and the names of those given more than once."""
    seen: set[object] = set()
    kept: list[Path] = []
    duplicates: list[str] = []
    for raw in sources:
        path = Path(raw)
        try:
            st = os.stat(path)
            key: object = (st.st_dev, st.st_ino)
        except OSError:  # check_source names it below
            key = os.path.normcase(os.path.abspath(path))
        if key in seen:
            if path.name not in duplicates:
                duplicates.append(path.name)
            continue
        seen.add(key)
        kept.append(path)
    return kept, tuple(duplicates)


def add_link(conn: sqlite3.Connection, data_dir: Path, plan_id: int, office: str, task: int, url: str,
             title: str, *, seen_date: date | str | None = None, note: str = "", screenshot: Path | None = None,
             today: date | None = None) -> AddResult:
    """Add a web page: its address, a title, the date it was seen and optionally a screenshot file."""
    url = check_url(url)
    title = clean_title(title)
    note = clean_note(note)
    seen = check_seen_date(seen_date, today)
    _check_target(conn, plan_id, office, task)
    stored = store_file(data_dir, Path(screenshot)) if screenshot is not None else None
    with _write(conn, data_dir) as c:
        shot = _ensure_stored(data_dir, stored) if stored is not None else None
        item = _insert(c, plan_id, office, task, "link", title, note, seen, shot, url)
    return AddResult((item,), folder_warning(conn))


def update_item(conn: sqlite3.Connection, item_id: int, *, title: str | None = None, note: str | None = None,
                seen_date: date | str | None = None, today: date | None = None) -> EvidenceItem:
    """Change an item's title, note or date (its number and file stay)."""
    item = get_item(conn, item_id)
    new_title = clean_title(title) if title is not None else item.title
    new_note = clean_note(note) if note is not None else item.note
    new_seen = check_seen_date(seen_date, today) if seen_date is not None else item.seen_date
    with _write(conn) as c:
        c.execute("UPDATE evidence SET title=?, note=?, seen_date=? WHERE id=?", (new_title, new_note, new_seen,
                                                                                  item_id))
    return get_item(conn, item_id)


# --- the bin -----------------------------------------------------------------------------------
def remove_item(conn: sqlite3.Connection, item_id: int, now: datetime | None = None) -> EvidenceItem:
    """Move an item to the bin; its number and file stay until :func:`purge_bin`."""
    item = get_item(conn, item_id)
    if item.removed_at is not None:
        raise EvidenceError(f"佐证材料 {item.label} 已在回收站中")
    stamp = (now or datetime.now()).isoformat(timespec="seconds")
    with _write(conn) as c:
        c.execute("UPDATE evidence SET removed_at=? WHERE id=?", (stamp, item_id))
    return get_item(conn, item_id)


def undo_remove(conn: sqlite3.Connection, item_id: int) -> EvidenceItem:
    item = get_item(conn, item_id)
    if item.removed_at is None:
        raise EvidenceError(f"佐证材料 {item.label} 不在回收站中")
    with _write(conn) as c:
        c.execute("UPDATE evidence SET removed_at=NULL WHERE id=?", (item_id,))
    return get_item(conn, item_id)


@dataclass(frozen=True)
class PurgeResult:
    items: int  # rows deleted from the bin
    files: int  # stored files deleted because no row refers to them any more


def purge_bin(conn: sqlite3.Connection, data_dir: Path, removed_before: datetime | str) -> PurgeResult:
    """Delete bin rows removed before ``removed_before`` (pass the time of the last backup prune), then
    the stored files no row refers to. Backups keep their own copies (``db.evidence_backup``).

    The files are deleted while the write lock is held, so an add that is committing waits and then
    finds its file gone and stores it again (see ``_ensure_stored``).
    """
    cutoff = removed_before if isinstance(removed_before, str) else removed_before.isoformat(timespec="seconds")
    folder = evidence_dir(data_dir)
    with _write(conn, data_dir) as c:
        n = c.execute("DELETE FROM evidence WHERE removed_at IS NOT NULL AND removed_at < ?", (cutoff,)).rowcount
    with _write(conn, data_dir) as c:  # after the commit: a failed commit must not cost a file
        referenced = {r[0] for r in c.execute("SELECT DISTINCT sha256 FROM evidence WHERE sha256 IS NOT NULL")}
        removed = delete_unreferenced(folder, referenced)
    remove_stale_temps(folder)
    return PurgeResult(n, len(removed))


# --- checking ----------------------------------------------------------------------------------
def check_evidence(conn: sqlite3.Connection, data_dir: Path) -> list[EvidenceProblem]:
    """Every item whose stored file is missing or altered (re-hashed), by task and number; empty when
    all is well. Items in the bin are checked too (an undo needs their file)."""
    folder = evidence_dir(data_dir)
    verdicts: dict[str, str | None] = {}
    problems = []
    rows = conn.execute(f"SELECT {_COLUMNS} FROM evidence WHERE sha256 IS NOT NULL ORDER BY task, seq, id")
    for item in map(_item, rows):
        sha = item.sha256 or ""
        if sha not in verdicts:
            path = blob_path(folder, sha)
            try:
                got, size = hash_file(path)
                verdicts[sha] = None if (got, size) == (sha, item.size) else "altered"
            except FileNotFoundError:
                verdicts[sha] = "missing"
            except OSError:
                verdicts[sha] = "unreadable"
        verdict = verdicts[sha]
        if verdict is None:
            continue
        where = f"{item.office} 任务{item.task} 的佐证材料 {item.label}" + ("（回收站中）" if item.removed_at else "")
        text = {"missing": "文件缺失", "altered": "文件已被改动（校验值不符）",
                "unreadable": "文件无法读取"}[verdict]
        problems.append(EvidenceProblem(item.task, item.number, item.title, item.id, verdict,
                                        f"{where}：{text}（原文件名 {item.file_name}）"))
    return problems


def referenced_hashes(conn: sqlite3.Connection) -> dict[str, int]:
    """{sha256: size} of every stored file a row (bin included) refers to."""
    return {r[0]: int(r[1]) for r in conn.execute(
        "SELECT DISTINCT sha256, size FROM evidence WHERE sha256 IS NOT NULL")}


def package_items(conn: sqlite3.Connection, data_dir: Path, plan_id: int, office: str,
                  task_names: dict[int, str]) -> list[PackageEvidence]:
    """The office's items (bin left out) as ``core.package.write`` wants them, pointing at the stored files.

    ``task_names`` gives each task's short name for its folder (任务12 市长留言办理; see
    :func:`core.report.short_names.short_name`); a task without one gets a folder named just 任务12.
    """
    folder = evidence_dir(data_dir)
    return [PackageEvidence(i.task, task_names.get(i.task, ""), i.number, i.title,
                            blob_path(folder, i.sha256) if i.sha256 else None, i.suffix, i.sha256 or "",
                            i.url or "", i.seen_date or "")
            for i in list_items(conn, plan_id, office)]


VIEW_DIR = ".view"


def view_copy(data_dir: Path, item: EvidenceItem) -> Path:
    """A read-only copy named like the original (12-1 会议照片.jpg) for the system viewer.

    Stored files have no suffix, so a viewer could not tell their type; and a copy (not a link) means
    an editor saving in place cannot alter the evidence. Copies older than a day are cleared.
    """
    if item.sha256 is None:
        raise EvidenceError(f"佐证材料 {item.label} 没有文件（只有网址）")
    source = blob_path(evidence_dir(data_dir), item.sha256)
    if not source.is_file():
        raise EvidenceError(f"佐证材料 {item.label} 的文件缺失，请运行“检查”")
    folder = evidence_dir(data_dir) / VIEW_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
        cutoff = datetime.now().timestamp() - 86400
        for old in folder.iterdir():
            with contextlib.suppress(OSError):
                if old.stat().st_mtime < cutoff:
                    old.chmod(0o644)
                    old.unlink()
        target = folder / (safe_file_name(item.label, 110) + safe_suffix(item.suffix))
        if target.exists():
            target.chmod(0o644)
            target.unlink()
        shutil.copyfile(source, target)
        target.chmod(0o444)
    except OSError as exc:
        raise explain(exc, folder) or EvidenceError(f"无法打开佐证材料 {item.label}：{exc}") from exc
    return target
