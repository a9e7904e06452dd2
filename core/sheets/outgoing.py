"""The sheet that goes out: one workbook, a worksheet per 股室, a row per task.

The task's number and requirement are locked; the fields to fill hold the current notes so a 股室 adds to
them. Hidden columns carry the plan, office, 股室, task and the version sent, so an answer can be matched
after rows were sorted, filtered or the sheet renamed. The sheet is protected without a password (a 股室 that
must can lift it) except the cells to fill.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from core import xlsx_safe
from core.model import Progress, Task
from core.sheets import cells
from core.sheets.layout import FILLED, HEADER_ROW, HIDDEN, UNASSIGNED, VISIBLE, sheet_title
from core.sheets.words import DROPDOWN, status_word
from core.text_width import text_units

WIDTHS = {"number": 6, "text": 46, "due": 11, "status": 10, "percent": 9, "steps": 30, "achievements": 30,
          "problems": 24, "next_steps": 24, "handler": 10}
NOTE = ("请在白色格子中填写（灰色格子不能修改），状态从下拉列表中选择。原有内容可以修改或补充；"
        "请勿删除或改动隐藏的列。填好后保存为 .xlsx 发回。")


@dataclass(frozen=True)
class OutRow:
    task: Task
    progress: Progress
    version: int  # 0: never saved
    slow: bool = False


@dataclass(frozen=True)
class OutSheet:
    section: str  # the 股室 (the entry's owner), or 未分配
    rows: tuple[OutRow, ...]


def group_by_section(rows: list[OutRow]) -> list[OutSheet]:
    """Rows grouped by the entry's 责任股室/责任人, in order of first appearance; 未分配 last."""
    groups: dict[str, list[OutRow]] = {}
    for r in rows:
        groups.setdefault(r.progress.owner.strip() or UNASSIGNED, []).append(r)
    keys = [k for k in groups if k != UNASSIGNED] + ([UNASSIGNED] if UNASSIGNED in groups else [])
    return [OutSheet(k, tuple(groups[k])) for k in keys]


def _value(key: str, r: OutRow) -> object:
    p = r.progress
    if key == "number":
        return r.task.number
    if key == "text":
        return r.task.text
    if key == "due":
        return r.task.due_text or (r.task.due.isoformat() if r.task.due else "")
    if key == "status":
        return status_word(p.status, r.slow) if p.touched else ""
    if key == "percent":
        return p.percent if p.touched else None
    if key == "handler":
        return ""
    return getattr(p, key)


def text_lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a column ``width`` characters wide (a Chinese character is two)."""
    per_line = max(int(width * 0.95), 2)
    total = 0
    for para in text.split("\n"):
        units = text_units(para)
        total += max(1, -(-units // per_line))
    return total


def row_height(texts: dict[str, str]) -> float:
    """Points for a row whose cells wrap (LibreOffice keeps the default height of rows written by openpyxl)."""
    lines = max((text_lines(t, WIDTHS[k]) for k, t in texts.items() if t), default=1)
    return min(409.0, max(1, lines) * 14.5 + 4)


def _hidden(key: str, r: OutRow, section: str, plan_fp: str, plan_id: int, office: str) -> object:
    return {"plan_fp": plan_fp, "plan_id": plan_id, "office": office, "section": section,
            "task": r.task.number, "version": r.version, "sent_at": r.progress.updated_at}[key]


def sheet_bytes(title: str, plan_fp: str, plan_id: int, office: str, sheets: list[OutSheet]) -> bytes:
    """The workbook as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    grey = PatternFill("solid", fgColor="E7E6E6")
    wrap = Alignment(wrap_text=True, vertical="top")
    unlocked = Protection(locked=False)
    for sheet in sheets:
        ws = wb.create_sheet(sheet_title(sheet.section, taken))
        xlsx_safe.put(ws, 1, 1, f"{title}落实情况填报表（{sheet.section}）").font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(VISIBLE))
        ws.row_dimensions[1].height = 24
        xlsx_safe.put(ws, 2, 1, f"填报单位：{office}　{NOTE}").alignment = Alignment(wrap_text=True)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(VISIBLE))
        ws.row_dimensions[2].height = 32
        for col, (_key, head) in enumerate((*VISIBLE, *HIDDEN), 1):
            c = xlsx_safe.put(ws, HEADER_ROW, col, head)
            c.font = Font(bold=True)
            c.fill = grey
            c.border = border
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        status_col = 1 + [k for k, _ in VISIBLE].index("status")
        percent_col = 1 + [k for k, _ in VISIBLE].index("percent")
        dv = DataValidation(type="list", formula1='"' + ",".join(DROPDOWN) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="状态", error="请从下拉列表中选择状态")
        pv = DataValidation(type="whole", operator="between", formula1="0", formula2="100", allow_blank=True,
                            showErrorMessage=True, errorTitle="进度", error="进度填 0 到 100 的整数")
        ws.add_data_validation(dv)
        ws.add_data_validation(pv)
        for i, r in enumerate(sheet.rows):
            row = HEADER_ROW + 1 + i
            for col, (key, _head) in enumerate(VISIBLE, 1):
                value = _value(key, r)
                cut = isinstance(value, str) and not cells.fits(value)
                if cut:
                    value = cells.cut(value)
                c = xlsx_safe.put(ws, row, col, value)
                c.border = border
                c.alignment = wrap
                if key in FILLED and not cut:
                    c.protection = unlocked
                else:
                    c.fill = grey
            ws.row_dimensions[row].height = row_height(
                {k: str(c.value or "") for k, c in ((k, ws.cell(row=row, column=col))
                                                    for col, (k, _h) in enumerate(VISIBLE, 1))})
            for j, (key, _head) in enumerate(HIDDEN):
                xlsx_safe.put(ws, row, len(VISIBLE) + 1 + j, _hidden(key, r, sheet.section, plan_fp, plan_id, office))
        last = HEADER_ROW + max(len(sheet.rows), 1)
        dv.add(f"{get_column_letter(status_col)}{HEADER_ROW + 1}:{get_column_letter(status_col)}{last}")
        pv.add(f"{get_column_letter(percent_col)}{HEADER_ROW + 1}:{get_column_letter(percent_col)}{last}")
        for col, (key, _head) in enumerate(VISIBLE, 1):
            ws.column_dimensions[get_column_letter(col)].width = WIDTHS[key]
        for j in range(len(HIDDEN)):
            ws.column_dimensions[get_column_letter(len(VISIBLE) + 1 + j)].hidden = True
        ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_area = f"A1:{get_column_letter(len(VISIBLE))}{last}"
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # widths and row heights may be changed
        ws.protection.formatRows = False
        ws.protection.autoFilter = False
        ws.protection.sort = False
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
