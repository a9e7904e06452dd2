"""Importing a new plan: read and check it, pair its tasks with the current plan's, save it in one go."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from actions.errors import ActionError
from actions.session import Session
from core.assign import role_explained
from core.carryover import Match, carried_progress, match_tasks
from core.importers import ColumnMapping, PlanImportError, import_bytes
from core.importers.detect import read_limited
from core.model import Office, OfficeKind, Plan, Progress, Role
from core.offices import builtin_offices, guess_kind, validate_office_name
from core.plan_checks import Issue, check_plan
from core.plan_edit import duplicate_numbers
from core.plan_grid import COLUMNS as GRID_COLUMNS
from core.plan_grid import LABELS as GRID_LABELS
from core.plan_grid import Correction, apply, apply_all, cell_text, row_flags
from db import plans as plans_q
from db import progress as progress_q


@dataclass(frozen=True)
class PlanPreview:
    """A plan read from a file, not yet saved, with what the clerk should check."""

    plan: Plan
    source_name: str
    warnings: tuple[str, ...]
    checks: tuple[Issue, ...]
    sha256: str = ""  # of the file's bytes: corrections made in the review are kept under it
    columns: ColumnMapping | None = None  # the table's column uses, when the plan was read from a table
    data: bytes = field(default=b"", repr=False)  # the file's bytes, to read again with other column uses


@dataclass(frozen=True)
class CarryOver:
    """Tasks of the new plan that match a task of the current one the office already wrote about."""

    previous_plan_id: int
    previous_title: str
    matches: tuple[Match, ...]
    old_progress: dict[int, Progress]


@dataclass(frozen=True)
class SavedPlan:
    plan_id: int
    carried: int  # entries brought over from the previous plan


def _refused(name: str, exc: Exception) -> ActionError:
    """The file's name once, then why: "X.txt：…（未写入任何内容）"."""
    message = str(exc).removeprefix(f"{name}：")
    return ActionError(f"{name}：{message}（未写入任何内容）")


def read_plan(file: str | Path) -> PlanPreview:
    """Parse a plan file (text, .html, .docx, .xlsx, .csv) and check it; any thread, writes nothing."""
    path = Path(file)
    try:
        data = read_limited(path)
    except PlanImportError as exc:
        raise _refused(path.name, exc) from None
    return read_plan_bytes(data, path.name)


def read_plan_bytes(data: bytes, name: str, mapping: ColumnMapping | None = None) -> PlanPreview:
    """Parse a plan given as bytes (a file, standard input, the clipboard) like a file called ``name``;
    ``mapping`` reads its table with the column uses the clerk chose."""
    try:
        result = import_bytes(data, name if "." in name else name + ".txt", mapping)
    except PlanImportError as exc:
        raise _refused(name, exc) from None
    return PlanPreview(result.plan, name, tuple(result.warnings), tuple(check_plan(result.plan)),
                       hashlib.sha256(data).hexdigest(), result.columns, data)


def mapping_correction(mapping: ColumnMapping) -> Correction:
    """A change of column uses, kept with the file's other corrections (it comes first when replayed)."""
    return {"op": "columns", "table": mapping.table, "header_row": mapping.header_row,
            "headers": list(mapping.headers), "roles": list(mapping.roles)}


def mapping_of(correction: Correction) -> ColumnMapping | None:
    if correction.get("op") != "columns":
        return None
    try:
        return ColumnMapping(int(correction["table"]), int(correction["header_row"]),
                             tuple(map(str, correction["headers"])), tuple(map(str, correction["roles"])))
    except (KeyError, TypeError, ValueError):
        return None


def saved_corrections(session: Session, sha256: str) -> list[Correction]:
    """The corrections the clerk made the last time this same file was imported (empty when none)."""
    if not sha256:
        return []
    stored = session.store.plan_corrections(sha256)
    if not stored:
        return []
    try:
        loaded = json.loads(stored)
    except ValueError:
        return []
    return [c for c in loaded if isinstance(c, dict)] if isinstance(loaded, list) else []


def probe_office(name: str, kind: str | None, aliases: list[str] | tuple[str, ...] = ()) -> Office:
    """An office to read a plan as, not saved (``plan import --as-office``)."""
    try:
        clean = validate_office_name(name)
    except ValueError as exc:
        raise ActionError(str(exc)) from None
    office_kind = OfficeKind(kind) if kind else guess_kind(clean)
    return Office(clean, office_kind, builtin=False, aliases=tuple(a.strip() for a in aliases if a.strip()))


def add_plan_fields(plan: Plan, rows: list[dict]) -> None:
    """The plan's own deadline per task, beside the clerk's: "plan_due" (ISO or null) and "plan_due_text"."""
    for task, row in zip(plan.tasks, rows, strict=True):
        row["plan_due"] = task.due.isoformat() if task.due else None
        row["plan_due_text"] = task.due_text


def add_office_roles(plan: Plan, office: Office, rows: list[dict]) -> None:
    """"office_role" (lead/responsible/cooperating/related or null) and "office_role_because" per task."""
    for task, row in zip(plan.tasks, rows, strict=True):
        role, because = role_explained(task, office)
        row["office_role"] = None if role is Role.NONE else role.key
        row["office_role_because"] = because if role is not Role.NONE else None


def carry_over(session: Session, office: Office, plan: Plan) -> CarryOver:
    """Pairs of (new task, current plan's task) where the office has an entry to bring along."""
    previous_id = session.current_plan_id()
    previous = session.store.plan(previous_id)
    old = session.store.progress(previous_id, office.name)
    matches = tuple(m for m in match_tasks(previous, plan) if m.old is not None and m.old in old)
    return CarryOver(previous_id, previous.title, matches, old)


def save_plan(session: Session, plan: Plan, source_name: str = "", office: Office | None = None,
              carried: CarryOver | None = None, chosen: list[Match] | None = None,
              corrections: list[Correction] | None = None, sha256: str = "") -> SavedPlan:
    """Store the plan, its offices and the chosen carried-over entries in one transaction.

    A verified backup is taken first. Refused (nothing written) when the plan is already there or its task
    numbers repeat. ``chosen`` defaults to every match in ``carried``.
    """
    if session.store.find_plan(plan.title, plan.year) is not None:
        raise ActionError(f"已经有同名方案：{plan.year}年《{plan.title}》")
    repeated = duplicate_numbers(plan)
    if repeated:
        raise ActionError(f"任务编号重复：{'、'.join(map(str, repeated))}。请先在预览中改正编号。")
    entries: list[Progress] = []
    if office is not None and carried is not None:
        entries = carried_progress(list(carried.matches if chosen is None else chosen), carried.old_progress, {})
    session.store.backup("before-import")
    with session.store.write() as conn:
        plan_id = session.store.insert_plan(conn, plan, builtin_offices(plan), source_name)
        for entry in entries:
            progress_q.write_progress(conn, plan_id, office.name if office else "", entry)
        if sha256 and corrections:
            plans_q.save_corrections(conn, sha256, source_name, json.dumps(corrections, ensure_ascii=False))
    return SavedPlan(plan_id, len(entries))


__all__ = ["GRID_COLUMNS", "GRID_LABELS", "correct", "grid_cell", "grid_flags", "reapply"]


def grid_cell(plan: Plan, index: int, column: str) -> str:
    return cell_text(plan, index, column)


def grid_flags(plan: Plan) -> list[list[str]]:
    """Per task, what the review grid flags."""
    return row_flags(plan)


def correct(plan: Plan, correction: Correction) -> Plan:
    """One correction from the review grid; ActionError with the reason when it cannot be made."""
    try:
        return apply(plan, correction)
    except (ValueError, KeyError) as exc:
        raise ActionError(str(exc).strip("'")) from None


def reapply(plan: Plan, corrections: list[Correction]) -> tuple[Plan, list[Correction]]:
    """Corrections saved for the same file, applied again; returns the plan and those that fitted."""
    kept: list[Correction] = []
    for c in corrections:
        if c.get("op") == "columns":
            continue  # applied by reading the file again (see the import dialog)
        fixed, done = apply_all(plan, [c])
        if done:
            plan = fixed
            kept.append(c)
    return plan, kept
