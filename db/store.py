"""Storage for one data folder: a connection plus the queries the application layer (``actions``) needs.

Every write is its own short transaction; environment failures surface as
:class:`~db.errors.StorageError` with a plain message.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from pathlib import Path

from core.model import Office, OfficeKind, Plan, Progress, ReportTexts, Role
from core.paths import DB_FILE
from db import plans as plan_q
from db import progress as progress_q
from db.backup import BackupInfo, backup_if_changed, remove_stale_temps, take_backup
from db.connection import open_database, refuse_too_new, transaction
from db.environment import ensure_writable_dir, network_share_warning
from db.errors import KIND_CORRUPT, StorageError, explain
from db.open_lock import opening_lock
from db.plans import PlanInfo, now_iso
from db.progress import Version
from db.recovery import NOTICE_WARNING, Notice, check_and_recover, is_corruption, recover
from db.verify import decode_problems

#: Days a removed evidence item stays in the bin (undo possible; backups taken meanwhile still hold it).
BIN_DAYS = 7

__all__ = ["ArchivedReport", "Notice", "PlanInfo", "StorageError", "Store", "Version"]


@dataclass(frozen=True)
class ArchivedReport:
    id: int
    created_at: str
    report_date: str
    sha256: str
    options: dict
    format: str = "pdf"
    round_label: str = ""


def pool_evidence(conn: sqlite3.Connection, db_path: Path, info: BackupInfo) -> BackupInfo:
    """After a verified backup: the evidence files it refers to go into the backups' shared pool (copied
    once, never 27 times) and the pool is pruned to the kept backups. The bin loses items removed more than
    BIN_DAYS before: every command and every start takes a backup, so "until the next backup" alone would
    leave no time to undo."""
    from db.evidence_backup import after_backup  # evidence handling: not on the way to the window (~20 ms)

    purge_before = min(info.taken_at, datetime.now() - timedelta(days=BIN_DAYS))
    try:
        after_backup(conn, db_path.parent, info.path, purge_before)
    except (OSError, sqlite3.Error) as exc:
        raise explain(exc, info.path) or StorageError(f"佐证材料没有备份成功：{exc}", "cannot_open", info.path) from exc
    return info


class Store:
    """Data access for one data folder."""

    def __init__(self, conn: sqlite3.Connection, path: Path, notices: list[Notice] | None = None) -> None:
        self.conn = conn
        self.path = path
        self.notices: list[Notice] = notices or []  # what the clerk must be told after opening

    # --- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, before_migrate: Callable[[int, int], None] | None = None, *,
             auto_backup: bool = True, seed: Callable[[Store], object] | None = None) -> Store:
        """Open the data folder's database, after checking the folder and the file.

        A damaged file is set aside and replaced from the newest good backup (see ``notices``);
        a backup is taken before any migration, and at start when the data changed since the last.
        ``seed`` (the application layer's: the built-in plan) runs inside the opening lock, before the start
        backup; storage itself parses nothing.
        """
        data_dir = Path(data_dir)
        path = data_dir / DB_FILE
        ensure_writable_dir(data_dir)
        notices: list[Notice] = []
        warning = network_share_warning(data_dir)
        if warning:
            notices.append(Notice(NOTICE_WARNING, warning))
        # Checking, creating, migrating and seeding run one process at a time (see db.open_lock).
        with opening_lock(data_dir):
            remove_stale_temps(path)
            refuse_too_new(path)  # before any check: closing a connection may checkpoint a -wal
            recovered = check_and_recover(path)
            if recovered is not None:
                notices.append(recovered)
            try:
                store = cls._open_checked(path, seed, before_migrate, notices)
            except (sqlite3.DatabaseError, StorageError, UnicodeDecodeError) as exc:
                # Damage quick_check cannot see (an index, say) shows up while reading: recover once.
                if recovered is not None or not (is_corruption(exc) or getattr(exc, "kind", "") == KIND_CORRUPT):
                    raise
                notices.append(recover(path, str(exc)))
                store = cls._open_checked(path, seed, before_migrate, notices)
            if auto_backup:  # after seeding, so the start backup holds the plan
                store.backup_quietly("start")
        return store

    @classmethod
    def _open_checked(cls, path: Path, seed: Callable[[Store], object] | None,
                      before_migrate: Callable[[int, int], None] | None, notices: list[Notice]) -> Store:
        def before(old: int, new: int) -> None:
            take_backup(path, "before-migration")
            if before_migrate is not None:
                before_migrate(old, new)

        store = cls(open_database(path, before), path, notices)
        try:
            if seed is not None:
                seed(store)
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def attach(cls, data_dir: Path, notices: list[Notice] | None = None) -> Store:
        """A connection of the calling thread's own to a folder :meth:`open` has already checked.

        No check, recovery or backup again: for the window after a background open, and for background jobs.
        """
        path = Path(data_dir) / DB_FILE
        return cls(open_database(path), path, list(notices or []))

    def close(self) -> None:
        self.conn.close()

    def reconnect(self) -> None:
        """A fresh connection on the calling thread (the old one already closed); holders keep this Store."""
        self.conn = open_database(self.path)

    def reopen(self, seed: Callable[[Store], object] | None = None) -> None:
        """Open the file again in place (after a restore swapped it); objects holding this Store keep working."""
        fresh = Store.open(self.path.parent, auto_backup=False, seed=seed)
        self.conn = fresh.conn
        self.notices = fresh.notices

    # --- backups --------------------------------------------------------------------------------
    def backup(self, reason: str = "auto") -> BackupInfo:
        """A verified backup into ``backups/`` now, with its evidence files pooled; raises StorageError."""
        return pool_evidence(self.conn, self.path, take_backup(self.path, reason))

    def backup_if_changed(self, reason: str = "auto") -> BackupInfo | None:
        """The 30-minute and start backup: only when the data differs from the newest backup."""
        info = backup_if_changed(self.path, reason)
        return pool_evidence(self.conn, self.path, info) if info is not None else None

    def backup_quietly(self, reason: str) -> BackupInfo | None:
        """Like :meth:`backup_if_changed`, but a failure becomes a warning notice, not an error."""
        try:
            return self.backup_if_changed(reason)
        except StorageError as exc:
            self.notices.append(Notice(NOTICE_WARNING, f"自动备份没有成功：{exc.message}"))
            return None

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction; environment failures become StorageError."""
        try:
            with transaction(self.conn) as conn:
                yield conn
        except (OSError, sqlite3.Error) as exc:
            raise explain(exc, self.path) or exc from exc

    # --- settings -----------------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str, conn: sqlite3.Connection | None = None) -> None:
        """In its own transaction, or inside the caller's when ``conn`` is given."""
        sql = "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value"
        if conn is not None:
            conn.execute(sql, (key, value))
            return
        with self.write() as c:
            c.execute(sql, (key, value))

    # --- plans ----------------------------------------------------------------------------------
    def plans(self) -> list[PlanInfo]:
        return plan_q.list_plans(self.conn)

    def current_plan_id(self) -> int | None:
        """The plan the clerk works on: the chosen one, else the newest; None while there is none."""
        value = self.setting("current_plan")
        ids = {p.id for p in self.plans()}
        if value is not None and value.isdigit() and int(value) in ids:
            return int(value)
        return max(ids) if ids else None

    def find_plan(self, title: str, year: int) -> int | None:
        return plan_q.find_plan(self.conn, title, year)

    def find_plan_by_source(self, source_name: str) -> int | None:
        return plan_q.find_plan_by_source(self.conn, source_name)

    def plan(self, plan_id: int | None = None) -> Plan:
        return plan_q.load_plan(self.conn, plan_id if plan_id is not None else self.current_plan_id())

    def insert_plan(self, conn: sqlite3.Connection, plan: Plan, offices: list[Office], source_name: str = "",
                    source_text: str = "") -> int:
        """Inside the caller's transaction: the plan, and the offices it names (those already known stay)."""
        return plan_q.insert_plan(conn, plan, offices, source_name, source_text)

    # --- offices --------------------------------------------------------------------------------
    def plan_corrections(self, sha256: str) -> str | None:
        """The import review's corrections kept for a file (JSON), or None."""
        return plan_q.load_corrections(self.conn, sha256)

    def offices(self) -> list[Office]:
        rows = self.conn.execute("SELECT name, kind, builtin FROM offices ORDER BY kind DESC, rowid")
        return [Office(n, OfficeKind(k), bool(b)) for n, k, b in rows]

    def office(self, name: str) -> Office | None:
        row = self.conn.execute("SELECT name, kind, builtin FROM offices WHERE name=?", (name,)).fetchone()
        return Office(row[0], OfficeKind(row[1]), bool(row[2])) if row else None

    def add_office(self, name: str, kind: OfficeKind) -> Office:
        with self.write() as conn:
            conn.execute("INSERT INTO offices (name, kind, builtin, created_at) VALUES (?,?,0,?)",
                         (name, kind.value, now_iso()))
        return Office(name, kind, False)

    # --- roles ----------------------------------------------------------------------------------
    def overrides(self, plan_id: int, office: str) -> dict[int, Role]:
        return progress_q.load_overrides(self.conn, plan_id, office)

    def set_override(self, plan_id: int, office: str, task: int, role: Role | None) -> None:
        with self.write() as conn:
            progress_q.write_override(conn, plan_id, office, task, role)

    # --- progress -------------------------------------------------------------------------------
    def progress(self, plan_id: int, office: str) -> dict[int, Progress]:
        return progress_q.load_progress(self.conn, plan_id, office)

    def save_progress(self, plan_id: int, office: str, entry: Progress) -> Progress | None:
        """Save one entry in its own transaction; None when nothing changed."""
        with self.write() as conn:
            return progress_q.write_progress(conn, plan_id, office, entry)

    def save_fields(self, plan_id: int, office: str, task: int, changes: dict[str, object]) -> Progress | None:
        """Change only the named fields of one entry, read and written in one transaction; None when unchanged."""
        with self.write() as conn:
            return progress_q.merge_fields(conn, plan_id, office, task, changes)

    def save_many(self, plan_id: int, office: str, entries: list[Progress]) -> int:
        """All entries in one transaction (all or nothing); returns how many changed."""
        with self.write() as conn:
            return sum(progress_q.write_progress(conn, plan_id, office, e) is not None for e in entries)

    def history(self, plan_id: int, office: str, task: int) -> list[Version]:
        return progress_q.load_history(self.conn, plan_id, office, task)

    # --- report texts and archive -----------------------------------------------------------------
    def report_texts(self, plan_id: int, office: str) -> ReportTexts:
        names = [f.name for f in fields(ReportTexts)]
        row = self.conn.execute(
            f"SELECT {', '.join(names)} FROM report_texts WHERE plan_id=? AND office=?", (plan_id, office)
        ).fetchone()
        if row is None:
            return ReportTexts()
        values = dict(zip(names, row, strict=True))
        values["sealed"] = bool(values["sealed"])
        values["detailed"] = bool(values["detailed"])
        values["section_summaries"] = _summaries(values["section_summaries"])
        return ReportTexts(**values)

    def save_report_texts(self, plan_id: int, office: str, texts: ReportTexts) -> None:
        values = asdict(texts)
        progress_q.check_storable(**{k: v for k, v in values.items() if isinstance(v, str)},
                                  **{f"section_summary_{i}": v for i, v in enumerate(texts.section_summaries)})
        values["sealed"] = int(values["sealed"])
        values["detailed"] = int(values["detailed"])
        values["section_summaries"] = json.dumps(list(texts.section_summaries), ensure_ascii=False)
        names = list(values)
        with self.write() as conn:
            conn.execute(
                f"INSERT INTO report_texts (plan_id, office, {', '.join(names)}, updated_at)"
                f" VALUES (?,?,{','.join('?' * len(names))},?) ON CONFLICT (plan_id, office) DO UPDATE SET "
                + ", ".join(f"{n}=excluded.{n}" for n in [*names, "updated_at"]),
                (plan_id, office, *values.values(), now_iso()),
            )

    def archive_report(self, plan_id: int, office: str, report_date: str, sha256: str, options: dict,
                       data: bytes, fmt: str = "pdf", round_label: str = "") -> tuple[int, bool]:
        """Keep the exact bytes handed in; one row per content (a unique index). Returns (id, newly added)."""
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO reports (plan_id, office, created_at, report_date, sha256, options, pdf, format,"
                " round_label) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (plan_id, office, sha256) DO NOTHING",
                (plan_id, office, now_iso(), report_date, sha256,
                 json.dumps(options, ensure_ascii=False, sort_keys=True), data, fmt, round_label),
            )
            if cur.rowcount:
                return int(cur.lastrowid or 0), True
            row = conn.execute("SELECT id FROM reports WHERE plan_id=? AND office=? AND sha256=?",
                               (plan_id, office, sha256)).fetchone()
            return int(row[0]), False

    def mark_submitted(self, report_id: int, submitted: bool = True) -> bool:
        """Record whether an archived report was handed in (报送) or only saved; False: no such report."""
        with self.write() as conn:
            cur = conn.execute("UPDATE reports SET options = json_set(options, '$.submitted', json(?)) WHERE id=?",
                               ("true" if submitted else "false", report_id))
            return cur.rowcount > 0

    def archived_reports(self, plan_id: int, office: str) -> list[ArchivedReport]:
        rows = self.conn.execute(
            "SELECT id, created_at, report_date, sha256, options, format, round_label FROM reports"
            " WHERE plan_id=? AND office=? ORDER BY id DESC",
            (plan_id, office),
        )
        return [ArchivedReport(i, c, d, s, json.loads(o), f, r) for i, c, d, s, o, f, r in rows]

    def archived_data(self, report_id: int) -> bytes | None:
        """The archived bytes, or None when there is no such report."""
        if not 0 < report_id < 2**63:
            return None
        row = self.conn.execute("SELECT pdf FROM reports WHERE id=?", (report_id,)).fetchone()
        return bytes(row[0]) if row is not None else None

    # --- checks -----------------------------------------------------------------------------------
    def check(self) -> list[str]:
        """Problems found by integrity_check, foreign_key_check and reading every row (opening reads only the
        history rows newer than the newest backup: see db.recovery.verified_rows); empty means ok."""
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        for table, rowid, parent, _ in self.conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} 第 {rowid} 行引用了不存在的 {parent} 记录")
        return problems or decode_problems(self.conn)


def _summaries(stored: str) -> tuple[str, ...]:
    """The stored JSON list of section summaries (anything else reads as none)."""
    try:
        value = json.loads(stored or "[]")
    except ValueError:
        return ()
    return tuple(x if isinstance(x, str) else "" for x in value) if isinstance(value, list) else ()
