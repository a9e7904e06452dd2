"""The 落实情况报告 as a Word document in GB/T 9704 form, written with python-docx.

Formatting lives in Word styles (正文 = Normal, Title, heading 1/2, 主送机关, 署名, 成文日期, 附件说明, 附件标识,
表格文字, 表格标题行, 页码), so a county office can restyle the whole file; paragraphs carry direct formatting
only where it depends on their text (the signature's indents). What python-docx has no API for (East Asian
font names, the document grid, PAGE fields, repeating header rows) is set on its oxml elements.
"""

from __future__ import annotations

import io
import math
import re
from copy import deepcopy
from datetime import datetime
from functools import cache

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tc
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.parfmt import CT_PPr
from docx.section import Section
from docx.shared import Pt, Twips
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from core.report.document import Block, BlockKind, LedgerRow, ReportContent, Signature
from core.report.text import clean, paragraphs
from core.report.xml_chars import visible

# Page geometry in twips (GB/T 9704: A4, text block 156 × 225 mm, 22 lines × 28 characters).
PAGE_W, PAGE_H = 11906, 16838
TOP, BOTTOM, LEFT, RIGHT = 2098, 1984, 1588, 1474
TEXT_W = PAGE_W - LEFT - RIGHT  # 8844 = 442.2 pt
LINE_PITCH = 579  # 28.95 pt: 22 lines fill the 225 mm block
CHARS_PER_LINE = 28
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NO_PT = 14  # 4号
TABLE_PT = 10.5  # 五号
CHAR = BODY_PT * 20  # one body character in twips, for readers that ignore character-unit indents
#: 28 characters of 16 pt (448 pt) are wider than the 442.2 pt block: characters are condensed by this many
#: twips (-0.25 pt) so 28 fit in Word, WPS and LibreOffice alike. A character grid (w:docGrid linesAndChars,
#: charSpace -849) does the same in Word and WPS, but LibreOffice then gives every 16 pt character two
#: 15.79 pt grid cells and prints 14 characters a line; so the grid here is a line grid (22 lines).
CONDENSE = math.floor(TEXT_W / CHARS_PER_LINE - CHAR)
#: Page number's top 7 mm (397 twips) below the text block; the footer line is exactly 14 pt.
FOOTER_DISTANCE = BOTTOM - 397 - PAGE_NO_PT * 20
HEADER_DISTANCE = 851  # 15 mm; the headers are empty

TITLE_FONT, BODY_FONT, HEI_FONT, KAI_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
#: Word's font table substitutes for the official fonts on PCs without them (Windows has 仿宋, 楷体, 宋体).
ALT_NAMES = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", KAI_FONT: "楷体", HEI_FONT: "SimHei", PAGE_FONT: "SimSun"}

#: The 附件 ledger's columns and widths (twips; they fill the 225 mm landscape block).
LEDGER_HEADERS = ("序号", "工作任务", "本单位角色", "责任股室", "完成时限", "落实情况", "状态", "存在问题",
                  "下一步措施")
#: 序号, 本单位角色 (本单位/角色), 完成时限 (2019年/12月31日) and 状态 (持续推进) fit on one or two lines at 五号.
LEDGER_WIDTHS = (700, 2200, 860, 1200, 1200, 2900, 1100, 1300, 1296)
LAND_TEXT_W = PAGE_H - TOP - BOTTOM  # the binding edge is on top in landscape: 12756 twips = 225 mm
#: Our styles' ids (ASCII, stable) by name. Paragraphs get their style by id: python-docx's lookup by name
#: scans every style each time, which made the ledger take seconds.
STYLE_IDS = {
    "Normal": "Normal", "Title": "Title", "Heading 1": "Heading1", "Heading 2": "Heading2", "Footer": "Footer",
    "主送机关": "Recipient", "附件说明": "AnnexNote", "署名": "Signer", "成文日期": "SignDate",
    "附件标识": "AnnexLabel", "表格文字": "TableText", "表格标题行": "TableHead", "表格居中": "TableCentre",
    "页码（单页）": "PageNumberOdd", "页码（双页）": "PageNumberEven",
}


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


def _width_chars(text: str) -> float:
    """Width in body characters: full-width 1, ASCII half (2019年12月4日 is 6.5)."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


# ---- styles -----------------------------------------------------------------------------------------------

def _set_fonts(rpr: etree._Element, name: str) -> None:
    """Name ``name`` for Latin, East Asian and complex scripts in ``rpr``, dropping theme fonts (they win)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.attrib.clear()
    for kind in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{kind}"), name)


def _reset(style: ParagraphStyle) -> None:
    """Drop a built-in style's own look (borders, colours, theme fonts, spacing) before setting ours."""
    el = style.element
    for tag in ("w:pPr", "w:rPr"):
        for child in el.findall(qn(tag)):
            el.remove(child)


def _chars_indent(pf_owner: Paragraph | ParagraphStyle, *, first: float | None = None, left: float | None = None,
                  right: float | None = None) -> None:
    """Indents in characters (Word/WPS: w:*Chars, on the grid) with twips for readers without them."""
    pf = pf_owner.paragraph_format
    if first is not None:
        pf.first_line_indent = Twips(round(first * CHAR))
    if left is not None:
        pf.left_indent = Twips(round(left * CHAR))
    if right is not None:
        pf.right_indent = Twips(round(right * CHAR))
    ppr = pf_owner.element.get_or_add_pPr() if isinstance(pf_owner, ParagraphStyle) else pf_owner._p.get_or_add_pPr()
    ind = ppr.get_or_add_ind()
    for name, value in (("firstLineChars", first), ("leftChars", left), ("rightChars", right)):
        if value is not None:
            ind.set(qn(f"w:{name}"), str(round(max(value, 0) * 100)))
    if first is not None and first < 0:  # a hanging indent (python-docx wrote w:hanging)
        ind.set(qn("w:hangingChars"), str(round(-first * 100)))


def _style(doc: DocxDocument, name: str, *, base: str = "Normal", font: str = BODY_FONT, size: float = BODY_PT,
           align: WD_ALIGN_PARAGRAPH | None = None, builtin: bool = False) -> ParagraphStyle:
    styles = doc.styles
    if builtin:
        style = styles[name]
        _reset(style)
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = STYLE_IDS[name]
        style.base_style = styles[base]
        style.quick_style = True
    if style.name != "Normal":
        style.base_style = styles[base]
    _set_fonts(style.element.get_or_add_rPr(), font)
    style.font.size = Pt(size)
    style.font.bold = False
    if align is not None:
        style.paragraph_format.alignment = align
    return style


def _exact(style: ParagraphStyle, twips: int) -> None:
    pf = style.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Twips(twips)
    pf.space_before = Twips(0)
    pf.space_after = Twips(0)


#: w:pPr's children in schema order (Word rejects a file that breaks it); python-docx has no API for some.
_P_PR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
               "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
               "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
               "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
               "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
               "sectPr", "pPrChange")
#: w:rPr's children after w:spacing.
_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr",
                  "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                  "w:specVanish", "w:oMath")


def _char_spacing(style: ParagraphStyle, twips: int) -> None:
    """Expanded (+) or condensed (-) character spacing, w:spacing in the style's run properties."""
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twips))
    style.element.get_or_add_rPr().insert_element_before(spacing, *_AFTER_SPACING)


def _paragraph_switch(style: ParagraphStyle, name: str, on: bool) -> None:
    """An on/off paragraph property python-docx has no API for (w:snapToGrid, w:overflowPunct …)."""
    flag = OxmlElement(f"w:{name}")
    flag.set(qn("w:val"), "1" if on else "0")
    later = _P_PR_ORDER[_P_PR_ORDER.index(name) + 1:]
    style.element.get_or_add_pPr().insert_element_before(flag, *(f"w:{t}" for t in later))


def _no_snap(style: ParagraphStyle) -> None:
    """Lines of this style keep their own height instead of snapping to the document grid."""
    _paragraph_switch(style, "snapToGrid", False)


def _setup_styles(doc: DocxDocument) -> None:
    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    _set_fonts(rpr, BODY_FONT)
    for tag, value in (("w:sz", "32"), ("w:szCs", "32")):
        rpr.find(qn(tag)).set(qn("w:val"), value)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), str(LINE_PITCH))
    spacing.set(qn("w:lineRule"), "exact")

    # 正文: 3号仿宋, two characters in, exactly one grid line; no widow control so every full page has 22 lines.
    normal = _style(doc, "Normal", builtin=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _exact(normal, LINE_PITCH)
    _chars_indent(normal, first=2)
    normal.paragraph_format.widow_control = False
    # No extra quarter-em between Chinese and Latin letters or digits (Word's default adds one): the
    # signature's indents assume plain widths, and the PDF sets none.
    _paragraph_switch(normal, "autoSpaceDE", False)
    _paragraph_switch(normal, "autoSpaceDN", False)
    # No punctuation hanging past the right margin: a straight right edge, 28 characters at most.
    _paragraph_switch(normal, "overflowPunct", False)
    _char_spacing(normal, CONDENSE)

    title = _style(doc, "Title", builtin=True, font=TITLE_FONT, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _chars_indent(title, first=0)
    for name, font in (("Heading 1", HEI_FONT), ("Heading 2", KAI_FONT)):
        heading = _style(doc, name, builtin=True, font=font)
        heading.paragraph_format.keep_with_next = True
        heading.font.color.rgb = None
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), "0" if name == "Heading 1" else "1")
        heading.element.get_or_add_pPr().append(outline)

    _chars_indent(_style(doc, "主送机关", align=WD_ALIGN_PARAGRAPH.LEFT), first=0)
    # 附件：name, a second line of the name aligned under its first character.
    _chars_indent(_style(doc, "附件说明"), first=-3, left=5)
    for name in ("署名", "成文日期"):
        _chars_indent(_style(doc, name, align=WD_ALIGN_PARAGRAPH.RIGHT), first=0)
    _chars_indent(_style(doc, "附件标识", font=HEI_FONT, align=WD_ALIGN_PARAGRAPH.LEFT), first=0)

    cell = _style(doc, "表格文字", size=TABLE_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    _chars_indent(cell, first=0)
    cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _no_snap(cell)
    _char_spacing(cell, 0)
    _style(doc, "表格标题行", base="表格文字", font=HEI_FONT, size=TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(doc, "表格居中", base="表格文字", size=TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)

    footer = _style(doc, "Footer", builtin=True, font=PAGE_FONT, size=PAGE_NO_PT)
    _exact(footer, PAGE_NO_PT * 20)
    _chars_indent(footer, first=0)
    _no_snap(footer)
    _char_spacing(footer, 0)
    odd = _style(doc, "页码（单页）", base="Footer", font=PAGE_FONT, size=PAGE_NO_PT, align=WD_ALIGN_PARAGRAPH.RIGHT)
    odd.paragraph_format.right_indent = Twips(CHAR)
    even = _style(doc, "页码（双页）", base="Footer", font=PAGE_FONT, size=PAGE_NO_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    even.paragraph_format.left_indent = Twips(CHAR)


def _font_table(doc: DocxDocument) -> None:
    """Declare the official fonts with Windows substitutes (w:altName) and the GB2312 charset."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = etree.fromstring(part.blob)
    for name, alt in ALT_NAMES.items():
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})
        etree.SubElement(font, qn("w:family"), {qn("w:val"): "modern" if name == HEI_FONT else "roman"})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
    # python-docx loads the font table as an opaque part: its blob is the only handle on it.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _grid(section: Section, *, lines: bool) -> None:
    """The portrait body's line grid: 22 lines of 579 twips; none for the landscape ledger."""
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.attrib.clear()
    if lines:
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH))
    else:
        grid.set(qn("w:linePitch"), "312")


def _setup_document(doc: DocxDocument, content: ReportContent) -> None:
    _setup_styles(doc)
    _font_table(doc)
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
    _grid(section, lines=True)
    _page_number(section.footer.paragraphs[0], "页码（单页）")
    _page_number(section.even_page_footer.paragraphs[0], "页码（双页）")


def _page_number(paragraph: Paragraph, style: str) -> None:
    """— N — with N a PAGE field."""
    paragraph._p.style = STYLE_IDS[style]
    paragraph.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind is not None:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    paragraph.add_run(" —")


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
        lines = [visible(clean(x)) for x in block.lines] or _lines(block.text)
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
    if _width_chars(title) <= capacity:
        return [title]
    best: tuple[float, int] | None = None
    for i in range(1, len(title)):
        if title[i] in _BREAK_BEFORE or title[i - 1] in _BREAK_AFTER:
            longest = max(_width_chars(title[:i]), _width_chars(title[i:]))
            if longest <= capacity and (best is None or longest < best[0]):
                best = (longest, i)
    if best is None:
        return [title]
    return [title[:best[1]], title[best[1]:]]


def signature_indents(signature: Signature) -> tuple[float, float]:
    """Right indents (in characters) of 署名 and 成文日期, per GB/T 9704 7.3.5.

    Unsealed (7.3.5.2): the name two characters in from the right; the date on the next line, its first
    character two to the right of the name's; a date longer than that sits two in and pushes the name left.
    Sealed (7.3.5.1): the date four characters in, the name centred over it.
    """
    name, when = _width_chars(signature.signer), _width_chars(signature.date_text)
    if signature.sealed:
        return max(0.0, 4 + (when - name) / 2), 4.0
    date_right = name - when  # the date's first character two right of the name's
    if date_right >= 2:
        return 2.0, date_right
    return 4 + when - name, 2.0


def _add_signature(doc: DocxDocument, signature: Signature) -> None:
    # Unsealed: one blank line below the body; sealed: two, so the seal's top is within a line of the body.
    for _ in range(2 if signature.sealed else 1):
        _blank(doc, keep=True)
    name_right, date_right = signature_indents(signature)
    name = _para(doc, visible(signature.signer), "署名")
    _chars_indent(name, right=name_right)
    name.paragraph_format.keep_with_next = True
    when = _para(doc, visible(signature.date_text), "成文日期")
    _chars_indent(when, right=date_right)
    if signature.contact:
        when.paragraph_format.keep_with_next = True
        _para(doc, visible(clean(signature.contact)), "Normal")  # 附注: two characters in


# ---- 附件: the ledger -------------------------------------------------------------------------------------

def _ledger_cells(row: LedgerRow) -> list[list[str]]:
    work = _lines(row.achievements)
    steps = _lines(row.steps)
    if steps:
        work += ["实施步骤：" + steps[0], *steps[1:]]
    if row.evidence:
        work += ["佐证材料：" + "；".join(visible(e) for e in row.evidence)]
    status = [row.status] + ([f"{row.percent}%"] if 0 < row.percent < 100 else [])
    due = _lines(re.sub(r"^(\d{4}年)(?=\d)", "\\1\n", row.due))  # 2019年 / 12月31日
    return [[str(row.number)], _lines(row.task), [row.role], _lines(row.owner), due, work,
            status, _lines(row.problems), _lines(row.next_steps)]


_CENTRED = {0, 2, 4, 6}


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


def _add_ledger(doc: DocxDocument, content: ReportContent) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Twips(PAGE_H), Twips(PAGE_W)
    # The page turned so the table's head is at the binding edge (GB/T 9704: 单页码表头在订口一边).
    section.top_margin, section.bottom_margin = Twips(LEFT), Twips(RIGHT)
    section.left_margin, section.right_margin = Twips(BOTTOM), Twips(TOP)
    _grid(section, lines=False)

    _para(doc, "附件", "附件标识")
    _blank(doc)
    title = _para(doc, "", "Title")
    lines = title_lines(visible(clean(content.ledger_title)), (LAND_TEXT_W / 20) / TITLE_PT)
    for i, line in enumerate(lines):
        run = title.add_run(line)
        if i < len(lines) - 1:
            run.add_break()
    _blank(doc)

    table: Table = doc.add_table(rows=1, cols=len(LEDGER_HEADERS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width in zip(table.columns, LEDGER_WIDTHS, strict=True):
        col.width = Twips(width)
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))  # repeats at the top of every page
    tr_pr.append(OxmlElement("w:cantSplit"))
    for cell, text, width in zip(header.cells, LEDGER_HEADERS, LEDGER_WIDTHS, strict=True):
        cell.width = Twips(width)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _fill(cell._tc, [text], "表格标题行")
    # One row made by python-docx (cells with the grid's widths) is the prototype of every task's row.
    prototype = table.add_row()._tr
    table._tbl.remove(prototype)
    styles = ["表格居中" if i in _CENTRED else "表格文字" for i in range(len(LEDGER_HEADERS))]
    for row in content.ledger_rows:
        tr = deepcopy(prototype)
        table._tbl.append(tr)
        for tc, lines, style in zip(tr.tc_lst, _ledger_cells(row), styles, strict=True):
            _fill(tc, lines, style)
