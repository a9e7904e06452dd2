"""The progress exchange file (``taizhang-progress`` version 1): validation and building.

Import is all-or-nothing, so everything is checked here before the database is touched.
Text fields round-trip exactly; only what SQLite cannot hold (lone surrogates) is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.model import TEXT_FIELDS, Plan, Progress, Status

FORMAT = "taizhang-progress"
VERSION = 1
MAX_FIELD_CHARS = 100_000
ENTRY_KEYS = {"task", "status", "percent", "owner", "due", *TEXT_FIELDS, "updated_at"}


class ProgressFileError(ValueError):
    """The file is refused; the message names the entry and field, in Chinese."""


@dataclass(frozen=True)
class ProgressFile:
    office: str
    plan_title: str
    plan_year: int
    entries: tuple[Progress, ...]


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


def parse_progress_file(data: bytes | str, plan: Plan, known_offices: set[str]) -> ProgressFile:
    """Validate a whole file against the plan and offices, or raise ProgressFileError."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError):
        raise ProgressFileError("文件不是有效的 JSON") from None
    if not isinstance(doc, dict):
        raise ProgressFileError("文件内容应为一个 JSON 对象")
    if doc.get("format") != FORMAT:
        raise ProgressFileError(f"文件格式不对：format 应为 {FORMAT!r}")
    if doc.get("version") != VERSION:
        raise ProgressFileError(f"不支持的版本：{doc.get('version')!r}（本程序读取版本 {VERSION}）")
    office = doc.get("office")
    if not isinstance(office, str) or office not in known_offices:
        raise ProgressFileError(f"未知单位：{str(office)[:40]!r}（请先在程序中添加该单位）")
    plan_doc = doc.get("plan")
    if not isinstance(plan_doc, dict) or plan_doc.get("title") != plan.title or plan_doc.get("year") != plan.year:
        raise ProgressFileError(f"文件中的方案与当前方案《{plan.title}》（{plan.year}年）不一致")
    entries = doc.get("entries")
    if not isinstance(entries, list):
        raise ProgressFileError("entries 应为列表")
    numbers = {t.number for t in plan.tasks}  # once, not per entry: 300 entries × 300 tasks was 1/3 of a parse
    parsed = [_entry(i, raw, numbers) for i, raw in enumerate(entries)]
    seen: set[int] = set()
    for i, p in enumerate(parsed):
        if p.task in seen:
            raise ProgressFileError(f"{_where(i, p.task)}重复：同一任务出现了两次")
        seen.add(p.task)
    return ProgressFile(office, plan.title, plan.year, tuple(parsed))


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


def build_progress_file(plan: Plan, office: str, progress: dict[int, Progress]) -> dict[str, Any]:
    entries = [{"task": n, **progress_fields(progress[n])} for n in sorted(progress)]
    return {"format": FORMAT, "version": VERSION, "office": office,
            "plan": {"title": plan.title, "year": plan.year}, "entries": entries}
