"""The Excel 台账, read back with openpyxl and from its XML: rows, values, print setup, injection safety."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import datetime

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.report.text import clean
from core.report.xlsx_writer import (
    DATE_FORMAT,
    FIRST_DATA_ROW,
    HEADER_ROW,
    LINE_HEIGHT,
    MAX_ROW_HEIGHT,
    PAPERS,
    ROW_LINES,
    print_font_size,
    render_xlsx,
    split_for_cells,
    split_lines,
)
from core.report.xml_chars import ooxml_escape, ooxml_unescape
from tests.office_content import office_content, with_rows
from tests.report_fixtures import real_plan

INJECTIONS = ('=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+2", "-2+3", "@SUM(1)", "=1+1",
              "\t=1+1", "\r=1+1", "#N/A", "＝1+1", "=")


def read(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    """The A3 layout: all thirteen columns."""
    return read(render_xlsx(office_content(), "a3"))


def data_rows(ws) -> list[tuple]:
    return list(ws.iter_rows(min_row=FIRST_DATA_ROW, values_only=True))


def test_title_office_date_and_header(book) -> None:
    ws = book["落实情况台账"]
    assert ws["A1"].value == "德庆县2019年政务公开工作要点落实情况台账"
    assert "A1:M1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "填报单位：悦城镇人民政府    报送轮次：2019年全年"
    assert ws["H2"].value == "填报日期：2019年12月4日"
    assert [c.value for c in ws[HEADER_ROW]] == [
        "序号", "工作任务", "本单位角色", "责任股室", "完成时限", "状态", "进度", "实施步骤", "成效做法", "存在问题",
        "下一步措施", "最近更新", "佐证材料"]


def test_one_row_per_assigned_task_with_the_real_values(book) -> None:
    ws = book.active
    rows = data_rows(ws)
    assert len(rows) == 66
    assert [r[0] for r in rows] == [n for n in range(1, 69) if n not in (65, 68)]
    i = [r[0] for r in rows].index(12)
    row = rows[i]
    assert row[1] == clean(real_plan().task(12).text)  # as printed: the composer's punctuation, as in the PDF
    assert row[1] == "认真办理市府办（政务信息科）转来的舆情处置、网民给市长留言事项。"
    assert row[2:4] == ("负责", "镇党政办")
    assert row[4] == datetime(2019, 12, 31)
    assert row[5:7] == ("已完成", 1)
    assert row[11] == datetime(2019, 12, 1, 10, 0)
    assert row[12] == "12-1 悦城镇市长留言办理台账.xlsx\n12-2 舆情处置会议照片.jpg"
    cells = ws[FIRST_DATA_ROW + i]
    assert cells[4].number_format == DATE_FORMAT and cells[6].number_format == "0%"
    assert cells[4].is_date and cells[6].data_type == "n"
    assert rows[1][6] == 0.5  # task 2 持续推进 50%
    assert all(c.alignment.wrap_text for c in cells)
    # Tall enough for the longest cell: 成效做法 of task 12 is 190 units wide in a 34-wide column: 6 lines.
    assert ws.row_dimensions[FIRST_DATA_ROW + i].height == 6 * 13.5 + 4


def test_set_up_to_print_landscape_a3_fit_to_width(book) -> None:
    ws = book.active
    setup = ws.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == "8"
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$3:$3"
    assert ws.freeze_panes == f"A{FIRST_DATA_ROW}"
    assert [ws.column_dimensions[c].width for c in "ABCEI"] == [5.5, 34, 7.5, 15.5, 34]


# Printable width of landscape A4 and A3 less 0.4 inch margins, in points; Excel's column unit with the
# sheet's default Calibri 11: 7 px a unit plus 5 px, 0.75 pt a px.
PRINTABLE = {"9": 841.89 - 57.6, "8": 1190.55 - 57.6}


def printed_size(ws) -> float:
    """The cells' printed font size when Excel fits the sheet's columns to the paper's width."""
    last = ws.max_column
    widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, last + 1)]
    points = sum(int(w * 7 + 5) * 0.75 for w in widths)
    scale = min(1.0, PRINTABLE[str(ws.page_setup.paperSize)] / points)
    size = ws.cell(FIRST_DATA_ROW, 2).font.sz
    return size * scale


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("evidence", [True, False])
def test_prints_at_nine_points_or_more(paper: str, evidence: bool) -> None:
    content = office_content()
    if not evidence:
        content = with_rows(content, t12={"evidence": ()})
    ws = read(render_xlsx(content, paper)).active
    assert str(ws.page_setup.paperSize) == {"a4": "9", "a3": "8"}[paper]
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    size = printed_size(ws)
    assert size >= 9.0
    assert size == pytest.approx(print_font_size(paper, content.ledger_rows), abs=0.11)
    assert all(c.alignment.wrap_text for c in ws[FIRST_DATA_ROW])


def test_the_old_single_layout_would_print_below_nine_points() -> None:
    ws = read(render_xlsx(office_content(), "a3")).active
    ws.page_setup.paperSize = 9  # the thirteen columns fitted to A4, as before
    assert printed_size(ws) < 7


def test_a4_layout_has_fewer_narrower_columns() -> None:
    ws = read(render_xlsx(office_content(), "a4")).active
    assert [c.value for c in ws[HEADER_ROW]] == [
        "序号", "工作任务", "责任股室", "完成时限", "状态", "落实情况", "存在问题", "下一步措施", "佐证材料"]
    rows = {r[0]: r for r in data_rows(ws)}
    assert rows[2][4] == "持续推进\n50%"  # 进度 under 状态
    assert rows[12][3] == datetime(2019, 12, 31)
    assert rows[1][5].startswith("实施步骤：1.制定方案")  # 实施步骤 inside 落实情况, then 成效做法
    assert rows[12][8] == "12-1 悦城镇市长留言办理台账.xlsx\n12-2 舆情处置会议照片.jpg"
    # 佐证材料 only when some task has any
    bare = read(render_xlsx(with_rows(office_content(), t12={"evidence": ()}), "a4")).active
    assert "佐证材料" not in [c.value for c in bare[HEADER_ROW]]
    default = read(render_xlsx(office_content())).active  # the default is A4 (compared by content: the file's
    # own save time would make a byte comparison fail across a second)
    assert str(default.page_setup.paperSize) == "9"
    assert [[c.value for c in row] for row in default.iter_rows()] == [[c.value for c in row] for row in ws.iter_rows()]
    letters = [openpyxl.utils.get_column_letter(c) for c in range(1, ws.max_column + 1)]
    assert [default.column_dimensions[c].width for c in letters] == [ws.column_dimensions[c].width for c in letters]
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"


@pytest.fixture(scope="module")
def injected() -> bytes:
    fields = ("task", "role", "owner", "status", "steps", "achievements", "problems", "next_steps", "updated_at", "due")
    changes = {f"t{n}": {field: payload for field in fields}
               for n, payload in zip((1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12), INJECTIONS, strict=True)}
    changes["t12"]["evidence"] = INJECTIONS[:2]
    return render_xlsx(with_rows(office_content(), **changes), "a3")


def test_notes_starting_with_formula_characters_are_text(injected: bytes) -> None:
    ws = read(injected).active
    by_number = {r[0].value: r for r in ws.iter_rows(min_row=FIRST_DATA_ROW)}
    for n, payload in zip((1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12), INJECTIONS, strict=True):
        for cell in by_number[n][1:]:
            if cell.column in (1, 7):  # 序号, 进度: numbers
                continue
            if cell.column == 13 and n != 12:
                continue
            assert cell.data_type == "s", (n, cell.coordinate)
            expected = "\n".join(INJECTIONS[:2]) if cell.column == 13 else payload
            assert ooxml_unescape(cell.value) == expected
    with zipfile.ZipFile(io.BytesIO(injected)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    assert 't="e"' not in sheet


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=60)
       | st.sampled_from(["\r\n", "a\rb", "_x0041_", "_x005F_", "\x00", "\ud800", "\ufffe", "😀𠀀", "=1",
                          " 前后空格 "]))
def test_any_text_survives_exactly(text: str) -> None:
    content = office_content()
    one = replace(content, ledger_rows=content.ledger_rows[:1])
    ws = read(render_xlsx(with_rows(one, t1={"achievements": text, "task": text}), "a3")).active
    for col in (2, 9):
        cell = ws.cell(FIRST_DATA_ROW, col)
        if text:
            assert cell.data_type == "s"
        assert ooxml_unescape(cell.value or "") == text


def test_escapes_are_the_ooxml_ones() -> None:
    assert ooxml_escape("a\r\nb\x07_x0041_") == "a_x000D_\nb_x0007__x005F_x0041_"
    assert ooxml_unescape("a_x000D_\nb_x0007__x005F_x0041_") == "a\r\nb\x07_x0041_"


@pytest.mark.parametrize("paper", PAPERS)
def test_a_cell_too_long_for_one_row_continues_in_marked_rows(paper: str) -> None:
    problems = "\n".join(f"问题{n}：村（社区）政务公开栏更新不及时，部分信息公开不够规范。" for n in range(1, 200))
    ws = read(render_xlsx(with_rows(office_content(), t2={"problems": problems}), paper)).active
    header = [c.value for c in ws[HEADER_ROW]]
    col = header.index("存在问题")
    rows = list(ws.iter_rows(min_row=FIRST_DATA_ROW))
    first = next(i for i, r in enumerate(rows) if r[0].value == 2)
    group = [rows[first]]
    for r in rows[first + 1:]:
        if r[0].value != "2（续）":
            break
        group.append(r)
    assert len(group) >= 5  # 199 problems: never one row cut at 409 pt (it stopped at 问题95)
    assert rows[first + len(group)][0].value == 3
    shown = "\n".join(r[col].value for r in group)
    assert shown == problems  # every problem, in order
    for r in group:
        height = ws.row_dimensions[r[0].row].height
        assert height <= MAX_ROW_HEIGHT
        assert len(r[col].value.splitlines()) <= ROW_LINES
    assert group[1][1].value in (None, "")  # the task's text is not repeated
    assert ws.row_dimensions[group[0][0].row].height > 20 * LINE_HEIGHT


def test_huge_text_is_never_cut_off() -> None:
    long = "".join(f"第{i}段：对照要求逐项落实，😀。\r\n" for i in range(3000))  # 62,890 characters
    ws = read(render_xlsx(with_rows(office_content(), t12={"achievements": long}), "a3")).active
    header = [c.value for c in ws[HEADER_ROW]]
    col = header.index("成效做法")
    group = [r for r in ws.iter_rows(min_row=FIRST_DATA_ROW) if r[0].value in (12, "12（续）")]
    assert ooxml_unescape("\n".join(r[col].value or "" for r in group)) == long
    assert all(len((r[col].value or "").splitlines()) <= ROW_LINES for r in group)


def test_split_lines_keeps_every_character() -> None:
    text = "短\n" + "长" * 500 + "\n" + "😀" * 40
    pieces = split_lines(text, 10, lines=5)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")  # a long paragraph is cut mid-way
    assert pieces[0] == "短"  # the long paragraph starts a piece of its own
    assert all(len(p.splitlines()) <= 5 for p in pieces)


def test_pieces_never_cut_an_escape_or_exceed_the_limit() -> None:
    text = "\x07" * 10 + "😀" * 10
    pieces = split_for_cells(text, limit=16)
    assert all(len(p.encode("utf-16-le")) // 2 <= 16 for p in pieces)
    assert ooxml_unescape("".join(pieces)) == text
    assert pieces[0] == "_x0007__x0007_"



def test_an_office_without_tasks_gets_the_header_alone() -> None:
    ws = read(render_xlsx(replace(office_content(), ledger_rows=()))).active
    assert [c.value for c in ws[HEADER_ROW]][:2] == ["序号", "工作任务"]
    assert ws.max_row == HEADER_ROW
    assert ws.print_title_rows == "$3:$3"
