"""The 汇总 report: the collector's GB/T 9704 report upward on what the offices sent, as a ReportContent.

:func:`compose_county_report` turns a :class:`~core.county.matrix.Matrix` into the same content model the
office report uses (core/report/document.py), so the same engine typesets it. It is written as a 县府办
sends it upward, not as the offices' notes strung together:

- 一、总体情况: offices expected, reported, missing, and the figures by kind of office (镇（街道）, 县直部门);
  a task an office reported without an entry is 未填写, apart from 未开始, and a 相关 task left unfilled is
  not counted (core.tracking's rule); rates by core.cn.percent_text.
- 二、主要成效做法: per section its figures by kind of office, then what was done, in 公文 form
  (一是…；二是…), each item naming the offices, in the third person (我镇 → 悦城镇; never 我镇, no doubled
  局), within :attr:`CountyReportSpec.section_chars` characters a section: whole items only, the rest counted.
- 三、存在的共性问题: the offices' problems grouped by theme across offices, with how many offices and
  tasks, and one example each in the office's words (third person).
- 四、各单位报送情况: on time, late and missing offices, the collector itself never among them.
- Quotes are cut only at clause ends (core.report.drafts.gist): no "…", no "，，".
Rendering: :mod:`core.county.render`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from core.assign import role_for
from core.cn import chinese_date, cn_number, percent_text
from core.county.matrix import KIND_LABELS, STATUS_ORDER, Matrix, OfficeColumn
from core.model import Office, OfficeKind, Role, Status
from core.report.document import Block, BlockKind, ReportContent, Signature
from core.report.drafts import gist, ordinal_items
from core.report.short_names import short_names
from core.report.text import clean, paragraphs
from core.report.titles import title_lines
from core.tracking import UNFILLED_LABEL

#: How many offices one item names before "等N个单位".
NAMED_OFFICES = 3
#: How many tasks a sentence names (任务N（short name）) before "等N项".
NAMED_TASKS = 5
#: Default length of one section's 主要成效做法 text, in characters (the clerk sets it per report).
SECTION_CHARS = 300
#: One office's words quoted in an item, at most this many characters (cut at a clause end).
QUOTE_CHARS = 40
_COUNTY_OFFICE = ("县府办", "县政府办", "县政府办公室", "县人民政府办公室")
_SELF = re.compile(r"[我本](?:镇|乡|街道办事处|街道办|街道|局|委员会|委|办公室|办|单位|部门|中心|院|所)")
#: Themes the offices' problems are grouped under, and the words that put a clause under one.
THEMES = (
    ("人员力量不足", ("人员", "力量", "人手", "队伍", "信息员")),
    ("信息更新不够及时", ("更新", "滞后", "不及时", "不够及时")),
    ("思想认识不够到位", ("认识", "重视", "意识")),
    ("跨部门事项办理周期长", ("跨部门", "周期", "协调")),
    ("经费保障不足", ("经费", "资金")),
    ("平台和技术支撑不足", ("平台", "网站", "系统", "技术")),
    ("业务能力有待提高", ("业务", "能力", "培训", "水平")),
    ("制度机制不够健全", ("制度", "机制", "规范")),
)


@dataclass(frozen=True)
class CountyReportSpec:
    collector: Office
    report_date: date
    lead: bool = False  # only the tasks the collector leads (牵头单位 mode)
    recipient: str = ""  # empty: the plan's 县府办 for a lead report, else the county government
    section_chars: int = SECTION_CHARS  # 主要成效做法: characters per section at most


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


#: Endings of an office's name that its people also use alone (镇党政办, 街道党工委, 局办公室).
_ENDINGS = ("街道", "镇", "乡", "局", "委", "办")


def led_by(office: str, words: str) -> str:
    """``words`` led by the office's name, without repeating its ending (悦城镇 + 镇党政办… → 悦城镇党政办…)."""
    if words.startswith(office):
        return words
    for ending in _ENDINGS:
        if office.endswith(ending) and words.startswith(ending):
            return office + words[len(ending):]
    return office + words


def third_person(text: str, office: str) -> str:
    """An office's words as the collector reports them: 我镇/本局… become the office's name, and the name
    followed by its own ending again (悦城镇镇党政办, 县教育局局主要负责同志) loses the repeat."""
    text = _SELF.sub(office, text)
    for ending in _ENDINGS:
        if office.endswith(ending):
            text = text.replace(office + ending, office)
    return tidy(text)


def tidy(text: str) -> str:
    """No doubled marks (，，), no mark after an opening one, nothing left hanging."""
    text = re.sub(r"([，、；：])[，、；：]+", r"\1", text)
    return re.sub(r"([（“])[，、；：]", r"\1", text)


def _names(names: Sequence[str], limit: int = NAMED_OFFICES) -> str:
    if len(names) > limit:
        return "、".join(names[:limit]) + f"等{len(names)}个单位"
    return "、".join(names)


def _others(m: Matrix, collector: Office) -> list[OfficeColumn]:
    """The offices reporting to the collector: every expected column but its own."""
    return [c for c in m.columns if c.name != collector.name]


@dataclass(frozen=True)
class _Counts:
    by_status: dict[Status, int]
    unfilled: int

    @property
    def total(self) -> int:  # the rate's denominator
        return sum(self.by_status.values()) + self.unfilled - self.by_status[Status.NOT_APPLICABLE]

    @property
    def done(self) -> int:
        return self.by_status[Status.DONE]

    @property
    def cells(self) -> int:
        return sum(self.by_status.values()) + self.unfilled

    def text(self) -> str:
        parts = [f"{s.label}{self.by_status[s]}项次" for s in STATUS_ORDER if self.by_status[s]]
        if self.unfilled:
            parts.append(f"{UNFILLED_LABEL}{self.unfilled}项次")
        return "、".join(parts)


def _counts(m: Matrix, columns: Sequence[OfficeColumn], section: int | None = None) -> _Counts:
    """Reported cells of ``columns``: by status, and 未填写 apart (a 相关 task left unfilled not counted)."""
    by_status = dict.fromkeys(STATUS_ORDER, 0)
    unfilled = 0
    for t in m.tasks:
        if section is not None and t.section != section:
            continue
        for c in columns:
            cell = m.cell(t.number, c.name)
            if cell is None or not c.reported:
                continue
            entry = m.entry(t.number, c.name)
            if entry is not None:
                by_status[entry.status] += 1
            elif cell.role not in (Role.RELATED, Role.NONE):
                unfilled += 1
    return _Counts(by_status, unfilled)


def _by_kind(m: Matrix, columns: Sequence[OfficeColumn], section: int | None = None) -> str:
    """镇（街道）完成率50.0%，县直部门完成率12.5%: the rate for each kind of office that reported."""
    parts = []
    for kind in (OfficeKind.TOWN, OfficeKind.DEPARTMENT):
        sub = [c for c in columns if c.office.kind is kind and c.reported]
        counts = _counts(m, sub, section)
        if counts.cells:
            parts.append(f"{KIND_LABELS[kind]}完成率{percent_text(counts.done, counts.total)}")
    return "，".join(parts)


def _overview(m: Matrix, spec: CountyReportSpec, lead_tasks: int) -> list[Block]:
    others = _others(m, spec.collector)
    expected = [c for c in others if c.assigned]
    received = [c for c in others if c.reported]
    counts = _counts(m, received)
    who = self_reference(spec.collector)
    scope = f"，其中{who}牵头{lead_tasks}项" if spec.lead else ""
    text = (f"《{m.plan.title}》共{len(m.plan.tasks)}项任务{scope}。{len(expected)}个责任单位中，已报送"
            f"{len(received)}个（{percent_text(len(received), len(expected))}），尚未报送"
            f"{len([c for c in expected if not c.reported])}个。")
    if counts.cells:
        evidence = [cell.evidence for _t, c, cell in m.visible_cells() if c in received and cell.evidence]
        text += (f"已报送单位共承担{counts.cells}项次任务，其中{counts.text()}，完成率"
                 f"{percent_text(counts.done, counts.total)}（不含不适用）；附佐证材料的{len(evidence)}项次、"
                 f"共{sum(evidence)}项。")
    blocks = [Block(BlockKind.BODY, text)]
    by_kind = []
    for kind in (OfficeKind.TOWN, OfficeKind.DEPARTMENT):
        exp = [c for c in expected if c.office.kind is kind]
        if not exp:
            continue
        got = [c for c in exp if c.reported]
        part = f"{KIND_LABELS[kind]}应报送{len(exp)}个，已报送{len(got)}个"
        sub = _counts(m, got)
        if sub.cells:
            part += f"，任务完成率{percent_text(sub.done, sub.total)}"
        by_kind.append(part)
    if by_kind:
        blocks.append(Block(BlockKind.BODY, "分单位类别看，" + "；".join(by_kind) + "。"))
    return blocks


def _section_items(m: Matrix, received: Sequence[OfficeColumn], section: int, names: dict[int, str],
                   limit: int) -> tuple[str, int]:
    """一是<task>，<offices>…；二是… within ``limit`` characters, and how many tasks with notes were left out."""
    said: set[str] = set()
    items: list[tuple[int, str]] = []  # (task number, item)
    for task in (t for t in m.tasks if t.section == section):
        quotes: list[str] = []
        offices: list[str] = []
        for c in received:
            p = m.entry(task.number, c.name)
            if p is None or p.status is Status.NOT_APPLICABLE or not p.achievements.strip():
                continue
            offices.append(c.name)
            words = gist(third_person(p.achievements, c.name), said, QUOTE_CHARS)
            if words and len(quotes) < 2:
                quotes.append(led_by(c.name, words))
        if not offices:
            continue
        head = f"{names[task.number]}，{_names(offices)}已报送做法"
        items.append((task.number, "，".join([head, *quotes])))
    kept: list[str] = []
    size = 0
    for _n, item in items:
        if kept and size + len(item) + 4 > limit:
            break
        kept.append(item)
        size += len(item) + 4
    return ordinal_items(kept), len(items) - len(kept)


def _achievements(m: Matrix, spec: CountyReportSpec) -> list[Block]:
    blocks: list[Block] = []
    names = short_names(m.plan)
    received = [c for c in _others(m, spec.collector) if c.reported]
    sections = sorted({t.section for t in m.tasks})
    for k, section in enumerate(sections, start=1):
        title = m.plan.sections[section].title if section < len(m.plan.sections) else ""
        blocks.append(Block(BlockKind.H2, f"（{cn_number(k)}）{title}"))
        counts = _counts(m, received, section)
        tasks = sum(t.section == section for t in m.tasks)
        text = f"本部分{tasks}项任务"
        if counts.cells:
            text += (f"，已报送单位承担{counts.cells}项次，已完成{counts.done}项次，完成率"
                     f"{percent_text(counts.done, counts.total)}")
            by_kind = _by_kind(m, received, section)
            text += f"（{by_kind}）。" if "，" in by_kind else "。"
        else:
            text += "，暂无单位报送。"
        blocks.append(Block(BlockKind.BODY, text))
        items, left = _section_items(m, received, section, names, spec.section_chars)
        if items:
            blocks.append(Block(BlockKind.BODY, items + (f"另有{left}项任务的做法详见各单位报告。" if left else "")))
        elif counts.cells:
            blocks.append(Block(BlockKind.BODY, "各单位暂未填报本部分的成效做法。"))
    return blocks


def _theme(clause: str) -> str:
    return next((name for name, words in THEMES if any(w in clause for w in words)), "")


def _clauses(text: str) -> list[str]:
    parts = re.split(r"[，；。,;]", "".join(paragraphs(text)))
    return [x.strip() for x in parts if len(x.strip()) >= 4]


def _tasks_named(names: dict[int, str], numbers: Sequence[int]) -> str:
    shown = "、".join(f"任务{n}（{names[n]}）" for n in numbers[:NAMED_TASKS])
    return shown + (f"等{len(numbers)}项" if len(numbers) > NAMED_TASKS else "")


def _problems(m: Matrix, spec: CountyReportSpec) -> list[Block]:
    names = short_names(m.plan)
    received = [c for c in _others(m, spec.collector) if c.reported]
    themes: dict[str, tuple[dict[str, None], dict[int, None], list[str]]] = {}
    for task in m.tasks:
        for c in received:
            p = m.entry(task.number, c.name)
            if p is None:
                continue
            for clause in _clauses(third_person(p.problems, c.name)):
                theme = _theme(clause) or "其他问题"
                offices, tasks, examples = themes.setdefault(theme, ({}, {}, []))
                offices[c.name] = None
                tasks[task.number] = None
                if clause not in examples:
                    examples.append(clause)
    ranked = sorted(((n, v) for n, v in themes.items() if n != "其他问题"),
                    key=lambda kv: (-len(kv[1][0]), -len(kv[1][1])))
    items = [f"{theme}，{_names(list(offices))}反映，涉及{len(tasks)}项任务，如“{examples[0]}”"
             for theme, (offices, tasks, examples) in ranked]
    blocks: list[Block] = []
    if items:
        blocks.append(Block(BlockKind.BODY, "从各单位报送情况看，主要存在以下问题：" + ordinal_items(items)))
    other = themes.get("其他问题")
    if other:
        offices, tasks, examples = other
        blocks.append(Block(BlockKind.BODY, f"此外，{_names(list(offices))}还反映了“{examples[0]}”等"
                                            f"{len(examples)}方面的问题。"))
    lagging: list[int] = []
    bare: dict[str, None] = {}
    for task in m.tasks:
        states = [e.status for c in received if (e := m.entry(task.number, c.name)) is not None
                  and e.status is not Status.NOT_APPLICABLE]
        open_ = [s for s in states if s in (Status.NOT_STARTED, Status.IN_PROGRESS)]
        if len(states) >= 2 and 2 * len(open_) >= len(states):
            lagging.append(task.number)
        for c in received:
            e = m.entry(task.number, c.name)
            if e is not None and e.status is Status.DONE and not e.achievements.strip():
                bare[c.name] = None
    if lagging:
        blocks.append(Block(BlockKind.BODY, f"从进度看，有{len(lagging)}项任务半数以上报送单位尚未完成（未开始或"
                                            f"推进中），主要是{_tasks_named(names, lagging)}。"))
    if bare:
        blocks.append(Block(BlockKind.BODY, f"{_names(list(bare))}有任务标为已完成但未填写成效做法。"))
    if not blocks:
        blocks.append(Block(BlockKind.BODY, "已报送单位均未反映存在问题。" if received else "暂无单位报送。"))
    return blocks


def _reporting(m: Matrix, spec: CountyReportSpec) -> list[Block]:
    others = _others(m, spec.collector)
    deadline = m.plan.deadline
    on_time = [c.name for c in others if c.reported and not c.late]
    late = [c for c in others if c.reported and c.late]
    missing = [c for c in others if not c.reported and c.assigned]
    parts: list[str] = []
    if deadline is not None and on_time:
        parts.append(f"按时（{chinese_date(deadline)}前）报送的有{'、'.join(on_time)}，共{len(on_time)}个单位。")
    elif on_time:
        parts.append(f"已报送的有{'、'.join(on_time)}，共{len(on_time)}个单位。")
    if late:
        shown = "、".join(f"{c.name}（{chinese_date(date.fromisoformat(c.report_date or ''))}）" for c in late)
        parts.append(f"逾期报送的有{shown}，共{len(late)}个单位。")
    if missing:
        shown = "、".join(f"{c.name}（涉及{c.assigned}项任务）" for c in missing)
        parts.append(f"截至{chinese_date(spec.report_date)}，尚未报送的有{shown}，共{len(missing)}个单位。")
    else:
        parts.append("各责任单位均已报送。")
    return [Block(BlockKind.BODY, "".join(parts))]


def _next_steps(m: Matrix, spec: CountyReportSpec) -> list[Block]:
    who = self_reference(spec.collector)
    missing = [c for c in _others(m, spec.collector) if not c.reported and c.assigned]
    text = f"{who}将逐一督促尚未报送的{len(missing)}个单位限期补报；" if missing else ""
    text += (f"对完成率较低的任务和进度滞后的单位跟踪督办，推动各项任务按时保质完成；"
             f"对照《{m.plan.title}》要求，组织开展检查评估，并将落实情况纳入年度考评。")
    return [Block(BlockKind.BODY, text)]


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
    others = _others(matrix, spec.collector)
    expected = [c for c in others if c.assigned]
    received = [c for c in others if c.reported]
    deadline = f"于{chinese_date(plan.deadline)}前" if plan.deadline else ""
    scope = f"{who}牵头的{len(matrix.tasks)}项任务涉及{len(expected)}个责任单位。" if spec.lead else ""
    opening = (f"根据《{plan.title}》要求，各镇（街道）和县直各部门单位{deadline}报送落实情况。{scope}"
               f"截至{chinese_date(spec.report_date)}，已有{len(received)}个单位报送了落实情况材料。"
               f"现将{'牵头任务' if spec.lead else ''}落实情况汇总报告如下：")
    blocks: list[Block] = [Block(BlockKind.TITLE, title), Block(BlockKind.RECIPIENT, f"{recipient}："),
                           Block(BlockKind.BODY, opening)]
    parts = (("总体情况", _overview(matrix, spec, lead_tasks)), ("主要成效做法", _achievements(matrix, spec)),
             ("存在的共性问题", _problems(matrix, spec)), ("各单位报送情况", _reporting(matrix, spec)),
             ("下一步工作", _next_steps(matrix, spec)))
    for n, (heading, part) in enumerate(parts, start=1):
        blocks.append(Block(BlockKind.H1, f"{cn_number(n)}、{heading}"))
        blocks += part
    blocks.append(Block(BlockKind.CLOSING, "特此报告。"))
    # printed punctuation once, here (the engine typesets block text as given)
    blocks = [Block(b.kind, tidy(clean(b.text)), title_lines(b.text) if b.kind is BlockKind.TITLE else ())
              for b in blocks]
    warnings = () if received else ("还没有导入任何单位的报送材料，报告只有未报送名单。",)
    return ReportContent(office=spec.collector.name, plan_title=plan.title, report_date=spec.report_date,
                         title=title, blocks=tuple(blocks), signature=Signature(signer, chinese_date(spec.report_date)),
                         warnings=warnings)
