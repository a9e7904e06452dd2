"""Saving a parsed plan and reading it back as a :class:`~core.model.Plan`.

Writes go through sqlite-utils (:mod:`db.sqlite_utils_db`): a plan is a handful of plain rows, written as
dicts in bulk, inside the caller's transaction. Reads stay plain SQL: :func:`load_plan` runs at every open
and every plan switch, where importing sqlite-utils (~0.1 s) would slow the window's start.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from core.model import Office, Plan, Section, Subsection, Task, Units
from db.sqlite_utils_db import writer


@dataclass(frozen=True)
class PlanInfo:
    """A stored plan as the plan lists show it, without its tasks."""

    id: int
    title: str
    year: int
    task_count: int
    imported_at: str


def now_iso() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _date(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def insert_plan(conn: sqlite3.Connection, plan: Plan, offices: list[Office], source_name: str = "",
                source_text: str = "") -> int:
    """Write a plan and the offices it names (call inside a transaction). Returns its id.

    Through sqlite-utils (rows as dicts, bulk inserts). The hot paths (a progress save, a setting) stay plain
    SQL: they run on every keystroke pause.
    """
    db = writer(conn)
    plan_id = int(db["plans"].insert({
        "title": plan.title, "year": plan.year, "notice_title": plan.notice_title, "issuer": plan.issuer,
        "issued": _iso(plan.issued), "deadline": _iso(plan.deadline), "recipient": plan.recipient,
        "report_items": json.dumps(list(plan.report_items), ensure_ascii=False), "source_name": source_name,
        "source_text": source_text, "imported_at": now_iso(),
    }).last_pk)
    db["sections"].insert_all(
        {"plan_id": plan_id, "idx": i, "number": s.number, "title": s.title} for i, s in enumerate(plan.sections)
    )
    db["subsections"].insert_all(
        {"plan_id": plan_id, "idx": i, "section_idx": s.section, "number": s.number, "title": s.title}
        for i, s in enumerate(plan.subsections)
    )
    db["tasks"].insert_all(
        {
            "plan_id": plan_id,
            "number": t.number,
            "section_idx": t.section,
            "subsection_idx": t.subsection,
            "text": t.text,
            "units_raw": t.units.raw,
            "lead_units": json.dumps(list(t.units.lead), ensure_ascii=False),
            "responsible_units": json.dumps(list(t.units.responsible), ensure_ascii=False),
            "cooperating_units": json.dumps(list(t.units.cooperating), ensure_ascii=False),
            "aliases": json.dumps([list(a) for a in t.units.aliases], ensure_ascii=False),
            "and_others": int(t.units.and_others),
            "units_inherited": int(t.units_inherited),
            "due": _iso(t.due),
            "due_text": t.due_text,
        }
        for t in plan.tasks
    )
    db["offices"].insert_all(
        ({"name": o.name, "kind": o.kind.value, "builtin": int(o.builtin), "created_at": now_iso()} for o in offices),
        ignore=True,  # an office already known keeps its row
    )
    return plan_id


def load_plan(conn: sqlite3.Connection, plan_id: int) -> Plan:
    row = conn.execute(
        "SELECT title, year, notice_title, issuer, issued, deadline, recipient, report_items FROM plans WHERE id=?",
        (plan_id,),
    ).fetchone()
    if row is None:
        raise KeyError(plan_id)
    sections = tuple(
        Section(n, t) for n, t in conn.execute("SELECT number, title FROM sections WHERE plan_id=? ORDER BY idx",
                                               (plan_id,))
    )
    subsections = tuple(
        Subsection(s, n, t)
        for s, n, t in conn.execute(
            "SELECT section_idx, number, title FROM subsections WHERE plan_id=? ORDER BY idx", (plan_id,)
        )
    )
    tasks = tuple(
        Task(
            number=r[0],
            section=r[1],
            subsection=r[2],
            text=r[3],
            units=Units(
                raw=r[4],
                lead=tuple(json.loads(r[5])),
                responsible=tuple(json.loads(r[6])),
                cooperating=tuple(json.loads(r[7])),
                aliases=tuple(tuple(a) for a in json.loads(r[8])),  # type: ignore[misc]
                and_others=bool(r[9]),
            ),
            units_inherited=bool(r[10]),
            due=_date(r[11]),
            due_text=r[12],
        )
        for r in conn.execute(
            "SELECT number, section_idx, subsection_idx, text, units_raw, lead_units, responsible_units,"
            " cooperating_units, aliases, and_others, units_inherited, due, due_text FROM tasks WHERE plan_id=?"
            " ORDER BY number",
            (plan_id,),
        )
    )
    return Plan(
        title=row[0],
        year=row[1],
        notice_title=row[2],
        issuer=row[3],
        issued=_date(row[4]),
        deadline=_date(row[5]),
        recipient=row[6],
        report_items=tuple(json.loads(row[7])),
        sections=sections,
        subsections=subsections,
        tasks=tasks,
    )


def list_plans(conn: sqlite3.Connection) -> list[PlanInfo]:
    return [
        PlanInfo(*r)
        for r in conn.execute(
            "SELECT p.id, p.title, p.year, (SELECT COUNT(*) FROM tasks t WHERE t.plan_id = p.id), p.imported_at"
            " FROM plans p ORDER BY p.year, p.id"
        )
    ]


def find_plan_by_source(conn: sqlite3.Connection, source_name: str) -> int | None:
    row = conn.execute("SELECT MIN(id) FROM plans WHERE source_name=?", (source_name,)).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def find_plan(conn: sqlite3.Connection, title: str, year: int) -> int | None:
    row = conn.execute("SELECT id FROM plans WHERE title=? AND year=?", (title, year)).fetchone()
    return int(row[0]) if row else None


def save_corrections(conn: sqlite3.Connection, sha256: str, file_name: str, corrections: str) -> None:
    """Keep the review's corrections for a file (JSON from core.plan_edit), replacing older ones (call inside
    a transaction).

    ``replace=True`` (INSERT OR REPLACE) is the upsert here: the row is keyed by the file's hash, every column
    is given and nothing refers to it. (sqlite-utils' ``upsert`` would first probe for ON CONFLICT support by
    creating and dropping a scratch table in the clerk's database.)
    """
    writer(conn)["plan_corrections"].insert(
        {"sha256": sha256, "file_name": file_name, "corrections": corrections, "saved_at": now_iso()}, replace=True)


def load_corrections(conn: sqlite3.Connection, sha256: str) -> str | None:
    row = conn.execute("SELECT corrections FROM plan_corrections WHERE sha256=?", (sha256,)).fetchone()
    return str(row[0]) if row else None
