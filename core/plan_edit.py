"""Hand corrections to an imported plan before it is saved."""

from __future__ import annotations

from dataclasses import replace

from core.model import Plan
from core.units import parse_unit_cell


def duplicate_numbers(plan: Plan) -> list[int]:
    seen: set[int] = set()
    dups = []
    for t in plan.tasks:
        if t.number in seen:
            dups.append(t.number)
        seen.add(t.number)
    return dups


def edit_task(plan: Plan, index: int, text: str, units_raw: str, number: int | None = None) -> Plan:
    """The plan with the task at ``index`` given new text, unit cell (re-read) and number.

    Tasks are addressed by position because an imported plan may repeat a number until the
    clerk corrects it.
    """
    if not 0 <= index < len(plan.tasks):
        raise IndexError(index)
    old = plan.tasks[index]
    text = text.strip()
    if not text:
        raise ValueError(f"任务{old.number}的内容不能为空")
    number = old.number if number is None else number
    if number < 1:
        raise ValueError("任务编号应为正整数")
    if number != old.number and any(t.number == number for i, t in enumerate(plan.tasks) if i != index):
        raise ValueError(f"任务编号{number}已被其他任务使用")
    units = parse_unit_cell(units_raw) if units_raw.strip() != old.units.raw else old.units
    new = replace(old, number=number, text=text, units=units,
                  units_inherited=old.units_inherited and units is old.units)
    tasks = list(plan.tasks)
    tasks[index] = new
    return replace(plan, tasks=tuple(tasks))
