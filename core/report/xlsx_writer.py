"""The 落实情况台账 as an Excel sheet (openpyxl): one row per assigned task, set up to print at 9 pt or more.

Two layouts, as the clerk chooses (:data:`PAPERS`): ``"a4"`` prints on any office printer, A4 landscape, with
fewer and narrower columns (实施步骤 inside 落实情况, 进度 under 状态, 佐证材料 only when there is any); ``"a3"``
keeps all thirteen columns on A3 landscape. Both print fitted to the paper's width, and their widths are chosen so
that Excel and WPS (Calibri 11 as the sheet's default font: 7 px a width unit) scale the 10.5 pt text to
:func:`print_font_size` ≥ 9 pt; the old single layout put 233 width units on A4 and printed them at 5-6 pt.

A row is at most 409 pt high in Excel: a cell too long for that is cut into continuation rows under its task
(序号 "12（续）"), so no text is hidden behind the row's lower edge.

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
from core.text_width import text_units
from core.xlsx_safe import set_value

SHEET_TITLE = "落实情况台账"
OVERFLOW_TITLE = "超长文本"
#: Column heading and width (in Excel's character units: a Chinese character is about 2): all thirteen (A3).
COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 5.5), ("工作任务", 34), ("本单位角色", 7.5), ("责任股室", 12), ("完成时限", 15.5), ("状态", 7.5),
    ("进度", 6), ("实施步骤", 24), ("成效做法", 34), ("存在问题", 24), ("下一步措施", 24), ("最近更新", 18),
    ("佐证材料", 22),
)
#: The A4 layout: fewer, narrower columns; 落实情况 = 实施步骤 + 成效做法, 状态 with its 进度.
COMPACT_COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 5), ("工作任务", 24), ("责任股室", 10), ("完成时限", 16), ("状态", 8), ("落实情况", 30),
    ("存在问题", 20), ("下一步措施", 20), ("佐证材料", 14),
)
_CENTRED = {"序号", "本单位角色", "完成时限", "状态", "进度", "最近更新"}
PAPERS = ("a4", "a3")
TEXT_PT = 10.5  # the cells' font size on screen
MIN_PRINT_PT = 9.0
#: Paper (openpyxl's paperSize code, width in points when landscape) and left/right margins in inches.
_PAPER = {"a4": (9, 841.89), "a3": (8, 1190.55)}
SIDE_MARGIN = 0.4
TITLE_ROW, INFO_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
#: Excel holds at most 32,767 UTF-16 units in a cell; longer text continues on the 超长文本 sheet.
CELL_LIMIT = 32767
_DATE_RE = re.compile(r"\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*")
_ISO_DATE_RE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")
LINE_HEIGHT = 13.5  # points per wrapped line of 10.5 pt 宋体
MAX_ROW_HEIGHT = 409.0  # Excel's largest row height
#: Wrapped lines one row can show (409 pt, less the padding row_height adds).
ROW_LINES = int((MAX_ROW_HEIGHT - 4) // LINE_HEIGHT)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
STAMP_FORMAT = "yyyy-mm-dd hh:mm"


def layout_columns(paper: str, rows: tuple[LedgerRow, ...] = ()) -> tuple[tuple[str, float], ...]:
    """The columns of a layout: all thirteen on A3; on A4 the compact ones (佐证材料 only if some row has any)."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper: {paper!r}")
    if paper == "a3":
        return COLUMNS
    return COMPACT_COLUMNS if any(r.evidence for r in rows) else COMPACT_COLUMNS[:-1]


def _width_pt(width: float) -> float:
    """Printed width of a column of ``width`` character units (Calibri 11 default: 7 px a unit plus 5 px)."""
    return math.trunc(width * 7 + 5) * 0.75


def print_scale(paper: str, columns: tuple[tuple[str, float], ...]) -> int:
    """Percent the sheet prints at: the columns fill the paper's width, never enlarged past 100 %."""
    _, paper_w = _PAPER[paper]
    room = paper_w - 2 * SIDE_MARGIN * 72
    return min(100, math.floor(100 * room / sum(_width_pt(w) for _, w in columns)))


def print_font_size(paper: str, rows: tuple[LedgerRow, ...] = ()) -> float:
    """The printed size of the cells' text, in points (at least :data:`MIN_PRINT_PT`)."""
    return round(TEXT_PT * print_scale(paper, layout_columns(paper, rows)) / 100, 2)


def render_xlsx(content: ReportContent, paper: str = "a4") -> bytes:
    """The ledger of ``content`` as the bytes of an .xlsx file, laid out for ``paper`` (:data:`PAPERS`)."""
    columns = layout_columns(paper, content.ledger_rows)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    _add_styles(wb)
    writer = _SheetWriter(ws, columns)
    _heading(ws, writer, content)
    r = FIRST_DATA_ROW
    for row in content.ledger_rows:
        r = _task_rows(writer, r, row)
    _page_setup(ws, r - FIRST_DATA_ROW, paper, columns)
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

    def __init__(self, ws: Worksheet, columns: tuple[tuple[str, float], ...] = COLUMNS) -> None:
        self.ws = ws
        self.columns = columns
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
            self.overflow.append(_Overflow(row, self.columns[col - 1][0], pieces))
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
    columns = writer.columns
    last = get_column_letter(len(columns))
    half = (len(columns) + 1) // 2  # 填报单位 on the left half, 填报日期 on the right
    split, after = get_column_letter(half), get_column_letter(half + 1)
    writer.text(TITLE_ROW, 1, content.ledger_title or f"{content.office}{SHEET_TITLE}", "台账标题")
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 36
    info = f"填报单位：{content.signature.signer or content.office}"
    if content.round_label:
        info += f"    报送轮次：{content.round_label}"
    writer.text(INFO_ROW, 1, info, "台账说明")
    ws.merge_cells(f"A{INFO_ROW}:{split}{INFO_ROW}")
    when = writer.text(INFO_ROW, half + 1, f"填报日期：{content.signature.date_text}", "台账说明")
    when.alignment = Alignment(horizontal="right", vertical="center")
    ws.merge_cells(f"{after}{INFO_ROW}:{last}{INFO_ROW}")
    ws.row_dimensions[INFO_ROW].height = 22
    for col, (name, width) in enumerate(columns, start=1):
        writer.text(HEADER_ROW, col, name, "台账表头")
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = 30


def _cell_lines(text: str, width: float) -> int:
    room = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(text_units(part) / room)) for part in text.splitlines() or [""])


def row_height(cells: dict[int, str], columns: tuple[tuple[str, float], ...] = COLUMNS) -> float:
    """Points for a row whose wrapped cells (column → text) all show in full, up to Excel's 409 pt.

    Neither LibreOffice nor Excel fits wrapped rows to their text when opening a file, so the writer does.
    """
    lines = max((_cell_lines(text, columns[col - 1][1]) for col, text in cells.items()), default=1)
    return min(MAX_ROW_HEIGHT, max(lines, 1) * LINE_HEIGHT + 4)


def split_lines(text: str, width: float, lines: int = ROW_LINES) -> list[str]:
    """``text`` cut into pieces that each wrap to at most ``lines`` lines in a column ``width`` units wide:
    at paragraph ends where possible, else inside a paragraph (never inside a surrogate pair)."""
    room = max(width - 1.0, 1.0)
    pieces: list[list[str]] = [[]]
    used = 0
    for para in text.split("\n"):
        while True:
            need = _cell_lines(para, width)
            if used + need <= lines:
                pieces[-1].append(para)
                used += need
                break
            if used:  # start a new piece with this paragraph
                pieces.append([])
                used = 0
                continue
            # a paragraph longer than a whole row: take as much as fits
            cut, taken = 0, 0.0
            for ch in para:
                w = text_units(ch)
                if math.ceil((taken + w) / room) > lines:
                    break
                taken += w
                cut += 1
            pieces[-1].append(para[:cut])
            pieces.append([])
            para = para[cut:]
    return ["\n".join(p) for p in pieces if p]


def _cells_of(row: LedgerRow, columns: tuple[tuple[str, float], ...]) -> list[object]:
    """Each column's value for ``row``: text, or a number/date written as such."""
    work = row.achievements
    if row.steps:
        work = f"实施步骤：{row.steps}" + (f"\n{row.achievements}" if row.achievements else "")
    status = row.status + (f"\n{row.percent}%" if 0 < row.percent < 100 else "")
    stamp = _stamp_value(row.updated_at) if row.updated_at else None
    values: dict[str, object] = {
        "序号": row.number, "工作任务": row.task, "本单位角色": row.role, "责任股室": row.owner,
        "完成时限": _date_value(row.due) or row.due, "状态": row.status if "进度" in dict(columns) else status,
        "进度": row.percent / 100, "实施步骤": row.steps, "成效做法": row.achievements, "落实情况": work,
        "存在问题": row.problems, "下一步措施": row.next_steps, "最近更新": stamp or row.updated_at,
        "佐证材料": "\n".join(row.evidence),
    }
    return [values[name] for name, _ in columns]


_FORMATS = {"序号": "0", "进度": "0%", "完成时限": DATE_FORMAT, "最近更新": STAMP_FORMAT}


def _task_rows(writer: _SheetWriter, r: int, row: LedgerRow) -> int:
    """The task's row, and continuation rows (序号 "N（续）") for cells too long for one; the next free row."""
    columns = writer.columns
    values = _cells_of(row, columns)
    pieces: dict[int, list[str]] = {}
    for col, ((_, width), value) in enumerate(zip(columns, values, strict=True), start=1):
        if isinstance(value, str):
            pieces[col] = split_lines(value, width) if value else [""]
    count = max((len(p) for p in pieces.values()), default=1)
    for k in range(count):
        texts: dict[int, str] = {}
        for col, ((name, _), value) in enumerate(zip(columns, values, strict=True), start=1):
            style = "台账居中" if name in _CENTRED else "台账正文"
            if k and name == "序号":
                writer.text(r + k, col, f"{row.number}（续）", style)
            elif col in pieces:
                text = pieces[col][k] if k < len(pieces[col]) else ""
                writer.text(r + k, col, text, style)
                texts[col] = text
            elif k == 0:
                writer.number(r, col, value, style, _FORMATS.get(name, "General"))  # type: ignore[arg-type]
            else:
                writer.text(r + k, col, "", style)
        writer.ws.row_dimensions[r + k].height = row_height(texts, columns)
    return r + count


def _page_setup(ws: Worksheet, rows: int, paper: str, columns: tuple[tuple[str, float], ...]) -> None:
    last_col = get_column_letter(len(columns))
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{last_col}{max(HEADER_ROW, HEADER_ROW + rows)}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{max(HEADER_ROW, HEADER_ROW + rows)}"
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = _PAPER[paper][0]
    # Fitted to the width, so a program whose width unit is wider still prints every column; with Excel's
    # unit this is print_scale(), 10.5 pt printing at 9 pt or more.
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    margins = ws.page_margins
    margins.left = margins.right = SIDE_MARGIN
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
