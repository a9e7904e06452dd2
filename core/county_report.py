"""The 汇总 report: the collector's GB/T 9704 report upward on what the offices sent, as a ReportContent.

:func:`compose_county_report` turns a :class:`~core.county_matrix.Matrix` into the same content model the
office report uses (core/report/document.py), so the same engine typesets it. Its parts: the overall rates;
per section, what was done, with the offices named; the common problems; the offices late or missing; next.
Rendering: :mod:`core.county_render` (until the engine's ``render_pdf``/``render_docx`` take over).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.assign import role_for
from core.cn import chinese_date, cn_number
from core.county_matrix import STATUS_ORDER, Matrix, done_rate, percent
from core.model import Office, OfficeKind, Role, Status
from core.report.document import Block, BlockKind, ReportContent, Signature
from core.report.short_names import short_name
from core.report.text import clean, paragraphs

#: How many offices one task's paragraph names before "等N个单位", and how many it quotes.
QUOTE_OFFICES = 6
QUOTE_TEXTS = 2
#: How many different problems the common-problems part quotes at most.
PROBLEM_TASKS = 8
#: One quoted sentence is cut at this many characters.
QUOTE_CHARS = 50
_COUNTY_OFFICE = ("县府办", "县政府办", "县政府办公室", "县人民政府办公室")


@dataclass(frozen=True)
class CountyReportSpec:
    collector: Office
    report_date: date
    lead: bool = False  # only the tasks the collector leads (牵头单位 mode)
    recipient: str = ""  # empty: the plan's 县府办 for a lead report, else the county government


def county_name(plan_title: str) -> str:
    """德庆县 from 德庆县2019年…; empty when the title does not start with a place."""
    m = re.match(r"(.+?[县市区旗])(?:\d{4}|关于)", plan_title)
    return m.group(1) if m else ""


def full_name(office: Office, plan_issuer: str, county: str) -> str:
    """How the collector signs: 县府办 -> 德庆县人民政府办公室, 县教育局 -> 德庆县教育局, 悦城镇 -> 悦城镇人民政府."""
    name = office.name
    if name in _COUNTY_OFFICE:
        return plan_issuer if plan_issuer.endswith("办公室") else f"{county}人民政府办公室"
    if name.startswith("县") and county:
        return county + name[1:]
    if name.endswith("街道"):
        return name + "办事处"
    if name.endswith(("镇", "乡")):
        return name + "人民政府"
    return name


def self_reference(office: Office) -> str:
    if office.name in _COUNTY_OFFICE:
        return "我办"
    if office.name.endswith("局"):
        return "我局"
    if office.kind is OfficeKind.TOWN:
        return "我镇" if office.name.endswith("镇") else "我街道"
    return "我单位"


def first_sentence(text: str, limit: int = QUOTE_CHARS) -> str:
    """The first sentence of the first paragraph, without its closing mark, at most ``limit`` characters."""
    lines = paragraphs(text)
    if not lines:
        return ""
    sentence = re.split(r"[。！？!?；;]", lines[0], maxsplit=1)[0].strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def _names(names: list[str], limit: int = 0) -> str:
    if limit and len(names) > limit:
        return "、".join(names[:limit]) + f"等{len(names)}个单位"
    return "、".join(names)


def _status_text(counts: dict[Status, int]) -> str:
    return "、".join(f"{s.label}{counts[s]}项次" for s in STATUS_ORDER if counts.get(s))


def _overview(m: Matrix, spec: CountyReportSpec, lead_tasks: int) -> list[Block]:
    counts = m.status_counts()
    done, total = done_rate(counts)
    cells = [cell for _t, _c, cell in m.visible_cells() if cell.reported]
    with_ach = sum(c.has_achievements for c in cells)
    with_ev = [c.evidence for c in cells if c.evidence]
    who = self_reference(spec.collector)
    scope = f"，其中{who}牵头{lead_tasks}项" if spec.lead else ""
    expected = [c for c in m.columns if c.assigned]
    text = (f"《{m.plan.title}》共{len(m.plan.tasks)}项任务{scope}。{len(expected)}个责任单位中，"
            f"已报送{len(m.received)}个（{percent(len(m.received), len(expected))}%），尚未报送{len(m.missing)}个。")
    if cells:
        text += (f"已报送单位共承担{len(cells)}项次任务，其中{_status_text(counts)}，"
                 f"完成率{percent(done, total)}%（不含不适用）。填写成效做法的{with_ach}项次，"
                 f"附佐证材料的{len(with_ev)}项次、共{sum(with_ev)}项。")
    blocks = [Block(BlockKind.BODY, text)]
    by_kind = []
    for kind, label in ((OfficeKind.TOWN, "镇（街道）"), (OfficeKind.DEPARTMENT, "县直部门单位")):
        sub = m.filtered(kind=kind)
        exp = [c for c in sub.columns if c.assigned]
        if not exp:
            continue
        d, t = done_rate(sub.status_counts())
        part = f"{label}应报送{len(exp)}个，已报送{len(sub.received)}个"
        if sub.received:
            part += f"，任务完成率{percent(d, t)}%"
        by_kind.append(part)
    if by_kind:
        blocks.append(Block(BlockKind.BODY, "；".join(by_kind) + "。"))
    return blocks


def _achievements(m: Matrix) -> list[Block]:
    blocks: list[Block] = []
    sections = sorted({t.section for t in m.tasks})
    for k, section in enumerate(sections, start=1):
        title = m.plan.sections[section].title if section < len(m.plan.sections) else ""
        blocks.append(Block(BlockKind.H2, f"（{cn_number(k)}）{title}"))
        sub = m.filtered(section=section)
        counts = sub.status_counts()
        d, t = done_rate(counts)
        reported = sum(counts.values())
        text = f"本部分{len(sub.tasks)}项任务"
        text += (f"，已报送单位承担{reported}项次，已完成{d}项次，完成率{percent(d, t)}%。" if reported
                 else "，暂无单位报送。")
        blocks.append(Block(BlockKind.BODY, text))
        quoted = 0
        for task in sub.tasks:
            done = [c.name for c in sub.received
                    if (cell := m.cell(task.number, c.name)) is not None and cell.status is Status.DONE]
            said = [(c.name, first_sentence(p.achievements)) for c in sub.received
                    if (p := m.entry(task.number, c.name)) is not None and p.status is not Status.NOT_APPLICABLE
                    and first_sentence(p.achievements)]
            if not said and not done:
                continue
            quoted += bool(said)
            text = f"任务{task.number}（{short_name(m.plan, task)}）："
            text += f"{_names(done, QUOTE_OFFICES)}已完成" if done else "尚无单位完成"
            if said:
                text += "；" + "；".join(f"{name}{sentence}" for name, sentence in said[:QUOTE_TEXTS])
            blocks.append(Block(BlockKind.BODY, text + "。"))
        if reported and not quoted:
            blocks.append(Block(BlockKind.BODY, "各单位暂未填报本部分的成效做法。"))
    return blocks


def _problems(m: Matrix) -> list[Block]:
    blocks: list[Block] = []
    lagging: list[int] = []
    bare: list[str] = []
    for task in m.tasks:
        cells = [(c.name, cell) for c in m.received if (cell := m.cell(task.number, c.name)) is not None]
        counted = [cell for _n, cell in cells if cell.status is not Status.NOT_APPLICABLE]
        open_ = [cell for cell in counted if cell.status in (Status.NOT_STARTED, Status.IN_PROGRESS)]
        if counted and 2 * len(open_) >= len(counted) and len(counted) >= 2:
            lagging.append(task.number)
        bare += [n for n, cell in cells if cell.status is Status.DONE and not cell.has_achievements]
    if lagging:
        shown = "、".join(f"任务{n}" for n in lagging[:12]) + ("等" if len(lagging) > 12 else "")
        blocks.append(Block(BlockKind.BODY, f"从报送情况看，有{len(lagging)}项任务半数以上责任单位尚未完成"
                                            f"（未开始或推进中），主要是{shown}。"))
    if bare:
        offices = list(dict.fromkeys(bare))
        blocks.append(Block(BlockKind.BODY, f"有{len(bare)}项次任务标为已完成但未填写成效做法，"
                                            f"涉及{_names(offices, QUOTE_OFFICES)}。"))
    # the problems the offices wrote, grouped by sentence across tasks: most offices first, then most tasks
    said: dict[str, tuple[dict[str, None], dict[int, None]]] = {}
    for task in m.tasks:
        for c in m.received:
            p = m.entry(task.number, c.name)
            sentence = first_sentence(p.problems) if p is not None else ""
            if sentence:
                offices, tasks = said.setdefault(sentence, ({}, {}))
                offices[c.name] = None
                tasks[task.number] = None
    ranked = sorted(said.items(), key=lambda kv: (-len(kv[1][0]), -len(kv[1][1])))
    for sentence, (offices, tasks) in ranked[:PROBLEM_TASKS]:
        numbers = list(tasks)
        shown = "、".join(str(n) for n in numbers[:6]) + (f"等{len(numbers)}项" if len(numbers) > 6 else "")
        blocks.append(Block(BlockKind.BODY, f"{_names(list(offices), QUOTE_OFFICES)}反映：{sentence}"
                                            f"（涉及任务{shown}）。"))
    if not blocks:
        blocks.append(Block(BlockKind.BODY, "已报送单位均未反映存在问题。" if m.received else "暂无单位报送。"))
    return blocks


def _reporting(m: Matrix, spec: CountyReportSpec) -> list[Block]:
    deadline = m.plan.deadline
    on_time = [c.name for c in m.received if not c.late]
    late = [c for c in m.received if c.late]
    parts: list[str] = []
    if deadline is not None and on_time:
        parts.append(f"按时（{chinese_date(deadline)}前）报送的有{_names(on_time)}，共{len(on_time)}个单位。")
    elif on_time:
        parts.append(f"已报送的有{_names(on_time)}，共{len(on_time)}个单位。")
    if late:
        shown = "、".join(f"{c.name}（{chinese_date(date.fromisoformat(c.report_date or ''))}）" for c in late)
        parts.append(f"逾期报送的有{shown}，共{len(late)}个单位。")
    if m.missing:
        shown = "、".join(f"{c.name}（涉及{c.assigned}项任务）" for c in m.missing)
        parts.append(f"截至{chinese_date(spec.report_date)}，尚未报送的有{shown}，共{len(m.missing)}个单位。")
    else:
        parts.append("各责任单位均已报送。")
    return [Block(BlockKind.BODY, "".join(parts))]


def _next_steps(m: Matrix, spec: CountyReportSpec) -> list[Block]:
    who = self_reference(spec.collector)
    text = ""
    if m.missing:
        text += f"{who}将逐一督促尚未报送的{len(m.missing)}个单位限期补报；"
    text += (f"对完成率较低的任务和进度滞后的单位跟踪督办，推动各项任务按时保质完成；"
             f"对照《{m.plan.title}》要求，组织开展检查评估，并将落实情况纳入年度考评。")
    return [Block(BlockKind.BODY, text)]


def title_lines(title: str) -> tuple[str, ...]:
    """The title's 梯形/菱形 lines from the rewritten engine (core.report.titles) once it is merged; until then
    empty, and this branch's renderer balances the lines itself."""
    try:
        from core.report.titles import title_lines as shaped
    except ModuleNotFoundError:
        return ()
    return shaped(title)


def compose_county_report(matrix: Matrix, spec: CountyReportSpec) -> ReportContent:
    """The 汇总 report for ``matrix`` (already filtered to the collector's scope when ``spec.lead``)."""
    plan = matrix.plan
    county = county_name(plan.title)
    signer = full_name(spec.collector, plan.issuer, county)
    kind = "牵头任务落实情况" if spec.lead else "落实情况"
    title = f"{signer}关于{plan.title}{kind}的报告"
    recipient = spec.recipient or (plan.recipient if spec.lead and plan.recipient else f"{county}人民政府")
    who = self_reference(spec.collector)
    lead_tasks = sum(role_for(t, spec.collector) is Role.LEAD for t in matrix.tasks)
    expected = [c for c in matrix.columns if c.assigned]
    deadline = f"于{chinese_date(plan.deadline)}前" if plan.deadline else ""
    scope = f"{who}牵头的{len(matrix.tasks)}项任务涉及{len(expected)}个责任单位。" if spec.lead else ""
    opening = (f"根据《{plan.title}》要求，各镇（街道）和县直各部门单位{deadline}报送落实情况。{scope}"
               f"截至{chinese_date(spec.report_date)}，已有{len(matrix.received)}个单位报送了落实情况材料。"
               f"现将{'牵头任务' if spec.lead else ''}落实情况汇总报告如下：")
    blocks: list[Block] = [Block(BlockKind.TITLE, title), Block(BlockKind.RECIPIENT, f"{recipient}："),
                           Block(BlockKind.BODY, opening)]
    parts = (("总体情况", _overview(matrix, spec, lead_tasks)), ("主要成效做法", _achievements(matrix)),
             ("存在的共性问题", _problems(matrix)), ("各单位报送情况", _reporting(matrix, spec)),
             ("下一步工作", _next_steps(matrix, spec)))
    for n, (heading, part) in enumerate(parts, start=1):
        blocks.append(Block(BlockKind.H1, f"{cn_number(n)}、{heading}"))
        blocks += part
    blocks.append(Block(BlockKind.CLOSING, "特此报告。"))
    # printed punctuation once, here (the engine typesets block text as given)
    blocks = [Block(b.kind, clean(b.text), title_lines(b.text) if b.kind is BlockKind.TITLE else ())
              for b in blocks]
    warnings = () if matrix.received else ("还没有导入任何单位的报送材料，报告只有未报送名单。",)
    return ReportContent(office=spec.collector.name, plan_title=plan.title, report_date=spec.report_date,
                         title=title, blocks=tuple(blocks), signature=Signature(signer, chinese_date(spec.report_date)),
                         warnings=warnings)
