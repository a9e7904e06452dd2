"""The backup and restore commands."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from cli.context import Context, UserError
from db.backup import copy_database
from db.restore import InvalidBackupError, check_backup_file, restore_database
from db.store import Store


def backup_target(out: Path, now: datetime) -> Path:
    """A folder (a USB stick) gets a dated file name; anything else is the file to write."""
    if out.is_dir():
        return out / f"taizhang-backup-{now:%Y%m%d-%H%M%S}.sqlite3"
    if not out.parent.is_dir():
        raise UserError(f"文件夹不存在：{out.parent}")
    return out


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    dest = backup_target(Path(args.out), datetime.now())
    if dest.resolve() == ctx.store.path.resolve():
        raise UserError("备份文件不能就是数据库本身")
    copy_database(ctx.store.path, dest)
    print(f"已备份到 {dest}（{dest.stat().st_size / 1024:.0f} KB，已通过完整性检查）", file=sys.stderr)
    return 0


def cmd_restore(ctx: Context, args: argparse.Namespace) -> int:
    source = Path(args.file)
    try:
        check_backup_file(source)
        ctx.store.close()  # the swap needs every connection of ours closed
        try:
            result = restore_database(ctx.store.path, source)
        finally:
            ctx.store = Store.open(ctx.data_dir, auto_backup=False)
    except InvalidBackupError as exc:
        raise UserError(f"{exc}（数据库未改动）") from None
    print(f"已从 {source} 恢复数据。", file=sys.stderr)
    if result.safety_backup is not None:
        print(f"恢复前的数据已备份为 {result.safety_backup.path}", file=sys.stderr)
    if result.damaged_path is not None:
        print(f"恢复前的数据库已损坏，已保留为 {result.damaged_path}", file=sys.stderr)
    return 0
