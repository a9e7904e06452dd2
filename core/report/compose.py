"""Composing the 落实情况报告 once, as a :class:`ReportContent` every writer renders (PDF, Word, Excel).

Pure: no fonts, no pages, no reportlab. The wording rules live here:

- The title names the issuing organ as the 署名 does (悦城镇人民政府关于…): both come from ReportTexts.signer,
  else the office's full name.
- 一、总体情况 follows core.tracking's rules (:class:`~core.tracking.Standing`): tasks with no saved entry are
  未填写, counted apart from 未开始; 相关 tasks left unfilled stay out of the rate; the rate is printed by
  core.cn.percent_text. It names the 未开始 and 未填写 tasks and the overdue ones (core.tracking.is_overdue:
  the deadline passed and not 已完成, 持续推进 or 不适用), each as 任务N（short name）, up to
  :data:`NAMED_LIMIT`, then 等N项（详见附件）; an overdue task already named above is not named again.
- Part 二 prints, per section of the plan, the clerk's summary of it (ReportTexts.section_summaries) where
  there is one, else the tasks' own notes; 详细 (ReportTexts.detailed) prints the notes also under a
  summary. Parts 三 and 四 print their report-level text, and the per-task notes only where that text is
  empty or in 详细. Identical notes are one item naming all their tasks; a note shared by tasks of several
  sections comes before the section groups; a note's own leading "任务62：" is dropped (no echo). A part
  with nothing to say is left out (the parts are numbered as printed), and an office with no notes gets no
  filler text, and a warning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from core.cn import number_runs, percent_text
from core.model import ROLE_LABELS, Office, Plan, Progress, ReportTexts, Role, Status, Task
from core.offices import full_name, guess_kind, self_reference
from core.report.document import Block, BlockKind, LedgerRow, ReportContent, Signature
from core.report.drafts import strip_echo
from core.report.options import ReportOptions
from core.report.short_names import short_names
from core.report.text import chinese_date, clean, paragraphs
from core.report.titles import title_lines
from core.rounds import effective_round
from core.tracking import UNFILLED_LABEL, counted_tasks, is_filled, overdue_tasks, standing

CN_NUMBERS = "一二三四五六七八九十"
#: Status order used in counts: finished work first.
STATUS_ORDER = (Status.DONE, Status.ONGOING, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE)
ROLE_ORDER = (Role.LEAD, Role.RESPONSIBLE, Role.COOPERATING, Role.RELATED)
#: (progress field, report-level intro field, heading) of parts 二 to 四.
PARTS = (("achievements", "achievements_intro", "主要成效做法"), ("problems", "problems_intro", "存在问题"),
         ("next_steps", "next_steps_intro", "下一步措施"))
#: Up to this many tasks are named (任务N（short name）) in one sentence of 总体情况; then 等N项（详见附件）.
NAMED_LIMIT = 6
NO_NOTES_WARNING = "本单位还没有填写任何成效做法、存在问题或下一步措施，报告只有总体情况。"


def cn_number(n: int) -> str:
    """1..99 as Chinese numerals (一, 十二, 二十一)."""
    if n <= 10:
        return CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUMBERS[tens - 1]
    return head + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def report_title(plan: Plan, issuer: str) -> str:
    """悦城镇人民政府关于…落实情况的报告: ``issuer`` is the organ as the 署名 prints it (:func:`issuer`)."""
    return f"{issuer}关于{plan.title}落实情况的报告"


def issuer(office: Office | str, texts: ReportTexts) -> str:
    """The issuing organ, one setting for the title and the 署名: the signer typed, else the full name."""
    return texts.signer.strip() or full_name(office)


def ledger_title(plan: Plan) -> str:
    """The annex's title, printed the same in the 附件说明 and on the annex's first page
    (德庆县2019年政务公开工作要点落实情况台账: the plan's title without 分工方案, so the note keeps to one line)."""
    base = plan.title.removesuffix("分工方案").removesuffix("方案") or plan.title
    return f"{base}落实情况台账"


def assigned_tasks(plan: Plan, roles: dict[int, Role]) -> list[Task]:
    """The plan's tasks whose role for the office is not NONE, in plan order."""
    return [t for t in plan.tasks if roles.get(t.number, Role.NONE) is not Role.NONE]


@dataclass(frozen=True)
class _Data:
    plan: Plan
    office: Office
    tasks: tuple[Task, ...]
    roles: dict[int, Role]
    progress: dict[int, Progress]  # every assigned task, an empty entry where none was saved
    saved: dict[int, Progress]  # the entries actually saved
    texts: ReportTexts
    options: ReportOptions
    names: dict[int, str]

    @property
    def who(self) -> str:
        return self_reference(self.office)


def _named(data: _Data, tasks: list[Task]) -> str:
    """任务5（参加微访谈、在线访谈工作）、…, at most NAMED_LIMIT of them, then 等N项（详见附件）."""
    parts = [f"任务{t.number}（{data.names[t.number]}）" if data.names[t.number] else f"任务{t.number}"
             for t in tasks[:NAMED_LIMIT]]
    text = "、".join(parts)
    if len(tasks) > NAMED_LIMIT:
        text += f"等{len(tasks)}项"
        if data.options.include_ledger:
            text += "（详见附件）"
    return text


def _listed(data: _Data, what: str, tasks: list[Task]) -> str:
    """尚未开始的2项：任务5（…）、任务11（…）。 or, for many, 尚未开始的有任务5（…）、…等10项（详见附件）。"""
    if len(tasks) > NAMED_LIMIT:
        return f"{what}的有{_named(data, tasks)}。"
    return f"{what}的{len(tasks)}项：{_named(data, tasks)}。"


def _overview(data: _Data) -> list[str]:
    roles = Counter(data.roles[t.number] for t in data.tasks)
    text = f"《{data.plan.title}》共{len(data.plan.tasks)}项任务，涉及{data.who}的有{len(data.tasks)}项"
    by_role = "、".join(f"{ROLE_LABELS[r]}{roles[r]}项" for r in ROLE_ORDER if roles[r])
    if by_role:
        text += f"，其中{by_role}"
    text += "。"
    if not data.tasks:
        return [text]
    stand = standing(data.roles, data.saved)
    counts = stand.counts
    by_status = "、".join(f"{s.label}{counts[s]}项" for s in STATUS_ORDER if counts[s])
    filled = sum(counts.values())
    day = chinese_date(data.options.report_date)
    if not stand.unfilled:
        text += f"截至{day}，{by_status}"
    elif filled:
        text += f"截至{day}，已填报{filled}项，其中{by_status}；尚{UNFILLED_LABEL}{stand.unfilled}项"
    else:
        text += f"截至{day}，{stand.unfilled}项均{UNFILLED_LABEL}"
    if stand.total:
        lead = "，完成率" if not stand.unfilled else f"。按应完成的{stand.total}项计，完成率"
        text += f"{lead}{stand.rate_text}"
        if counts[Status.ONGOING]:  # standing tasks carried out as required are not "unfinished"
            both = percent_text(counts[Status.DONE] + counts[Status.ONGOING], stand.total)
            text += f"，已完成和持续推进的合计占{both}"
    text += "。"
    counted = set(counted_tasks(data.roles, data.saved))
    related_left = len(data.tasks) - len(counted)
    if related_left:
        text += f"另有仅为相关单位的{related_left}项任务未填写，不计入完成率。"
    out = [text]
    by_number = {t.number: t for t in data.tasks}
    not_started = [t for t in data.tasks if t.number in counted and is_filled(data.saved.get(t.number))
                   and data.saved[t.number].status is Status.NOT_STARTED]
    unfilled = [by_number[n] for n in stand.unfilled_tasks]
    if not_started:
        out.append(_listed(data, "尚未开始", not_started))
    if unfilled:
        out.append(_listed(data, f"尚{UNFILLED_LABEL}", unfilled))
    overdue = [by_number[n] for n in overdue_tasks(data.saved, data.options.report_date, data.plan, data.roles)
               if n in counted]
    if overdue:
        named_above = {t.number for t in not_started} | set(stand.unfilled_tasks)
        fresh = [t for t in overdue if t.number not in named_above]
        again = len(overdue) - len(fresh)
        sentence = f"已超过完成时限仍未完成的{len(overdue)}项"
        if fresh and again:
            sentence += f"，除上述{again}项外，还有{_named(data, fresh)}。"
        elif fresh:
            sentence += f"：{_named(data, fresh)}。"
        else:
            sentence += "均为上述任务。"
        out.append(sentence)
    return out


def _opening(data: _Data, round_label: str) -> list[str]:
    if data.texts.opening.strip():
        return paragraphs(data.texts.opening)
    return [(f"根据《{data.plan.title}》要求，{data.who}高度重视，对照涉及{data.who}的{len(data.tasks)}项任务，"
             f"明确责任股室和完成时限，逐项抓好落实。现将{data.who}{round_label}落实情况报告如下：")]


def _item_label(data: _Data, tasks: list[Task]) -> str:
    if len(tasks) == 1:
        return f"任务{tasks[0].number} {data.names[tasks[0].number]}".rstrip()
    return "任务" + number_runs([t.number for t in tasks])


def _part(data: _Data, field: str, summaries: bool = False) -> list[Block]:
    """Per-task notes of one kind: merged when identical, grouped under the plan's sections.

    With ``summaries`` (part 二), a section the clerk summarised prints the summary, and its tasks' notes
    only in 详细."""
    notes: dict[tuple[str, ...], list[Task]] = {}
    for t in data.tasks:
        p = data.progress[t.number]
        if p.status is Status.NOT_APPLICABLE:
            continue
        lines = tuple(clean(strip_echo(x)) for x in paragraphs(getattr(p, field)))
        lines = tuple(x for x in lines if x)
        if lines:
            notes.setdefault(lines, []).append(t)
    summary = {s: clean_paragraphs(data.texts.summary(s)) for s in range(len(data.plan.sections))} \
        if summaries else {}
    quiet = {s for s, text in summary.items() if text and not data.texts.detailed}
    general: list[Block] = []
    by_section: dict[int, list[Block]] = {s: [] for s, text in summary.items() if text}
    for lines, tasks in notes.items():
        blocks = [Block(BlockKind.BODY, f"（{_item_label(data, tasks)}）{lines[0]}")]
        blocks += [Block(BlockKind.BODY, x) for x in lines[1:]]
        sections = {t.section for t in tasks}
        if sections <= quiet:
            continue
        if len(sections) > 1:
            general += blocks
        else:
            by_section.setdefault(tasks[0].section, []).extend(blocks)
    out = general
    for k, (section, blocks) in enumerate(sorted(by_section.items()), start=1):
        title = clean(data.plan.sections[section].title) if section < len(data.plan.sections) else ""
        out.append(Block(BlockKind.H2, f"（{cn_number(k)}）{title}"))
        out += [Block(BlockKind.BODY, x) for x in summary.get(section, [])]
        out += blocks
    return out


def clean_paragraphs(text: str) -> list[str]:
    return [clean(x) for x in paragraphs(text)]


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
    filled = is_filled(data.saved.get(t.number))
    due = chinese_date(p.due) if p.due else ""
    return LedgerRow(number=t.number, task=clean(t.text), short_name=data.names[t.number],
                     role=ROLE_LABELS[data.roles[t.number]], owner=clean(p.owner.strip()), due=due,
                     status=p.status.label if filled else UNFILLED_LABEL, percent=p.percent,
                     steps=clean(p.steps.strip()),
                     achievements=clean(p.achievements.strip()), problems=clean(p.problems.strip()),
                     next_steps=clean(p.next_steps.strip()), updated_at=p.updated_at,
                     filled=filled)


def compose_report(plan: Plan, roles: dict[int, Role], progress: dict[int, Progress], texts: ReportTexts,
                   options: ReportOptions) -> ReportContent:
    """Everything the report for ``options.office`` says, in reading order."""
    kind = options.office_kind or guess_kind(options.office)
    office = Office(options.office, kind)
    tasks = tuple(assigned_tasks(plan, roles))
    names = short_names(plan)
    saved = {t.number: progress[t.number] for t in tasks if t.number in progress}
    data = _Data(plan=plan, office=office, tasks=tasks, roles={t.number: roles[t.number] for t in tasks},
                 progress={t.number: progress.get(t.number) or Progress(task=t.number) for t in tasks},
                 saved=saved, texts=texts, options=options, names={t.number: clean(names[t.number]) for t in tasks})
    round_label = effective_round(texts.round_label, options.report_date, plan.year)
    signer = issuer(office, texts)
    title = report_title(plan, signer)
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
        if field == "achievements":
            notes = _part(data, field, summaries=True)
        elif part and not texts.detailed:  # 简要: the part's own text stands for the tasks' notes
            notes = []
        else:
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
    signature = Signature(signer=signer, date_text=chinese_date(options.report_date), sealed=texts.sealed,
                          contact=contact_text(texts))
    warnings = () if has_notes or not tasks else (NO_NOTES_WARNING,)
    return ReportContent(office=options.office, plan_title=plan.title, report_date=options.report_date,
                         title=title, blocks=tuple(blocks), signature=signature, ledger_title=annex,
                         ledger_rows=tuple(_ledger_row(data, t) for t in tasks),
                         round_label=round_label, warnings=warnings, has_notes=has_notes)
