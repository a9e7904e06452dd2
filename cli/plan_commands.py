"""Plan commands: import a new plan (with a dry run), list plans, switch the current plan."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.commands import plan_rows, print_json
from cli.context import Context, UserError
from core.assign import roles_for
from core.carryover import carried_progress, match_tasks
from core.importers import PlanImportError, import_plan
from core.plan_checks import check_plan


def cmd_plan_import(ctx: Context, args: argparse.Namespace) -> int:
    try:
        result = import_plan(Path(args.file))
    except PlanImportError as exc:
        raise UserError(f"{Path(args.file).name}：{exc}（未写入任何内容）") from None
    plan = result.plan
    for warning in result.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    for issue in check_plan(plan):
        where = f"任务{issue.task}：" if issue.task is not None else ""
        print(f"检查：{where}{issue.message}", file=sys.stderr)
    office_name = args.office or ctx.store.setting("office")
    office = ctx.store.office(office_name) if office_name else None
    roles = roles_for(plan, office) if office else {}
    if args.json:
        print_json({"title": plan.title, "year": plan.year, "tasks": plan_rows(plan, roles, {}, set())})
    else:
        summary = f"{len(plan.sections)} 个部分，{len(plan.tasks)} 项任务"
        print(f"《{plan.title}》（{plan.year}年）：{summary}", file=sys.stderr)
    if args.dry_run:
        print("试运行：未写入数据库", file=sys.stderr)
        return 0
    previous_id = ctx.store.current_plan_id()
    try:
        plan_id = ctx.store.add_plan(plan, Path(args.file).name)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    print(f"已保存为方案 {plan_id}；用 plan use {plan_id} 切换到它", file=sys.stderr)
    if args.carry_over and office is not None:
        matches = match_tasks(ctx.store.plan(previous_id), plan)
        entries = carried_progress(matches, ctx.store.progress(previous_id, office.name), {})
        ctx.store.save_many(plan_id, office.name, entries)
        print(f"已从方案 {previous_id} 带入 {office.name} 的 {len(entries)} 条记录作为起点", file=sys.stderr)
    return 0


def cmd_plan_list(ctx: Context, args: argparse.Namespace) -> int:
    current = ctx.store.current_plan_id()
    for p in ctx.store.plans():
        mark = "*" if p.id == current else " "
        print(f"{mark} {p.id}\t{p.year}\t{p.task_count} 项\t{p.title}")
    return 0


def cmd_plan_use(ctx: Context, args: argparse.Namespace) -> int:
    try:
        ctx.store.set_current_plan(args.id)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    print(f"当前方案：{ctx.store.plan(args.id).title}", file=sys.stderr)
    return 0
