"""One open data folder: the door every action goes through (as Anki's ``Collection`` is).

Opening seeds the built-in 2019 plan on first use. Offices, plans and settings are small actions of their
own here; the larger ones live in the sibling modules and take a :class:`Session` first.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from actions.errors import ActionError
from core.model import Office, OfficeKind, Plan
from core.offices import builtin_offices, validate_office_name
from core.paths import DB_FILE
from core.resources import BUILTIN_PLAN, resource_path
from db.plans import PlanInfo
from db.recovery import NOTICE_FRESH, NOTICE_RESTORED, NOTICE_WARNING, Notice
from db.store import Store

__all__ = ["NOTICE_WARNING", "Notice", "PlanInfo", "Session", "in_own_session"]

T = TypeVar("T")
log = logging.getLogger(__name__)

#: The SQLite library this build carries (a frozen build brings the build machine's): shown in 关于 and logs.
SQLITE_VERSION = sqlite3.sqlite_version
CURRENT_PLAN = "current_plan"
OFFICE = "office"
OFFICE_ALIASES = "office_aliases"


@dataclass
class Session:
    """The data folder and its open store. ``notices`` holds what the clerk must hear after opening."""

    data_dir: Path
    store: Store
    notices: list[Notice] = field(default_factory=list)

    @classmethod
    def open(cls, data_dir: Path, *, auto_backup: bool = True) -> Session:
        """Open (creating on first use) the data folder's database; seeds the built-in plan.

        A damaged database is set aside and replaced from the newest good backup: ``notices`` says so.
        """
        data_dir = Path(data_dir)
        store = Store.open(data_dir, auto_backup=auto_backup, seed=seed_builtin_plan)
        log_notices(store.notices)
        return cls(data_dir, store, list(store.notices))

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILE

    @classmethod
    def prepare(cls, data_dir: Path, *, auto_backup: bool = True) -> list[Notice]:
        """The slow half of opening, for a background job: check, recover, migrate, seed and take the start
        backup, then close. Returns the notices; the window then calls :meth:`attach` on its own thread."""
        session = cls.open(data_dir, auto_backup=auto_backup)
        session.close()
        return session.notices

    @classmethod
    def attach(cls, data_dir: Path, notices: list[Notice] | None = None) -> Session:
        """A session on the calling thread's own connection to a folder already prepared (no checks again)."""
        data_dir = Path(data_dir)
        return cls(data_dir, Store.attach(data_dir, notices), list(notices or []))

    def close(self) -> None:
        self.store.close()

    def reconnect(self) -> None:
        """A fresh connection on the calling thread, after a background job closed and replaced the file."""
        self.store.reconnect()

    def reopen(self) -> None:
        """Open the file again in place (after a restore); whoever holds this session keeps working."""
        self.store.reopen(seed=seed_builtin_plan)
        log_notices(self.store.notices)
        self.notices = list(self.store.notices)

    def check(self) -> list[str]:
        """Problems found by integrity_check, foreign_key_check, re-hashing every evidence file (by task) and
        re-hashing every received package's copy in ``received/`` (missing or altered): every front end's check."""
        from db.evidence import check_evidence
        from db.received_files import check_copies

        problems = self.store.check()
        problems += [p.message for p in check_evidence(self.store.conn, self.data_dir)]
        problems += [p.message for p in check_copies(self.store.conn, self.data_dir)]
        return problems

    # --- settings -------------------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        return self.store.setting(key, default)

    def set_setting(self, key: str, value: str) -> None:
        self.store.set_setting(key, value)

    # --- offices --------------------------------------------------------------------------------
    def offices(self) -> list[Office]:
        return self.store.offices()

    def office(self, name: str) -> Office | None:
        return self.store.office(name)

    def remembered_office(self) -> Office | None:
        """The clerk's own office, set up once and kept across plans, with the aliases it goes by."""
        name = self.setting(OFFICE)
        office = self.office(name) if name else None
        if office is None:
            return None
        return replace(office, aliases=self.office_aliases(office.name))

    def office_aliases(self, name: str) -> tuple[str, ...]:
        """Other names an office goes by, as the clerk set them (kept across plans)."""
        return tuple(a for a in (self.setting(OFFICE_ALIASES + ":" + name) or "").split("\n") if a.strip())

    def set_office_aliases(self, name: str, aliases: list[str]) -> None:
        """Other names the office goes by (悦城镇人民政府, 悦城); ActionError for an unusable one."""
        try:
            clean = [validate_office_name(a) for a in aliases if a.strip() and a.strip() != name]
        except ValueError as exc:
            raise ActionError(str(exc)) from None
        self.set_setting(OFFICE_ALIASES + ":" + name, "\n".join(dict.fromkeys(clean)))

    def plan_offices(self, plan: Plan | None = None) -> list[Office]:
        """The chooser's list: the units the plan names (never a category phrase), then offices the clerk
        added and the clerk's own, when the plan does not name them."""
        plan = plan if plan is not None else self.plan()
        listed = builtin_offices(plan)
        names = {o.name for o in listed}
        own = self.setting(OFFICE)
        extra = [o for o in self.offices() if o.name not in names and (not o.builtin or o.name == own)]
        return listed + extra

    def require_office(self, name: str | None) -> Office:
        """The office named, else the remembered one; ActionError when neither is known."""
        name = name or self.setting(OFFICE)
        if not name:
            raise ActionError("请用 --office 指定单位，例如 --office 悦城镇（可用 offices 命令查看单位列表）")
        office = self.office(name)
        if office is None:
            raise ActionError(f"未知单位：{name}（可用 offices 命令查看单位列表）")
        return office

    def choose_office(self, office: Office) -> None:
        """Remember the office the clerk works for."""
        self.set_setting(OFFICE, office.name)

    def add_office(self, name: str, kind: OfficeKind) -> Office:
        """A new office the plan does not list; refused when the name is empty, too long or taken."""
        try:
            name = validate_office_name(name)
        except ValueError as exc:
            raise ActionError(str(exc)) from None
        if self.office(name) is not None:
            raise ActionError(f"单位“{name}”已存在")
        return self.store.add_office(name, kind)

    # --- plans ----------------------------------------------------------------------------------
    def plans(self) -> list[PlanInfo]:
        return self.store.plans()

    def current_plan_id(self) -> int:
        plan_id = self.store.current_plan_id()
        if plan_id is None:  # every plan gone (cannot happen through the app): bring the built-in one back
            plan_id = seed_builtin_plan(self.store)
        return plan_id

    def plan(self, plan_id: int | None = None) -> Plan:
        return self.store.plan(plan_id if plan_id is not None else self.current_plan_id())

    def use_plan(self, plan_id: int) -> Plan:
        """Make ``plan_id`` the current plan; returns it."""
        if plan_id not in {p.id for p in self.plans()}:
            raise ActionError(f"没有编号为 {plan_id} 的方案（可用 plan list 查看）")
        self.set_setting(CURRENT_PLAN, str(plan_id))
        return self.plan(plan_id)


def log_notices(notices: list[Notice]) -> None:
    """What opening had to do reaches ``taizhang.log`` too (the README promises it): a damaged file set aside
    and replaced from a backup (or by an empty one), and the warnings."""
    for notice in notices:
        if notice.kind == NOTICE_RESTORED:
            log.warning("损坏的数据库已移到 %s，已用备份 %s 替换：%s", notice.damaged_path,
                        notice.backup.path if notice.backup else "?", notice.message)
        elif notice.kind == NOTICE_FRESH:
            log.warning("损坏的数据库已移到 %s，没有可用的备份，已新建空数据库：%s",
                        notice.damaged_path, notice.message)
        else:
            log.warning("打开数据时的提示：%s", notice.message)


def seed_builtin_plan(store: Store) -> int:
    """Load the built-in 2019 plan and its offices on first use; returns its id.

    The check and the insert share one IMMEDIATE transaction, so commands started together seed once.
    """
    seeded = store.find_plan_by_source(BUILTIN_PLAN[-1])
    if seeded is not None:  # every start after the first: no need to parse the notice (~60 ms of start-up)
        return seeded
    from core.notice_parser import parse_notice  # first start only: its patterns cost ~15 ms to compile

    text = resource_path(*BUILTIN_PLAN).read_text(encoding="utf-8")
    plan = parse_notice(text)
    existing = store.find_plan(plan.title, plan.year)
    if existing is not None:
        return existing
    with store.write() as conn:
        existing = store.find_plan(plan.title, plan.year)
        if existing is not None:
            return existing
        plan_id = store.insert_plan(conn, plan, builtin_offices(plan), BUILTIN_PLAN[-1], text)
        if store.setting(CURRENT_PLAN) is None:
            store.set_setting(CURRENT_PLAN, str(plan_id), conn)
    return plan_id


def in_own_session(data_dir: Path, work: Callable[[Session], T]) -> T:
    """Run ``work`` on a session of the calling thread's own, closed afterwards.

    The shape of every background job that needs the database: SQLite connections belong to the thread that
    opened them, so a job never borrows the window's.
    """
    session = Session.attach(data_dir)
    try:
        return work(session)
    finally:
        session.close()
