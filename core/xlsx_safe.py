"""The one way the app puts a value into a spreadsheet cell it writes (目录, 汇总表, 台账).

Text that came from a clerk or from another office's package is data, never a formula. openpyxl stores any
string starting with ``=`` as a formula, and Excel and WPS treat a cell starting with ``+`` ``-`` ``@`` (or a
tab or carriage return before one) as a formula once the cell is edited. So every string is stored as a string
cell, and one starting with such a character also gets the quote prefix (Excel's leading apostrophe), which
keeps it text after an edit. Characters XML cannot hold are dropped and text is cut at Excel's cell limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

EXCEL_CELL_CHARS = 32_767
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def strip_illegal(value: str) -> str:
    """``value`` without the characters XML (and so a cell) cannot hold."""
    return _ILLEGAL.sub("", value)


def safe_text(value: str) -> str:
    """``value`` without the characters XML refuses, cut to what one Excel cell holds."""
    text = strip_illegal(value)
    return text if len(text) <= EXCEL_CELL_CHARS else text[: EXCEL_CELL_CHARS - 1] + "…"


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def set_value(cell: Any, value: object) -> Any:
    """Put ``value`` into an openpyxl cell: a string always as text (see the module docstring).

    Call it after setting ``cell.style``: a named style resets the quote prefix.
    """
    if isinstance(value, str):
        text = safe_text(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
        if looks_like_formula(text):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def put(ws: Any, row: int, col: int, value: object) -> Any:
    """Write ``value`` at (row, col) of the worksheet ``ws``; returns the cell."""
    return set_value(ws.cell(row=row, column=col), value)


def put_row(ws: Any, row: int, values: Iterable[object]) -> None:
    """Write a row of values from column A; ``None`` leaves a cell empty."""
    for col, value in enumerate(values, start=1):
        if value is not None:
            put(ws, row, col, value)
