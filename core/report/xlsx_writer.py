"""The 落实情况台账 as an Excel sheet (openpyxl): one row per assigned task, set up to print on landscape A4.

Cells keep the clerk's text as typed (no print punctuation), and every text cell is a string cell: a note
starting with = + - @ is never a formula (formula injection). Characters XML can't hold, and CR, are
stored with the OOXML escape (_x000D_) that Excel and LibreOffice decode back to the typed character.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.report.document import LedgerRow, ReportContent
from core.report.xml_chars import ooxml_escape
from core.xlsx_safe import set_value

SHEET_TITLE = "落实情况台账"
OVERFLOW_TITLE = "超长文本"
#: Column heading and width (in Excel's character units: a Chinese character is about 2).
COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 5.5), ("工作任务", 34), ("本单位角色", 7.5), ("责任股室", 12), ("完成时限", 15.5), ("状态", 7.5),
    ("进度", 6), ("实施步骤", 24), ("成效做法", 34), ("存在问题", 24), ("下一步措施", 24), ("最近更新", 17),
    ("佐证材料", 22),
)
_CENTRED = {"序号", "本单位角色", "完成时限", "状态", "进度", "最近更新"}
TITLE_ROW, INFO_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
#: Excel holds at most 32,767 UTF-16 units in a cell; longer text continues on the 超长文本 sheet.
CELL_LIMIT = 32767
_DATE_RE = re.compile(r"\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*")
_ISO_DATE_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")
LINE_HEIGHT = 13.5  # points per wrapped line of 10.5 pt 宋体
MAX_ROW_HEIGHT = 409.0  # Excel's largest row height
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
STAMP_FORMAT = "yyyy-mm-dd hh:mm"


def render_xlsx(content: ReportContent) -> bytes:
    """The ledger of ``content`` as the bytes of an .xlsx file."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    _add_styles(wb)
    writer = _SheetWriter(ws)
    _heading(ws, writer, content)
    for i, row in enumerate(content.ledger_rows):
        _task_row(writer, FIRST_DATA_ROW + i, row)
    _page_setup(ws, len(content.ledger_rows))
    if writer.overflow:
        _overflow_sheet(wb, writer)
    wb.properties.title = content.ledger_title or SHEET_TITLE
    wb.properties.creator = content.office
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---- cells ------------------------------------------------------------------------------------------------

def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def split_for_cells(text: str, limit: int = CELL_LIMIT) -> list[str]:
    """``text`` escaped for SpreadsheetML and cut into pieces Excel accepts (never inside an escape)."""
    escaped = ooxml_escape(text)
    if 2 * len(escaped) <= limit or _utf16_len(escaped) <= limit:
        return [escaped]
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for ch in text:
        part = ooxml_escape(ch)
        cost = _utf16_len(part)
        if size + cost > limit:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(part)
        size += cost
    pieces.append("".join(current))
    return pieces


@dataclass
class _Overflow:
    row: int
    column: str
    pieces: list[str]


class _SheetWriter:
    """Writes values into one sheet; text too long for a cell is noted for the 超长文本 sheet."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.overflow: list[_Overflow] = []

    def text(self, row: int, col: int, value: str, style: str) -> Cell:
        pieces = split_for_cells(value)
        cell = self.ws.cell(row=row, column=col)
        cell.style = style  # first: a named style resets the quote prefix set_value gives "=…"
        if len(pieces) == 1:
            set_value(cell, pieces[0])
        else:
            note = f"……（全文{len(value)}字，超出单元格容量，续见“{OVERFLOW_TITLE}”表）"
            head = split_for_cells(value, CELL_LIMIT - len(note))[0]
            set_value(cell, head + note)
            self.overflow.append(_Overflow(row, COLUMNS[col - 1][0], pieces))
        return cell

    def number(self, row: int, col: int, value: float | date | datetime, style: str, fmt: str) -> Cell:
        cell = self.ws.cell(row=row, column=col, value=value)
        cell.style = style
        cell.number_format = fmt
        return cell


def _date_value(text: str) -> date | None:
    m = _DATE_RE.fullmatch(text) or _ISO_DATE_RE.fullmatch(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _stamp_value(text: str) -> datetime | None:
    try:
        stamp = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return stamp.replace(tzinfo=None, microsecond=0)


# ---- sheet ------------------------------------------------------------------------------------------------

def _add_styles(wb: Workbook) -> None:
    """Named cell styles (Excel's 单元格样式), so the office can restyle the sheet in one place."""
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    styles = [
        NamedStyle("台账标题", font=Font(name="黑体", size=16),
                   alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
        NamedStyle("台账说明", font=Font(name="宋体", size=11), alignment=Alignment(vertical="center")),
        NamedStyle("台账表头", font=Font(name="黑体", size=11), border=box,
                   alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)),
        NamedStyle("台账正文", font=Font(name="宋体", size=10.5), border=box,
                   alignment=Alignment(horizontal="left", vertical="top", wrap_text=True)),
        NamedStyle("台账居中", font=Font(name="宋体", size=10.5), border=box,
                   alignment=Alignment(horizontal="center", vertical="top", wrap_text=True)),
    ]
    for style in styles:
        wb.add_named_style(style)


def _heading(ws: Worksheet, writer: _SheetWriter, content: ReportContent) -> None:
    last = get_column_letter(len(COLUMNS))
    writer.text(TITLE_ROW, 1, content.ledger_title or f"{content.office}{SHEET_TITLE}", "台账标题")
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 36
    info = f"填报单位：{content.signature.signer or content.office}"
    if content.round_label:
        info += f"    报送轮次：{content.round_label}"
    writer.text(INFO_ROW, 1, info, "台账说明")
    ws.merge_cells(f"A{INFO_ROW}:G{INFO_ROW}")
    when = writer.text(INFO_ROW, 8, f"填报日期：{content.signature.date_text}", "台账说明")
    when.alignment = Alignment(horizontal="right", vertical="center")
    ws.merge_cells(f"H{INFO_ROW}:{last}{INFO_ROW}")
    ws.row_dimensions[INFO_ROW].height = 22
    for col, (name, width) in enumerate(COLUMNS, start=1):
        writer.text(HEADER_ROW, col, name, "台账表头")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = 30


_NARROW = re.compile("[\x00-\u10ff]")


def _text_width(text: str) -> float:
    """Width in Excel's character units at 10.5 pt: a Chinese character about 2, a digit or letter 1."""
    return 2.0 * len(text) - _NARROW.subn("", text)[1]


def row_height(cells: dict[int, str]) -> float:
    """Points for a row whose wrapped cells (column → text) all show in full, up to Excel's 409 pt.

    Neither LibreOffice nor Excel fits wrapped rows to their text when opening a file, so the writer does.
    """
    lines = 1
    for col, text in cells.items():
        room = max(COLUMNS[col - 1][1] - 1.0, 1.0)
        cell_lines = sum(max(1, math.ceil(_text_width(part) / room)) for part in text.splitlines() or [""])
        lines = max(lines, cell_lines)
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT + 4)


def _task_row(writer: _SheetWriter, r: int, row: LedgerRow) -> None:
    texts: dict[int, str] = {}

    def text(col: int, value: str) -> None:
        writer.text(r, col, value, "台账居中" if COLUMNS[col - 1][0] in _CENTRED else "台账正文")
        texts[col] = value

    writer.number(r, 1, row.number, "台账居中", "0")
    text(2, row.task)
    text(3, row.role)
    text(4, row.owner)
    due = _date_value(row.due)
    if due is not None:
        writer.number(r, 5, due, "台账居中", DATE_FORMAT)
    else:
        text(5, row.due)
    text(6, row.status)
    writer.number(r, 7, row.percent / 100, "台账居中", "0%")
    text(8, row.steps)
    text(9, row.achievements)
    text(10, row.problems)
    text(11, row.next_steps)
    stamp = _stamp_value(row.updated_at) if row.updated_at else None
    if stamp is not None:
        writer.number(r, 12, stamp, "台账居中", STAMP_FORMAT)
    else:
        text(12, row.updated_at)
    text(13, "\n".join(row.evidence))
    writer.ws.row_dimensions[r].height = row_height(texts)


def _page_setup(ws: Worksheet, rows: int) -> None:
    last_col = get_column_letter(len(COLUMNS))
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{last_col}{max(HEADER_ROW, HEADER_ROW + rows)}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{max(HEADER_ROW, HEADER_ROW + rows)}"
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = ws.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    margins = ws.page_margins
    margins.left = margins.right = 0.4
    margins.top, margins.bottom = 0.6, 0.7
    margins.header, margins.footer = 0.3, 0.3
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _overflow_sheet(wb: Workbook, writer: _SheetWriter) -> None:
    """Text longer than a cell holds, in full, a piece per row, in reading order."""
    ws = wb.create_sheet(OVERFLOW_TITLE)
    for col, (name, width) in enumerate((("行", 6), ("栏目", 12), ("段", 5), ("文本", 120)), start=1):
        cell = ws.cell(row=1, column=col, value=name)
        cell.style = "台账表头"
        ws.column_dimensions[get_column_letter(col)].width = width
    r = 2
    for item in writer.overflow:
        for i, piece in enumerate(item.pieces, start=1):
            ws.cell(row=r, column=1, value=item.row).style = "台账居中"
            ws.cell(row=r, column=2, value=item.column).style = "台账居中"
            ws.cell(row=r, column=3, value=i).style = "台账居中"
            cell = ws.cell(row=r, column=4)
            cell.style = "台账正文"
            set_value(cell, piece)
            r += 1
    ws.freeze_panes = "A2"
