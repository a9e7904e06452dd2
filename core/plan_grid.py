"""The import review as a grid, free of Qt: one row per parsed task, flags on what looks wrong, and the
clerk's corrections as plain data.

A correction is a small dict (``{"op": "cell", "task": 3, "column": "lead", "value": "区政府办"}``), so the
same list can be applied to the parsed plan, stored under the file's hash, and applied again when the same
file is imported again. Corrections address tasks by position, because a parsed plan may repeat numbers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any

from core.due import parse_due
from core.model import Plan, Section, Task, Units
from core.numbering import cn_numeral
from core.units import _SEPARATORS, category_of, has_role_word

COLUMNS = ("number", "section", "text", "lead", "responsible", "cooperating", "due")
LABELS = {"number": "序号", "section": "部分", "text": "工作任务", "lead": "牵头单位", "responsible": "责任单位",
          "cooperating": "配合单位", "due": "完成时限"}
EDITABLE = frozenset(COLUMNS)
_LABEL_IN_TEXT = re.compile(r"(牵头单位|责任单位|配合单位|牵头部门|责任部门)\s*[:：]")

Correction = dict[str, Any]


def cell_text(plan: Plan, index: int, column: str) -> str:
    """What the grid shows in one cell."""
    t = plan.tasks[index]
    if column == "number":
        return str(t.number)
    if column == "section":
        s = plan.sections[t.section]
        return s.title
    if column == "text":
        return t.text
    if column in ("lead", "responsible", "cooperating"):
        return "、".join(getattr(t.units, column))
    if column == "due":
        return t.due_text
    raise KeyError(column)


def _looks_like_phrase(name: str) -> bool:
    """A unit name that is really a sentence or still holds a role word."""
    if category_of(name) is not None:
        return False
    return len(name) > 20 or any(ch in name for ch in "，。,;；：:") or has_role_word(name)


def row_flags(plan: Plan) -> list[list[str]]:
    """Per task, what looks wrong: no unit, a unit that looks like a phrase, a repeated number, text that
    still holds 牵头单位."""
    counts = Counter(t.number for t in plan.tasks)
    out: list[list[str]] = []
    for t in plan.tasks:
        flags = []
        if t.units.empty:
            flags.append("没有责任单位")
        odd = [n for n in t.units.all_names() if _looks_like_phrase(n)]
        if odd:
            flags.append(f"单位像是一句话：{odd[0][:20]}")
        if counts[t.number] > 1:
            flags.append(f"序号{t.number}重复")
        if _LABEL_IN_TEXT.search(t.text):
            flags.append("内容里还有“牵头单位/责任单位”")
        out.append(flags)
    return out


def _names(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n.strip() for n in _SEPARATORS.split(value.replace("，", "、")) if n.strip()))


def _units_raw(lead: tuple[str, ...], responsible: tuple[str, ...], cooperating: tuple[str, ...]) -> str:
    parts = [f"{label}：{'、'.join(names)}" for label, names in
             (("牵头单位", lead), ("责任单位", responsible), ("配合单位", cooperating)) if names]
    return "；".join(parts)


def _set_cell(plan: Plan, index: int, column: str, value: str) -> Plan:
    t = plan.tasks[index]
    value = value.strip()
    if column == "number":
        if not value.isdigit() or int(value) < 1:
            raise ValueError("序号应为正整数")
        new = replace(t, number=int(value))
    elif column == "section":
        if not value:
            raise ValueError("部分的标题不能为空")
        sections = list(plan.sections)
        sections[t.section] = replace(sections[t.section], title=value)
        return replace(plan, sections=tuple(sections))
    elif column == "text":
        if not value:
            raise ValueError(f"任务{t.number}的内容不能为空")
        new = replace(t, text=value)
    elif column in ("lead", "responsible", "cooperating"):
        roles = {"lead": t.units.lead, "responsible": t.units.responsible, "cooperating": t.units.cooperating}
        roles[column] = _names(value)
        units = Units(_units_raw(roles["lead"], roles["responsible"], roles["cooperating"]), roles["lead"],
                      roles["responsible"], roles["cooperating"], t.units.aliases, t.units.and_others)
        new = replace(t, units=units, units_inherited=False)
    elif column == "due":
        due, words = parse_due(value, plan.year)
        new = replace(t, due=due, due_text=words)
    else:
        raise KeyError(column)
    return _with_task(plan, index, new)


def _with_task(plan: Plan, index: int, task: Task) -> Plan:
    tasks = list(plan.tasks)
    tasks[index] = task
    return replace(plan, tasks=tuple(tasks))


def _numbered_through(plan: Plan, tasks: list[Task]) -> Plan:
    return replace(plan, tasks=tuple(replace(t, number=i) for i, t in enumerate(tasks, start=1)))


def _merge(plan: Plan, index: int) -> Plan:
    """The task below joins this one: its text on a new line, its units when this one has none."""
    if not 0 <= index < len(plan.tasks) - 1:
        raise ValueError("最后一行下面没有可合并的行")
    a, b = plan.tasks[index], plan.tasks[index + 1]
    units = a.units if not a.units.empty else b.units
    merged = replace(a, text=a.text + "\n" + b.text, units=units, due=a.due or b.due,
                     due_text=a.due_text or b.due_text)
    tasks = list(plan.tasks)
    tasks[index : index + 2] = [merged]
    return _numbered_through(plan, tasks)


def split_point(text: str) -> int:
    """Where 拆分 cuts a task's text: at its first line break, else after the sentence nearest the middle."""
    if "\n" in text.strip():
        return text.strip().index("\n")
    ends = [m.end() for m in re.finditer(r"[。；;]", text) if m.end() < len(text)]
    if not ends:
        raise ValueError("这一行只有一句话，无法拆分")
    return min(ends, key=lambda e: abs(e - len(text) / 2))


def _split(plan: Plan, index: int, at: int | None) -> Plan:
    t = plan.tasks[index]
    text = t.text.strip()
    at = split_point(text) if at is None else at
    first, second = text[:at].strip(), text[at:].strip()
    if not first or not second:
        raise ValueError("拆分后两行都要有内容")
    tasks = list(plan.tasks)
    tasks[index : index + 1] = [replace(t, text=first), replace(t, text=second, units_inherited=True)]
    return _numbered_through(plan, tasks)


def _heading(plan: Plan, index: int) -> Plan:
    """The row is a section heading, not a task: the tasks after it in its section move under it."""
    t = plan.tasks[index]
    s = t.section
    sections = list(plan.sections)
    sequential = [x.number for x in sections] == [cn_numeral(i) for i in range(1, len(sections) + 1)]
    sections.insert(s + 1, Section(cn_numeral(s + 2), t.first_line.strip().rstrip("。")))
    if sequential:
        sections = [replace(x, number=cn_numeral(i)) for i, x in enumerate(sections, start=1)]
    subsections = tuple(replace(x, section=x.section + 1) if x.section > s else x for x in plan.subsections)
    tasks: list[Task] = []
    for i, x in enumerate(plan.tasks):
        if i == index:
            continue
        if x.section > s:
            x = replace(x, section=x.section + 1)
        elif x.section == s and i > index:
            x = replace(x, section=s + 1, subsection=None)
        tasks.append(x)
    if not tasks:
        raise ValueError("方案至少要有一项任务")
    return _numbered_through(replace(plan, sections=tuple(sections), subsections=subsections), tasks)


def apply(plan: Plan, correction: Correction) -> Plan:
    """One correction applied; ValueError (a message for the clerk) when it cannot be."""
    op = correction.get("op")
    index = int(correction.get("task", -1))
    if not 0 <= index < len(plan.tasks):
        raise ValueError("没有这一行")
    if op == "cell":
        column = str(correction.get("column"))
        if column not in EDITABLE:
            raise ValueError(f"不能修改这一列：{column}")
        return _set_cell(plan, index, column, str(correction.get("value", "")))
    if op == "merge":
        return _merge(plan, index)
    if op == "split":
        at = correction.get("at")
        return _split(plan, index, int(at) if at is not None else None)
    if op == "heading":
        return _heading(plan, index)
    raise ValueError(f"未知的修改：{op}")


def apply_all(plan: Plan, corrections: list[Correction]) -> tuple[Plan, int]:
    """The corrections that still fit, in order; returns the plan and how many were applied."""
    done = 0
    for c in corrections:
        try:
            plan = apply(plan, c)
        except (ValueError, TypeError, KeyError):
            continue
        done += 1
    return plan, done
