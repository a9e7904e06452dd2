"""Composing the 落实情况报告 once, as a :class:`ReportContent` every writer renders (PDF, Word, Excel).

Pure: no fonts, no pages, no reportlab. The wording rules live here:

- 一、总体情况 counts the tasks by role and status, gives the completion rate (已完成 over the tasks that
  apply, i.e. not 不适用; with 持续推进 tasks also the share done or ongoing), and names the 未开始
  tasks and those past their own 完成时限 (days overdue counted to the report date). Up to 12 tasks are
  named with their short names, more by number only (任务1—6、8).
- Parts 二 to 四 start with the report-level text (ReportTexts.*_intro), then the per-task notes grouped
  under the plan's sections. Identical notes are one item naming all their tasks; a note shared by tasks
  of several sections comes before the section groups. A part with nothing to say is left out (the parts
  are numbered as printed), so an office with no notes gets no filler text, and a warning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from core.model import ROLE_LABELS, Office, Plan, Progress, ReportTexts, Role, Status, Task
from core.offices import full_name, guess_kind, self_reference
from core.report.document import Block, BlockKind, LedgerRow, ReportContent, Signature
from core.report.options import ReportOptions
from core.report.short_names import short_name
from core.report.text import chinese_date, clean, paragraphs
from core.report.titles import title_lines
from core.rounds import effective_round

CN_NUMBERS = "一二三四五六七八九十"
#: Status order used in counts: finished work first.
STATUS_ORDER = (Status.DONE, Status.ONGOING, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE)
ROLE_ORDER = (Role.LEAD, Role.RESPONSIBLE, Role.COOPERATING, Role.RELATED)
#: (progress field, report-level intro field, heading) of parts 二 to 四.
PARTS = (("achievements", "achievements_intro", "主要成效做法"), ("problems", "problems_intro", "存在问题"),
         ("next_steps", "next_steps_intro", "下一步措施"))
#: Up to this many tasks are named with their short names in 总体情况; more are listed by number.
NAMED_LIMIT = 12
NO_NOTES_WARNING = "本单位还没有填写任何成效做法、存在问题或下一步措施，报告只有总体情况。"


def cn_number(n: int) -> str:
    """1..99 as Chinese numerals (一, 十二, 二十一)."""
    if n <= 10:
        return CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUMBERS[tens - 1]
    return head + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def report_title(plan: Plan, office: str) -> str:
    return f"{office}关于{plan.title}落实情况的报告"


def ledger_title(plan: Plan) -> str:
    """The annex's title, printed the same in the 附件说明 and on the annex's first page
    (德庆县2019年政务公开工作要点落实情况台账: the plan's title without 分工方案, so the note keeps to one line)."""
    base = plan.title.removesuffix("分工方案").removesuffix("方案") or plan.title
    return f"{base}落实情况台账"


def assigned_tasks(plan: Plan, roles: dict[int, Role]) -> list[Task]:
    """The plan's tasks whose role for the office is not NONE, in plan order."""
    return [t for t in plan.tasks if roles.get(t.number, Role.NONE) is not Role.NONE]


def task_numbers(numbers: list[int]) -> str:
    """任务 numbers joined with 、, runs of three or more as 3—6."""
    out: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        if j - i >= 2:
            out.append(f"{numbers[i]}—{numbers[j]}")
            i = j + 1
        else:
            out.append(str(numbers[i]))
            i += 1
    return "、".join(out)


@dataclass(frozen=True)
class _Data:
    plan: Plan
    office: Office
    tasks: tuple[Task, ...]
    roles: dict[int, Role]
    progress: dict[int, Progress]
    texts: ReportTexts
    options: ReportOptions
    names: dict[int, str]

    @property
    def who(self) -> str:
        return self_reference(self.office)


def _named(data: _Data, tasks: list[Task], extra: dict[int, str] | None = None) -> str:
    """任务5（参加微访谈、在线访谈工作）、… or, for many tasks, 任务5、11—14 …"""
    if len(tasks) > NAMED_LIMIT:
        return "任务" + task_numbers([t.number for t in tasks])
    parts = []
    for t in tasks:
        inner = "，".join(x for x in (data.names[t.number], (extra or {}).get(t.number, "")) if x)
        parts.append(f"任务{t.number}（{inner}）" if inner else f"任务{t.number}")
    return "、".join(parts)


def _overview(data: _Data) -> list[str]:
    roles = Counter(data.roles[t.number] for t in data.tasks)
    statuses = Counter(data.progress[t.number].status for t in data.tasks)
    text = f"《{data.plan.title}》共{len(data.plan.tasks)}项任务，涉及{data.who}的有{len(data.tasks)}项"
    by_role = "、".join(f"{ROLE_LABELS[r]}{roles[r]}项" for r in ROLE_ORDER if roles[r])
    if by_role:
        text += f"，其中{by_role}"
    text += "。"
    if not data.tasks:
        return [text]
    by_status = "、".join(f"{s.label}{statuses[s]}项" for s in STATUS_ORDER if statuses[s])
    text += f"截至{chinese_date(data.options.report_date)}，{by_status}"
    applicable = len(data.tasks) - statuses[Status.NOT_APPLICABLE]
    if applicable:
        rate = 100 * statuses[Status.DONE] / applicable
        text += f"，完成率{rate:.1f}%"
        if statuses[Status.ONGOING]:  # standing tasks carried out as required are not "unfinished"
            rate = 100 * (statuses[Status.DONE] + statuses[Status.ONGOING]) / applicable
            text += f"，已完成和持续推进的合计占{rate:.1f}%"
    text += "。"
    out = [text]
    not_started = [t for t in data.tasks if data.progress[t.number].status is Status.NOT_STARTED]
    if not_started:
        out.append(f"尚未开始的{len(not_started)}项：{_named(data, not_started)}。")
    overdue: list[Task] = []
    days: dict[int, str] = {}
    for t in data.tasks:
        p = data.progress[t.number]
        if p.due is not None and p.due < data.options.report_date and p.status not in (Status.DONE,
                                                                                      Status.NOT_APPLICABLE):
            overdue.append(t)
            days[t.number] = f"超期{(data.options.report_date - p.due).days}天"
    if overdue:
        out.append(f"已超过完成时限仍未完成的{len(overdue)}项：{_named(data, overdue, days)}。")
    return out


def _opening(data: _Data, round_label: str) -> list[str]:
    if data.texts.opening.strip():
        return paragraphs(data.texts.opening)
    return [(f"根据《{data.plan.title}》要求，{data.who}高度重视，对照涉及{data.who}的{len(data.tasks)}项任务，"
             f"明确责任股室和完成时限，逐项抓好落实。现将{data.who}{round_label}落实情况报告如下：")]


def _part(data: _Data, field: str) -> list[Block]:
    """Per-task notes of one kind: merged when identical, grouped under the plan's sections."""
    notes: dict[tuple[str, ...], list[Task]] = {}
    for t in data.tasks:
        p = data.progress[t.number]
        if p.status is Status.NOT_APPLICABLE:
            continue
        lines = tuple(clean(x) for x in paragraphs(getattr(p, field)))
        if lines:
            notes.setdefault(lines, []).append(t)
    general: list[Block] = []
    by_section: dict[int, list[Block]] = {}
    for lines, tasks in notes.items():
        if len(tasks) == 1:
            label = f"任务{tasks[0].number} {data.names[tasks[0].number]}".rstrip()
        else:
            label = "任务" + task_numbers([t.number for t in tasks])
        blocks = [Block(BlockKind.BODY, f"（{label}）{lines[0]}")]
        blocks += [Block(BlockKind.BODY, x) for x in lines[1:]]
        sections = {t.section for t in tasks}
        if len(sections) > 1:
            general += blocks
        else:
            by_section.setdefault(tasks[0].section, []).extend(blocks)
    out = general
    for k, (section, blocks) in enumerate(sorted(by_section.items()), start=1):
        title = clean(data.plan.sections[section].title) if section < len(data.plan.sections) else ""
        out.append(Block(BlockKind.H2, f"（{cn_number(k)}）{title}"))
        out += blocks
    return out


def contact_text(texts: ReportTexts) -> str:
    """（联系人：…，联系电话：…）, the 附注 under the date; empty when neither is set."""
    parts = []
    if texts.contact_name.strip():
        parts.append(f"联系人：{texts.contact_name.strip()}")
    if texts.contact_phone.strip():
        parts.append(f"联系电话：{texts.contact_phone.strip()}")
    return f"（{'，'.join(parts)}）" if parts else ""


def _ledger_row(data: _Data, t: Task) -> LedgerRow:
    p = data.progress[t.number]
    due = chinese_date(p.due) if p.due else ""
    return LedgerRow(number=t.number, task=clean(t.text), short_name=data.names[t.number],
                     role=ROLE_LABELS[data.roles[t.number]], owner=clean(p.owner.strip()), due=due,
                     status=p.status.label, percent=p.percent, steps=clean(p.steps.strip()),
                     achievements=clean(p.achievements.strip()), problems=clean(p.problems.strip()),
                     next_steps=clean(p.next_steps.strip()), updated_at=p.updated_at)


def compose_report(plan: Plan, roles: dict[int, Role], progress: dict[int, Progress], texts: ReportTexts,
                   options: ReportOptions) -> ReportContent:
    """Everything the report for ``options.office`` says, in reading order."""
    kind = options.office_kind or guess_kind(options.office)
    office = Office(options.office, kind)
    tasks = tuple(assigned_tasks(plan, roles))
    data = _Data(plan=plan, office=office, tasks=tasks, roles=dict(roles),
                 progress={t.number: progress.get(t.number) or Progress(task=t.number) for t in tasks},
                 texts=texts, options=options, names={t.number: clean(short_name(plan, t)) for t in tasks})
    round_label = effective_round(texts.round_label, options.report_date, plan.year)
    title = report_title(plan, options.office)
    blocks = [Block(BlockKind.TITLE, title, title_lines(title))]
    if plan.recipient.strip():  # a plan without one gets no invented 主送机关
        blocks.append(Block(BlockKind.RECIPIENT, clean(f"{plan.recipient.strip()}：")))
    blocks += [*(Block(BlockKind.BODY, clean(x)) for x in _opening(data, round_label)),
              Block(BlockKind.H1, "一、总体情况"),
              *(Block(BlockKind.BODY, x) for x in _overview(data))]
    has_notes = False
    n = 2
    for field, intro_field, heading in PARTS:
        part = [Block(BlockKind.BODY, clean(x)) for x in paragraphs(getattr(texts, intro_field))]
        notes = _part(data, field)
        has_notes = has_notes or bool(part) or bool(notes)
        if part or notes:
            blocks.append(Block(BlockKind.H1, f"{cn_number(n)}、{heading}"))
            blocks += part + notes
            n += 1
    closing = [clean(x) for x in paragraphs(texts.closing)] or ["特此报告。"]
    blocks += [Block(BlockKind.BODY, x) for x in closing[:-1]]
    blocks.append(Block(BlockKind.CLOSING, closing[-1]))
    with_ledger = options.include_ledger and bool(tasks)
    annex = ledger_title(plan) if with_ledger else ""
    if annex:
        blocks.append(Block(BlockKind.ANNEX_NOTE, f"附件：{annex}"))
    signer = texts.signer.strip() or full_name(office)
    signature = Signature(signer=signer, date_text=chinese_date(options.report_date), sealed=texts.sealed,
                          contact=contact_text(texts))
    warnings = () if has_notes or not tasks else (NO_NOTES_WARNING,)
    return ReportContent(office=options.office, plan_title=plan.title, report_date=options.report_date,
                         title=title, blocks=tuple(blocks), signature=signature, ledger_title=annex,
                         ledger_rows=tuple(_ledger_row(data, t) for t in tasks),
                         round_label=round_label, warnings=warnings, has_notes=has_notes)
