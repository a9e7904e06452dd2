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
    if args.evidence_only:
        fetched, missing = backups.fetch_evidence(ctx.session, args.file)
        say(f"已从 {args.file} 取回 {fetched} 个佐证材料文件。")
        if missing:
            say(f"仍缺少 {len(missing)} 项：{'；'.join(missing[:8])}")
        return 0
    result = backups.restore(ctx.session, args.file)
    say(f"已从 {result.source} 恢复数据。")
    if result.missing_evidence:
        say(f"数据库已恢复，但备份中有 {len(result.missing_evidence)} 项佐证材料的文件已损坏或缺失，"
            f"其他备份中也没有完好的：{'；'.join(result.missing_evidence[:8])}。"
            "可从另一份备份取回：restore 另一份备份 --evidence-only")
    if result.safety_backup is not None:
        say(f"恢复前的数据已备份为 {result.safety_backup.path}")
    if result.damaged_path is not None:
        say(f"恢复前的数据库已损坏，已保留为 {result.damaged_path}")
    return 0
