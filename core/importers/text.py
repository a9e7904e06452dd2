"""Plain text, as copied from a web page or saved from Notepad."""

from __future__ import annotations

import re

from core.importers.result import MAX_LINES, MAX_TASKS, ImportResult, PlanImportError, too_many_tasks
from core.notice_parser import PlanParseError, parse_notice

_NUMBERED_LINE = re.compile(r"(?m)^[ \t\u3000]*[0-9０-９]{1,6}[ \t]*[.．、]")


def import_text(text: str, name: str = "") -> ImportResult:
    """Read a notice's text; ``name`` (the file name) is only used in messages."""
    if not isinstance(text, str):
        raise PlanImportError("输入不是文本")
    text = text.replace("\x00", "")
    if not text.strip():
        raise PlanImportError(f"{name or '文本'}是空的")
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise PlanImportError(f"{name or '文本'}有 {lines:,} 行，超过 {MAX_LINES:,} 行的上限，"
                              "不像是一份分工方案，未导入")
    numbered = len(_NUMBERED_LINE.findall(text))
    if numbered > MAX_TASKS:  # counted before parsing, which would take long on so many
        raise too_many_tasks(numbered)
    try:
        plan = parse_notice(text)
    except PlanParseError as e:
        prefix = f"{name}：" if name else ""
        raise PlanImportError(prefix + str(e)) from None
    return ImportResult(plan, list(plan.warnings), "text")
