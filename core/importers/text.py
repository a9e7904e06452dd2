"""Plain text, as copied from a web page or saved from Notepad."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from core.importers.result import MAX_LINES, MAX_TASKS, ImportResult, PlanImportError, too_many_tasks
from core.notice_parser import PlanParseError, parse_notice

if TYPE_CHECKING:
    from core.importers.columns import ColumnMapping

_NUMBERED_LINE = re.compile(r"(?m)^[ \t\u3000]*[0-9０-９]{1,6}[ \t]*[.．、]")


_PIPE = re.compile(r"\s*[|｜]\s*")


def _copied_table(text: str) -> list[list[str]] | None:
    """A table copied as text: cells joined by tabs (WPS, Excel, a browser) or by " | "; None otherwise."""
    lines = [x for x in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    tabbed = sum(1 for x in lines if x.count("\t") >= 2)
    piped = sum(1 for x in lines if len(_PIPE.findall(x.strip().strip("|｜"))) >= 2)
    if max(tabbed, piped) < 2:
        return None
    if tabbed >= piped:
        return [[c.strip() for c in x.split("\t")] for x in lines if x.strip()]
    return [[c.strip() for c in _PIPE.split(x.strip().strip("|｜").strip())] for x in lines if x.strip()
            and not set(x.strip()) <= set("|-:｜ ")]


def _read_copied_table(text: str, name: str, mapping: ColumnMapping | None) -> ImportResult | None:
    from core.importers.table import TableSeries, cells

    rows = _copied_table(text)
    if rows is None:
        return None
    tables = TableSeries(name, mapping)
    read = tables.read(cells(rows))
    if read is None:
        tables.check_used()
        return None
    return ImportResult(read[0], list(read[0].warnings), "text", read[1])


def import_text(text: str, name: str = "", mapping: ColumnMapping | None = None) -> ImportResult:
    """Read a notice's text; ``name`` (the file name) is only used in messages.

    A table copied as text (tabs or " | " between cells) is read as a table, with ``mapping`` if given.
    """
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
    table = _read_copied_table(text, name, mapping)
    if table is not None:
        return table
    if mapping is not None:
        raise PlanImportError("这个文件是文字，没有表格，不能设置列的用途")
    try:
        plan = parse_notice(text)
    except PlanParseError as e:
        raise PlanImportError(str(e)) from None
    return ImportResult(plan, list(plan.warnings), "text")
