"""The data commands: offices, tasks, progress import/export, check."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from cli.context import Context, UserError
from core.model import ROLE_LABELS, Plan, Progress, Role
from core.progress_io import ProgressFileError, build_progress_file, parse_progress_file, progress_fields


def print_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def cmd_offices(ctx: Context, args: argparse.Namespace) -> int:
    offices = ctx.store.offices()
    if args.json:
        print_json([{"name": o.name, "kind": o.kind.value, "builtin": o.builtin} for o in offices])
    else:
        for o in offices:
            print(f"{o.name}\t{'镇街' if o.kind.value == 'town' else '部门'}")
    return 0


def task_rows(ctx: Context, office_name: str | None) -> list[dict]:
    office = ctx.office(office_name)
    plan_id = ctx.store.current_plan_id()
    plan = ctx.store.plan(plan_id)
    roles = ctx.store.roles(plan, plan_id, office)
    overridden = set(ctx.store.overrides(plan_id, office.name))
    return plan_rows(plan, roles, ctx.store.progress(plan_id, office.name), overridden)


def plan_rows(plan: Plan, roles: dict[int, Role], progress: dict[int, Progress], overridden: set[int]) -> list[dict]:
    """One JSON object per task: the shape of ``tasks --json`` and ``plan import --json``."""
    rows = []
    for t in plan.tasks:
        p = progress.get(t.number, Progress(t.number))
        rows.append({
            "number": t.number,
            "section": plan.section_label(t),
            "subsection": plan.subsection_label(t),
            "text": t.text,
            "lead_units": list(t.units.lead),
            "responsible_units": list(t.units.responsible),
            "cooperating_units": list(t.units.cooperating),
            "role": roles.get(t.number, Role.NONE).key,
            "role_overridden": t.number in overridden,
            **progress_fields(p),
        })
    return rows


def cmd_tasks(ctx: Context, args: argparse.Namespace) -> int:
    rows = task_rows(ctx, args.office)
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        role = ROLE_LABELS[Role.from_key(r["role"])]
        print(f"{r['number']:>3}  {role}  {r['text'].splitlines()[0][:40]}")
    return 0


def cmd_progress_import(ctx: Context, args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        if path.stat().st_size > 200 * 1024 * 1024:
            raise UserError(f"文件过大：{path}")
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取文件 {path}：{exc.strerror or exc}") from None
    plan_id = ctx.store.current_plan_id()
    plan = ctx.store.plan(plan_id)
    try:
        parsed = parse_progress_file(data, plan, {o.name for o in ctx.store.offices()})
    except ProgressFileError as exc:
        raise UserError(f"{path.name}：{exc}（未写入任何内容）") from None
    ctx.store.backup("before-import")
    changed = ctx.store.save_many(plan_id, parsed.office, list(parsed.entries))
    print(f"已导入 {parsed.office} 的 {len(parsed.entries)} 条记录（{changed} 条有变化）", file=sys.stderr)
    return 0


def write_text_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def cmd_progress_export(ctx: Context, args: argparse.Namespace) -> int:
    office = ctx.office(args.office)
    plan_id = ctx.store.current_plan_id()
    plan = ctx.store.plan(plan_id)
    doc = build_progress_file(plan, office.name, ctx.store.progress(plan_id, office.name))
    out = Path(args.out)
    write_text_atomic(out, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    print(f"已导出 {len(doc['entries'])} 条记录到 {out}", file=sys.stderr)
    return 0


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    problems = ctx.store.check()
    if not problems:
        print("ok")
        return 0
    for p in problems:
        print(p)
    return 1
