"""Excel workbooks (.xlsx) through openpyxl; merged ranges are filled from their top-left cell."""

from __future__ import annotations

import datetime as dt
import io
import logging
import warnings
from typing import TYPE_CHECKING

from core.importers.columns import ColumnMapping
from core.importers.detect import check_zip_sizes
from core.importers.result import ImportResult, PlanImportError
from core.importers.table import Cell, TableSeries, flatten
from core.importers.text import import_text

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MAX_ROWS = 5000
MAX_COLS = 40
MAX_UNPACKED = 100 * 1024 * 1024  # all parts together, by the sizes the zip declares, before inflating


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


def _beyond_limits(ws: Worksheet) -> list[str]:
    """Warnings naming the limit when cells with content lie past MAX_ROWS or MAX_COLS."""
    out = []
    if (ws.max_row or 0) > MAX_ROWS:
        extra = sum(1 for row in ws.iter_rows(min_row=MAX_ROWS + 1, values_only=True)
                    if any(v not in (None, "") for v in row))
        if extra:
            out.append(f"工作表“{ws.title}”超过 {MAX_ROWS:,} 行的上限：只读取了前 {MAX_ROWS:,} 行，"
                       f"其后 {extra:,} 行有内容的行没有导入")
    wide = (ws.max_column or 0) > MAX_COLS and any(
        v not in (None, "") for row in ws.iter_rows(min_col=MAX_COLS + 1, max_row=MAX_ROWS, values_only=True)
        for v in row)
    if wide:
        out.append(f"工作表“{ws.title}”超过 {MAX_COLS} 列的上限：第 {MAX_COLS} 列之后的内容没有导入")
    return out


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


def import_xlsx(data: bytes, name: str = "", mapping: ColumnMapping | None = None) -> ImportResult:
    from openpyxl import load_workbook  # imported here: only needed for Excel files

    check_zip_sizes(data, MAX_UNPACKED, "Excel 表格")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds: the clerk gets one message, the log the reason
        logging.getLogger(__name__).warning("Excel 文件无法读取：%s", name, exc_info=True)
        raise PlanImportError("Excel 文件已损坏或格式不对，无法读取") from None
    grids = [(ws.title, _sheet_grid(ws), _beyond_limits(ws)) for ws in wb.worksheets]
    wb.close()
    tables = TableSeries(name, mapping)
    for title, grid, limits in grids:
        read = tables.read(grid)
        if read is not None:
            messages = [f"工作簿有 {len(grids)} 张工作表，已导入“{title}”"] if len(grids) > 1 else []
            return ImportResult(read[0], [*limits, *messages, *read[0].warnings], "xlsx", read[1])
    tables.check_used()
    lines = [x for _, grid, _ in grids for x in flatten(grid)]
    if not lines:
        raise PlanImportError("Excel 文件是空的")
    result = import_text("\n".join(lines), name)
    result.source_kind = "xlsx"
    result.warnings[:0] = [w for _, _, limits in grids for w in limits]
    return result
