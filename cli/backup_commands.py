"""The backup and restore commands."""

from __future__ import annotations

import argparse

from actions import backups
from cli.context import Context, UserError, say


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    if not args.out:
        raise UserError("请用 --out 指定备份到哪个文件夹（如U盘）或文件；backup list 列出自动备份")
    target = backups.backup_target(ctx.session, args.out)
    copy = backups.backup_to(ctx.session.db_path, target)
    evidence = f"，含 {copy.evidence_files} 个佐证材料文件" if copy.evidence_files else ""
    say(f"已备份到 {copy.path}（{copy.size / 1024:.0f} KB{evidence}，已通过完整性检查）")
    return 0


def cmd_backup_list(ctx: Context, args: argparse.Namespace) -> int:
    found = backups.backups(ctx.session)
    if not found:
        say(f"数据文件夹 {ctx.session.data_dir} 中还没有自动备份")
    for info in found:
        print(f"{info.label}\t{backups.kind_label(info.reason)}\t{info.path.stat().st_size / 1024:.0f} KB\t{info.path}")
    return 0


def cmd_restore(ctx: Context, args: argparse.Namespace) -> int:
    result = backups.restore(ctx.session, args.file)
    say(f"已从 {result.source} 恢复数据。")
    if result.safety_backup is not None:
        say(f"恢复前的数据已备份为 {result.safety_backup.path}")
    if result.damaged_path is not None:
        say(f"恢复前的数据库已损坏，已保留为 {result.damaged_path}")
    return 0
