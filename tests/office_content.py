"""A ReportContent for the Word and Excel writers' tests, built from the real 2019 plan and a town's progress.

Until the content composer (core/report/content.py) produces :class:`ReportContent`, the office-format
tests build one here, straightforwardly: every assigned task of 悦城镇 (66), its progress from
``report_fixtures``, one block per paragraph.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from core.assign import roles_for
from core.model import ROLE_LABELS, Office, OfficeKind, Plan, Progress, Role, Task
from core.report.document import Block, BlockKind, LedgerRow, ReportContent, Signature
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
    """The report of 悦城镇 with ``progress`` for every task it has a role in."""
    tasks = [t for t in plan.tasks if roles[t.number] is not Role.NONE]
    texts = town_texts()
    title = f"{OFFICE}关于{plan.title}落实情况的报告"
    ledger_title = f"{OFFICE}落实《{plan.title}》情况台账"
    done = sum(1 for t in tasks if progress[t.number].percent == 100)
    blocks = [
        Block(BlockKind.TITLE, title, lines=(f"{OFFICE}关于德庆县2019年", "政务公开工作要点分工方案落实情况的报告")),
        Block(BlockKind.RECIPIENT, f"{plan.recipient}："),
        Block(BlockKind.BODY, f"根据《{plan.title}》要求，现将我镇落实情况报告如下："),
        Block(BlockKind.H1, "一、总体情况"),
        Block(BlockKind.BODY, f"《{plan.title}》共{len(plan.tasks)}项任务，涉及我镇的有{len(tasks)}项，"
                              f"截至{chinese_date(REPORT_DATE)}已完成{done}项。"),
        Block(BlockKind.H1, "二、主要成效做法"),
        *_part(plan, tasks, progress, "achievements"),
        Block(BlockKind.H1, "三、存在问题"),
        *_part(plan, tasks, progress, "problems"),
        Block(BlockKind.H1, "四、下一步措施"),
        *_part(plan, tasks, progress, "next_steps"),
        Block(BlockKind.CLOSING, texts.closing),
        Block(BlockKind.ANNEX_NOTE, f"附件：{ledger_title}"),
    ]
    rows = tuple(ledger_row(plan, t, roles[t.number], progress[t.number]) for t in tasks)
    return ReportContent(
        office=OFFICE, plan_title=plan.title, report_date=REPORT_DATE, title=title, blocks=tuple(blocks),
        signature=Signature(f"{OFFICE}人民政府", chinese_date(REPORT_DATE), sealed=sealed,
                            contact=f"（联系人：{texts.contact_name}，联系电话：{texts.contact_phone}）"),
        ledger_title=ledger_title, ledger_rows=rows, round_label="2019年全年",
    )


def with_rows(content: ReportContent, **fields_by_number: dict[str, object]) -> ReportContent:
    """``content`` with some ledger rows' fields replaced: ``with_rows(c, t12={"problems": "=1+1"})``."""
    rows = []
    for row in content.ledger_rows:
        change = fields_by_number.get(f"t{row.number}")
        rows.append(replace(row, **change) if change else row)
    return replace(content, ledger_rows=tuple(rows))
