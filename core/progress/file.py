"""The progress exchange file (``taizhang-progress`` version 1): validation and building.

Import is all-or-nothing, so everything is checked here before the database is touched.
Text fields round-trip exactly; only what SQLite cannot hold (lone surrogates) is refused.

The file must be UTF-8 (a BOM is allowed), at most :data:`MAX_FILE_BYTES`, with no key twice in
one object and ``version`` the integer 1. An entry changes only the fields it names:
:attr:`ProgressFile.patches` holds exactly those; :mod:`core.progress.merge` merges them with
what is stored and checks that status and percent agree (:func:`status_percent_problem`).

进展缓慢 travels as an optional entry key ``"slow": true`` (a flag beside the status, not a status): written
only when set, so a file without flags reads as before. On reading, an entry naming ``slow`` sets or clears
the flag; an entry naming its ``status`` but not ``slow`` clears it (a status reported afresh without
进展缓慢 is not slow); an entry naming neither leaves the flag alone (:attr:`EntryPatch.slow`).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from core.model import MAX_FIELD_CHARS, TEXT_FIELDS, Plan, Progress, Status
from core.sheets.words import is_slow

FORMAT = "taizhang-progress"
VERSION = 1
# 68 tasks × 5 fields of notes fit many times over; checked on the file's size before reading it.
MAX_FILE_BYTES = 32 * 1024 * 1024
ENTRY_KEYS = {"task", "status", "percent", "owner", "due", *TEXT_FIELDS, "updated_at", "slow"}
PATCH_FIELDS = ("status", "percent", "owner", "due", *TEXT_FIELDS[1:])


class ProgressFileError(ValueError):
    """The file is refused; the message names the entry and field, in Chinese."""


@dataclass(frozen=True)
class EntryPatch:
    """One entry as the file has it: only the fields it names, already checked and converted
    (``status`` a Status, ``due`` a date or None, texts str, ``percent`` int)."""

    task: int
    fields: Mapping[str, Any]
    updated_at: str | None = None  # when it was last saved where it was exported from
    slow: bool | None = None  # 进展缓慢: True set, False clear, None the file does not say


@dataclass(frozen=True)
class ProgressFile:
    office: str
    plan_title: str
    plan_year: int
    entries: tuple[Progress, ...]  # each entry completed with defaults (the old whole-entry reading)
    patches: tuple[EntryPatch, ...] = ()  # what the file names, nothing more: import with these

    @property
    def slow_tasks(self) -> frozenset[int]:
        """Tasks the file marks 进展缓慢."""
        return frozenset(p.task for p in self.patches if p.slow)


def _where(i: int, task: Any = None) -> str:
    return f"第 {i + 1} 条记录" + (f"（任务 {task}）" if isinstance(task, int) else "")


def _text(value: Any, where: str, key: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ProgressFileError(f"{where}的字段 {key} 应为文字")
    if len(value) > MAX_FIELD_CHARS:
        raise ProgressFileError(f"{where}的字段 {key} 超过 {MAX_FIELD_CHARS:,} 字（实际 {len(value):,} 字）")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ProgressFileError(f"{where}的字段 {key} 含有无法保存的字符（孤立的代理字符）") from None
    return value


def parse_due(value: Any, where: str = "", key: str = "due") -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ProgressFileError(f"{where}的字段 {key} 应为 YYYY-MM-DD 格式的日期")
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise ProgressFileError(f"{where}的字段 {key} 不是有效日期：{value[:20]!r}（应为 YYYY-MM-DD）") from None


def status_percent_problem(status: Status, percent: int) -> str | None:
    """The rule: 未开始 means 0%, 已完成 means 100%; 推进中, 持续推进 and 不适用 take any 0–100.

    (不适用 keeps whatever percent was recorded before the task was found not to apply.)
    """
    if status is Status.NOT_STARTED and percent != 0:
        return f"状态为“{status.label}”，进度却是 {percent}%（未开始的任务进度应为 0%）"
    if status is Status.DONE and percent != 100:
        return f"状态为“{status.label}”，进度却是 {percent}%（已完成的任务进度应为 100%）"
    return None


def _timestamp(value: Any, where: str) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, str) and len(value) <= 40:
        try:
            datetime.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise ProgressFileError(f"{where}的字段 updated_at 不是有效时间：{str(value)[:40]!r}（应为 2019-12-04T15:30:00）")


def _patch(i: int, raw: dict, entry: Progress) -> EntryPatch:
    where = _where(i, entry.task)
    fields = {key: getattr(entry, key) for key in PATCH_FIELDS if key in raw}
    slow = raw.get("slow")
    if "slow" in raw and not isinstance(slow, bool):
        raise ProgressFileError(f"{where}的字段 slow 应为 true 或 false（进展缓慢）")
    if slow is None and "status" in raw:
        slow = False
    return EntryPatch(entry.task, fields, _timestamp(raw.get("updated_at"), where), slow)


def _entry(i: int, raw: Any, numbers: set[int]) -> Progress:
    if not isinstance(raw, dict):
        raise ProgressFileError(f"{_where(i)}不是一个对象")
    task = raw.get("task")
    where = _where(i, task)
    unknown = set(raw) - ENTRY_KEYS
    if unknown:
        raise ProgressFileError(f"{where}有未知字段：{', '.join(sorted(unknown))}")
    if not isinstance(task, int) or isinstance(task, bool):
        raise ProgressFileError(f"{where}的字段 task 应为任务序号（整数）")
    if task not in numbers:
        raise ProgressFileError(f"{where}的字段 task：方案中没有任务 {task}")
    status_raw = raw.get("status", Status.NOT_STARTED.value)
    try:
        status = Status(status_raw)
    except ValueError:
        allowed = "、".join(s.value for s in Status)
        raise ProgressFileError(f"{where}的字段 status 未知：{str(status_raw)[:30]!r}（可用：{allowed}）") from None
    percent = raw.get("percent", 0)
    if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 100:
        raise ProgressFileError(f"{where}的字段 percent 应为 0 到 100 的整数")
    texts = {key: _text(raw.get(key), where, key) for key in TEXT_FIELDS}
    return Progress(task=task, status=status, percent=percent, due=parse_due(raw.get("due"), where), **texts)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ProgressFileError(f"文件中同一个对象里出现了两次字段“{key[:40]}”，无法确定以哪一个为准")
        seen[key] = value
    return seen


def _object_hook(limit: int):
    """The duplicate-key check, also counting objects: a file of the format holds the top object, ``plan``
    and one entry per task, so past ``limit`` parsing stops (millions of ``{}`` cost seconds and a gigabyte)."""
    count = 0

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal count
        count += 1
        if count > limit:
            raise ProgressFileError(f"文件中的记录多于方案的任务数（方案共 {limit - 2} 项任务），"
                                    "这不是本程序导出的进度文件")
        return _no_duplicate_keys(pairs)

    return hook


def check_file_size(size: int) -> None:
    """Refuse a file larger than :data:`MAX_FILE_BYTES` before reading it."""
    if size > MAX_FILE_BYTES:
        raise ProgressFileError(f"文件过大（{size / 1024 / 1024:,.0f} MB），进度文件最大 "
                                f"{MAX_FILE_BYTES // 1024 // 1024} MB，这不像是本程序导出的进度文件")


def read_progress_file(path: Path) -> bytes:
    """The file's bytes, refused by size before reading. OSError for a missing or unreadable file."""
    path = Path(path)
    check_file_size(path.stat().st_size)
    with open(path, "rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    check_file_size(len(data))
    return data


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    check_file_size(len(data))
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ProgressFileError("文件不是 UTF-8 编码（是 UTF-16，即记事本的“Unicode”）。"
                                "请使用本程序导出的文件，或在记事本中“另存为”并选择 UTF-8 编码")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProgressFileError(
            f"文件不是 UTF-8 编码（第 {exc.start + 1:,} 个字节起无法按 UTF-8 读取，可能是 GBK 编码）。"
            "请使用本程序导出的文件，或在记事本中“另存为”并选择 UTF-8 编码") from None


def parse_progress_file(data: bytes | str, plan: Plan, known_offices: set[str] | None = None) -> ProgressFile:
    """Validate a whole file against the plan and offices, or raise ProgressFileError.

    ``known_offices`` None skips the office check (the import plan checks the office itself).
    """
    text = _decode(data)
    try:
        doc = json.loads(text, object_pairs_hook=_object_hook(len(plan.tasks) + 2))
    except ProgressFileError:
        raise
    except (ValueError, RecursionError):
        raise ProgressFileError("文件不是有效的 JSON") from None
    if not isinstance(doc, dict):
        raise ProgressFileError("文件内容应为一个 JSON 对象")
    if doc.get("format") != FORMAT:
        raise ProgressFileError(f"文件格式不对：format 应为 {FORMAT!r}")
    version = doc.get("version")
    if type(version) is not int or version != VERSION:
        raise ProgressFileError(f"不支持的版本：{str(version)[:20]!r}（本程序读取版本 {VERSION}，应为整数 {VERSION}）")
    office = doc.get("office")
    if not isinstance(office, str) or (known_offices is not None and office not in known_offices):
        raise ProgressFileError(f"未知单位：{str(office)[:40]!r}（请先在程序中添加该单位）")
    plan_doc = doc.get("plan")
    if not isinstance(plan_doc, dict) or plan_doc.get("title") != plan.title or plan_doc.get("year") != plan.year:
        raise ProgressFileError(f"文件中的方案与当前方案《{plan.title}》（{plan.year}年）不一致")
    entries = doc.get("entries")
    if not isinstance(entries, list):
        raise ProgressFileError("entries 应为列表")
    numbers = {t.number for t in plan.tasks}  # once per file, not per entry (300 tasks × 300 entries)
    parsed = [_entry(i, raw, numbers) for i, raw in enumerate(entries)]
    seen: set[int] = set()
    for i, p in enumerate(parsed):
        if p.task in seen:
            raise ProgressFileError(f"{_where(i, p.task)}重复：同一任务出现了两次")
        seen.add(p.task)
    patches = tuple(_patch(i, raw, p) for i, (raw, p) in enumerate(zip(entries, parsed, strict=True)))
    return ProgressFile(office, plan.title, plan.year, tuple(parsed), patches)


def progress_fields(p: Progress) -> dict[str, Any]:
    """One entry's recorded fields as they appear in the exchange file and in ``tasks --json``."""
    return {
        "status": p.status.value,
        "percent": p.percent,
        "owner": p.owner,
        "due": p.due.isoformat() if p.due else None,
        "steps": p.steps,
        "achievements": p.achievements,
        "problems": p.problems,
        "next_steps": p.next_steps,
        "updated_at": p.updated_at or None,
    }


def build_progress_file(plan: Plan, office: str, progress: dict[int, Progress],
                        slow: Collection[int] = ()) -> dict[str, Any]:
    """The exchange file's document; ``slow``: tasks flagged 进展缓慢 (written as ``"slow": true``)."""
    entries = [{"task": n, **progress_fields(progress[n]),
                **({"slow": True} if is_slow(progress[n].status, n in slow) else {})} for n in sorted(progress)]
    return {"format": FORMAT, "version": VERSION, "office": office,
            "plan": {"title": plan.title, "year": plan.year}, "entries": entries}
