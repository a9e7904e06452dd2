"""The data commands: offices, tasks, progress import/export/set, check."""

from __future__ import annotations

import argparse
import json
import sys

from actions import editing, progress_files
from actions.office_view import office_task_rows
from cli.context import Context, say
from core.model import ROLE_LABELS, Role


def print_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def cmd_offices(ctx: Context, args: argparse.Namespace) -> int:
    offices = ctx.session.offices()
    if args.json:
        print_json([{"name": o.name, "kind": o.kind.value, "builtin": o.builtin} for o in offices])
    else:
        for o in offices:
            print(f"{o.name}\t{'镇街' if o.kind.value == 'town' else '部门'}")
    return 0


def cmd_tasks(ctx: Context, args: argparse.Namespace) -> int:
    rows = office_task_rows(ctx.session, args.office)
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        role = ROLE_LABELS[Role.from_key(r["role"])]
        print(f"{r['number']:>3}  {role}  {r['text'].splitlines()[0][:40]}")
    return 0


def cmd_progress_import(ctx: Context, args: argparse.Namespace) -> int:
    result = progress_files.import_progress(ctx.session, args.file, office=args.office, dry_run=args.dry_run,
                                            force=args.force)
    if args.dry_run:
        for line in result.describe():
            print(line)
        say("试运行：未写入任何内容")
        return 0
    plan = result.plan
    say(f"已导入 {result.office} 的进度：{result.saved} 个任务有变化，{len(plan.unchanged)} 个不变")
    for line in result.describe():
        if "未导入" in line:
            say(line)
    return 0


def cmd_progress_export(ctx: Context, args: argparse.Namespace) -> int:
    result = progress_files.export_progress(ctx.session, args.office, args.out)
    say(f"已导出 {result.entries} 条记录到 {result.path}")
    return 0


def cmd_progress_set(ctx: Context, args: argparse.Namespace) -> int:
    office = ctx.session.require_office(args.office)
    plan_id = ctx.session.current_plan_id()
    saved = editing.change_field(ctx.session, plan_id, office.name, args.task, args.field, args.value)
    label = editing.field_label(args.field)
    say(f"任务 {args.task} 的“{label}”已保存" if saved else f"任务 {args.task} 的“{label}”没有变化")
    return 0


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    problems = ctx.session.check()
    if not problems:
        print("ok")
        return 0
    for p in problems:
        print(p)
    return 1
