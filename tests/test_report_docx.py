"""The Word export, read back with python-docx and from its XML: page, grid, fonts, page numbers, ledger."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from core.report.document import Block, BlockKind, Signature
from core.report.docx_styles import CONDENSE
from core.report.docx_writer import (
    CHUNK_LINES,
    LONG_LINES,
    ledger_layout,
    ledger_widths,
    render_docx,
    signature_indents,
    title_lines,
)
from core.report.text import clean, paragraphs
from core.report.xml_chars import visible
from tests.office_content import office_content, with_rows
from tests.report_fixtures import real_plan

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


@pytest.fixture(scope="module")
def data() -> bytes:
    return render_docx(office_content())


@pytest.fixture(scope="module")
def document(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def test_a4_with_the_gbt9704_margins(document) -> None:
    s = document.sections[0]
    assert (s.page_width.twips, s.page_height.twips) == (11906, 16838)
    assert s.orientation == WD_ORIENT.PORTRAIT
    assert (s.top_margin.twips, s.bottom_margin.twips, s.left_margin.twips, s.right_margin.twips) == (
        2098, 1984, 1588, 1474)
    # The page number's top 7 mm (397 twips) below the text block, its line exactly 14 pt.
    assert s.footer_distance.twips + 280 == 1984 - 397


def test_22_lines_of_28_characters(document) -> None:
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"
    assert 22 * 579 <= 16838 - 2098 - 1984 < 23 * 579
    normal = document.styles["Normal"]
    assert normal.paragraph_format.line_spacing.twips == 579
    assert normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == str(CONDENSE) == "-5"
    text_width = 11906 - 1588 - 1474
    assert 28 * (320 + CONDENSE) <= text_width < 29 * (320 + CONDENSE)
    ind = normal.element.pPr.find(qn("w:ind"))
    assert (ind.get(qn("w:firstLineChars")), ind.get(qn("w:firstLine"))) == ("200", "640")


@pytest.mark.parametrize(("style", "font", "size"), [
    ("Normal", "仿宋_GB2312", 16), ("Title", "方正小标宋简体", 22), ("Heading 1", "黑体", 16),
    ("Heading 2", "楷体_GB2312", 16), ("Footer", "宋体", 14),
])
def test_styles_name_the_official_fonts_for_east_asian_text(document, style: str, font: str, size: int) -> None:
    s = document.styles[style]
    fonts = s.element.rPr.find(qn("w:rFonts"))
    assert {k: fonts.get(qn(f"w:{k}")) for k in ("ascii", "hAnsi", "eastAsia")} == dict.fromkeys(
        ("ascii", "hAnsi", "eastAsia"), font)
    assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would win over the name
    assert s.font.size.pt == size
    assert s.font.bold is False


def test_defaults_and_font_table_know_chinese(data: bytes) -> None:
    styles = part(data, "word/styles.xml")
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(f"{W}rFonts").get(f"{W}eastAsia") == "仿宋_GB2312"
    assert defaults.find(f"{W}lang").get(f"{W}eastAsia") == "zh-CN"
    fonts = {f.get(f"{W}name"): f for f in part(data, "word/fontTable.xml").findall(f"{W}font")}
    assert fonts["仿宋_GB2312"].find(f"{W}altName").get(f"{W}val") == "仿宋"
    assert fonts["楷体_GB2312"].find(f"{W}charset").get(f"{W}val") == "86"


def test_font_table_leads_every_official_name_to_a_stock_windows_face(data: bytes) -> None:
    fonts = {f.get(f"{W}name"): f for f in part(data, "word/fontTable.xml").findall(f"{W}font")}

    def chain(name: str) -> list[str]:
        seen = [name]
        while name in fonts and (alt := fonts[name].find(f"{W}altName").get(f"{W}val")) not in seen:
            seen.append(alt)
            name = alt
        return seen

    assert chain("仿宋_GB2312") == ["仿宋_GB2312", "仿宋", "FangSong"]
    assert chain("楷体_GB2312") == ["楷体_GB2312", "楷体", "KaiTi"]
    assert chain("方正小标宋简体") == ["方正小标宋简体", "宋体", "SimSun"]
    assert chain("黑体") == ["黑体", "SimHei"]
    # every font a style names is declared, with the simplified-Chinese charset and code page
    styles = part(data, "word/styles.xml")
    used = {f.get(f"{W}eastAsia") for f in styles.iter(f"{W}rFonts")} - {None}
    assert used <= set(fonts), used - set(fonts)
    for name in used:
        font = fonts[name]
        assert font.find(f"{W}charset").get(f"{W}val") == "86"
        assert font.find(f"{W}sig").get(f"{W}csb0") == "00040000"  # code page 936
        assert [etree.QName(c).localname for c in font] == ["altName", "panose1", "charset", "family", "pitch", "sig"]


def index_of(paragraphs: list, paragraph) -> int:
    return [p._p for p in paragraphs].index(paragraph._p)


def _footer_xml(footer) -> str:
    return etree.tostring(footer._element, encoding="unicode")


def test_page_numbers_are_page_fields_right_on_odd_left_on_even(document, data: bytes) -> None:
    assert part(data, "word/settings.xml").find(f"{W}evenAndOddHeaders") is not None
    s = document.sections[0]
    for footer, align, side in ((s.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
                                (s.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent")):
        p = footer.paragraphs[0]
        xml = _footer_xml(footer)
        assert "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>" in xml
        assert [f.get(qn("w:fldCharType")) for f in footer._element.iter(qn("w:fldChar"))] == [
            "begin", "separate", "end"]
        assert p.text == "— 1 —"
        assert p.style.paragraph_format.alignment == align
        assert getattr(p.style.paragraph_format, side).twips == 320  # one character in
    # The landscape ledger's numbers are turned text boxes (see the next test), on the same PAGE count.
    assert not document.sections[1].footer.is_linked_to_previous


def test_ledger_page_numbers_sit_where_the_portrait_pages_have_theirs(document) -> None:
    from core.report.docx_page_numbers import EMU_PER_TWIP

    land = document.sections[1]
    left_margin = land.left_margin.twips  # 35 mm: the portrait page's bottom margin, turned
    for footer, odd in ((land.footer, True), (land.even_page_footer, False)):
        xml = _footer_xml(footer)
        assert " PAGE " in xml and 'vert="vert"' in xml  # the number reads along the portrait line
        anchor = footer._element.find(f".//{{{WP}}}anchor")
        h, v = (anchor.find(f"{{{WP}}}position{a}") for a in "HV")
        assert h.get("relativeFrom") == v.get("relativeFrom") == "page"
        x = int(h.find(f"{{{WP}}}posOffset").text) // EMU_PER_TWIP
        y = int(v.find(f"{{{WP}}}posOffset").text) // EMU_PER_TWIP
        extent = anchor.find(f"{{{WP}}}extent")
        cx, cy = int(extent.get("cx")) // EMU_PER_TWIP, int(extent.get("cy")) // EMU_PER_TWIP
        # Portrait: the number's top 7 mm (397 twips) below the block (which ends 35 mm = 1984 twips above
        # the bottom edge); turned, that is 7 mm left of the landscape block, in the margin, off the table.
        assert x + cx == left_margin - 397 and x > 0
        if odd:  # right on odd pages, one character in from the block's edge: 1588 + 8844 - 320 twips
            assert y + cy == 10112
        else:
            assert y == 1588 + 320
        p = footer._element.find(f".//{W}txbxContent/{W}p")
        assert "".join(t.text for t in p.iter(f"{W}t")) == "— 1 —"
        assert p.find(f"{W}pPr/{W}jc").get(f"{W}val") == ("right" if odd else "left")


def test_body_blocks_use_real_styles_and_no_direct_run_formatting(document) -> None:
    paragraphs = document.paragraphs
    assert paragraphs[0].style.name == "Title"
    assert paragraphs[0].text == "悦城镇人民政府关于德庆县2019年\n政务公开工作要点分工方案落实情况的报告"
    assert paragraphs[2].style.name == "主送机关" and paragraphs[2].text == "县府办（政务信息股）："
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == [
        "一、总体情况", "二、主要成效做法", "三、存在问题", "四、下一步措施"]
    h2 = next(p.text for p in paragraphs if p.style.name == "Heading 2")
    assert h2 == "（一）着眼稳定预期，加强政策解读和回应关切"
    task12 = next(p for p in paragraphs if p.text.startswith("（任务12 "))
    assert task12.style.name == "Normal" and "认真办理市府办（政务信息科）" in task12.text
    for p in paragraphs:
        for run in p.runs:
            assert run._r.rPr is None, p.text


def test_closing_and_signature_unsealed_per_7_3_5_2(document) -> None:
    paragraphs = document.paragraphs
    i = next(i for i, p in enumerate(paragraphs) if p.style.name == "署名")
    name, when, note = paragraphs[i], paragraphs[i + 1], paragraphs[i + 2]
    assert (name.text, when.text) == ("悦城镇人民政府", "2019年12月4日")
    assert paragraphs[i - 1].text == "" and paragraphs[i - 2].style.name == "附件说明"
    assert paragraphs[i - 2].text == "附件：德庆县2019年政务公开工作要点落实情况台账"  # the annex's own title
    closing = next(p for p in paragraphs if p.text == "特此报告。")
    chain = paragraphs[index_of(paragraphs, closing):i + 1]
    assert all(p.paragraph_format.keep_with_next for p in chain)
    # Name 7 characters, date 6.5: the name two characters in, the date's first character two right of its.
    assert name._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "200"
    assert when._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "50"
    assert note.text == "（联系人：王堃，联系电话：0758-7712345）" and note.style.name == "Normal"


def test_sealed_signature_dates_four_characters_in_with_the_name_centred_over_it() -> None:
    doc = docx.Document(io.BytesIO(render_docx(office_content(sealed=True))))
    paragraphs = doc.paragraphs
    i = next(i for i, p in enumerate(paragraphs) if p.style.name == "署名")
    assert [p.text for p in paragraphs[i - 2:i]] == ["", ""]  # room for the seal
    assert paragraphs[i]._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "375"
    assert paragraphs[i + 1]._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "400"


def test_signature_indents_follow_the_lengths() -> None:
    assert signature_indents(Signature("悦城镇人民政府", "2019年12月4日")) == (2.0, 0.5)
    assert signature_indents(Signature("德庆县悦城镇人民政府办公室", "2019年1月4日")) == (2.0, 7.0)
    assert signature_indents(Signature("县府办", "2019年12月14日", sealed=True)) == (6.0, 4.0)
    assert signature_indents(Signature("县府办", "2019年12月14日")) == (8.0, 2.0)


@pytest.mark.parametrize("signer, when, sealed", [
    ("悦城镇人民政府", "2019年12月4日", False), ("德庆县教育局", "2019年12月14日", False),
    ("德庆县悦城镇人民政府办公室", "2019年1月4日", False), ("县府办", "2019年12月14日", False),
    ("德庆县人民政府办公室", "2026年1月1日", True), ("悦城镇", "2019年12月4日", True)])
def test_signature_sits_where_the_pdf_puts_it(signer: str, when: str, sealed: bool) -> None:
    from core.report.flowables import SignatureBlock
    from core.report.fonts import get_fontset
    from core.report.layout import BLOCK_W, PITCH

    block = SignatureBlock(get_fontset("bundled"), signer, when, sealed)
    block.wrap(BLOCK_W, 100)
    pdf = [(BLOCK_W - x - block._width(runs)) / PITCH for x, runs in zip(block.positions(), block.lines, strict=True)]
    word = signature_indents(Signature(signer, when, sealed=sealed))
    assert word == pytest.approx(pdf, abs=0.1)  # right indents in characters


def test_ledger_is_a_landscape_section_with_a_repeating_header(document) -> None:
    s = document.sections[1]
    assert s.orientation == WD_ORIENT.LANDSCAPE
    assert (s.page_width.twips, s.page_height.twips) == (16838, 11906)
    assert s.top_margin.twips == 1588  # the binding edge at the table's head
    body = document.element.body
    label = [p for p in document.paragraphs if p.style.name == "附件标识"]
    assert [p.text for p in label] == ["附件"]
    title = document.paragraphs[index_of(document.paragraphs, label[0]) + 2]
    assert title.style.name == "Title"
    assert title.text.replace("\n", "") == "德庆县2019年政务公开工作要点落实情况台账"
    (table,) = document.tables
    assert body.index(table._tbl) > body.index(label[0]._p)
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    content = office_content()
    layout = ledger_layout(content)  # the PDF annex's layout: the same columns, widths, rows and notes
    assert [c.text for c in header.cells] == [c.header for c in layout.columns] == [
        "序号", "工作任务", "落实情况", "进度", "存在问题", "下一步措施", "佐证材料"]
    note = "本表各项任务的本单位角色均为负责，责任股室均为镇党政办，完成时限均为2019年12月31日（另有注明的除外）。"
    assert layout.notes == (note,) and note in [p.text for p in document.paragraphs]
    rows = [r for r in table.rows[1:] if len(r._tr.tc_lst) > 1]  # task rows, not long cells' full-width rows
    assert len(rows) == 66
    numbers = [int(r.cells[0].text) for r in rows]
    assert numbers == [n for n in range(1, 69) if n not in (65, 68)] == [line.row.number for line in layout.lines]
    row12 = rows[numbers.index(12)].cells
    assert row12[1].text.startswith(clean(real_plan().task(12).text))
    assert row12[3].text == "已完成"
    # 佐证材料 is a column of its own, as in the PDF, not folded into 落实情况
    assert [p.text for p in row12[6].paragraphs] == ["12-1 悦城镇市长留言办理台账.xlsx", "12-2 舆情处置会议照片.jpg"]
    assert "佐证材料" not in row12[2].text
    widths = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert sum(widths) == 16838 - 1984 - 2098
    assert tuple(widths) == ledger_widths(layout) == (510, 3240, 3450, 720, 1770, 1770, 1296)


def test_a_very_long_cell_goes_below_its_row_in_marked_rows_of_at_most_a_page() -> None:
    problems = "\n".join(f"问题{n}：村（社区）政务公开栏更新不及时，部分信息公开不够规范。" for n in range(1, 200))
    content = with_rows(office_content(), t2={"problems": problems})
    doc = docx.Document(io.BytesIO(render_docx(content)))
    table = doc.tables[0]
    rows = table.rows
    i = next(i for i, r in enumerate(rows) if len(r._tr.tc_lst) > 1 and r.cells[0].text == "2")
    assert rows[i].cells[4].text == "（见下行）"
    spans = []
    for r in rows[i + 1:]:
        if len(r._tr.tc_lst) > 1:
            break
        spans.append(r._tr.tc_lst[0])
    assert len(spans) >= 6  # 199 problems of ~30 characters at ~60 characters a line: no single row
    texts = ["\n".join("".join(t.text for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p")) for tc in spans]
    assert texts[0].startswith("存在问题（任务2）：问题1：")
    assert all(t.startswith("存在问题（任务2，续）：") for t in texts[1:])
    for tc in spans:
        assert tc.tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == str(len(rows[0].cells))
        assert len(tc.findall(f"{W}p")) <= CHUNK_LINES
    for r in rows[1:]:  # no row may run past a page: Word and WPS must not split any
        assert r._tr.trPr.find(qn("w:cantSplit")) is not None
    joined = "".join(t.split("：", 1)[1] for t in texts).replace("\n", "")
    assert joined == problems.replace("\n", "")  # nothing lost
    assert LONG_LINES == 18


def test_text_xml_cannot_hold_stays_visible_and_rare_characters_survive() -> None:
    content = office_content()
    odd = "铃\x07声\x0c换页😀𠀀堃"
    content = replace(content, blocks=(*content.blocks[:3], Block(BlockKind.BODY, odd), *content.blocks[3:]))
    content = with_rows(content, t12={"problems": odd})
    doc = docx.Document(io.BytesIO(render_docx(content)))
    assert "铃[U+0007]声[U+000C]换页😀𠀀堃" in [p.text for p in doc.paragraphs]
    numbers = [r.cells[0].text for r in doc.tables[0].rows]
    assert doc.tables[0].rows[numbers.index("12")].cells[4].text == "铃[U+0007]声[U+000C]换页😀𠀀堃"


def test_a_report_without_ledger_has_one_section() -> None:
    content = replace(office_content(), ledger_title="", ledger_rows=())
    doc = docx.Document(io.BytesIO(render_docx(content)))
    assert len(doc.sections) == 1 and not doc.tables


def test_long_titles_break_before_the_book_title_mark() -> None:
    assert title_lines("短标题", 20) == ["短标题"]
    assert title_lines("悦城镇落实《德庆县2019年政务公开工作要点分工方案》情况台账", 28.9) == [
        "悦城镇落实", "《德庆县2019年政务公开工作要点分工方案》情况台账"]
    assert title_lines("没有书名号可以断开的一个非常非常非常长的标题文字内容", 10) == [
        "没有书名号可以断开的一个非常非常非常长的标题文字内容"]


# Element order is fixed by the schema; Word refuses ("unreadable content") a file that breaks it.
P_PR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
              "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
              "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange")
R_PR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
              "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
              "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")


@pytest.mark.parametrize("name", ["word/styles.xml", "word/document.xml"])
def test_properties_are_in_schema_order(data: bytes, name: str) -> None:
    root = part(data, name)
    for tag, order in (("pPr", P_PR_ORDER), ("rPr", R_PR_ORDER)):
        for el in root.iter(f"{W}{tag}"):
            children = [etree.QName(c).localname for c in el]
            positions = [order.index(c) for c in children]
            assert positions == sorted(positions), children


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=40))
def test_any_typed_text_makes_a_document_that_shows_it(text: str) -> None:
    content = office_content()
    small = replace(content, blocks=(Block(BlockKind.BODY, text),), ledger_rows=content.ledger_rows[:1])
    doc = docx.Document(io.BytesIO(render_docx(with_rows(small, t1={"problems": text}))))
    expected = [visible(clean(line)) for line in paragraphs(text)]
    shown = [p.text for p in doc.paragraphs[:len(expected)]]
    assert shown == expected
    headers = [c.text for c in doc.tables[0].rows[0].cells]
    if "存在问题" in headers:  # the column prints only when some row has problems (as in the PDF)
        cell = doc.tables[0].rows[1].cells[headers.index("存在问题")]
        assert [p.text for p in cell.paragraphs] == (expected or [""])
    else:
        assert not "".join(expected).strip()
