"""GB/T 9704-2012 page geometry, paragraph styles and the document template."""

from __future__ import annotations

from dataclasses import dataclass
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
LEADING = BLOCK_H / 22 - 0.05  # ≈ 28.95 pt: 22 lines a page
TITLE_LEADING = 33.0
#: Share of the em box above the baseline for CJK faces; used to put the em box top on the block edge.
ASCENT = 0.88

LAND_W, LAND_H = landscape(A4)
LAND_BLOCK_W = 225 * mm
LAND_BLOCK_H = 156 * mm
LAND_LEFT = (LAND_W - LAND_BLOCK_W) / 2
LAND_BOTTOM = (LAND_H - LAND_BLOCK_H) / 2

TABLE_SIZE = 10.5  # 五号
TABLE_LEADING = 14.0


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    recipient: ParagraphStyle
    body: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    annex_label: ParagraphStyle
    annex_title: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_head: ParagraphStyle
    cell_note: ParagraphStyle


def make_styles(fonts: FontSet) -> Styles:
    """Paragraph styles bound to the fonts' primary faces."""
    base = ParagraphStyle("base", fontName=fonts.primary("body"), bulletFontName=fonts.primary("body"))
    body = ParagraphStyle("body", parent=base, fontName=fonts.primary("body"), fontSize=BODY_SIZE, leading=LEADING,
                          firstLineIndent=2 * BODY_SIZE, alignment=TA_JUSTIFY, wordWrap="CJK", allowWidows=1)
    cell = ParagraphStyle("cell", parent=base, fontName=fonts.primary("body"), fontSize=TABLE_SIZE,
                          leading=TABLE_LEADING, alignment=TA_JUSTIFY, wordWrap="CJK")
    return Styles(
        title=ParagraphStyle("title", parent=base, fontName=fonts.primary("title"), fontSize=TITLE_SIZE,
                             leading=TITLE_LEADING, alignment=TA_CENTER, wordWrap="CJK", spaceAfter=LEADING),
        recipient=ParagraphStyle("recipient", parent=body, firstLineIndent=0),
        body=body,
        h1=ParagraphStyle("h1", parent=body, fontName=fonts.primary("hei"), keepWithNext=1),
        h2=ParagraphStyle("h2", parent=body, fontName=fonts.primary("kai"), keepWithNext=1),
        annex_label=ParagraphStyle("annex_label", parent=body, fontName=fonts.primary("hei"), firstLineIndent=0,
                                   spaceAfter=LEADING),
        annex_title=ParagraphStyle("annex_title", parent=base, fontName=fonts.primary("title"), fontSize=18.0,
                                   leading=26.0, alignment=TA_CENTER, wordWrap="CJK", spaceAfter=12.0),
        cell=cell,
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        cell_head=ParagraphStyle("cell_head", parent=cell, fontName=fonts.primary("hei"), alignment=TA_CENTER),
        cell_note=ParagraphStyle("cell_note", parent=cell, fontSize=9.0, leading=12.0, alignment=TA_CENTER),
    )


def page_number_text(n: int) -> str:
    return f"— {n} —"


def _draw_page_number(canvas: Canvas, doc: Any, left: float, bottom: float, width: float, font: str) -> None:
    """"— N —" in 四号, its top 7 mm below the text block; odd pages right, even pages left, one character in."""
    n = canvas.getPageNumber()
    text = page_number_text(n)
    top = bottom - 7 * mm
    y = top - ASCENT * PAGE_NO_SIZE
    canvas.saveState()
    canvas.setFont(font, PAGE_NO_SIZE)
    x = left + width - PAGE_NO_SIZE - stringWidth(text, font, PAGE_NO_SIZE) if n % 2 else left + PAGE_NO_SIZE
    canvas.drawString(x, y, text)
    canvas.restoreState()


class ReportDocTemplate(BaseDocTemplate):
    """Portrait GB/T 9704 pages (``body``) and landscape pages for the ledger.

    ``ledger_first`` is the first ledger page (附件 label, title, header row in the story);
    ``ledger`` pages draw ``ledger_header`` at the top of the landscape text block and flow the
    rows in the frame below it, so the header repeats without the rows being one big table.
    """

    def __init__(self, output: Any, fonts: FontSet, title: str = "", author: str = "",
                 ledger_header: Flowable | None = None) -> None:
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
            _draw_page_number(canvas, doc, LEFT, BOTTOM, BLOCK_W, number_font)

        def on_land_first(canvas: Canvas, doc: Any) -> None:
            _draw_page_number(canvas, doc, LAND_LEFT, LAND_BOTTOM, LAND_BLOCK_W, number_font)

        def on_land(canvas: Canvas, doc: Any) -> None:
            if ledger_header is not None:
                ledger_header.drawOn(canvas, LAND_LEFT, LAND_BOTTOM + LAND_BLOCK_H - header_h)
            _draw_page_number(canvas, doc, LAND_LEFT, LAND_BOTTOM, LAND_BLOCK_W, number_font)

        landscape_size = (LAND_W, LAND_H)
        self.addPageTemplates([
            PageTemplate(id="body", frames=[portrait], onPage=on_portrait, pagesize=A4),
            PageTemplate(id="ledger_first", frames=[land_first], onPage=on_land_first, pagesize=landscape_size),
            PageTemplate(id="ledger", frames=[land], onPage=on_land, pagesize=landscape_size),
        ])
