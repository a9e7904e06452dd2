"""The one check every file the app writes goes through (report, ledger, progress file, backup, package).

It refuses, before anything is written: the live database and its -wal/-shm/-journal, anything inside the
data folder's ``backups/``, ``evidence/`` and ``received/``, a folder where a file is meant, a missing or
read-only folder, and an existing file of another kind (a report never lands on a spreadsheet, a backup never
on a photo).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from actions.errors import ActionError, StorageError
from core.atomic import WriteError, write_atomic
from core.paths import DB_FILE

#: Kinds of file the app writes, by the first bytes of an existing file; None matches an empty file.
_MAGIC = {
    "pdf": (b"%PDF-",),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),  # .docx, .xlsx, .zip
    "sqlite": (b"SQLite format 3\x00",),
    "json": (b"{", b"\xef\xbb\xbf{"),
}
_KIND_NAMES = {"pdf": "PDF 文件", "zip": "Word/Excel/压缩文件", "sqlite": "数据库备份", "json": "进度文件"}
#: Folders inside the data folder that only the app itself writes.
#: received/: the imported packages' copies (db.received_files.RECEIVED_DIR).
PROTECTED_DIRS = ("backups", "evidence", "received")


@dataclass(frozen=True)
class OutputKind:
    """What a command writes: its kind of bytes and the suffixes its file name may end with."""

    magic: str
    suffixes: tuple[str, ...]
    label: str  # how the clerk calls it, in messages


PDF = OutputKind("pdf", (".pdf",), "报告 PDF")
DOCX = OutputKind("zip", (".docx",), "Word 文档")
XLSX = OutputKind("zip", (".xlsx",), "Excel 台账")
PROGRESS = OutputKind("json", (".json",), "进度文件")
BACKUP = OutputKind("sqlite", (".sqlite3", ".db", ".sqlite"), "备份文件")
PACKAGE = OutputKind("zip", (".zip",), "报送材料压缩包")
BY_SUFFIX = {".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX}


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        raise ActionError(f"无法解析保存位置（可能是循环的快捷方式）：{path}") from None


def _existing_kind_ok(path: Path, kind: OutputKind) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return True  # unreadable: the write itself will say what is wrong
    return not head or head.startswith(_MAGIC[kind.magic])


def check_target(out: str | Path, data_dir: Path, kind: OutputKind, default_name: str | None = None) -> Path:
    """The file to write for ``out``, or :class:`ActionError` saying plainly why not. Writes nothing.

    A folder gets ``default_name`` inside it when one is given (a USB stick: a dated file name).
    """
    if not str(out).strip():
        raise ActionError(f"请指定{kind.label}的保存位置")
    target = Path(out).expanduser()
    if target.is_dir():
        if default_name is None:
            example = target / ("文件" + kind.suffixes[0])
            raise ActionError(f"“{target}”是一个文件夹，请给出{kind.label}的文件名，例如 {example}")
        target = target / default_name
    if target.suffix.lower() not in kind.suffixes:
        raise ActionError(f"{kind.label}的文件名应以 {' 或 '.join(kind.suffixes)} 结尾：{target.name}")
    folder = target.parent
    if not folder.is_dir():
        raise ActionError(f"保存位置不存在：{folder}")
    if not os.access(folder, os.W_OK):
        raise ActionError(f"没有权限在这个文件夹保存文件：{folder}")
    resolved = _resolved(target)
    data = _resolved(Path(data_dir))
    db = data / DB_FILE
    live = {db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal"))}
    if resolved in live:
        raise ActionError(f"不能保存到数据库文件本身：{target}。"
                          "请换一个文件名或文件夹（数据库一旦被覆盖，已录入的内容会丢失）。")
    for name in PROTECTED_DIRS:
        if _inside(resolved, data / name):
            raise ActionError(f"不能保存到程序自己的“{name}”文件夹：{target.parent}。请换一个文件夹。")
    if resolved.exists():
        if not resolved.is_file():
            raise ActionError(f"“{target}”不是普通文件，不能覆盖")
        if not _existing_kind_ok(resolved, kind):
            raise ActionError(f"“{target.name}”已存在，而且不是{_KIND_NAMES[kind.magic]}，"
                              "为免误删没有覆盖。请换一个文件名。")
    return target


def check_folder(out: str | Path, data_dir: Path) -> Path:
    """A folder the app will create its own dated folder in (a backup on a USB stick), or ActionError."""
    folder = Path(out).expanduser()
    if not folder.is_dir():
        raise ActionError(f"文件夹不存在：{folder}")
    if not os.access(folder, os.W_OK):
        raise ActionError(f"没有权限在这个文件夹保存文件：{folder}")
    resolved, data = _resolved(folder), _resolved(Path(data_dir))
    for name in PROTECTED_DIRS:
        if _inside(resolved, data / name):
            raise ActionError(f"不能保存到程序自己的“{name}”文件夹：{folder}。请换一个文件夹。")
    return folder


def write_file(out: str | Path, data_dir: Path, kind: OutputKind, data: bytes,
               default_name: str | None = None) -> Path:
    """Check the target with :func:`check_target`, then write ``data`` atomically; returns the path written."""
    target = check_target(out, data_dir, kind, default_name)
    try:
        write_atomic(target, data)
    except WriteError as exc:  # the disk or the folder, not the clerk's input: exit code 1
        raise StorageError(str(exc), "write", target) from exc
    return target
