"""Sheets for the 股室: send one out, review the answers that come back, apply what the clerk chose.

Nothing is written before the clerk confirms. Applying saves every step through the editing path's checks in
one transaction, with the 股室 named as the author of each version it wrote; when the entries changed since
the review was made, nothing is applied and the clerk is asked to review again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from actions.editing import check_entry
from actions.errors import ActionError
from actions.guard import XLSX, write_file
from actions.office_view import OfficeView, open_office
from actions.session import Session
from core.model import Progress
from core.progress.file import status_percent_problem
from core.sheets.layout import UNASSIGNED, plan_fingerprint
from core.sheets.outgoing import OutRow, group_by_section, sheet_bytes
from core.sheets.reading import SheetFileError, read_answers
from core.sheets.review import Context, Review, plan_steps, review_answers
from db import sheets as sheet_q
from db.progress import UnstorableTextError

__all__ = ["AnswerReview", "SentSheet", "apply_answers", "authors", "make_sheet", "review_files", "sections"]


@dataclass(frozen=True)
class SentSheet:
    path: Path
    sheets: tuple[tuple[str, int], ...]  # (股室, tasks)


def _rows(session: Session, office_name: str | None) -> tuple[OfficeView, list[OutRow]]:
    """The office's tasks (every role but none), each with its entry, version sent and 进展缓慢 flag."""
    view = open_office(session, session.require_office(office_name))
    versions = sheet_q.entry_versions(session.store.conn, view.plan_id, view.office.name)
    flags = sheet_q.load_flags(session.store.conn, view.plan_id, view.office.name)
    rows = [OutRow(t, view.progress.get(t.number, Progress(t.number)), versions.get(t.number, 0),
                   "slow" in flags.get(t.number, frozenset()))
            for t in view.assigned()]
    return view, rows


def authors(session: Session, plan_id: int, office: str, task: int) -> dict[int, str]:
    """Version number → the 股室 that wrote it (versions the clerk wrote are absent): for 历史版本."""
    return sheet_q.version_authors(session.store.conn, plan_id, office, task)


def sections(session: Session, office_name: str | None) -> list[tuple[str, int]]:
    """The 股室 the office's tasks fall to (the entries' 责任股室/责任人) and how many tasks each has."""
    _view, rows = _rows(session, office_name)
    return [(s.section, len(s.rows)) for s in group_by_section(rows)]


def make_sheet(session: Session, office_name: str | None, out: str | Path,
               section: str | None = None) -> SentSheet:
    """Write the workbook for the 股室 (one worksheet each, or only ``section``'s)."""
    view, rows = _rows(session, office_name)
    groups = group_by_section(rows)
    if section is not None:
        wanted = section.strip() or UNASSIGNED
        groups = [g for g in groups if g.section == wanted]
        if not groups:
            names = "、".join(g.section for g in group_by_section(rows)) or "无"
            raise ActionError(f"没有责任股室为“{section}”的任务（现有：{names}）")
    if not groups:
        raise ActionError(f"{view.office.name}在当前方案中没有任务")
    data = sheet_bytes(view.plan.title, plan_fingerprint(view.plan), view.plan_id, view.office.name, groups)
    path = write_file(out, session.data_dir, XLSX, data)
    return SentSheet(path, tuple((g.section, len(g.rows)) for g in groups))


@dataclass
class AnswerReview:
    plan_id: int
    office: str
    review: Review


def review_files(session: Session, office_name: str | None, files: list[str | Path]) -> AnswerReview:
    """Read the answer sheets and list every answered field; nothing is written."""
    if not files:
        raise ActionError("请给出要导入的股室填报表（.xlsx）")
    view = open_office(session, session.require_office(office_name))
    conn = session.store.conn
    answers = []
    for f in files:
        path = Path(f).expanduser()
        if not path.is_file():
            raise ActionError(f"文件不存在：{path}")
        try:
            answers.append(read_answers(path))
        except SheetFileError as exc:
            raise ActionError(str(exc)) from None
    office = view.office.name
    ctx = Context(
        plan=view.plan, plan_fp=plan_fingerprint(view.plan), office=office, current=view.progress,
        versions=sheet_q.entry_versions(conn, view.plan_id, office),
        flags=sheet_q.load_flags(conn, view.plan_id, office),
        sent=lambda task, version: sheet_q.entry_at_version(conn, view.plan_id, office, task, version),
    )
    numbers = {t.number for t in view.plan.tasks}
    return AnswerReview(view.plan_id, office, review_answers(answers, ctx, numbers))


def apply_answers(session: Session, answer: AnswerReview) -> int:
    """Apply the clerk's choices in one transaction; returns how many entries were saved.

    Refused whole when an entry changed since the review (someone typed meanwhile): review again.
    """
    conn = session.store.conn
    review = answer.review
    tasks = {c.task for c in review.changes}
    current = session.store.progress(answer.plan_id, answer.office)
    flags = sheet_q.load_flags(conn, answer.plan_id, answer.office)
    steps = plan_steps(review, current, flags)
    for step in steps:
        check_entry(step.entry)
        problem = status_percent_problem(step.entry.status, step.entry.percent)
        if problem:
            raise ActionError(f"任务 {step.task}：{problem}。请把这项的状态或进度改选“保留现有”，"
                              "或在表中改正后重新导入；没有导入任何内容。")
    saved = 0
    try:
        with session.store.write() as wconn:
            now = sheet_q.entry_versions(wconn, answer.plan_id, answer.office)
            moved = sorted(t for t in tasks if now.get(t) != review.versions.get(t))
            if moved:
                raise ActionError(f"任务 {'、'.join(map(str, moved[:10]))} 在审核期间又被修改过，没有导入任何内容。"
                                  "请重新导入这些表格再审核。")
            for step in steps:
                if sheet_q.write_authored(wconn, answer.plan_id, answer.office, step.entry, step.author):
                    saved += 1
                if step.slow is not None:
                    sheet_q.write_flag(wconn, answer.plan_id, answer.office, step.task, "slow", step.slow)
    except UnstorableTextError as exc:
        raise ActionError(str(exc)) from None
    return saved
