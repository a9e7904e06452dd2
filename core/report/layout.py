"""GB/T 9704-2012 page geometry, paragraph styles and the document template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from core.report.fonts import FontSet

# Compressed streams are written as binary rather than also ASCII85-encoded: reportlab's pure-Python
# ASCII85 encoder was ~8 % of a report's build time, and it made the file 25 % larger. (Process-wide;
# the app uses reportlab only for this report.)
rl_config.useA85 = 0

PAGE_W, PAGE_H = A4
LEFT = 28 * mm
TOP = 37 * mm
BLOCK_W = 156 * mm
BLOCK_H = 225 * mm
BOTTOM = PAGE_H - TOP - BLOCK_H  # 35 mm

BODY_SIZE = 16.0  # 三号
TITLE_SIZE = 22.0  # 二号
PAGE_NO_SIZE = 14.0  # 四号
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LEADING = BLOCK_H / LINES_PER_PAGE - 0.05  # ≈ 28.95 pt: 22 lines a page
#: Points added after each body character so that 28 of them fill the 156 mm line (ink of the last one
#: ends 0.2 pt inside the block): 16 pt - 0.23 pt a character.
TRACKING = (BLOCK_W - CHARS_PER_LINE * BODY_SIZE) / (CHARS_PER_LINE - 1) - 0.01
#: One character of the body grid, for indents counted in characters.
PITCH = BODY_SIZE + TRACKING
#: Share of the em box above the baseline for CJK faces; used to put the em box top on the block edge.
ASCENT = 0.88

LAND_W, LAND_H = landscape(A4)
LAND_BLOCK_W = 225 * mm
LAND_BLOCK_H = 156 * mm
LAND_LEFT = (LAND_W - LAND_BLOCK_W) / 2
LAND_BOTTOM = (LAND_H - LAND_BLOCK_H) / 2

TABLE_SIZE = 10.5  # 五号
TABLE_LEADING = 12.0  # 五号 on 12 pt: the annex's rows stay short (ledger.py)


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    recipient: ParagraphStyle
    body: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    annex_note: ParagraphStyle
    annex_label: ParagraphStyle
    annex_title: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_head: ParagraphStyle
    cell_note: ParagraphStyle
    annex_remark: ParagraphStyle  # the annex's note lines between title and table


def _tracked(style: ParagraphStyle) -> ParagraphStyle:
    style.tracking = TRACKING
    return style


def make_styles(fonts: FontSet) -> Styles:
    """Paragraph styles bound to the fonts' primary faces."""
    base = ParagraphStyle("base", fontName=fonts.primary("body"), bulletFontName=fonts.primary("body"))
    # Orphans and widows are allowed: GB/T 9704 fills every page to 22 lines; headings are kept with two
    # lines of what follows and the closing with two lines before it by flowables (core.report.flowables).
    body = ParagraphStyle("body", parent=base, fontName=fonts.primary("body"), fontSize=BODY_SIZE, leading=LEADING,
                          firstLineIndent=2 * PITCH, alignment=TA_JUSTIFY, wordWrap="CJK", allowWidows=1,
                          allowOrphans=1)
    body.tracking = TRACKING  # read by CJKParagraph
    cell = ParagraphStyle("cell", parent=base, fontName=fonts.primary("body"), fontSize=TABLE_SIZE,
                          leading=TABLE_LEADING, alignment=TA_JUSTIFY, wordWrap="CJK")
    return Styles(
        title=ParagraphStyle("title", parent=base, fontName=fonts.primary("title"), fontSize=TITLE_SIZE,
                             leading=LEADING, alignment=TA_CENTER, wordWrap="CJK"),
        recipient=_tracked(ParagraphStyle("recipient", parent=body, firstLineIndent=0)),
        body=body,
        h1=_tracked(ParagraphStyle("h1", parent=body, fontName=fonts.primary("hei"))),
        h2=_tracked(ParagraphStyle("h2", parent=body, fontName=fonts.primary("kai"))),
        # 附件：name, the name's second line under its first character (GB/T 9704 7.3.4)
        annex_note=_tracked(ParagraphStyle("annex_note", parent=body, leftIndent=5 * PITCH,
                                           firstLineIndent=-3 * PITCH)),
        annex_label=_tracked(ParagraphStyle("annex_label", parent=body, fontName=fonts.primary("hei"),
                                            firstLineIndent=0, spaceAfter=LEADING)),
        annex_title=ParagraphStyle("annex_title", parent=base, fontName=fonts.primary("title"), fontSize=TITLE_SIZE,
                                   leading=LEADING, alignment=TA_CENTER, wordWrap="CJK", spaceAfter=LEADING / 2),
        cell=cell,
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        cell_head=ParagraphStyle("cell_head", parent=cell, fontName=fonts.primary("hei"), alignment=TA_CENTER),
        cell_note=ParagraphStyle("cell_note", parent=cell, fontSize=9.0, leading=12.0, alignment=TA_CENTER),
        annex_remark=ParagraphStyle("annex_remark", parent=cell, spaceAfter=TABLE_LEADING / 3),
    )


def page_number_text(n: int) -> str:
    return f"— {n} —"


def _draw_page_number(canvas: Canvas, font: str) -> None:
    """"— N —" in 四号, its top 7 mm below the text block; odd pages right, even pages left, one character in.

    Ledger pages are portrait sheets with the table turned (GB/T 9704 横排表格: 页码位置与公文其他页码保持
    一致), so every page number sits in the same place.
    """
    n = canvas.getPageNumber()
    text = page_number_text(n)
    top = BOTTOM - 7 * mm
    y = top - ASCENT * PAGE_NO_SIZE
    canvas.saveState()
    canvas.setFont(font, PAGE_NO_SIZE)
    x = LEFT + BLOCK_W - PAGE_NO_SIZE - stringWidth(text, font, PAGE_NO_SIZE) if n % 2 else LEFT + PAGE_NO_SIZE
    canvas.drawString(x, y, text)
    canvas.restoreState()


def turn_ledger_page(canvas: Canvas) -> None:
    """Map the landscape layout onto the portrait sheet, turned counter-clockwise: the table's head lies
    along the left edge of every page. GB/T 9704 puts it on the binding side (订口) of odd pages and the
    outer side (切口) of even pages: for a sheet printed on both sides and bound on the left, both are the
    left edge as the page is seen, so the open booklet turned a quarter reads every table the same way."""
    canvas.transform(0, 1, -1, 0, LAND_H, 0)


def _pdf_time(created: datetime) -> tuple[tuple[int, ...], int, int]:
    """(Y, M, D, h, m, s), and the UTC offset in hours and minutes, as PDF dates want them."""
    offset = created.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    hours, mins = divmod(abs(minutes), 60)
    sign = -1 if minutes < 0 else 1
    return created.timetuple()[:6], sign * hours, mins


class ReportDocTemplate(BaseDocTemplate):
    """Portrait GB/T 9704 pages (``body``) and the ledger's pages (``ledger_first``, ``ledger``).

    The ledger is laid out in landscape coordinates (frames of 225 × 156 mm) and drawn turned on portrait
    sheets (:func:`turn_ledger_page`). ``ledger_first`` is the first ledger page (附件 label, title,
    header row in the story); ``ledger`` pages draw ``ledger_header`` at the top of the turned text block
    and flow the rows in the frame below it, so the header repeats without the rows being one big table.
    """

    def __init__(self, output: Any, fonts: FontSet, title: str = "", author: str = "",
                 ledger_header: Flowable | None = None, created: datetime | None = None) -> None:
        self.created = created
        super().__init__(output, pagesize=A4, leftMargin=LEFT, rightMargin=PAGE_W - LEFT - BLOCK_W,
                         topMargin=TOP, bottomMargin=BOTTOM, title=title, author=author, creator="落实台账",
                         invariant=1, initialFontName=fonts.primary("body"), initialFontSize=BODY_SIZE)
        number_font = fonts.primary("body")
        # reportlab puts a paragraph's first baseline one font size below the frame top; raise the frames
        # so that a body line's em box (ASCENT above the baseline) starts exactly at the block's top edge.
        lift = BODY_SIZE * (1 - ASCENT)
        portrait = Frame(LEFT, BOTTOM + lift, BLOCK_W, BLOCK_H, 0, 0, 0, 0, id="body")
        land_first = Frame(LAND_LEFT, LAND_BOTTOM + lift, LAND_BLOCK_W, LAND_BLOCK_H, 0, 0, 0, 0, id="ledger_first")
        header_h = 0.0
        if ledger_header is not None:
            header_h = ledger_header.wrap(LAND_BLOCK_W, LAND_BLOCK_H)[1]
        land = Frame(LAND_LEFT, LAND_BOTTOM, LAND_BLOCK_W, LAND_BLOCK_H - header_h, 0, 0, 0, 0, id="ledger")

        def on_portrait(canvas: Canvas, doc: Any) -> None:
            _draw_page_number(canvas, number_font)

        def on_land_first(canvas: Canvas, doc: Any) -> None:
            canvas.saveState()
            turn_ledger_page(canvas)

        def on_land(canvas: Canvas, doc: Any) -> None:
            canvas.saveState()
            turn_ledger_page(canvas)
            if ledger_header is not None:
                ledger_header.drawOn(canvas, LAND_LEFT, LAND_BOTTOM + LAND_BLOCK_H - header_h)

        def on_land_end(canvas: Canvas, doc: Any) -> None:
            canvas.restoreState()
            _draw_page_number(canvas, number_font)

        self.addPageTemplates([
            PageTemplate(id="body", frames=[portrait], onPage=on_portrait, pagesize=A4),
            PageTemplate(id="ledger_first", frames=[land_first], onPage=on_land_first, onPageEnd=on_land_end,
                         pagesize=A4),
            PageTemplate(id="ledger", frames=[land], onPage=on_land, onPageEnd=on_land_end, pagesize=A4),
        ])

    def _makeCanvas(self, filename: Any = None, canvasmaker: Any = None) -> Canvas:
        """The canvas, its CreationDate/ModDate set to ``created`` (reportlab's invariant mode would say
        2000-01-01); the file ID stays invariant, so equal input still gives equal bytes."""
        canv = super()._makeCanvas(filename) if canvasmaker is None else super()._makeCanvas(filename, canvasmaker)
        if self.created is not None:
            stamp = canv._doc._timeStamp
            stamp.YMDhms, stamp.dhh, stamp.dmm = _pdf_time(self.created)
            stamp.lt = (*stamp.YMDhms, 0, 0, 0)
        return canv
