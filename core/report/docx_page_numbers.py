"""Page numbers of the Word report: "— N —" as a PAGE field, and where GB/T 9704 puts it on turned pages.

The portrait pages' footers hold the number right on odd pages and left on even ones, one character in.
The 附件 ledger is a landscape section, printed turned on portrait sheets with the table's head at the
binding edge, as the PDF does (core/report/layout.py: turn_ledger_page). GB/T 9704 (横排表格) keeps the page
number where every other page has it: 7 mm below the portrait text block, one character in from its side.
On the landscape page that place is in the left margin, the number running down the page. A landscape
footer at the page's bottom would sit on the table's lower rule (181 mm against the rule's 182 mm), so the
number is a text box anchored to the page, its text turned a quarter clockwise.
"""

from __future__ import annotations

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

from core.report.docx_styles import BOTTOM, CHAR, LEFT, PAGE_H, PAGE_NO_PT, STYLE_IDS, TEXT_W

EMU_PER_TWIP = 635
#: Portrait geometry (twips): the number's top 7 mm (397 twips) below the text block, one 14 pt line high.
NUMBER_TOP = PAGE_H - BOTTOM + 397
NUMBER_H = PAGE_NO_PT * 20
#: Length of the turned text box along the page (the number's line): room for "— 999 —".
BOX_LEN = 2400


def page_number_runs(paragraph: Paragraph) -> None:
    """— N — with N a PAGE field, as runs of ``paragraph``."""
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


def page_number(paragraph: Paragraph, style: str) -> None:
    """A portrait footer's number: the paragraph styled for odd (right) or even (left) pages."""
    paragraph._p.style = STYLE_IDS[style]
    page_number_runs(paragraph)


def turned_box_position(odd: bool) -> tuple[int, int, int, int]:
    """(x, y, width, height) in twips on the landscape page of the turned page number's text box.

    The landscape page is the portrait sheet turned a quarter clockwise for reading (the portrait's left edge
    on top, its bottom edge on the left): a portrait point (px, py) is at (PAGE_H - py, px).
    """
    x = PAGE_H - NUMBER_TOP - NUMBER_H  # the portrait line's foot is nearer the landscape page's left edge
    if odd:  # right-aligned, ending one character in from the block's right edge
        end = LEFT + TEXT_W - CHAR
        return x, end - BOX_LEN, NUMBER_H, BOX_LEN
    return x, LEFT + CHAR, NUMBER_H, BOX_LEN  # left-aligned, one character in


# Inside mc:AlternateContent, as Word itself writes text boxes: Word 2010 and later, WPS and LibreOffice take the
# wps shape; a reader without it skips the number rather than failing.
_BOX = """<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0"
 relativeHeight="251659264" behindDoc="0" locked="1" layoutInCell="0" allowOverlap="1">
<wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>
<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>
<wp:docPr id="{id}" name="页码{id}"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">
<wps:wsp><wps:cNvSpPr txBox="1"/>
<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>
<wps:txbx><w:txbxContent><w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="{jc}"/></w:pPr></w:p></w:txbxContent>
</wps:txbx>
<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr" anchorCtr="0">
<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
</mc:AlternateContent></w:r>"""


def turned_page_number(paragraph: Paragraph, odd: bool, shape_id: int) -> None:
    """Put the landscape section's page number into ``paragraph`` (of its footer) as a turned text box."""
    x, y, cx, cy = turned_box_position(odd)
    ns = (nsdecls("w", "wp", "a") + ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
          ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')
    run = parse_xml(_BOX.format(ns=ns, x=x * EMU_PER_TWIP, y=y * EMU_PER_TWIP,
                                cx=cx * EMU_PER_TWIP, cy=cy * EMU_PER_TWIP, id=shape_id,
                                jc="right" if odd else "left"))
    paragraph._p.append(run)
    inner = Paragraph(run.find(".//" + qn("w:p")), paragraph._parent)
    page_number_runs(inner)
