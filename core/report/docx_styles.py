"""Word styles, page grid and font table for the GB/T 9704 report (used by :mod:`core.report.docx_writer`).

The formatting lives here, in named styles: 正文 (Normal), Title, heading 1/2, 主送机关, 附件说明, 署名, 成文日期,
附件标识, 表格文字, 表格标题行, 表格居中, 页码 (odd/even). What python-docx has no API for (East Asian font
names, character spacing, snap-to-grid, punctuation and spacing switches) is set on its oxml elements, in the
order the schema requires.
"""

from __future__ import annotations

import math

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Pt, Twips
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from lxml import etree

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
TABLE_LINE = 240  # 12 pt, exactly: the PDF ledger's leading (core.report.layout.TABLE_LEADING)
TABLE_PAD = 40  # 2 pt cell padding on every side, as the PDF's (core.report.ledger_row.PAD_X, PAD_Y)
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
#: The font table (word/fontTable.xml): every name the styles use, and each name's alternative, so that a PC
#: without the official fonts falls back right. A stock Windows 10/11 has 仿宋 (FangSong), 楷体 (KaiTi),
#: 黑体 (SimHei) and 宋体 (SimSun), but neither the _GB2312 names nor 方正小标宋. Word and WPS look a missing
#: font up by its w:altName, then by its PANOSE and charset: 仿宋_GB2312 → 仿宋 → FangSong, 楷体_GB2312 → 楷体 →
#: KaiTi, 方正小标宋简体 → 宋体 → SimSun, 黑体 → SimHei. Each entry: name, alternative, PANOSE, family, pitch.
FONT_TABLE: tuple[tuple[str, str, str, str, str], ...] = (
    (BODY_FONT, "仿宋", "02010609030101010101", "modern", "fixed"),
    ("仿宋", "FangSong", "02010609060101010101", "modern", "fixed"),
    ("FangSong", "仿宋", "02010609060101010101", "modern", "fixed"),
    (TITLE_FONT, "宋体", "02000000000000000000", "auto", "variable"),
    ("宋体", "SimSun", "02010600030101010101", "auto", "variable"),
    ("SimSun", "宋体", "02010600030101010101", "auto", "variable"),
    (KAI_FONT, "楷体", "02010609030101010101", "modern", "fixed"),
    ("楷体", "KaiTi", "02010609060101010101", "modern", "fixed"),
    ("KaiTi", "楷体", "02010609060101010101", "modern", "fixed"),
    (HEI_FONT, "SimHei", "02010609060101010101", "modern", "fixed"),
    ("SimHei", "黑体", "02010609060101010101", "modern", "fixed"),
)
#: Unicode and code-page ranges of a simplified-Chinese font (CJK, GB2312 code page 936).
_SIG = {"usb0": "00000001", "usb1": "080E0000", "usb2": "00000010", "usb3": "00000000", "csb0": "00040000",
        "csb1": "00000000"}

#: Our styles' ids (ASCII, stable) by name. Paragraphs get their style by id: python-docx's lookup by name
#: scans every style each time, which made the ledger take seconds.
STYLE_IDS = {
    "Normal": "Normal", "Title": "Title", "Heading 1": "Heading1", "Heading 2": "Heading2", "Footer": "Footer",
    "主送机关": "Recipient", "附件说明": "AnnexNote", "署名": "Signer", "成文日期": "SignDate",
    "附件标识": "AnnexLabel", "表格文字": "TableText", "表格标题行": "TableHead", "表格居中": "TableCentre",
    "页码（单页）": "PageNumberOdd", "页码（双页）": "PageNumberEven",
}


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


def chars_indent(pf_owner: Paragraph | ParagraphStyle, *, first: float | None = None, left: float | None = None,
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


def setup_styles(doc: DocxDocument) -> None:
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
    chars_indent(normal, first=2)
    normal.paragraph_format.widow_control = False
    # No extra quarter-em between Chinese and Latin letters or digits (Word's default adds one): the
    # signature's indents assume plain widths, and the PDF sets none.
    _paragraph_switch(normal, "autoSpaceDE", False)
    _paragraph_switch(normal, "autoSpaceDN", False)
    # No punctuation hanging past the right margin: a straight right edge, 28 characters at most.
    _paragraph_switch(normal, "overflowPunct", False)
    _char_spacing(normal, CONDENSE)

    title = _style(doc, "Title", builtin=True, font=TITLE_FONT, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    chars_indent(title, first=0)
    for name, font in (("Heading 1", HEI_FONT), ("Heading 2", KAI_FONT)):
        heading = _style(doc, name, builtin=True, font=font)
        heading.paragraph_format.keep_with_next = True
        heading.font.color.rgb = None
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), "0" if name == "Heading 1" else "1")
        heading.element.get_or_add_pPr().append(outline)

    chars_indent(_style(doc, "主送机关", align=WD_ALIGN_PARAGRAPH.LEFT), first=0)
    # 附件：name, a second line of the name aligned under its first character.
    chars_indent(_style(doc, "附件说明"), first=-3, left=5)
    for name in ("署名", "成文日期"):
        chars_indent(_style(doc, name, align=WD_ALIGN_PARAGRAPH.RIGHT), first=0)
    chars_indent(_style(doc, "附件标识", font=HEI_FONT, align=WD_ALIGN_PARAGRAPH.LEFT), first=0)

    cell = _style(doc, "表格文字", size=TABLE_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    chars_indent(cell, first=0)
    _exact(cell, TABLE_LINE)
    _no_snap(cell)
    _char_spacing(cell, 0)
    _style(doc, "表格标题行", base="表格文字", font=HEI_FONT, size=TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _style(doc, "表格居中", base="表格文字", size=TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)

    footer = _style(doc, "Footer", builtin=True, font=PAGE_FONT, size=PAGE_NO_PT)
    _exact(footer, PAGE_NO_PT * 20)
    chars_indent(footer, first=0)
    _no_snap(footer)
    _char_spacing(footer, 0)
    odd = _style(doc, "页码（单页）", base="Footer", font=PAGE_FONT, size=PAGE_NO_PT, align=WD_ALIGN_PARAGRAPH.RIGHT)
    odd.paragraph_format.right_indent = Twips(CHAR)
    even = _style(doc, "页码（双页）", base="Footer", font=PAGE_FONT, size=PAGE_NO_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    even.paragraph_format.left_indent = Twips(CHAR)


def font_table(doc: DocxDocument) -> None:
    """Declare the fonts with their alternative names, PANOSE, the GB2312 charset and CJK signature (FONT_TABLE)."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = etree.fromstring(part.blob)
    for name, alt, panose, family, pitch in FONT_TABLE:
        for old in root.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                root.remove(old)
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})  # children in schema order
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt})
        etree.SubElement(font, qn("w:panose1"), {qn("w:val"): panose})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})
        etree.SubElement(font, qn("w:family"), {qn("w:val"): family})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): pitch})
        etree.SubElement(font, qn("w:sig"), {qn(f"w:{k}"): v for k, v in _SIG.items()})
    # python-docx loads the font table as an opaque part: its blob is the only handle on it.
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def grid(section: Section, *, lines: bool) -> None:
    """The portrait body's line grid: 22 lines of 579 twips; none for the landscape ledger."""
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.attrib.clear()
    if lines:
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_PITCH))
    else:
        grid.set(qn("w:linePitch"), "312")
