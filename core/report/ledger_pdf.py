"""附件：the 落实情况台账 in the PDF, laid out landscape and printed turned.

The columns, the printed rows and the note lines come from :func:`core.report.ledger.ledger_columns` (the
Word writer uses the same). Each task is one :class:`~core.report.ledger_row.RuledRow` spanning the
225 mm text block. The column header is a row of its own: under the title on the first ledger page, and
drawn by the page template at the top of every later page (see :class:`~core.report.layout.ReportDocTemplate`).
A row is split across pages only when it is taller than a whole page; otherwise it starts on the next one.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from core.report.document import ReportContent
from core.report.layout import LAND_BLOCK_H, LAND_BLOCK_W, LEADING, TABLE_LEADING, TABLE_SIZE
from core.report.ledger import LedgerLayout, LedgerLine, ledger_columns
from core.report.ledger_row import PAD_Y, RuledRow
from core.report.typeset import Typesetter

#: A row taller than a page is split where at least three lines of it fit ...
MIN_SPLIT = 3 * TABLE_LEADING + 2 * PAD_Y
#: ... and at least two lines of its tallest cell go on to the next page.
MIN_REST = 2 * TABLE_LEADING


def ledger_layout(content: ReportContent) -> LedgerLayout:
    # A later page's rows get the frame less the one-line header row; the first page also gives room to
    # the 附件 label and the title (two lines and a half of 三号/二号).
    rows_room = LAND_BLOCK_H - TABLE_LEADING - 2 * PAD_Y
    return ledger_columns(content.ledger_rows, LAND_BLOCK_W, TABLE_SIZE, TABLE_LEADING, page_height=rows_room,
                          row_pad=2 * PAD_Y, first_page=rows_room - 3.5 * LEADING)


def ledger_header(ts: Typesetter, layout: LedgerLayout) -> RuledRow:
    """The column header row (drawn again at the top of every ledger page)."""
    return RuledRow([ts.para(h, ts.styles.cell_head) for h in layout.headers], layout.widths, middle=True)


def _rows(ts: Typesetter, line: LedgerLine, layout: LedgerLayout, page: float) -> list[Flowable]:
    st = ts.styles
    cells = [ts.lines_para(list(paras), st.cell_center if col.centred or paras == ("（见下行）",) else st.cell)
             if paras else None for col, paras in zip(layout.columns, line.cells, strict=True)]
    number = line.row.number

    def continued():
        return ts.para(f"{number}（续）", st.cell_note)

    out: list[Flowable] = [RuledRow(cells, layout.widths, continued, MIN_SPLIT, min_rest=MIN_REST, whole=page)]
    for label, paras in line.spans:
        span = ts.lines_para([f"{label}：{paras[0]}", *paras[1:]], st.cell)
        out.append(RuledRow([span], (sum(layout.widths),), None, MIN_SPLIT, min_rest=MIN_REST, whole=page))
    return out


def ledger_story(ts: Typesetter, content: ReportContent, layout: LedgerLayout) -> list[Flowable]:
    """Page break to the ledger pages, 附件 label, title, notes, header and one row per printed task."""
    st = ts.styles
    story: list[Flowable] = [
        NextPageTemplate("ledger_first"),
        PageBreak(),
        NextPageTemplate("ledger"),
        ts.para("附件", st.annex_label),
        ts.para(content.ledger_title, st.annex_title, convert=False),
    ]
    story += [ts.para(note, st.annex_remark) for note in layout.notes]
    if not layout.lines:
        return story
    header = ledger_header(ts, layout)
    page = LAND_BLOCK_H - header.wrap(LAND_BLOCK_W, LAND_BLOCK_H)[1]  # a later page's frame
    story.append(header)
    for line in layout.lines:
        story += _rows(ts, line, layout, page)
    return story
