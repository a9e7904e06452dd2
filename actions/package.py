"""生成报送材料: one zip for the U盘 holding the report (PDF and Word), the 台账 (Excel), the progress file,
the 佐证材料 and a 目录, with a manifest of every file's size and SHA-256; archived like a report."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from actions import guard, reports
from actions.errors import ActionError, StorageError
from actions.reports import ReportRequest
from actions.session import Session
from core.package import (
    PackageError,
    PackageInfo,
    PackageTooLarge,
    resolve_target,
    standing_summary,
    write_package,
)
from core.progress_io import build_progress_file
from core.report.short_names import short_name
from core.tracking import standing
from db import evidence as evidence_q

__all__ = ["PackageResult", "PackageTooLarge", "make_package"]

APP_VERSION = "0.2.0"


@dataclass(frozen=True)
class PackageResult:
    info: PackageInfo
    archive_id: int
    newly_archived: bool
    warnings: tuple[str, ...]


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def make_package(session: Session, office_name: str | None, out: str | Path, *, report_date: date | None = None,
                 fonts: str = "auto", allow_empty: bool = False, allow_large: bool = False) -> PackageResult:
    """Build the report in every form from one snapshot, then write and archive the package.

    ``out`` is a folder (the zip gets its standard name, 悦城镇_政务公开落实情况_2019-12-04.zip) or a .zip path;
    it goes through the write guard. Over 2 GB raises PackageTooLarge unless ``allow_large`` (the window asks).
    """
    office = session.require_office(office_name)
    plan_id = session.current_plan_id()
    plan = session.store.plan(plan_id)
    day = report_date or reports.default_report_date(plan)
    try:
        target = resolve_target(Path(out).expanduser(), office.name, plan.title, day)
    except PackageError as exc:  # a wrong name, a missing folder, someone else's file: the clerk's to fix
        raise ActionError(exc.message) from None
    guard.check_target(target, session.data_dir, guard.PACKAGE)
    inputs = reports.snapshot(session, office, plan_id)
    built = {fmt: reports.build_from(inputs, ReportRequest(office, day, fonts=fonts, fmt=fmt))
             for fmt in ("pdf", "docx", "xlsx")}
    if built["pdf"].empty and not allow_empty:
        raise ActionError(reports.NO_NOTES_WARNING + "确认要报送，请加 --allow-empty（窗口中会先询问）。")
    progress = build_progress_file(plan, office.name, inputs.progress, inputs.slow)
    names = {t.number: short_name(plan, t) for t in plan.tasks}  # the report's own names: 任务12 …
    items = evidence_q.package_items(session.store.conn, session.data_dir, plan_id, office.name, names)
    try:
        info = write_package(target, office.name, plan.title, plan.year, day, report_pdf=built["pdf"].data,
                             report_docx=built["docx"].data, ledger_xlsx=built["xlsx"].data,
                             progress_json=(json.dumps(progress, ensure_ascii=False, indent=2) + "\n").encode(),
                             evidence=items, app_version=APP_VERSION, allow_large=allow_large,
                             summary=standing_summary(standing(inputs.roles, inputs.progress), inputs.progress,
                                                      inputs.slow))
    except PackageTooLarge:
        raise
    except PackageError as exc:
        raise StorageError(exc.message, "write", target) from exc
    manifest = json.dumps(info.manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    record = dataclasses.replace(built["pdf"], data=manifest, sha256=_file_hash(info.path),
                                 request=dataclasses.replace(built["pdf"].request, fmt="package"))
    archive_id, new = reports.archive(session, record)
    return PackageResult(info, archive_id, new, built["pdf"].warnings)
