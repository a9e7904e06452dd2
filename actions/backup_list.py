"""The list the 备份管理 dialog shows: each automatic backup with its time, kind and size, in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from actions.backups import backups, backups_folder, kind_label
from actions.session import Session
from db.backup import backup_contents


@dataclass(frozen=True)
class BackupRow:
    path: Path
    taken_at: datetime
    reason: str  # start, auto, manual, before-import…
    kind: str  # 启动时, 每30分钟, 手动, 导入前…
    when: str  # 2019年12月4日 15:30:07
    size: int  # bytes
    contents: tuple[int, int] | None = None  # (tasks filled, 佐证材料 items); None: not readable

    @property
    def contents_text(self) -> str:
        """已填写 12 项任务，佐证材料 3 项 (what restoring it brings back)."""
        if self.contents is None:
            return "无法读取"
        return f"已填写 {self.contents[0]} 项任务，佐证材料 {self.contents[1]} 项"

    @property
    def size_text(self) -> str:
        return size_text(self.size)


def size_text(size: int) -> str:
    """Bytes as the clerk reads them: 812 KB, 1.4 MB."""
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def backup_rows(session: Session) -> list[BackupRow]:
    """The automatic backups in the data folder, newest first; a file gone meanwhile is left out."""
    rows = []
    for info in backups(session):
        try:
            size = info.path.stat().st_size
        except OSError:
            continue
        rows.append(BackupRow(info.path, info.taken_at, info.reason, kind_label(info.reason), info.label, size,
                              backup_contents(info.path)))
    return rows


def folder(session: Session) -> Path:
    """The backups folder (created when missing, so 打开备份文件夹 always opens something)."""
    path = backups_folder(session)
    path.mkdir(parents=True, exist_ok=True)
    return path
