"""Plan commands: import a new plan (with a dry run), list plans, switch the current plan."""

from __future__ import annotations

import argparse
import sys

from actions import plans
from actions.office_view import task_rows
from cli.commands import print_json
from cli.context import Context, say
from core.assign import roles_for


def cmd_plan_import(ctx: Context, args: argparse.Namespace) -> int:
    session = ctx.session
    if args.file == "-":
        preview = plans.read_plan_bytes(sys.stdin.buffer.read(), "标准输入")
    else:
        preview = plans.read_plan(args.file)
    plan = preview.plan
    for warning in preview.warnings:
        say(f"提示：{warning}")
    for issue in preview.checks:
        where = f"任务{issue.task}：" if issue.task is not None else ""
        say(f"检查：{where}{issue.message}")
    office = session.require_office(args.office) if (args.office or session.setting("office")) else None
    if office is not None and not args.office:
        office = session.remembered_office() or office
    if args.json:
        roles = roles_for(plan, office) if office else {}
        rows = task_rows(plan, roles, {})
        plans.add_plan_fields(plan, rows)
        if args.as_office:
            probe = plans.probe_office(args.as_office, args.office_kind, args.office_alias)
            plans.add_office_roles(plan, probe, rows)
        print_json({"title": plan.title, "year": plan.year, "tasks": rows})
    else:
        say(f"《{plan.title}》（{plan.year}年）：{len(plan.sections)} 个部分，{len(plan.tasks)} 项任务")
    if args.dry_run:
        say("试运行：未写入数据库")
        return 0
    carried = plans.carry_over(session, office, plan) if args.carry_over and office is not None else None
    saved = plans.save_plan(session, plan, preview.source_name, office, carried)
    say(f"已保存为方案 {saved.plan_id}；用 plan use {saved.plan_id} 切换到它")
    if carried is not None and office is not None:
        say(f"已从方案 {carried.previous_plan_id} 带入 {office.name} 的 {saved.carried} 条记录作为起点")
    return 0


def cmd_plan_list(ctx: Context, args: argparse.Namespace) -> int:
    current = ctx.session.current_plan_id()
    for p in ctx.session.plans():
        mark = "*" if p.id == current else " "
        print(f"{mark} {p.id}\t{p.year}\t{p.task_count} 项\t{p.title}")
    return 0


def cmd_plan_use(ctx: Context, args: argparse.Namespace) -> int:
    plan = ctx.session.use_plan(args.id)
    say(f"当前方案：{plan.title}")
    return 0
