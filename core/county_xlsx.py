"""``county matrix --out F.xlsx``: one row per task, one column group per office.

Text from the packages is written as text, always: a value starting with ``=`` ``+`` ``-`` ``@`` is stored
as a string cell with the quote prefix set, so Excel and WPS never run it as a formula, even after an edit.
Characters XML cannot hold are dropped and over-long text is cut at Excel's cell limit.
"""

from __future__ import annotations

import io
import re

from core.county_matrix import Matrix
from core.model import ROLE_LABELS, OfficeKind

GROUP = ("状态", "进度", "成效做法", "存在问题", "佐证材料")
FIXED = ("序号", "部分", "工作任务")
EXCEL_CELL_CHARS = 32_767
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    text = _ILLEGAL.sub("", value)
    return text if len(text) <= EXCEL_CELL_CHARS else text[: EXCEL_CELL_CHARS - 1] + "…"


def _put(ws, row: int, col: int, value: object):
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = safe_text(value)
        cell.value = text
        if text.startswith(_FORMULA_START):
            cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def matrix_xlsx(matrix: Matrix) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, head in enumerate(FIXED, 1):
        _put(ws, 1, i, head).font = bold
        ws.merge_cells(start_row=1, start_column=i, end_row=2, end_column=i)
    for k, col in enumerate(matrix.columns):
        first = len(FIXED) + 1 + k * len(GROUP)
        label = col.name + ("" if col.reported else "（未报送）")
        _put(ws, 1, first, label).font = bold
        ws.cell(row=1, column=first).alignment = centre
        ws.merge_cells(start_row=1, start_column=first, end_row=1, end_column=first + len(GROUP) - 1)
        for j, head in enumerate(GROUP):
            _put(ws, 2, first + j, head).font = bold
            ws.column_dimensions[get_column_letter(first + j)].width = (8, 7, 30, 24, 8)[j]
    grey = PatternFill("solid", fgColor="EEEEEE")
    for r, task in enumerate(matrix.tasks, start=3):
        _put(ws, r, 1, task.number)
        _put(ws, r, 2, matrix.plan.sections[task.section].number if task.section < len(matrix.plan.sections) else "")
        _put(ws, r, 3, task.text)
        for k, col in enumerate(matrix.columns):
            first = len(FIXED) + 1 + k * len(GROUP)
            cell = matrix.cell(task.number, col.name)
            if cell is None:
                continue
            if cell.status is None:
                _put(ws, r, first, f"未报送（{ROLE_LABELS[cell.role]}）").fill = grey
                continue
            p = matrix.entry(task.number, col.name)
            _put(ws, r, first, cell.status.label)
            _put(ws, r, first + 1, cell.percent)
            _put(ws, r, first + 2, p.achievements if p else "")
            _put(ws, r, first + 3, p.problems if p else "")
            _put(ws, r, first + 4, cell.evidence)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 5
    ws.column_dimensions["C"].width = 40
    ws.freeze_panes = "D3"
    missing = wb.create_sheet("未报送单位")
    missing.append(["单位", "类别", "涉及任务数"])
    for c in matrix.missing:
        missing.append([c.name, "镇（街道）" if c.office.kind is OfficeKind.TOWN else "部门", c.assigned])
    missing.column_dimensions["A"].width = 20
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
