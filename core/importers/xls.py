"""Old Excel workbooks (.xls, and WPS .et files saved in that format) through xlrd."""

from __future__ import annotations

from core.importers.columns import ColumnMapping
from core.importers.result import ImportResult, PlanImportError
from core.importers.table import Cell, TableSeries, flatten
from core.importers.text import import_text
from core.importers.xlsx import MAX_COLS, MAX_ROWS, _text

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _grid(sheet) -> list[list[Cell]]:  # type: ignore[no-untyped-def]
    rows, cols = min(sheet.nrows, MAX_ROWS), min(sheet.ncols, MAX_COLS)
    grid = [[Cell(_text(sheet.cell_value(r, c))) for c in range(cols)] for r in range(rows)]
    for top, bottom, left, right in sheet.merged_cells:
        if top >= rows or left >= cols:
            continue
        value = grid[top][left].text
        for r in range(top, min(bottom, rows)):
            for c in range(left, min(right, cols)):
                if (r, c) != (top, left):
                    grid[r][c] = Cell(value, from_above=r > top, from_left=c > left)
    return grid


def import_xls(data: bytes, name: str = "", mapping: ColumnMapping | None = None) -> ImportResult:
    """Read a .xls workbook; PlanImportError when it is not one (the caller says what to do instead)."""
    import xlrd  # imported here: only needed for old Excel files

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception:
        raise PlanImportError("这不是能读取的 .xls 表格") from None
    try:
        grids = [(s.name, _grid(s)) for s in book.sheets()]
    finally:
        book.release_resources()
    tables = TableSeries(name, mapping)
    for title, grid in grids:
        read = tables.read(grid)
        if read is not None:
            messages = [f"工作簿有 {len(grids)} 张工作表，已导入“{title}”"] if len(grids) > 1 else []
            return ImportResult(read[0], [*messages, *read[0].warnings], "xls", read[1])
    tables.check_used()
    lines = [x for _, grid in grids for x in flatten(grid)]
    if not lines:
        raise PlanImportError("Excel 文件是空的")
    result = import_text("\n".join(lines), name)
    result.source_kind = "xls"
    return result
