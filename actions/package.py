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
from actions.submission_check import SubmissionCheck, check_from
from core.package.write import (
    INDEX_NAME,
    PackageError,
    PackageInfo,
    PackageTooLarge,
    document_names,
    resolve_target,
    standing_summary,
    write_package,
)
from core.progress.file import build_progress_file
from core.report.short_names import short_name
from core.rounds import effective_round
from core.tracking import standing
from core.version import VERSION
from db import evidence as evidence_q

__all__ = ["PackagePreview", "PackageResult", "PackageTooLarge", "make_package", "package_preview"]

APP_VERSION = VERSION  # the one version string (core.version)


@dataclass(frozen=True)
class PackageResult:
    info: PackageInfo
    archive_id: int
    newly_archived: bool
    warnings: tuple[str, ...]
    check: SubmissionCheck | None = None  # what was left open (also in the manifest under "check")


@dataclass(frozen=True)
class PackagePreview:
    """What the 生成报送材料 dialog shows before building: round, contact, and the files the zip will hold."""

    round_label: str
    contact: str  # 张三 0758-1234567, or empty when not filled in the report texts
    documents: tuple[str, ...]  # report PDF and Word, 台账, progress file, 目录
    evidence_files: int


def package_preview(session: Session, office_name: str | None, report_date: date) -> PackagePreview:
    office = session.require_office(office_name)
    plan_id = session.current_plan_id()
    plan = session.store.plan(plan_id)
    texts = session.store.report_texts(plan_id, office.name)
    contact = " ".join(p for p in (texts.contact_name.strip(), texts.contact_phone.strip()) if p)
    names = document_names(office.name)
    documents = (names["report_pdf"], names["report_docx"], names["ledger_xlsx"], names["progress"], INDEX_NAME)
    count = len(evidence_q.list_items(session.store.conn, plan_id, office.name, None))
    return PackagePreview(effective_round(texts.round_label, report_date, plan.year), contact, documents, count)


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def make_package(session: Session, office_name: str | None, out: str | Path, *, report_date: date | None = None,
                 fonts: str = "auto", allow_empty: bool = False, allow_large: bool = False,
                 today: date | None = None) -> PackageResult:
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
    check = check_from(plan, inputs.roles, inputs.progress, office.name, today or date.today())
    items = evidence_q.package_items(session.store.conn, session.data_dir, plan_id, office.name, names)
    try:
        info = write_package(target, office.name, plan.title, plan.year, day, report_pdf=built["pdf"].data,
                             report_docx=built["docx"].data, ledger_xlsx=built["xlsx"].data,
                             progress_json=(json.dumps(progress, ensure_ascii=False, indent=2) + "\n").encode(),
                             evidence=items, app_version=APP_VERSION, allow_large=allow_large,
                             extra={"check": check.as_manifest()},
                             summary=standing_summary(standing(inputs.roles, inputs.progress), inputs.progress,
                                                      inputs.slow))
    except PackageTooLarge:
        raise
    except PackageError as exc:
        raise StorageError(exc.message, "write", target) from exc
    manifest = json.dumps(info.manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    record = dataclasses.replace(built["pdf"], data=manifest, sha256=_file_hash(info.path),
                                 request=dataclasses.replace(built["pdf"].request, fmt="package"))
    documents = tuple(f.path for f in info.files if not f.kind.startswith("evidence"))
    evidence_count = sum(f.kind.startswith("evidence") for f in info.files)
    archive_id, new = reports.archive(session, record, submitted=True,  # a package is a submission
                                      extra={"files": list(documents), "evidence_files": evidence_count,
                                             "saved_to": str(info.path)})
    return PackageResult(info, archive_id, new, built["pdf"].warnings, check)
