from __future__ import annotations

from dataclasses import replace

import pytest

from core.plan_edit import duplicate_numbers, edit_task


def test_edit_task_rereads_units(plan):
    edited = edit_task(plan, 2, " 政府各部门跟进解读。 ", "县府办牵头，县司法局配合")
    t = edited.task(3)
    assert t.text == "政府各部门跟进解读。"
    assert t.units.lead == ("县府办",) and t.units.cooperating == ("县司法局",)
    assert t.units_inherited is False
    assert edited.task(4) == plan.task(4) and plan.task(3).units.lead == ("县府办",)


def test_unchanged_units_stay_inherited(plan):
    edited = edit_task(plan, 2, "新的内容。", plan.task(3).units.raw)
    assert edited.task(3).units_inherited is True and edited.task(3).units == plan.task(3).units


def test_renumber_fixes_a_repeat(plan):
    tasks = list(plan.tasks)
    tasks[45] = replace(tasks[45], number=45)  # task 46 printed as a second 45
    broken = replace(plan, tasks=tuple(tasks))
    assert duplicate_numbers(broken) == [45]
    with pytest.raises(ValueError, match="已被其他任务使用"):
        edit_task(broken, 45, tasks[45].text, tasks[45].units.raw, number=44)
    fixed = edit_task(broken, 45, tasks[45].text, tasks[45].units.raw, number=46)
    assert duplicate_numbers(fixed) == [] and fixed.task(46).text == plan.task(46).text


def test_edit_task_refuses_empty_and_unknown(plan):
    with pytest.raises(ValueError):
        edit_task(plan, 2, "  ", "县府办牵头")
    with pytest.raises(IndexError):
        edit_task(plan, 99, "内容", "县府办牵头")
