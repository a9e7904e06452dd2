"""What a 股室 does to the sheet it was sent, done with openpyxl as WPS or Excel would save it."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from core.sheets import cells
from core.sheets.layout import HEADER_ROW, HIDDEN, VISIBLE

COL = {key: i for i, (key, _h) in enumerate((*VISIBLE, *HIDDEN), 1)}


def task_row(ws, task: int) -> int:
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        if ws.cell(row=r, column=COL["task"]).value == task:
            return r
    raise KeyError(task)


def answer(src: Path, dst: Path, sheet: str, edits: dict[int, dict[str, object]], *, keep_only: bool = True) -> Path:
    """Save a copy of ``src`` holding only ``sheet`` (as one 股室 sends it back) with ``edits`` typed in."""
    wb = load_workbook(src)
    for name in wb.sheetnames:
        if keep_only and name != sheet:
            del wb[name]
    ws = wb[sheet]
    for task, fields in edits.items():
        r = task_row(ws, task)
        for key, value in fields.items():
            cells.put(ws, r, COL[key], value)  # typed text stays text, as in WPS
    wb.save(dst)
    return dst
