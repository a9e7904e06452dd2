"""Plain text, as copied from a web page or saved from Notepad."""

from __future__ import annotations

from core.importers.result import ImportResult, PlanImportError
from core.notice_parser import PlanParseError, parse_notice


def import_text(text: str, name: str = "") -> ImportResult:
    """Read a notice's text; ``name`` (the file name) is only used in messages."""
    if not isinstance(text, str):
        raise PlanImportError("输入不是文本")
    text = text.replace("\x00", "")
    if not text.strip():
        raise PlanImportError(f"{name or '文本'}是空的")
    try:
        plan = parse_notice(text)
    except PlanParseError as e:
        prefix = f"{name}：" if name else ""
        raise PlanImportError(prefix + str(e)) from None
    return ImportResult(plan, list(plan.warnings), "text")
