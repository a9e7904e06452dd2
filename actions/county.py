"""The collecting side (牵头单位, 县府办): import the offices' submission packages, the matrix, the 汇总 report.

Received progress is kept apart from the collector's own (``db.received``). Import is all or nothing per
package: a package is verified completely (core.county.incoming) before anything of it is written, and each
one is written in its own transaction. Re-importing the same package changes nothing; a newer package from
an office becomes its current one and the older stays in the history; two different packages of one office
with the same report date are refused. Each imported zip is first copied into the data folder's ``received/``
(``db.received_files``), so its 佐证材料 open later without the USB stick it came on; a package whose copy
cannot be made (disk full, the zip changed since it was verified) is not imported at all. The import itself
lives in ``actions.county_import`` (re-exported here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from actions import guard
from actions.county_import import (
    IMPORTED,
    REFUSED,
    UNCHANGED,
    CopiedBatch,
    ImportOutcome,
    ImportSummary,
    ImportTarget,
    KeptCopy,
    VerifiedBatch,
    copy_packages,
    import_packages,
    import_target,
    prepare_packages,
    store_packages,
    verify_packages,
)
from actions.errors import ActionError
from actions.session import Session
from core.assign import role_for
from core.county.matrix import NOT_REPORTED_LABEL, Matrix, build_matrix, status_summary
from core.county.render import render_content_docx, render_content_pdf
from core.county.report import SECTION_CHARS, CountyReportSpec, compose_county_report
from core.county.xlsx import matrix_xlsx
from core.model import Office, OfficeKind, Progress, Role
from core.report import FontError, content_hash
from core.report.document import ReportContent
from core.sheets.words import flagged_label
from core.tracking import UNFILLED_LABEL
from db import received, received_files
from db.received import ReceivedEvidence, ReceivedPackage

__all__ = ["IMPORTED", "REFUSED", "UNCHANGED", "CellDetail", "CopiedBatch", "CountyReport", "ImportOutcome",
           "ImportSummary", "ImportTarget", "KeptCopy", "ReceivedEvidence", "ReceivedPackage", "Removed",
           "VerifiedBatch", "build_report", "cell_detail", "collector_for", "compose_report", "copy_packages",
           "county_status", "import_packages", "import_target", "lead_offices", "matrix", "package_history",
           "prepare_packages", "remove_package", "render_report", "save_report", "scoped", "store_packages",
           "verify_packages", "write_matrix"]


@dataclass(frozen=True)
class Removed:
    """What :func:`remove_package` took out, and the office's current package afterwards (None: 未报送)."""

    package: ReceivedPackage
    current: ReceivedPackage | None


def remove_package(session: Session, office: str, report_date: str | None = None) -> Removed:
    """Set a received package aside: the office's current one, or the one of ``report_date``.

    It leaves the summary (a package with a wrong date would otherwise stay the office's newest for good);
    the office's previous package, if any, is current again. A backup is taken first; the office's zip is
    not touched (it can be imported again), and the copy in ``received/`` goes once no row refers to it.
    """
    who = session.require_office(office)
    plan_id = session.current_plan_id()
    conn = session.store.conn
    if report_date:
        found = received.by_office_date(conn, plan_id, who.name, report_date)
        if found is None:
            dates = "、".join(p.report_date for p in received.history(conn, plan_id, who.name)) or "无"
            raise ActionError(f"没有{who.name}报告日期为 {report_date} 的报送材料（已导入的报告日期：{dates}）")
    else:
        found = received.current_package(conn, plan_id, who.name)
        if found is None:
            raise ActionError(f"还没有导入{who.name}的报送材料")
    session.store.backup("before-county-remove")
    with session.store.write() as c:
        received.remove_package(c, found.id)
        now = received.current_package(c, plan_id, who.name)
    received_files.drop_copy_if_unused(conn, session.data_dir, found.file_sha256)  # after the commit
    return Removed(found, now)


# --- the matrix ------------------------------------------------------------------------------------
def matrix(session: Session, today: date | None = None, plan_id: int | None = None) -> Matrix:
    """Tasks × offices of the current plan from each office's current package (read once)."""
    plan_id = plan_id if plan_id is not None else session.current_plan_id()
    plan = session.plan(plan_id)
    conn = session.store.conn
    dates = {p.office: p.report_date for p in received.current_packages(conn, plan_id)}
    return build_matrix(plan, session.offices(), dates, received.current_progress(conn, plan_id),
                        received.current_evidence_counts(conn, plan_id), today, received.current_flags(conn, plan_id))


def _kind(value: str | None) -> OfficeKind | None:
    kinds = {None: None, "": None, "town": OfficeKind.TOWN, "镇": OfficeKind.TOWN,
             "department": OfficeKind.DEPARTMENT, "部门": OfficeKind.DEPARTMENT}
    if value not in kinds:
        raise ActionError(f"单位类别应为 town（镇/街道）或 department（部门）：{value}")
    return kinds[value]


def scoped(session: Session, m: Matrix, *, lead: str | None = None, kind: str | None = None,
           section: int | None = None, overdue: bool = False) -> Matrix:
    """The matrix narrowed: tasks ``lead`` leads, offices of ``kind``, one section (1-based), overdue rows."""
    lead_office = session.require_office(lead) if lead else None
    if section is not None and not 1 <= section <= len(m.plan.sections):
        raise ActionError(f"方案只有 {len(m.plan.sections)} 个部分：--section {section}")
    out = m.filtered(section=None if section is None else section - 1, kind=_kind(kind), overdue=overdue,
                     lead=lead_office)
    if lead_office is not None and not out.tasks:
        raise ActionError(f"{lead_office.name} 在当前方案中没有牵头的任务")
    return out


def lead_offices(session: Session, m: Matrix) -> list[tuple[Office, int]]:
    """Offices that lead at least one task of the plan, with how many (the 牵头单位 choices)."""
    out = []
    for c in m.columns:
        count = sum(1 for t in m.tasks if (cell := m.cell(t.number, c.name)) is not None and cell.role is Role.LEAD)
        if count:
            out.append((c.office, count))
    return out


def county_status(session: Session, today: date | None = None) -> dict:
    """``county status --json``: offices received (with their package) and missing, counts by status."""
    m = matrix(session, today)
    summary = status_summary(m)
    packages = {p.office: p for p in received.current_packages(session.store.conn, session.current_plan_id())}
    for row in summary["received"]:
        p = packages[row["office"]]
        row.update(file_name=p.file_name, imported_at=p.imported_at, manifest_sha256=p.manifest_sha256)
    return summary


@dataclass(frozen=True)
class CellDetail:
    office: str
    task: int
    role: Role
    package: ReceivedPackage | None  # None: the office has not reported
    entry: Progress | None  # None: reported, but nothing recorded for the task (未填写)
    evidence: tuple[ReceivedEvidence, ...]
    slow: bool = False  # the office marked the task 进展缓慢

    @property
    def state(self) -> str:
        """未报送 / 未填写 / the status, 推进中（进展缓慢） when flagged: what the detail pane shows."""
        if self.package is None:
            return NOT_REPORTED_LABEL
        return flagged_label(self.entry.status, self.slow) if self.entry is not None else UNFILLED_LABEL


def cell_detail(session: Session, office: str, task: int, plan_id: int | None = None) -> CellDetail:
    """What ``office`` sent for ``task``: its notes and its evidence listing (files are not opened)."""
    plan_id = plan_id if plan_id is not None else session.current_plan_id()
    plan = session.plan(plan_id)
    who = session.office(office)
    if who is None:
        raise ActionError(f"未知单位：{office}")
    try:
        t = plan.task(task)
    except KeyError:
        raise ActionError(f"方案中没有任务 {task}") from None
    conn = session.store.conn
    package = received.current_package(conn, plan_id, office)
    if package is None:
        return CellDetail(office, task, role_for(t, who), None, None, ())
    entry = received.package_progress(conn, package.id).get(task)
    return CellDetail(office, task, role_for(t, who), package, entry,
                      tuple(received.evidence_for(conn, package.id, task)),
                      task in received.package_slow(conn, package.id))


def package_history(session: Session, office: str | None = None) -> list[ReceivedPackage]:
    """Every package received for the current plan (current and replaced), by office, newest first."""
    return received.history(session.store.conn, session.current_plan_id(), office)


def write_matrix(session: Session, m: Matrix, out: str | Path) -> Path:
    """The matrix as .xlsx (one row per task, a column group per office) through the write guard."""
    return guard.write_file(out, session.data_dir, guard.XLSX, matrix_xlsx(m))


# --- the 汇总 report -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CountyReport:
    content: ReportContent
    fmt: str
    data: bytes
    sha256: str
    pages: int
    missing: frozenset[str]


def collector_for(session: Session, office: str | None, lead: str | None) -> Office:
    """The office the report is from: ``lead`` (牵头单位 mode), else ``office``, else the plan's 县府办."""
    if lead:
        return session.require_office(lead)
    if office:
        return session.require_office(office)
    recipient = re.sub(r"[(（].*", "", session.plan().recipient).strip()
    found = session.office(recipient) if recipient else None
    if found is None:
        raise ActionError("请用 --office 指定汇总单位（例如 --office 县府办），或用 --lead 指定牵头单位")
    return found


def compose_report(session: Session, *, collector: Office, report_date: date, lead: bool = False,
                   today: date | None = None, section_chars: int = SECTION_CHARS) -> ReportContent:
    """The 汇总 report's content from the current packages (reads the database: the UI thread);
    ``section_chars``: the length of each section's 主要成效做法, as the clerk sets it."""
    if not 50 <= section_chars <= 5000:
        raise ActionError(f"每部分成效做法的字数应在 50 到 5000 之间：{section_chars}")
    m = matrix(session, today or report_date)
    if lead:
        m = m.filtered(lead=collector)
        if not m.tasks:
            raise ActionError(f"{collector.name} 在当前方案中没有牵头的任务")
    return compose_county_report(m, CountyReportSpec(collector, report_date, lead, section_chars=section_chars))


def build_report(session: Session, *, collector: Office, report_date: date, lead: bool = False,
                 fmt: str = "pdf", fonts: str = "auto", font_dirs: tuple[Path, ...] | None = None,
                 today: date | None = None, section_chars: int = SECTION_CHARS) -> CountyReport:
    """Compose the 汇总 report from the current packages and render it (PDF on this branch)."""
    content = compose_report(session, collector=collector, report_date=report_date, lead=lead, today=today,
                             section_chars=section_chars)
    return render_report(content, fmt, fonts, font_dirs)


def render_report(content: ReportContent, fmt: str = "pdf", fonts: str = "auto",
                  font_dirs: tuple[Path, ...] | None = None) -> CountyReport:
    """Typeset composed content (no database: any thread)."""
    if fmt not in ("pdf", "docx"):
        raise ActionError(f"汇总报告只能生成 PDF 或 Word：{fmt}")
    if fmt == "docx":
        data = render_content_docx(content)
        return CountyReport(content, fmt, data, content_hash(data), 0, frozenset())
    try:
        data, missing = render_content_pdf(content, fonts, font_dirs)
    except FontError as exc:
        raise ActionError(str(exc)) from None
    from actions.reports import page_count

    return CountyReport(content, fmt, data, content_hash(data), page_count(data), frozenset(missing))


def save_report(session: Session, report: CountyReport, out: str | Path) -> Path:
    kind = {"pdf": guard.PDF, "docx": guard.DOCX}[report.fmt]
    return guard.write_file(out, session.data_dir, kind, report.data)
