"""check_plan issues and carry-over matching between years."""

from __future__ import annotations

import time

from core.carryover import diff_segments, match_tasks
from core.importers import import_text
from core.plan_checks import check_plan

PLAN = """一、公开工作
1.做好政务公开培训，提升工作人员业务水平。
党政综合办牵头
2.做好政务公开培训，提升工作人员业务水平。
3.更新。
司法所
3.规范便民服务中心办事指南，方便群众办事。详见 http://www.example.gov.cn
6.做好村务公开栏更新工作，按季度公开财务收支情况。
"""


def test_check_plan_kinds():
    plan = import_text(PLAN).plan
    issues = check_plan(plan)
    kinds = {(i.task, i.kind) for i in issues}
    assert (3, "number_repeat") in kinds
    assert (6, "number_gap") in kinds
    assert (3, "short") in kinds
    assert (3, "units_no_role") in kinds
    assert (3, "chrome") in kinds
    gap = next(i for i in issues if i.kind == "number_gap")
    assert "缺少 4–5" in gap.message


def test_check_plan_no_units_and_long():
    text = "一、总则\n1." + "很长的任务内容" * 100 + "\n2.没有单位的任务内容。\n"
    issues = check_plan(import_text(text).plan)
    assert {(i.task, i.kind) for i in issues} >= {(1, "long"), (1, "no_units"), (2, "no_units")}


def test_diff_segments():
    segs = diff_segments("做好2019年政务公开工作", "做好2020年政务公开工作。")
    assert "".join(s for op, s in segs if op != "insert") == "做好2019年政务公开工作"
    assert "".join(s for op, s in segs if op != "delete") == "做好2020年政务公开工作。"
    assert ("insert", "。") in segs
    assert {op for op, _ in segs} <= {"equal", "insert", "delete"}


def test_match_tasks_reworded_and_renumbered():
    old = import_text("一、甲\n1.做好2019年政务公开培训工作。\n县府办牵头\n2.按时更新公开栏内容。\n"
                      "3.完全不同的一条旧任务内容说明。\n").plan
    new = import_text("一、甲\n1.按时更新公开栏内容。\n县府办牵头\n2.做好2020年政务公开培训工作。\n"
                      "3.新增的关于乡村振兴的一条任务。\n").plan
    m = {x.new: x for x in match_tasks(old, new)}
    assert m[1].old == 2 and m[1].score == 1.0
    assert m[2].old == 1 and 0.8 < m[2].score < 1.0
    assert m[3].old is None
    assert ("equal", "做好20") in m[2].segments


def test_match_tasks_fast_on_100_tasks():
    words = "政务公开培训舆情回应决策执行财政预算便民服务村务公开普法宣传乡村振兴安全生产环境整治"
    lines = ["一、甲"] + [f"{i}.{words[i % 20:] + words[: i % 20]}第{i}项{i * 7919 % 1000}。" for i in range(1, 101)]
    plan = import_text("\n".join(lines)).plan
    start = time.perf_counter()
    matches = match_tasks(plan, plan)
    assert time.perf_counter() - start < 2.0
    assert all(m.old == m.new for m in matches)
