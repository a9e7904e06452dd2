"""Exporting and importing the progress exchange file (``taizhang-progress`` version 1)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from actions import guard
from actions.errors import ActionError
from actions.session import Session
from core.progress_io import ProgressFileError, build_progress_file, parse_progress_file

MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class ExportResult:
    path: Path
    entries: int


@dataclass(frozen=True)
class ImportResult:
    office: str
    entries: int
    changed: int


def export_progress(session: Session, office_name: str | None, out: str | Path) -> ExportResult:
    """Write the office's progress on the current plan to ``out`` (checked by the write guard, atomic)."""
    office = session.require_office(office_name)
    plan_id = session.current_plan_id()
    doc = build_progress_file(session.store.plan(plan_id), office.name, session.store.progress(plan_id, office.name))
    data = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    path = guard.write_file(out, session.data_dir, guard.PROGRESS, data)
    return ExportResult(path, len(doc["entries"]))


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, refused by size before reading."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise ActionError(f"文件过大：{path.name}（{size / 1024 / 1024:.0f} MB，上限 {limit // 1024 // 1024} MB）")
        return path.read_bytes()
    except OSError as exc:
        raise ActionError(f"无法读取文件 {path}：{exc.strerror or exc}") from None


def import_progress(session: Session, file: str | Path) -> ImportResult:
    """Apply a progress file to the current plan, all or nothing, after a verified backup."""
    path = Path(file)
    data = read_limited(path)
    plan_id = session.current_plan_id()
    try:
        parsed = parse_progress_file(data, session.store.plan(plan_id), {o.name for o in session.offices()})
    except ProgressFileError as exc:
        raise ActionError(f"{path.name}：{exc}（未写入任何内容）") from None
    session.store.backup("before-import")
    changed = session.store.save_many(plan_id, parsed.office, list(parsed.entries))
    return ImportResult(parsed.office, len(parsed.entries), changed)
