"""佐证材料: add files and web links to a task, list, remove and undo, open, check.

Files are copied into the data folder by content hash (``db/evidence_files.py``), never referenced in place;
``docs/evidence.md`` explains the numbering (12-1, 12-2 …), the bin and how backups carry the files.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from actions.errors import ActionError
from actions.session import Session
from core.evidence_rules import EvidenceError
from db import evidence as ev
from db.connection import connect
from db.evidence import AddResult, EvidenceItem, EvidenceProblem
from db.store import BIN_DAYS

__all__ = ["BIN_DAYS", "AddResult", "EvidenceItem", "EvidenceProblem", "add_files", "add_link", "check", "items",
           "labels", "remove", "undo_remove", "view_copy"]


@contextmanager
def _own_connection(session: Session) -> Iterator[sqlite3.Connection]:
    """A connection of the calling thread's own: the window adds evidence on a worker, and its transactions
    must not mix with the UI thread's autosaves on the shared one."""
    conn = connect(session.db_path)
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def _clerk_errors() -> Iterator[None]:
    """Refusals of the evidence store (a file that vanished, 0 bytes, over 200 MB …) are bad input: exit 2."""
    try:
        yield
    except EvidenceError as exc:
        raise ActionError(exc.message) from None


def _task_of_plan(session: Session, plan_id: int, task: int) -> None:
    if task not in {t.number for t in session.store.plan(plan_id).tasks}:
        raise ActionError(f"方案中没有任务 {task}")


def add_files(session: Session, office: str, task: int, paths: list[str | Path], *, title: str | None = None,
              note: str = "", seen_date: str | None = None, plan_id: int | None = None) -> AddResult:
    """Copy the files into the data folder and list them under the task; all or nothing."""
    plan_id = plan_id if plan_id is not None else session.current_plan_id()
    _task_of_plan(session, plan_id, task)
    if not paths:
        raise ActionError("请至少选择一个文件")
    with _clerk_errors(), _own_connection(session) as conn:
        return ev.add_files(conn, session.data_dir, plan_id, office, task, [Path(p) for p in paths],
                            title=title, note=note, seen_date=seen_date)


def add_link(session: Session, office: str, task: int, url: str, title: str, *, seen_date: str | None = None,
             note: str = "", screenshot: str | Path | None = None, plan_id: int | None = None) -> AddResult:
    """A web page as evidence: its address, a title, the date seen and an optional screenshot file."""
    plan_id = plan_id if plan_id is not None else session.current_plan_id()
    _task_of_plan(session, plan_id, task)
    with _clerk_errors(), _own_connection(session) as conn:
        return ev.add_link(conn, session.data_dir, plan_id, office, task, url, title,
                           seen_date=seen_date, note=note, screenshot=Path(screenshot) if screenshot else None)


def items(session: Session, office: str, task: int | None = None, plan_id: int | None = None) -> list[EvidenceItem]:
    """The office's evidence on the plan (or one task), in task and number order; the bin left out."""
    plan_id = plan_id if plan_id is not None else session.current_plan_id()
    return ev.list_items(session.store.conn, plan_id, office, task)


def labels(session: Session, office: str, plan_id: int | None = None) -> dict[int, list[str]]:
    """Task → ["12-1 会议照片", …]: the ledger's 佐证材料 column."""
    plan_id = plan_id if plan_id is not None else session.current_plan_id()
    return ev.labels_by_task(session.store.conn, plan_id, office)


def remove(session: Session, item_id: int) -> EvidenceItem:
    """Move an item to the bin: it stays restorable (undo) until the next backup has kept it."""
    with _clerk_errors():
        return ev.remove_item(session.store.conn, item_id)


def undo_remove(session: Session, item_id: int) -> EvidenceItem:
    with _clerk_errors():
        return ev.undo_remove(session.store.conn, item_id)


def view_copy(session: Session, item_id: int) -> Path:
    """A read-only copy with the original suffix, for the system viewer (the stored file has none)."""
    with _clerk_errors():
        return ev.view_copy(session.data_dir, ev.get_item(session.store.conn, item_id))


def check(session: Session) -> list[EvidenceProblem]:
    """Missing or altered evidence files (every file re-hashed), by task."""
    return ev.check_evidence(session.store.conn, session.data_dir)
