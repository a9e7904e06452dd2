"""The 落实情况报告: built once from one snapshot, written atomically, archived once per content.

The window builds off the UI thread: it takes a :func:`snapshot` on the UI thread (the SQLite connection
belongs to it), hands it to :func:`build_from` on a worker, and calls :func:`save` with the result. The CLI
does the same three steps in a row, so both store the same archive row for the same report.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from actions import guard
from actions.errors import ActionError
from actions.office_view import open_office
from actions.session import Session
from core.model import FIELD_LABELS, TEXT_FIELDS, Office, Plan, Progress, ReportTexts, Role
from core.report import NO_NOTES_WARNING, FontError, ReportContent, ReportOptions, compose_report, content_hash
from core.report.document import LedgerRow
from core.report.fonts import font_notice
from core.sheets.words import flagged_label
from core.text_safety import escape_for_terminal
from db import sheets as sheet_q
from db.evidence import labels_by_task as evidence_labels
from db.progress import UnstorableTextError
from db.store import ArchivedReport

__all__ = ["ArchivedReport", "BuiltReport", "ReportInputs", "ReportRequest", "archive", "archived", "build",
           "build_from", "default_report_date", "is_submission", "mark_submitted", "reprint", "save", "save_texts",
           "snapshot", "submission_files", "submissions", "texts"]

FORMATS = ("pdf", "docx", "xlsx")
XLSX_PAPERS = ("a4", "a3")  # core.report.xlsx_writer.PAPERS (not imported here: openpyxl loads on use)
_PAGE_RE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@dataclass(frozen=True)
class ReportRequest:
    """What the clerk asked for: whose report, dated when, in which form."""

    office: Office
    report_date: date
    include_ledger: bool = True
    fonts: str = "auto"  # "auto": the PC's official fonts when installed; "bundled": ours only
    fmt: str = "pdf"
    font_dirs: tuple[Path, ...] | None = None  # replaces the system font folders (tests)
    #: The Excel 台账's print layout: "a4" (fewer, narrower columns) or "a3" (all columns); both print ≥ 9 pt.
    xlsx_paper: str = "a4"

    def options(self) -> ReportOptions:
        return ReportOptions(office=self.office.name, report_date=self.report_date, office_kind=self.office.kind,
                             include_ledger=self.include_ledger, font_choice=self.fonts, font_dirs=self.font_dirs)

    def record(self) -> dict:
        """The settings archived with the report (the same from the window and the CLI)."""
        record = {"format": self.fmt, "include_ledger": self.include_ledger, "font_choice": self.fonts}
        if self.fmt == "xlsx":
            record["paper"] = self.xlsx_paper
        return record


@dataclass(frozen=True)
class ReportInputs:
    """A snapshot of everything the report prints; safe to hand to another thread."""

    plan_id: int
    plan: Plan
    office: Office
    roles: dict[int, Role]
    progress: dict[int, Progress]
    texts: ReportTexts
    evidence: dict[int, list[str]] = dataclasses.field(default_factory=dict)  # task → ["12-1 会议照片", …]
    slow: frozenset[int] = frozenset()  # tasks flagged 进展缓慢 (a flag beside the status)


@dataclass(frozen=True)
class BuiltReport:
    request: ReportRequest
    plan_id: int
    data: bytes
    sha256: str
    pages: int  # 0 for formats without fixed pages
    missing: frozenset[str]  # characters no font has (printed as 〓)
    warnings: tuple[str, ...]
    round_label: str = ""  # 报送轮次 archived with it: the composer's (as typed, else core.rounds.default_round)

    @property
    def empty(self) -> bool:
        return NO_NOTES_WARNING in self.warnings


def default_report_date(plan: Plan, today: date | None = None) -> date:
    """Today; once the plan's deadline has passed, the day before the deadline (the report was due then)."""
    today = today or date.today()
    if plan.deadline is not None and today > plan.deadline:
        return plan.deadline - timedelta(days=1)
    return today


def snapshot(session: Session, office: Office, plan_id: int | None = None) -> ReportInputs:
    view = open_office(session, office, plan_id)
    return ReportInputs(view.plan_id, view.plan, office, view.roles, view.progress,
                        session.store.report_texts(view.plan_id, office.name),
                        evidence_labels(session.store.conn, view.plan_id, office.name),
                        sheet_q.slow_tasks(session.store.conn, view.plan_id, office.name))


def compose(inputs: ReportInputs, request: ReportRequest) -> ReportContent:
    """The report's content, composed once: the PDF, the Word file and the Excel 台账 all render it."""
    content = compose_report(inputs.plan, inputs.roles, inputs.progress, inputs.texts, request.options())
    rows = tuple(dataclasses.replace(r, evidence=tuple(inputs.evidence.get(r.number, ())),
                                     status=_flagged(r, inputs)) for r in content.ledger_rows)
    return dataclasses.replace(content, ledger_rows=rows)


def _flagged(row: LedgerRow, inputs: ReportInputs) -> str:
    """The 台账's 状态 cell: 推进中（进展缓慢） for a filled task flagged slow."""
    entry = inputs.progress.get(row.number)
    if not row.filled or entry is None or row.number not in inputs.slow:
        return row.status
    return flagged_label(entry.status, True)


def build_from(inputs: ReportInputs, request: ReportRequest) -> BuiltReport:
    """Compose the report once and render it in ``request.fmt`` (any thread). FontError becomes ActionError."""
    if request.fmt not in FORMATS:
        raise ActionError(f"不支持的报告格式：{request.fmt}（可用 .pdf、.docx、.xlsx）")
    if request.xlsx_paper not in XLSX_PAPERS:
        raise ActionError(f"不支持的台账纸张：{request.xlsx_paper}（可用 a4、a3）")
    content = compose(inputs, request)
    missing: frozenset[str] = frozenset()
    warnings = content.warnings
    try:
        if request.fmt == "pdf":
            from core.report.pdf import missing_glyphs_in, render_pdf

            options = request.options()
            data = render_pdf(content, options)
            missing = frozenset(missing_glyphs_in(content, options))
            notice = font_notice(request.fonts, request.font_dirs)
            warnings += (notice,) if notice else ()
        elif request.fmt == "docx":
            from core.report.docx_writer import render_docx

            data = render_docx(content)
        else:
            from core.report.xlsx_writer import render_xlsx

            data = render_xlsx(content, request.xlsx_paper)
    except FontError as exc:
        raise ActionError(str(exc)) from None
    pages = page_count(data) if request.fmt == "pdf" else 0
    return BuiltReport(request, inputs.plan_id, data, content_hash(data), pages, missing, tuple(warnings),
                       content.round_label)


def missing_where(inputs: ReportInputs, missing: frozenset[str] | set[str]) -> list[str]:
    """Where the characters no font has stand, escaped for a terminal: 任务12 成效做法：\\u0007 …"""
    found = []
    for number, entry in sorted(inputs.progress.items()):
        if inputs.roles.get(number, Role.NONE) is Role.NONE:
            continue
        for name in TEXT_FIELDS:
            chars = sorted(set(getattr(entry, name)) & set(missing))
            if chars:
                found.append(f"任务{number} {FIELD_LABELS[name]}：{escape_for_terminal(''.join(chars))}")
    named = dict(dataclasses.asdict(inputs.texts))
    named.update({f"section{i + 1}": x for i, x in enumerate(inputs.texts.section_summaries)})
    for name, value in named.items():
        chars = sorted(set(value) & set(missing)) if isinstance(value, str) else []
        if chars:
            found.append(f"报告文字（{name}）：{escape_for_terminal(''.join(chars))}")
    return found


def build(session: Session, request: ReportRequest) -> BuiltReport:
    return build_from(snapshot(session, request.office), request)


def archive(session: Session, built: BuiltReport, *, submitted: bool = False,
            extra: dict | None = None) -> tuple[int, bool]:
    """Archive the exact bytes once per content; returns (archive id, whether it was new).

    ``submitted``: this is a submission (报送: the package, or a report the clerk marked so), not only a save;
    an earlier save of the same content becomes a submission. ``extra`` goes into the archived options
    (where the file was saved, the files a package holds)."""
    record = {**(extra or {}), **built.request.record(), "submitted": submitted}
    report_id, new = session.store.archive_report(built.plan_id, built.request.office.name,
                                                  built.request.report_date.isoformat(), built.sha256, record,
                                                  built.data, built.request.fmt, round_label=built.round_label)
    if submitted and not new:
        session.store.mark_submitted(report_id, True)
    return report_id, new


def is_submission(report: ArchivedReport) -> bool:
    """A package, or a report marked 报送; a plain save (PDF, Word, Excel) is not a submission.

    Rows archived before this distinction carry no mark: their packages count, their files are saves."""
    return report.format == "package" or bool(report.options.get("submitted"))


def submission_files(report: ArchivedReport) -> tuple[str, ...]:
    """The files of one submission: a package's documents (佐证材料 counted, not named), or the report's file."""
    files = report.options.get("files")
    if isinstance(files, list):
        return tuple(str(f) for f in files)
    saved = report.options.get("saved_to")
    return (Path(str(saved)).name,) if saved else ()


def submissions(session: Session, office: Office, plan_id: int | None = None) -> list[ArchivedReport]:
    """已提交的报告: one row per submission event, newest first (plain saves left out)."""
    return [r for r in archived(session, office, plan_id) if is_submission(r)]


def mark_submitted(session: Session, report_id: int, submitted: bool = True) -> None:
    """标记为已报送 (or take the mark back) for an archived report."""
    if not session.store.mark_submitted(report_id, submitted):
        raise ActionError(f"没有编号为 {report_id} 的存档报告（可用 report list 查看）")


@dataclass(frozen=True)
class SavedReport:
    path: Path
    archive_id: int | None  # None when not archived
    newly_archived: bool


def _kind(fmt: str) -> guard.OutputKind:
    return {"pdf": guard.PDF, "docx": guard.DOCX, "xlsx": guard.XLSX}[fmt]


def check_output(session: Session, out: str | Path, fmt: str) -> Path:
    """The file a report of ``fmt`` would be written to, or ActionError; writes nothing."""
    return guard.check_target(out, session.data_dir, _kind(fmt))


def save(session: Session, built: BuiltReport, out: str | Path, *, archive_it: bool = True,
         allow_empty: bool = False, submitted: bool = False) -> SavedReport:
    """Write the report to ``out`` through the write guard, atomically, then archive it (as a save; as a
    submission only with ``submitted``).

    A report with no notes at all is refused unless ``allow_empty`` (the clerk confirmed it).
    """
    if built.empty and not allow_empty:
        raise ActionError(NO_NOTES_WARNING + "确认要报送这样的报告，请加 --allow-empty（窗口中会先询问）。")
    path = guard.write_file(out, session.data_dir, _kind(built.request.fmt), built.data)
    if not archive_it:
        return SavedReport(path, None, False)
    report_id, new = archive(session, built, submitted=submitted, extra={"saved_to": str(path)})
    return SavedReport(path, report_id, new)


def archived(session: Session, office: Office, plan_id: int | None = None) -> list[ArchivedReport]:
    """The office's archived reports on the plan, newest first."""
    return session.store.archived_reports(plan_id if plan_id is not None else session.current_plan_id(), office.name)


def archived_data(session: Session, report_id: int) -> bytes:
    data = session.store.archived_data(report_id)
    if data is None:
        raise ActionError(f"没有编号为 {report_id} 的存档报告（可用 report list 查看）")
    return data


def reprint(session: Session, report_id: int, out: str | Path) -> tuple[Path, bytes]:
    """Write the archived bytes of ``report_id`` unchanged to ``out``."""
    data = archived_data(session, report_id)
    if not (data.startswith(b"%PDF-") or data.startswith(b"PK")):
        raise ActionError(f"第 {report_id} 号存档是报送材料的清单，不是报告；报送材料本身在当时保存的位置")
    fmt = "pdf" if data.startswith(b"%PDF-") else Path(str(out)).suffix.lstrip(".").lower()
    return guard.write_file(out, session.data_dir, _kind(fmt if fmt in FORMATS else "pdf"), data), data


def texts(session: Session, plan_id: int, office: Office) -> ReportTexts:
    return session.store.report_texts(plan_id, office.name)


def save_texts(session: Session, plan_id: int, office: Office, value: ReportTexts) -> None:
    """The report-level texts (opening, closing, overviews, contact, signer), saved as typed."""
    try:
        session.store.save_report_texts(plan_id, office.name, value)
    except UnstorableTextError as exc:
        raise ActionError(str(exc)) from None


def page_count(pdf: bytes) -> int:
    """Pages of a PDF written by reportlab (its page objects are never inside compressed streams)."""
    return len(_PAGE_RE.findall(pdf))
