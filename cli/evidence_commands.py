"""The 佐证材料 commands: add files, add a web link, list, remove (to the bin) and undo."""

from __future__ import annotations

import argparse

from actions import evidence
from actions.evidence import BIN_DAYS
from cli.commands import print_json
from cli.context import Context, field, say


def cmd_evidence_add(ctx: Context, args: argparse.Namespace) -> int:
    office = ctx.session.require_office(args.office)
    result = evidence.add_files(ctx.session, office.name, args.task, args.files, title=args.title,
                                note=args.note or "", seen_date=args.date)
    for item in result.items:
        say(f"已添加 {field(item.label)}（{field(item.file_name)}，{(item.size or 0) / 1024:.0f} KB）")
    if result.warning:
        say(f"注意：{result.warning}")
    return 0


def cmd_evidence_link(ctx: Context, args: argparse.Namespace) -> int:
    office = ctx.session.require_office(args.office)
    result = evidence.add_link(ctx.session, office.name, args.task, args.url, args.title, seen_date=args.date,
                               note=args.note or "", screenshot=args.screenshot)
    for item in result.items:
        say(f"已添加 {field(item.label)}（{field(item.url)}）")
    if result.warning:
        say(f"注意：{result.warning}")
    return 0


def cmd_evidence_list(ctx: Context, args: argparse.Namespace) -> int:
    office = ctx.session.require_office(args.office)
    found = evidence.items(ctx.session, office.name, args.task)
    if args.json:
        print_json([item.as_json() for item in found])
        return 0
    if not found:
        say(f"{office.name} 还没有佐证材料")
    for item in found:
        where = item.url if item.kind == "link" else item.file_name
        print(f"{item.id}\t{field(item.label)}\t{field(where)}")  # a tab or line break in a name: escaped
    return 0


def cmd_evidence_remove(ctx: Context, args: argparse.Namespace) -> int:
    item = (evidence.undo_remove if args.undo else evidence.remove)(ctx.session, args.id)
    if args.undo:
        say(f"已恢复 {field(item.label)}")
    else:
        say(f"已移到回收站：{field(item.label)}（{BIN_DAYS} 天内可用 evidence remove {item.id} --undo 恢复）")
    return 0
