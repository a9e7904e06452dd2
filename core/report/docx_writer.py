"""The 落实情况报告 as a Word document in GB/T 9704 form, written with python-docx.

Formatting lives in Word styles (core/report/docx_styles.py), so a county office can restyle the whole file;
paragraphs carry direct formatting only where it depends on their text (the signature's indents, keeping the
closing with the signature). What python-docx has no API for (PAGE fields, repeating header rows) is set on
its oxml elements.
"""

from __future__ import annotations

import io
import math
from copy import deepcopy
from datetime import datetime
from functools import cache

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row, CT_Tc
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.parfmt import CT_PPr
from docx.shared import Twips
from docx.table import Table
from docx.text.paragraph import Paragraph

from core.report import ledger as pdf_ledger
from core.report.document import Block, BlockKind, ReportContent, Signature
from core.report.docx_page_numbers import page_number, turned_page_number
from core.report.docx_styles import (
    BOTTOM,
    FOOTER_DISTANCE,
    HEADER_DISTANCE,
    LEFT,
    PAGE_H,
    PAGE_W,
    RIGHT,
    STYLE_IDS,
    TABLE_PAD,
    TABLE_PT,
    TEXT_W,
    TITLE_PT,
    TOP,
    chars_indent,
    font_table,
    grid,
    setup_styles,
)
from core.report.text import clean, paragraphs
from core.report.xml_chars import visible
from core.text_width import text_ems

LAND_TEXT_W = PAGE_H - TOP - BOTTOM  # the binding edge is on top in landscape: 12756 twips = 225 mm


def render_docx(content: ReportContent) -> bytes:
    """The report (and its 附件 ledger, if any) as the bytes of a .docx file."""
    doc = Document()
    _setup_document(doc, content)
    for block in content.blocks:
        _add_block(doc, block)
    _add_signature(doc, content.signature)
    if content.has_ledger:
        _add_ledger(doc, content)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---- text -------------------------------------------------------------------------------------------------

def _lines(text: str) -> list[str]:
    """Printable paragraphs of ``text``: one per typed line, punctuation as printed, nothing XML refuses."""
    return [visible(clean(line)) for line in paragraphs(text)]


def _setup_document(doc: DocxDocument, content: ReportContent) -> None:
    setup_styles(doc)
    font_table(doc)
    settings = doc.settings
    settings.odd_and_even_pages_header_footer = True
    theme_lang = settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    props = doc.core_properties
    now = datetime.now().replace(microsecond=0)
    props.title, props.author, props.last_modified_by = content.title, content.office, content.office
    props.created = props.modified = now
    props.revision = 1
    props.comments = props.subject = props.keywords = ""

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(PAGE_W), Twips(PAGE_H)
    section.top_margin, section.bottom_margin = Twips(TOP), Twips(BOTTOM)
    section.left_margin, section.right_margin = Twips(LEFT), Twips(RIGHT)
    section.header_distance, section.footer_distance = Twips(HEADER_DISTANCE), Twips(FOOTER_DISTANCE)
    section.gutter = Twips(0)
    grid(section, lines=True)
    page_number(section.footer.paragraphs[0], "页码（单页）")
    page_number(section.even_page_footer.paragraphs[0], "页码（双页）")


# ---- body -------------------------------------------------------------------------------------------------

_STYLE = {BlockKind.RECIPIENT: "主送机关", BlockKind.H1: "Heading 1", BlockKind.H2: "Heading 2",
          BlockKind.BODY: "Normal", BlockKind.CLOSING: "Normal", BlockKind.ANNEX_NOTE: "附件说明"}


# Speed: a full report has ~1,500 paragraphs. python-docx's run.text looks at every character for tabs and
# breaks, and its paragraph.style setter searches ~35 possible siblings for each new w:pStyle; together they
# were two thirds of the time. Plain text goes straight into a w:t, and a new paragraph gets a copy of its
# style's ready-made w:pPr.

def _text(p: CT_P, text: str) -> None:
    """``text`` as one run of ``p``."""
    if not text:
        return
    if "\t" in text or "\n" in text:
        p.add_r().text = text  # w:tab and w:br, as python-docx writes them
    else:
        p.add_r().add_t(text)


@cache
def _style_ppr(style: str) -> CT_PPr:
    ppr = OxmlElement("w:pPr")
    ppr.style = STYLE_IDS[style]
    return ppr


def _set_style(p: CT_P, style: str) -> None:
    """Style a new paragraph (one without properties yet)."""
    if style != "Normal":
        p.insert(0, deepcopy(_style_ppr(style)))


def _para(doc: DocxDocument, text: str, style: str) -> Paragraph:
    p = doc.add_paragraph()
    _text(p._p, text)
    _set_style(p._p, style)
    return p


def _blank(doc: DocxDocument, keep: bool = False) -> Paragraph:
    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = keep or None
    return p


def _add_block(doc: DocxDocument, block: Block) -> None:
    if block.kind is BlockKind.TITLE:
        p = _para(doc, "", "Title")
        # The composer's line breaks (梯形/菱形); else break a long title before 《 or after 》 if that fits.
        lines = [visible(clean(x)) for x in block.lines] or [
            part for line in _lines(block.text) for part in title_lines(line, TEXT_W / 20 / TITLE_PT)]
        for i, line in enumerate(lines):
            run = p.add_run(line)
            if i < len(lines) - 1:
                run.add_break()
        _blank(doc)  # 主送机关 one line below the title
        return
    if block.kind is BlockKind.ANNEX_NOTE:
        _blank(doc, keep=True)  # 附件说明 one line below the body
    lines = _lines(block.text)
    for i, line in enumerate(lines):
        p = _para(doc, line, _STYLE[block.kind])
        # The closing (特此报告。) and the 附件说明 stay on the signature's page.
        if block.kind in (BlockKind.CLOSING, BlockKind.ANNEX_NOTE) and i == len(lines) - 1:
            p.paragraph_format.keep_with_next = True


_BREAK_BEFORE = "《（“"
_BREAK_AFTER = "》）”"


def title_lines(title: str, capacity: float) -> list[str]:
    """A title too long for one line, broken where a reader expects it: before 《 or after 》.

    Of those places the one giving the most even lines that both fit wins; a title with none is left
    for Word to wrap.
    """
    if text_ems(title) <= capacity:
        return [title]
    best: tuple[float, int] | None = None
    for i in range(1, len(title)):
        if title[i] in _BREAK_BEFORE or title[i - 1] in _BREAK_AFTER:
            longest = max(text_ems(title[:i]), text_ems(title[i:]))
            if longest <= capacity and (best is None or longest < best[0]):
                best = (longest, i)
    if best is None:
        return [title]
    return [title[:best[1]], title[best[1]:]]


def signature_indents(signature: Signature) -> tuple[float, float]:
    """Right indents (in characters) of 署名 and 成文日期, per GB/T 9704 7.3.5.

    Placed as the PDF places them (core/report/flowables.py: SignatureBlock.positions). Unsealed (7.3.5.2):
    the name two characters in from the right; the date on the next line, its first character two to the
    right of the name's (never past the margin); a date longer than the name sits two in and pushes the name
    left. Sealed (7.3.5.1): the date four characters in, the name centred over it.
    """
    name, when = text_ems(signature.signer), text_ems(signature.date_text)
    if signature.sealed:
        return max(0.0, 4 + (when - name) / 2), 4.0
    if when > name:
        return 4 + when - name, 2.0
    return 2.0, max(name - when, 0.0)  # the date's first character two right of the name's


def _add_signature(doc: DocxDocument, signature: Signature) -> None:
    # Unsealed: one blank line below the body; sealed: two, so the seal's top is within a line of the body.
    for _ in range(2 if signature.sealed else 1):
        _blank(doc, keep=True)
    name_right, date_right = signature_indents(signature)
    name = _para(doc, visible(signature.signer), "署名")
    chars_indent(name, right=name_right)
    name.paragraph_format.keep_with_next = True
    when = _para(doc, visible(signature.date_text), "成文日期")
    chars_indent(when, right=date_right)
    if signature.contact:
        when.paragraph_format.keep_with_next = True
        _para(doc, visible(clean(signature.contact)), "Normal")  # 附注: two characters in


# ---- 附件: the ledger -------------------------------------------------------------------------------------

#: The ledger's columns, widths, printed rows, notes and long cells are the PDF annex's: one layout
#: (core.report.ledger.ledger_columns, sized by core.report.ledger_pdf.ledger_layout) for both writers.
LONG_LINES = pdf_ledger.LONG_LINES
#: Lines of 五号 in one full-width continuation row: a row never runs past a landscape page (156 mm, about
#: 30 single-spaced lines under the header row), so Word and WPS never split one.
CHUNK_LINES = 24
CELL_PAD = 2 * TABLE_PAD  # left and right cell margins (twips)


def ledger_layout(content: ReportContent) -> pdf_ledger.LedgerLayout:
    """The PDF annex's layout, computed by the same function with the same page sizes."""
    from core.report.ledger_pdf import ledger_layout as pdf_layout  # reportlab's metrics: loaded on use

    return pdf_layout(content)


def ledger_widths(layout: pdf_ledger.LedgerLayout) -> tuple[int, ...]:
    """The layout's column widths in twips, filling the 225 mm landscape block exactly."""
    points = [c.width for c in layout.columns]
    twips = [round(w * LAND_TEXT_W / sum(points)) for w in points]
    twips[-1] += LAND_TEXT_W - sum(twips)
    return tuple(twips)


def _line_count(lines: list[str], width: int) -> int:
    """Lines of 五号 the text takes in a column ``width`` twips wide (full-width characters 1 em, ASCII half)."""
    per_line = max((width - CELL_PAD) / (TABLE_PT * 20), 1.0)
    return sum(max(1, math.ceil(text_ems(x) / per_line)) for x in lines)


def _chunks(lines: list[str], width: int) -> list[list[str]]:
    """``lines`` in pieces of at most :data:`CHUNK_LINES` lines of a row ``width`` wide; a paragraph longer
    than that is cut at a character boundary."""
    per_line = max(int((width - CELL_PAD) / (TABLE_PT * 20)), 1)
    pieces: list[list[str]] = [[]]
    used = 0
    for line in lines:
        while line:
            room = CHUNK_LINES - used
            if room <= 0:
                pieces.append([])
                used, room = 0, CHUNK_LINES
            need = _line_count([line], width)
            if need <= room:
                pieces[-1].append(line)
                used += need
                break
            head, line = line[:room * per_line], line[room * per_line:]
            pieces[-1].append(head)
            used = CHUNK_LINES
    return [p for p in pieces if p]


def _cant_split(tr: CT_Row) -> None:
    tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _span_rows(table: Table, number: int, header: str, lines: list[str], ncols: int) -> None:
    """A long cell's text under its task's row: full-width rows of at most a page, the later ones marked 续."""
    for i, piece in enumerate(_chunks(lines, LAND_TEXT_W)):
        label = f"{header}（任务{number}）：" if i == 0 else f"{header}（任务{number}，续）："
        tr = table.add_row()._tr
        first = tr.tc_lst[0]
        for tc in tr.tc_lst[1:]:
            tr.remove(tc)
        tc_pr = first.get_or_add_tcPr()
        tc_pr.get_or_add_tcW().set(qn("w:w"), str(LAND_TEXT_W))
        span = OxmlElement("w:gridSpan")
        span.set(qn("w:val"), str(ncols))
        tc_pr.tcW.addnext(span)
        _fill(first, [label + piece[0], *piece[1:]], "表格文字")
        _cant_split(tr)




def _fill(tc: CT_Tc, lines: list[str], style: str) -> None:
    """Lines into a new cell (which holds one empty paragraph), a paragraph each."""
    first = tc.p_lst[0]
    _set_style(first, style)
    if lines:
        _text(first, lines[0])
    for line in lines[1:]:
        p = tc.add_p()
        _set_style(p, style)
        _text(p, line)


def _ledger_section(doc: DocxDocument) -> None:
    """A landscape section, the page turned so the table's head is at the binding edge (GB/T 9704: 单页码表头
    在订口一边), its page numbers where the portrait pages have theirs."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Twips(PAGE_H), Twips(PAGE_W)
    section.top_margin, section.bottom_margin = Twips(LEFT), Twips(RIGHT)
    section.left_margin, section.right_margin = Twips(BOTTOM), Twips(TOP)
    section.footer_distance = Twips(FOOTER_DISTANCE // 2)  # the footers hold only the anchored number
    grid(section, lines=False)
    for n, (footer, odd) in enumerate(((section.footer, True), (section.even_page_footer, False)), start=1):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p._p.style = STYLE_IDS["Footer"]
        turned_page_number(p, odd, 900 + n)


def _add_ledger(doc: DocxDocument, content: ReportContent) -> None:
    _ledger_section(doc)
    _para(doc, "附件", "附件标识")
    _blank(doc)
    title = _para(doc, "", "Title")
    lines = title_lines(visible(clean(content.ledger_title)), (LAND_TEXT_W / 20) / TITLE_PT)
    for i, line in enumerate(lines):
        run = title.add_run(line)
        if i < len(lines) - 1:
            run.add_break()
    _blank(doc)

    layout = ledger_layout(content)
    for note in layout.notes:
        _para(doc, visible(clean(note)), "表格文字")
    headers = [c.header for c in layout.columns]
    widths = ledger_widths(layout)
    table: Table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(TABLE_PAD))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    table._tbl.tblPr.find(qn("w:tblLook")).addprevious(margins)  # the schema's place: before w:tblLook
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Twips(width)
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))  # repeats at the top of every page
    tr_pr.append(OxmlElement("w:cantSplit"))
    for cell, text, width in zip(header.cells, headers, widths, strict=True):
        cell.width = Twips(width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _fill(cell._tc, [text], "表格标题行")
    # One row made by python-docx (cells with the grid's widths) is the prototype of every task's row.
    prototype = table.add_row()._tr
    table._tbl.remove(prototype)
    styles = ["表格居中" if c.centred else "表格文字" for c in layout.columns]
    for line in layout.lines:
        cells = [[visible(clean(x)) for x in paras] or [""] for paras in line.cells]
        tr = deepcopy(prototype)
        table._tbl.append(tr)
        for tc, lines, style in zip(tr.tc_lst, cells, styles, strict=True):
            _fill(tc, lines, "表格居中" if lines == ["（见下行）"] else style)
        _cant_split(tr)  # no task row is taller than a page: long cells went below
        for label, paras in line.spans:
            header = label.split("（任务", 1)[0]
            _span_rows(table, line.row.number, header, [visible(clean(x)) for x in paras], len(headers))
