"""Excel workbooks (.xlsx) through openpyxl; merged ranges are filled from their top-left cell."""

from __future__ import annotations

import datetime as dt
import io
import warnings
from typing import TYPE_CHECKING

from core.importers.result import ImportResult, PlanImportError
from core.importers.table import Cell, flatten, rows_to_plan
from core.importers.text import import_text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MAX_ROWS = 5000
MAX_COLS = 40


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _sheet_grid(ws: Worksheet) -> list[list[Cell]]:
    rows = min(ws.max_row or 0, MAX_ROWS)
    cols = min(ws.max_column or 0, MAX_COLS)
    grid = [[Cell(_text(v)) for v in row] for row in ws.iter_rows(max_row=rows, max_col=cols, values_only=True)]
    for rng in ws.merged_cells.ranges:
        top, left = rng.min_row - 1, rng.min_col - 1
        if top >= len(grid) or left >= cols:
            continue
        value = grid[top][left].text
        for r in range(top, min(rng.max_row, len(grid))):
            for c in range(left, min(rng.max_col, cols)):
                if (r, c) != (top, left):
                    grid[r][c] = Cell(value, from_above=r > top, from_left=c > left)
    return grid


def import_xlsx(data: bytes, name: str = "") -> ImportResult:
    from openpyxl import load_workbook  # imported here: only needed for Excel files

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:
        raise PlanImportError("Excel 文件已损坏或格式不对，无法读取") from None
    grids = [(ws.title, _sheet_grid(ws)) for ws in wb.worksheets]
    wb.close()
    messages: list[str] = []
    for title, grid in grids:
        plan = rows_to_plan(grid, name)
        if plan is not None:
            if len(grids) > 1:
                messages.append(f"工作簿有 {len(grids)} 张工作表，已导入“{title}”")
            return ImportResult(plan, [*messages, *plan.warnings], "xlsx")
    lines = [x for _, grid in grids for x in flatten(grid)]
    if not lines:
        raise PlanImportError("Excel 文件是空的")
    result = import_text("\n".join(lines), name)
    result.source_kind = "xlsx"
    return result
