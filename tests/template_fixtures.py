"""A county 台账 template imitating the real ones (not shaped by the app): merged title row, two header rows,
its own columns 序号|年度目标|分管领导|牵头单位|责任人|配合单位|季度目标|季度具体完成情况|完成状况|备注, a footer,
landscape A4 with the header rows repeated on every page."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

HEAD = ("序号", "年度目标", "分管领导", "牵头单位", "责任人", "配合单位")
GROUP = ("季度目标", "季度具体完成情况", "完成状况")


def county_template(path: Path, listed: list[tuple[int, str]] | None = None, blank_rows: int = 3) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "三季度台账"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws["A1"] = "德庆县2019年政务公开重点工作推进台账（第三季度）"
    ws["A1"].font = Font(name="方正小标宋简体", size=18)
    ws["A1"].alignment = centre
    ws.merge_cells("A1:J1")
    ws.row_dimensions[1].height = 40
    for i, h in enumerate(HEAD, 1):
        ws.cell(row=2, column=i, value=h)
        ws.merge_cells(start_row=2, start_column=i, end_row=3, end_column=i)
    ws.cell(row=2, column=7, value="第三季度")
    ws.merge_cells("G2:I2")
    for i, h in enumerate(GROUP, 7):
        ws.cell(row=3, column=i, value=h)
    ws.cell(row=2, column=10, value="备注")
    ws.merge_cells("J2:J3")
    for r in (2, 3):
        for c in range(1, 11):
            cell = ws.cell(row=r, column=c)
            cell.font = Font(name="黑体", bold=True)
            cell.alignment = centre
            cell.border = box
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
    rows = listed or [("", "")] * blank_rows
    for k, (n, text) in enumerate(rows):
        r = 4 + k
        ws.cell(row=r, column=1, value=n or None)
        ws.cell(row=r, column=2, value=text or None)
        for c in range(1, 11):
            ws.cell(row=r, column=c).border = box
            ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="center")
    foot = 4 + len(rows) + 1
    ws.cell(row=foot, column=1, value="填报单位（盖章）：　　　　　填报人：　　　　　联系电话：")
    ws.merge_cells(start_row=foot, start_column=1, end_row=foot, end_column=10)
    for col, width in zip("ABCDEFGHIJ", (6, 40, 10, 14, 10, 14, 24, 40, 10, 12), strict=True):
        ws.column_dimensions[col].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "2:3"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    wb.save(path)
    return path
