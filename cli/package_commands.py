"""The package command: one zip of everything the county asks for, for the U盘 or email."""

from __future__ import annotations

import argparse

from actions import package
from cli.context import Context, UserError, say
from cli.report_commands import parse_report_date


def cmd_package(ctx: Context, args: argparse.Namespace) -> int:
    if not args.out:
        raise UserError("请用 --out 指定保存到哪个文件夹（如U盘）或 .zip 文件")
    day = parse_report_date(args.date, None) if args.date else None
    try:
        result = package.make_package(ctx.session, args.office, args.out, report_date=day, fonts=args.fonts,
                                      allow_empty=args.allow_empty, allow_large=args.allow_large)
    except package.PackageTooLarge as exc:
        raise UserError(f"{exc}（确认要生成，请加 --allow-large）") from None
    except package.PackageError as exc:  # --out names neither a folder nor a .zip: bad input, not our bug
        raise UserError(str(exc)) from None
    for warning in result.warnings:
        say(f"注意：{warning}")
    info = result.info
    evidence = sum(1 for f in info.files if f.kind in ("evidence", "evidence_link"))
    archived = f"已存档为第 {result.archive_id} 号" if result.newly_archived else f"与第 {result.archive_id} 号存档相同"
    say(f"已生成报送材料 {info.path}（{info.size / 1024 / 1024:.1f} MB，{len(info.files)} 个文件，"
        f"其中佐证材料 {evidence} 个），{archived}")
    return 0
