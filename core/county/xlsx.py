"""``county matrix --out F.xlsx``: one row per task, one column group per office.

Text from the packages is written as text, always, through :mod:`core.xlsx_safe` (never a formula). 状态 is
the cell's label (未填写 for a task reported without an entry, 推进中（进展缓慢） when flagged); 完成状况 the
county 台账's word (完成 / 序时推进 / 进展缓慢).
"""

from __future__ import annotations

import io

from core.county.matrix import Matrix
from core.model import ROLE_LABELS, OfficeKind
from core.xlsx_safe import put, put_row

GROUP = ("状态", "完成状况", "进度", "成效做法", "存在问题", "佐证材料")
FIXED = ("序号", "部分", "工作任务")


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
        put(ws, 1, i, head).font = bold
        ws.merge_cells(start_row=1, start_column=i, end_row=2, end_column=i)
    for k, col in enumerate(matrix.columns):
        first = len(FIXED) + 1 + k * len(GROUP)
        label = col.name + ("" if col.reported else "（未报送）")
        put(ws, 1, first, label).font = bold
        ws.cell(row=1, column=first).alignment = centre
        ws.merge_cells(start_row=1, start_column=first, end_row=1, end_column=first + len(GROUP) - 1)
        for j, head in enumerate(GROUP):
            put(ws, 2, first + j, head).font = bold
            ws.column_dimensions[get_column_letter(first + j)].width = (10, 8, 7, 30, 24, 8)[j]
    grey = PatternFill("solid", fgColor="EEEEEE")
    for r, task in enumerate(matrix.tasks, start=3):
        put(ws, r, 1, task.number)
        put(ws, r, 2, matrix.plan.sections[task.section].number if task.section < len(matrix.plan.sections) else "")
        put(ws, r, 3, task.text)
        for k, col in enumerate(matrix.columns):
            first = len(FIXED) + 1 + k * len(GROUP)
            cell = matrix.cell(task.number, col.name)
            if cell is None:
                continue
            if not cell.reported:
                put(ws, r, first, f"未报送（{ROLE_LABELS[cell.role]}）").fill = grey
                continue
            p = matrix.entry(task.number, col.name)
            put(ws, r, first, cell.label)
            put(ws, r, first + 1, cell.county_word)
            if p is None:
                ws.cell(row=r, column=first).fill = grey
            else:
                put(ws, r, first + 2, cell.percent)
                put(ws, r, first + 3, p.achievements)
                put(ws, r, first + 4, p.problems)
            put(ws, r, first + 5, cell.evidence)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 5
    ws.column_dimensions["C"].width = 40
    ws.freeze_panes = "D3"
    missing = wb.create_sheet("未报送单位")
    put_row(missing, 1, ["单位", "类别", "涉及任务数"])
    for r, c in enumerate(matrix.missing, start=2):
        put_row(missing, r, [c.name, "镇（街道）" if c.office.kind is OfficeKind.TOWN else "部门", c.assigned])
    missing.column_dimensions["A"].width = 20
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
