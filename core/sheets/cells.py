"""Writing one cell safely and reading one back: the single place both directions go through.

Text is always written as text: a value starting with ``=`` ``+`` ``-`` ``@`` becomes a string cell with the
quote prefix, so Excel, WPS and LibreOffice never run it as a formula. Characters XML cannot hold are dropped.
"""

from __future__ import annotations

import re
from datetime import date, datetime

#: The most characters one Excel (and WPS) cell holds.
EXCEL_CELL_CHARS = 32_767
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: str) -> str:
    """``value`` as a cell may hold it: without XML-illegal characters (callers check the length)."""
    return _ILLEGAL.sub("", value)


def fits(value: str) -> bool:
    return len(cell_text(value)) <= EXCEL_CELL_CHARS


#: A field longer than a cell holds goes out cut, with this note, and locked; it is never taken back.
CUT_NOTE = "（内容超过 Excel 单元格上限，此处只显示开头，请在台账软件中修改）"


def cut(value: str) -> str:
    """What the cell shows for a field too long for it."""
    return cell_text(value)[: EXCEL_CELL_CHARS - len(CUT_NOTE)] + CUT_NOTE


def put(ws, row: int, col: int, value: object):
    """Write ``value`` into the cell; text that would be read as a formula is kept as text. Returns the cell."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = cell_text(value)[:EXCEL_CELL_CHARS]
        cell.value = text
        if text.startswith(_FORMULA_START):
            cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


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
