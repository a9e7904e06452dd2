"""The ReportContent the Word and Excel writers' tests use: the real 2019 plan, 悦城镇's fixture progress,
composed by ``core.report.compose_report`` exactly as the app does."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from core.assign import roles_for
from core.model import ROLE_LABELS, Office, OfficeKind, Plan, Progress, Role, Task
from core.report.document import Block, BlockKind, LedgerRow, ReportContent
from core.report.text import chinese_date
from tests.report_fixtures import OFFICE, REPORT_DATE, real_plan, town_progress, town_texts

CN = "一二三四五六七八九十"
#: Evidence attached to task 12 (the 市长留言 task).
EVIDENCE_12 = ("12-1 悦城镇市长留言办理台账.xlsx", "12-2 舆情处置会议照片.jpg")


def short_name(plan: Plan, task: Task) -> str:
    """The subsection title, else the requirement's first clause."""
    if task.subsection is not None:
        return plan.subsections[task.subsection].title
    first = task.text
    for mark in ",，;；。":
        first = first.split(mark, 1)[0]
    return first[:16]


def assigned(plan: Plan) -> tuple[dict[int, Role], dict[int, Progress], list[Task]]:
    roles = roles_for(plan, Office(OFFICE, OfficeKind.TOWN))
    progress = town_progress(plan, roles)
    tasks = [t for t in plan.tasks if roles[t.number] is not Role.NONE]
    return roles, progress, tasks


def ledger_row(plan: Plan, task: Task, role: Role, p: Progress) -> LedgerRow:
    return LedgerRow(
        number=task.number, task=task.text, short_name=short_name(plan, task), role=ROLE_LABELS[role],
        owner=p.owner, due=chinese_date(p.due) if p.due else "", status=p.status.label, percent=p.percent,
        steps=p.steps, achievements=p.achievements, problems=p.problems, next_steps=p.next_steps,
        updated_at=p.updated_at, evidence=EVIDENCE_12 if task.number == 12 else (),
    )


def _part(plan: Plan, tasks: list[Task], progress: dict[int, Progress], field: str) -> list[Block]:
    blocks: list[Block] = []
    section = -1
    for t in tasks:
        text = getattr(progress[t.number], field)
        if not text:
            continue
        if t.section != section:
            section = t.section
            s = plan.sections[section]
            blocks.append(Block(BlockKind.H2, f"（{s.number}）{s.title}"))
        blocks.append(Block(BlockKind.BODY, f"（任务{t.number} {short_name(plan, t)}）{text}"))
    return blocks


@lru_cache(maxsize=4)
def office_content(sealed: bool = False) -> ReportContent:
    plan = real_plan()
    roles, progress, _ = assigned(plan)
    return build_content(plan, roles, progress, sealed)


def build_content(plan: Plan, roles: dict[int, Role], progress: dict[int, Progress],
                  sealed: bool = False) -> ReportContent:
    """The report of 悦城镇 with ``progress`` for every task it has a role in, composed by the real composer
    (the one the PDF uses), with the 佐证材料 of task 12 in its ledger row."""
    from core.report import ReportOptions, compose_report

    texts = replace(town_texts(), sealed=sealed, round_label="2019年全年")
    content = compose_report(plan, roles, progress, texts,
                             ReportOptions(office=OFFICE, report_date=REPORT_DATE, office_kind=OfficeKind.TOWN))
    rows = tuple(replace(r, evidence=EVIDENCE_12) if r.number == 12 else r for r in content.ledger_rows)
    return replace(content, ledger_rows=rows)


def with_rows(content: ReportContent, **fields_by_number: dict[str, object]) -> ReportContent:
    """``content`` with some ledger rows' fields replaced: ``with_rows(c, t12={"problems": "=1+1"})``."""
    rows = []
    for row in content.ledger_rows:
        change = fields_by_number.get(f"t{row.number}")
        rows.append(replace(row, **change) if change else row)
    return replace(content, ledger_rows=tuple(rows))
