"""Exporting and importing the progress exchange file (``taizhang-progress`` version 1)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from actions import guard
from actions.errors import ActionError
from actions.office_view import open_office
from actions.session import Session
from core.progress.file import ProgressFileError, build_progress_file, parse_progress_file, read_progress_file
from core.progress.merge import ImportPlan, plan_progress_import
from core.sheets.words import SLOW
from db import progress as progress_q
from db import sheets as sheet_q


@dataclass(frozen=True)
class ExportResult:
    path: Path
    entries: int


@dataclass(frozen=True)
class ImportResult:
    """What importing a progress file did (or, for a dry run, would do), field by field."""

    office: str
    plan: ImportPlan
    saved: int  # entries written (0 for a dry run or when nothing changed)
    dry_run: bool

    def describe(self) -> list[str]:
        return self.plan.describe()


def export_progress(session: Session, office_name: str | None, out: str | Path) -> ExportResult:
    """Write the office's progress on the current plan to ``out`` (checked by the write guard, atomic)."""
    office = session.require_office(office_name)
    plan_id = session.current_plan_id()
    doc = build_progress_file(session.store.plan(plan_id), office.name, session.store.progress(plan_id, office.name),
                              sheet_q.slow_tasks(session.store.conn, plan_id, office.name))
    data = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    path = guard.write_file(out, session.data_dir, guard.PROGRESS, data)
    return ExportResult(path, len(doc["entries"]))


def import_progress(session: Session, file: str | Path, *, office: str | None = None, dry_run: bool = False,
                    force: bool = False) -> ImportResult:
    """Apply a progress file to the current plan: only the fields an entry names, all or nothing.

    Refused (ActionError, nothing written) when the file is not a valid ``taizhang-progress`` v1 file, is for
    another office than ``office`` (or, without ``office``, than the remembered one), or names a task the office
    has no role in. An entry older than what is stored is a conflict and not applied unless ``force``.
    A verified backup is taken before anything is written.
    """
    path = Path(file)
    try:
        data = read_progress_file(path)
    except OSError as exc:
        raise ActionError(f"无法读取文件 {path}：{exc.strerror or exc}") from None
    except ProgressFileError as exc:
        raise ActionError(f"{path.name}：{exc}（未写入任何内容）") from None
    plan_id = session.current_plan_id()
    plan = session.store.plan(plan_id)
    try:
        parsed = parse_progress_file(data, plan, {o.name for o in session.offices()})
    except ProgressFileError as exc:
        raise ActionError(f"{path.name}：{exc}（未写入任何内容）") from None
    target = session.require_office(parsed.office)
    if office is not None:
        session.require_office(office)
    view = open_office(session, target, plan_id)
    remembered = session.setting("office")
    result = plan_progress_import(parsed, view.progress, view.roles, current_office=remembered,
                                  explicit_office=office, force=force,
                                  stored_slow=sheet_q.slow_tasks(session.store.conn, plan_id, parsed.office))
    if not result.ok:
        raise ActionError(f"{path.name} 不能导入（未写入任何内容）：\n" + "\n".join(result.refusals))
    entries = result.entries_to_save()
    flags = result.flags_to_set()
    if dry_run or not (entries or flags):
        return ImportResult(parsed.office, result, 0, dry_run)
    session.store.backup("before-import")
    with session.store.write() as conn:  # entries and flags: all or nothing
        saved = sum(progress_q.write_progress(conn, plan_id, parsed.office, e) is not None for e in entries)
        changed = {t for t, on in flags.items() if sheet_q.write_flag(conn, plan_id, parsed.office, t, SLOW, on)}
    saved += len(changed - {e.task for e in entries})
    return ImportResult(parsed.office, result, saved, False)
