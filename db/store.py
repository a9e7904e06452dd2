"""The one object the CLI and GUI talk to for data: a connection plus the queries they need.

Every write is its own short transaction; environment failures surface as
:class:`~db.errors.StorageError` with a plain message.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from core.assign import roles_for
from core.model import Office, OfficeKind, Plan, Progress, ReportTexts, Role
from core.notice_parser import parse_notice
from core.offices import builtin_offices, validate_office_name
from core.paths import DB_FILE
from core.plan_edit import duplicate_numbers
from core.resources import BUILTIN_PLAN, resource_path
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

__all__ = ["ArchivedReport", "Notice", "PlanInfo", "StorageError", "Store", "Version"]


@dataclass(frozen=True)
class ArchivedReport:
    id: int
    created_at: str
    report_date: str
    sha256: str
    options: dict


class Store:
    """Data access for one data folder."""

    def __init__(self, conn: sqlite3.Connection, path: Path, notices: list[Notice] | None = None) -> None:
        self.conn = conn
        self.path = path
        self.notices: list[Notice] = notices or []  # what the clerk must be told after opening

    # --- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, seed: bool = True,
             before_migrate: Callable[[int, int], None] | None = None, *, auto_backup: bool = True) -> Store:
        """Open the data folder's database, after checking the folder and the file.

        A damaged file is set aside and replaced from the newest good backup (see ``notices``);
        a backup is taken before any migration, and at start when the data changed since the last.
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
            if auto_backup:
                store.backup_quietly("start")
        return store

    @classmethod
    def _open_checked(cls, path: Path, seed: bool, before_migrate: Callable[[int, int], None] | None,
                      notices: list[Notice]) -> Store:
        def before(old: int, new: int) -> None:
            take_backup(path, "before-migration")
            if before_migrate is not None:
                before_migrate(old, new)

        store = cls(open_database(path, before), path, notices)
        try:
            if seed:
                store.ensure_builtin_plan()
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        self.conn.close()

    def reopen(self) -> None:
        """Open the file again in place (after a restore swapped it); objects holding this Store keep working."""
        fresh = Store.open(self.path.parent, auto_backup=False)
        self.conn = fresh.conn
        self.notices = fresh.notices

    # --- backups --------------------------------------------------------------------------------
    def backup(self, reason: str = "auto") -> BackupInfo:
        """A verified backup into ``backups/`` now; raises StorageError (nothing pruned) on failure."""
        return take_backup(self.path, reason)

    def backup_if_changed(self, reason: str = "auto") -> BackupInfo | None:
        """The 30-minute and start backup: only when the data differs from the newest backup."""
        return backup_if_changed(self.path, reason)

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

    def ensure_builtin_plan(self) -> int:
        """Load the built-in 2019 plan and its offices on first use; returns its id."""
        text = resource_path(*BUILTIN_PLAN).read_text(encoding="utf-8")
        plan = parse_notice(text)
        existing = plan_q.find_plan(self.conn, plan.title, plan.year)
        if existing is not None:
            return existing
        with self.write() as conn:
            plan_id = plan_q.insert_plan(conn, plan, BUILTIN_PLAN[-1], text)
            for office in builtin_offices(plan):
                conn.execute(
                    "INSERT OR IGNORE INTO offices (name, kind, builtin, created_at) VALUES (?,?,1,?)",
                    (office.name, office.kind.value, now_iso()),
                )
            conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES ('current_plan', ?)", (str(plan_id),))
        return plan_id

    # --- settings -----------------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                (key, value),
            )

    # --- plans ----------------------------------------------------------------------------------
    def plans(self) -> list[PlanInfo]:
        return plan_q.list_plans(self.conn)

    def current_plan_id(self) -> int:
        value = self.setting("current_plan")
        ids = {p.id for p in self.plans()}
        if value is not None and int(value) in ids:
            return int(value)
        if not ids:
            return self.ensure_builtin_plan()
        return max(ids)

    def set_current_plan(self, plan_id: int) -> None:
        if plan_id not in {p.id for p in self.plans()}:
            raise ValueError(f"没有编号为 {plan_id} 的方案")
        self.set_setting("current_plan", str(plan_id))

    def plan(self, plan_id: int | None = None) -> Plan:
        return plan_q.load_plan(self.conn, plan_id if plan_id is not None else self.current_plan_id())

    def add_plan(self, plan: Plan, source_name: str = "", source_text: str = "") -> int:
        """Store an imported plan and register the units it names as offices."""
        if plan_q.find_plan(self.conn, plan.title, plan.year) is not None:
            raise ValueError(f"已经有同名方案：{plan.year}年《{plan.title}》")
        repeated = duplicate_numbers(plan)
        if repeated:
            raise ValueError(f"任务编号重复：{'、'.join(map(str, repeated))}。请先在预览中改正编号。")
        self.backup("before-import")
        with self.write() as conn:
            plan_id = plan_q.insert_plan(conn, plan, source_name, source_text)
            for office in builtin_offices(plan):
                conn.execute(
                    "INSERT OR IGNORE INTO offices (name, kind, builtin, created_at) VALUES (?,?,1,?)",
                    (office.name, office.kind.value, now_iso()),
                )
        return plan_id

    # --- offices --------------------------------------------------------------------------------
    def offices(self) -> list[Office]:
        rows = self.conn.execute("SELECT name, kind, builtin FROM offices ORDER BY kind DESC, rowid")
        return [Office(n, OfficeKind(k), bool(b)) for n, k, b in rows]

    def office(self, name: str) -> Office | None:
        row = self.conn.execute("SELECT name, kind, builtin FROM offices WHERE name=?", (name,)).fetchone()
        return Office(row[0], OfficeKind(row[1]), bool(row[2])) if row else None

    def add_office(self, name: str, kind: OfficeKind) -> Office:
        name = validate_office_name(name)
        if self.office(name) is not None:
            raise ValueError(f"单位“{name}”已存在")
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

    def roles(self, plan: Plan, plan_id: int, office: Office) -> dict[int, Role]:
        return roles_for(plan, office, self.overrides(plan_id, office.name))

    # --- progress -------------------------------------------------------------------------------
    def progress(self, plan_id: int, office: str) -> dict[int, Progress]:
        return progress_q.load_progress(self.conn, plan_id, office)

    def save_progress(self, plan_id: int, office: str, entry: Progress) -> Progress | None:
        """Save one entry in its own transaction; None when nothing changed."""
        with self.write() as conn:
            return progress_q.write_progress(conn, plan_id, office, entry)

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
        return ReportTexts(**values)

    def save_report_texts(self, plan_id: int, office: str, texts: ReportTexts) -> None:
        values = asdict(texts)
        progress_q.check_storable(**{k: v for k, v in values.items() if isinstance(v, str)})
        values["sealed"] = int(values["sealed"])
        names = list(values)
        with self.write() as conn:
            conn.execute(
                f"INSERT INTO report_texts (plan_id, office, {', '.join(names)}, updated_at)"
                f" VALUES (?,?,{','.join('?' * len(names))},?) ON CONFLICT (plan_id, office) DO UPDATE SET "
                + ", ".join(f"{n}=excluded.{n}" for n in [*names, "updated_at"]),
                (plan_id, office, *values.values(), now_iso()),
            )

    def archive_report(self, plan_id: int, office: str, report_date: str, sha256: str, options: dict,
                       pdf: bytes) -> int:
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO reports (plan_id, office, created_at, report_date, sha256, options, pdf)"
                " VALUES (?,?,?,?,?,?,?)",
                (plan_id, office, now_iso(), report_date, sha256, json.dumps(options, ensure_ascii=False), pdf),
            )
            return int(cur.lastrowid or 0)

    def archived_reports(self, plan_id: int, office: str) -> list[ArchivedReport]:
        rows = self.conn.execute(
            "SELECT id, created_at, report_date, sha256, options FROM reports WHERE plan_id=? AND office=?"
            " ORDER BY id DESC",
            (plan_id, office),
        )
        return [ArchivedReport(i, c, d, s, json.loads(o)) for i, c, d, s, o in rows]

    def archived_pdf(self, report_id: int) -> bytes:
        row = self.conn.execute("SELECT pdf FROM reports WHERE id=?", (report_id,)).fetchone()
        if row is None:
            raise KeyError(report_id)
        return bytes(row[0])

    # --- checks -----------------------------------------------------------------------------------
    def check(self) -> list[str]:
        """Problems found by integrity_check and foreign_key_check; empty means ok."""
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        for table, rowid, parent, _ in self.conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} 第 {rowid} 行引用了不存在的 {parent} 记录")
        return problems
