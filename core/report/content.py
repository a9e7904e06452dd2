"""The body of the 落实情况报告 for one office: title, recipient, the four parts, signature."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from reportlab.platypus import Flowable, KeepTogether, Spacer

from core.model import ROLE_LABELS, Plan, Progress, ReportTexts, Role, Status, Task
from core.report.flowables import SignatureBlock
from core.report.layout import LEADING
from core.report.text import chinese_date, paragraphs
from core.report.typeset import Typesetter

CN_NUMBERS = "一二三四五六七八九十"
#: Status order used in counts: finished work first.
STATUS_ORDER = (Status.DONE, Status.ONGOING, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE)
ROLE_ORDER = (Role.LEAD, Role.RESPONSIBLE, Role.COOPERATING, Role.RELATED)
ANNEX_NOTE = "附件：落实情况台账"


@dataclass(frozen=True)
class ReportData:
    """Everything the report prints, with progress filled in for every assigned task."""

    plan: Plan
    office: str
    tasks: tuple[Task, ...]
    roles: dict[int, Role]
    progress: dict[int, Progress]
    texts: ReportTexts
    report_date: date


def cn_number(n: int) -> str:
    """1..99 as Chinese numerals (一, 十二, 二十一)."""
    if n <= 10:
        return CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUMBERS[tens - 1]
    return head + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def report_title(plan: Plan, office: str) -> str:
    return f"{office}关于{plan.title}落实情况的报告"


def self_reference(office: str) -> str:
    """How an office refers to itself: 我镇, 我街道, otherwise 我单位."""
    for suffix in ("街道", "镇", "乡", "县"):
        if office.endswith((suffix, suffix + "人民政府", suffix + "办事处")):
            return "我" + suffix
    return "我单位"


def _counts(items: Counter, order: tuple, label: Callable[[object], str]) -> str:
    return "、".join(f"{label(k)}{items[k]}项" for k in order if items[k])


def overview_text(data: ReportData) -> str:
    """The 总体情况 paragraph: tasks assigned, by role and by status."""
    roles = Counter(data.roles[t.number] for t in data.tasks)
    statuses = Counter(data.progress[t.number].status for t in data.tasks)
    who = self_reference(data.office)
    text = f"《{data.plan.title}》共{len(data.plan.tasks)}项任务，涉及{who}的有{len(data.tasks)}项"
    by_role = _counts(roles, ROLE_ORDER, lambda r: ROLE_LABELS[r])  # type: ignore[index]
    if by_role:
        text += f"，其中{by_role}"
    text += "。"
    by_status = _counts(statuses, STATUS_ORDER, lambda s: s.label)  # type: ignore[attr-defined]
    if by_status:
        text += f"截至{chinese_date(data.report_date)}，{by_status}。"
    return text


def opening_text(data: ReportData) -> list[str]:
    if data.texts.opening.strip():
        return paragraphs(data.texts.opening)
    who = self_reference(data.office)
    return [(f"根据《{data.plan.title}》要求，{who}高度重视，对照涉及{who}的{len(data.tasks)}项任务，"
             f"明确责任股室和完成时限，逐项抓好落实。现将落实情况报告如下：")]


def _notes_part(ts: Typesetter, data: ReportData, field: str, label: str) -> list[Flowable]:
    """Notes of one kind, grouped under the plan's sections, each naming its task number."""
    st = ts.styles
    story: list[Flowable] = []
    groups: dict[int, list[tuple[Task, list[str]]]] = {}
    for t in data.tasks:
        p = data.progress[t.number]
        if p.status is Status.NOT_APPLICABLE:
            continue
        lines = paragraphs(getattr(p, field))
        if lines:
            groups.setdefault(t.section, []).append((t, lines))
    if not groups:
        return [ts.para(f"暂无填报的{label}。", st.body)]
    for k, (section, items) in enumerate(sorted(groups.items()), start=1):
        title = data.plan.sections[section].title if section < len(data.plan.sections) else ""
        story.append(ts.para(f"（{cn_number(k)}）{title}", st.h2))
        for task, lines in items:
            story.append(ts.para(f"（任务{task.number}）{lines[0]}", st.body))
            story.extend(ts.para(x, st.body) for x in lines[1:])
    return story


def body_story(ts: Typesetter, data: ReportData, include_ledger: bool,
               chart: Flowable | None = None) -> list[Flowable]:
    """Flowables for the report from the title to the signature."""
    st = ts.styles
    story: list[Flowable] = [
        ts.title(report_title(data.plan, data.office), st.title),
        ts.para(f"{data.plan.recipient}：", st.recipient),
    ]
    story += [ts.para(x, st.body) for x in opening_text(data)]
    story.append(ts.para("一、总体情况", st.h1))
    story.append(ts.para(overview_text(data), st.body))
    if chart is not None:
        story.append(chart)
    parts = (("achievements", "成效做法", "主要成效做法"), ("problems", "存在问题", "存在问题"),
             ("next_steps", "下一步措施", "下一步措施"))
    for n, (field, label, heading) in enumerate(parts, start=2):
        story.append(ts.para(f"{cn_number(n)}、{heading}", st.h1))
        story += _notes_part(ts, data, field, label)
    closing = paragraphs(data.texts.closing) or ["特此报告。"]
    story += [ts.para(x, st.body) for x in closing[:-1]]
    tail: list[Flowable] = [ts.para(closing[-1], st.body)]
    if include_ledger:
        tail += [Spacer(1, LEADING), ts.para(ANNEX_NOTE, st.body)]
    signer = data.texts.signer.strip() or data.office
    ts.missing |= ts.fonts.missing(signer)
    tail += [Spacer(1, LEADING), SignatureBlock(ts.fonts, signer, chinese_date(data.report_date))]
    contact = contact_text(data.texts)
    if contact:
        tail.append(ts.para(contact, st.body))
    story.append(KeepTogether(tail))
    return story


def contact_text(texts: ReportTexts) -> str:
    """（联系人：…，联系电话：…）, the 附注 under the date; empty when neither is set."""
    parts = []
    if texts.contact_name.strip():
        parts.append(f"联系人：{texts.contact_name.strip()}")
    if texts.contact_phone.strip():
        parts.append(f"联系电话：{texts.contact_phone.strip()}")
    return f"（{'，'.join(parts)}）" if parts else ""
