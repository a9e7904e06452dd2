"""Cells of the 股室 sheets: writing goes through the app's one formula-safe writer (:mod:`core.xlsx_safe`);
reading a cell back as the text a clerk sees, and the sheets' rule for a field too long for a cell, live here.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from core.xlsx_safe import EXCEL_CELL_CHARS, put, strip_illegal

__all__ = ["CUT_NOTE", "EXCEL_CELL_CHARS", "cell_text", "cut", "fits", "put", "read", "squeeze"]


def cell_text(value: str) -> str:
    """``value`` as a cell may hold it: without XML-illegal characters (callers check the length)."""
    return strip_illegal(value)


def fits(value: str) -> bool:
    return len(cell_text(value)) <= EXCEL_CELL_CHARS


#: A field longer than a cell holds goes out cut, with this note, and locked; it is never taken back.
CUT_NOTE = "（内容超过 Excel 单元格上限，此处只显示开头，请在台账软件中修改）"


def cut(value: str) -> str:
    """What the cell shows for a field too long for it."""
    return cell_text(value)[: EXCEL_CELL_CHARS - len(CUT_NOTE)] + CUT_NOTE


def read(value: object) -> str:
    """A cell's value as the text a clerk would see (numbers without a trailing .0, dates as 年-月-日)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def squeeze(text: str) -> str:
    """Text without any whitespace: what header words and retyped requirements are compared by."""
    return re.sub(r"\s+", "", text)
