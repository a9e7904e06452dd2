"""The 2019 report for 悦城镇, checked in the PDF itself (glyph positions from the content stream)."""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from core.model import Progress, ReportTexts, Status
from core.report import ReportOptions, build_report, compose_report, content_hash, render_pdf
from core.report.layout import ASCENT, LEADING, PITCH
from core.report.linebreak import CANNOT_END, CANNOT_START
from tests.pdf_lines import Line, glyph_lines
from tests.report_fixtures import OFFICE, RARE, REPORT_DATE, real_plan, town_progress, town_roles, town_texts

OPTIONS = ReportOptions(office=OFFICE, report_date=REPORT_DATE, font_choice="bundled")
ASSIGNED = set(range(1, 69)) - {65, 68}
LEFT = 28 * mm
RIGHT = LEFT + 156 * mm
PAGE_NUMBER = re.compile(r"— \d+ —")
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def flat(text: str) -> str:
    return text.replace("\n", "").replace(" ", "")


@pytest.fixture(scope="module")
def report() -> PdfReader:
    plan = real_plan()
    roles = town_roles(plan)
    data = build_report(plan, roles, town_progress(plan, roles), town_texts(), OPTIONS)
    return PdfReader(io.BytesIO(data))


@pytest.fixture(scope="module")
def texts(report: PdfReader) -> list[str]:
    return [p.extract_text() for p in report.pages]


def is_ledger(text: str) -> bool:
    return "序号" in text and "下一步措施" in text


@pytest.fixture(scope="module")
def body_pages(report: PdfReader, texts: list[str]) -> list[list[Line]]:
    """Lines of every body (not ledger) page, page numbers left out."""
    return [[x for x in glyph_lines(p) if not PAGE_NUMBER.fullmatch(x.text.strip())]
            for p, t in zip(report.pages, texts, strict=True) if not is_ledger(t)]


def test_every_page_is_a4_portrait_and_the_ledger_is_turned(report: PdfReader, texts: list[str]) -> None:
    for page in report.pages:
        assert float(page.mediabox.width) == pytest.approx(595.28, abs=0.1)
        assert float(page.mediabox.height) == pytest.approx(841.89, abs=0.1)
    kinds = ["L" if is_ledger(t) else "B" for t in texts]
    n_body = kinds.count("B")
    assert kinds == ["B"] * n_body + ["L"] * (len(kinds) - n_body)
    assert n_body >= 2 and len(kinds) - n_body >= 2
    for number, page in enumerate(report.pages, start=1):
        turned = glyph_lines(page, turned=True)
        if kinds[number - 1] == "B":
            assert turned == []
        else:
            assert any("下一步措施" in x.text for x in turned)
            assert [x for x in glyph_lines(page) if not PAGE_NUMBER.fullmatch(x.text.strip())] == []


def test_every_font_is_embedded(report: PdfReader) -> None:
    fonts: dict[str, bool] = {}
    for page in report.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            base = str(font["/BaseFont"])
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[base] = descriptor is not None and "/FontFile2" in descriptor.get_object()
    assert fonts, "no fonts found"
    assert all(fonts.values()), [k for k, v in fonts.items() if not v]
    # Fandol 仿宋 (body), Fandol 楷 (（一） headings) and WenQuanYi (一、 headings, rare names) are all used.
    joined = " ".join(fonts)
    for face in ("FandolFang", "FandolKai", "WenQuanYiMicroHei"):
        assert face in joined


def test_title_office_recipient_and_signature(texts: list[str]) -> None:
    body = flat("".join(texts))
    assert "悦城镇人民政府关于德庆县2019年政务公开工作要点分工方案落实情况的报告" in body
    assert "县府办（政务信息股）：" in body
    assert "涉及我镇的有66项，其中牵头2项、负责64项" in body
    assert "完成率52.3%，已完成和持续推进的合计占67.7%" in body
    assert ("尚未开始的有任务5（参加微访谈、在线访谈工作）、任务11（开展政务舆情应对工作效果评估）、"
            "任务17（出台和调整政策要加强与市场沟通）、任务23（完善生效行政处罚决定书等）、任务29（建立新型监管机制）、任务35（公开义务教育招生方案"
            "等信息）等10项（详见附件）。") in body
    assert "现将我镇2019年全年落实情况报告如下：" in body
    assert "悦城镇人民政府" in body
    assert "2019年12月4日" in body
    assert "（联系人：王堃，联系电话：0758-7712345）" in body
    headings = ("一、总体情况", "二、主要成效做法", "三、存在问题", "四、下一步措施",
                "（一）着眼稳定预期，加强政策解读和回应关切", "（任务12办理市府办转来的舆情处置等）")
    for heading in headings:
        assert heading in body


def test_title_lines_are_a_trapezoid(body_pages: list[list[Line]]) -> None:
    top, second = body_pages[0][:2]
    assert (top.text, second.text) == ("悦城镇人民政府关于德庆县2019年", "政务公开工作要点分工方案落实情况的报告")
    assert top.x1 - top.x0 < second.x1 - second.x0
    for line in (top, second):  # centred
        assert (line.x0 - LEFT) == pytest.approx(RIGHT - line.x1, abs=0.5)


def test_annex_note_names_the_annex_title(texts: list[str]) -> None:
    body = flat("".join(t for t in texts if not is_ledger(t)))
    name = re.search(r"附件：(\S+?台账)", body).group(1)
    assert name == "德庆县2019年政务公开工作要点落实情况台账"
    first_ledger = flat(next(t for t in texts if is_ledger(t)))
    assert first_ledger.startswith("附件" + name) or ("附件" + name) in first_ledger


def test_not_applicable_task_is_counted_but_not_described(texts: list[str]) -> None:
    body = flat("".join(texts))
    assert "不适用1项" in body
    assert "（任务44" not in body
    assert "（任务43" in body


def test_page_numbers_alternate_sides_on_every_page(report: PdfReader) -> None:
    for i, page in enumerate(report.pages, start=1):
        found = [x for x in glyph_lines(page) if x.text.strip() == f"— {i} —"]
        assert len(found) == 1, i
        line = found[0]
        assert line.size == pytest.approx(14)
        if i % 2:
            assert line.x1 == pytest.approx(RIGHT - 14, abs=0.5)
        else:
            assert line.x0 == pytest.approx(LEFT + 14, abs=0.5)
        # em box top 7 mm below the block bottom (35 mm)
        assert line.y + ASCENT * 14 == pytest.approx(28 * mm, abs=0.5)


def test_22_lines_on_the_grid(body_pages: list[list[Line]]) -> None:
    top = 841.89 - 37 * mm - ASCENT * 16  # baseline of a body line on the block's first grid line
    full = 0
    for lines in body_pages[1:-1]:
        rows = [round((top - x.y) / LEADING, 3) for x in lines]
        assert all(r == int(r) and 0 <= r < 22 for r in rows), rows
        assert len(lines) >= 19  # a heading and two lines may go over: at most three lines left free
        full += len(lines) == 22
    assert full >= 0.8 * len(body_pages[1:-1])


def test_28_characters_a_line_and_a_straight_right_edge(body_pages: list[list[Line]]) -> None:
    lines = [x for page in body_pages for x in page if x.size == 16]
    counts: list[int] = []
    for line, after in itertools.pairwise(lines):
        continues = abs(after.x0 - LEFT) < 0.5  # the next line is this paragraph's (also across a page break)
        if not continues:
            continue
        assert line.x1 == pytest.approx(RIGHT, abs=0.3), line.text
        text = line.text
        plain = not any(c.isascii() for c in text) and not re.search(r"[，。、；：）》”’（《“‘]{2}", text)
        if plain:  # characters short of 28 (a first line is indented two); 1 when 禁则 moved one down
            counts.append((26 if abs(line.x0 - LEFT - 2 * PITCH) < 0.5 else 28) - len(text))
    assert len(counts) > 100
    assert set(counts) <= {0, 1}
    assert counts.count(0) >= 0.75 * len(counts)


def test_paragraph_continued_on_the_next_page_is_flush_right(body_pages: list[list[Line]]) -> None:
    breaks = 0
    for page, nxt in itertools.pairwise(body_pages):
        last, first = page[-1], nxt[0]
        if abs(first.x0 - LEFT) < 0.5 and last.size == 16:
            assert last.x1 == pytest.approx(RIGHT, abs=0.3)
            breaks += 1
    assert breaks >= 5


def test_adjacent_punctuation_is_compressed(body_pages: list[list[Line]]) -> None:
    pairs = 0
    for line in (x for page in body_pages for x in page):
        for k in range(len(line.text) - 1):
            if line.text[k] == "）" and line.text[k + 1] in "、。，":
                # half an em (plus the line's spacing), where a full character takes 15.8 pt or more
                assert 7.5 < line.xs[k + 1] - line.xs[k] < 9.0
                pairs += 1
    assert pairs > 5


def test_headings_keep_two_lines_and_no_page_ends_with_one(body_pages: list[list[Line]]) -> None:
    for lines in body_pages[1:]:
        assert not HEADING.match(lines[-1].text), lines[-1].text
        for k, line in enumerate(lines):
            if HEADING.match(line.text) and line.x0 == pytest.approx(LEFT + 2 * PITCH, abs=0.5):
                after = [x for x in lines[k + 1:] if not HEADING.match(x.text)]
                assert len(after) >= 2, line.text


def test_text_block_edges(body_pages: list[list[Line]]) -> None:
    for lines in body_pages[:3]:
        body = [x for x in lines if x.size == 16]
        assert min(x.x0 for x in body) == pytest.approx(LEFT, abs=0.5)
        assert max(x.x1 for x in body) == pytest.approx(RIGHT, abs=0.3)
    first = body_pages[1][0]
    assert 841.89 - (first.y + ASCENT * 16) == pytest.approx(37 * mm, abs=0.5)


def _ledger_lines(report: PdfReader, texts: list[str]) -> list[Line]:
    return [x for p, t in zip(report.pages, texts, strict=True) if is_ledger(t) for x in glyph_lines(p, turned=True)]


def _town_layout():
    from core.report.ledger_pdf import ledger_layout

    plan = real_plan()
    roles = town_roles(plan)
    return ledger_layout(compose_report(plan, roles, town_progress(plan, roles), town_texts(), OPTIONS))


def test_every_assigned_task_in_ledger(report: PdfReader, texts: list[str]) -> None:
    widths = _town_layout().widths
    left = (841.89 - 225 * mm) / 2
    found = set()
    for page, text in zip(report.pages, texts, strict=True):
        if not is_ledger(text):
            continue
        for line in glyph_lines(page, turned=True):
            digits = "".join(ch for x, ch in zip(line.xs, line.text, strict=True)
                             if left <= x < left + widths[0] and ch.isdigit())
            if digits:
                found.add(int(digits))
    assert found == ASSIGNED


def test_header_repeats_and_columns_fit(report: PdfReader, texts: list[str]) -> None:
    ledger = [t for t in texts if is_ledger(t)]
    # No 佐证材料 column without evidence; a 进度 column; 角色/股室/时限 shared by most rows said once.
    assert all("下一步措施" in t and "工作任务" in t and "进度" in t and "佐证" not in t for t in ledger)
    layout = _town_layout()
    assert layout.headers == ("序号", "工作任务", "落实情况", "进度", "存在问题", "下一步措施")
    assert sum(layout.widths) == pytest.approx(225 * mm)
    assert layout.notes == ("本表各项任务的本单位角色均为负责，责任股室均为镇党政办，完成时限均为2019年12月31日"
                            "（另有注明的除外）。",)
    assert "本表各项任务的本单位角色均为负责" in flat(ledger[0])
    # The exceptions are said under their task: 38 and 59 are led by the town, task 1 has its own 股室.
    by_number = {line.row.number: line for line in layout.lines}
    assert by_number[38].cells[1][-1] == "（本单位角色：牵头）"
    assert by_number[1].cells[1][-1] == "（责任股室：党政办（负责人：李堃））"


def test_annex_in_half_the_pages_and_no_row_split(texts: list[str]) -> None:
    """66 filled rows: 31 turned pages before this layout, 15 now (at the same 五号); no row starts on one
    page and goes on on the next, since none is taller than a page."""
    ledger = [t for t in texts if is_ledger(t)]
    assert len(ledger) <= 15
    assert not any("（续）" in t for t in ledger)


def test_no_line_starts_or_ends_with_forbidden_punctuation(texts: list[str]) -> None:
    lines = [x.strip() for t in texts for x in t.split("\n") if x.strip() and not PAGE_NUMBER.fullmatch(x.strip())]
    assert len(lines) > 1500
    assert [x for x in lines if x[0] in CANNOT_START and x[0] != "“"] == []
    assert [x for x in lines if x[-1] in CANNOT_END] == []
    assert sum(x.count("，") for x in lines) > 500


def test_rare_characters_survive(texts: list[str]) -> None:
    body = "".join(texts)
    for ch in RARE:
        assert ch in body
    assert "〓" not in body


def test_same_input_same_bytes_and_a_real_creation_date() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    progress = town_progress(plan, roles)
    options = replace(OPTIONS, include_ledger=False)
    a = build_report(plan, roles, progress, town_texts(), options)
    b = build_report(plan, roles, progress, town_texts(), options)
    assert content_hash(a) == content_hash(b)
    assert PdfReader(io.BytesIO(a)).metadata["/CreationDate"] == "D:20191204090000+08'00'"
    c = build_report(plan, roles, progress, town_texts(), replace(options, report_date=REPORT_DATE.replace(day=5)))
    assert content_hash(a) != content_hash(c)
    now = datetime(2019, 12, 4, 16, 31, 5, tzinfo=timezone(timedelta(hours=8)))
    d = build_report(plan, roles, progress, town_texts(), replace(options, created=now))
    assert PdfReader(io.BytesIO(d)).metadata["/CreationDate"] == "D:20191204163105+08'00'"


def test_long_cell_spans_the_row_below() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    progress = town_progress(plan, roles)
    long_text = "".join(f"第{i}次检查发现栏目更新及时，" for i in range(1, 400))[:5000]
    progress[7] = replace(progress[7], achievements=long_text, steps="")
    reader = PdfReader(io.BytesIO(build_report(plan, roles, progress, ReportTexts(), OPTIONS)))
    base = PdfReader(io.BytesIO(build_report(plan, roles, town_progress(plan, roles), ReportTexts(), OPTIONS)))
    texts = [p.extract_text() for p in reader.pages]
    lines = _ledger_lines(reader, texts)
    joined = "".join(x.text for x in lines)
    assert "（见下行）" in joined
    assert "落实情况（任务7）：" in joined
    start = next(x for x in lines if x.text.startswith("落实情况（任务7）："))
    assert start.x1 - start.x0 > 600  # the whole 225 mm width, not the 落实情况 column
    spanning = [x.text for x in lines if abs(x.x0 - start.x0) < 1 and not x.text.startswith("序号")]
    assert long_text in re.sub(r"\s+", "", "".join(spanning))
    ledger_pages = sum(is_ledger(t) for t in texts)
    base_pages = sum(is_ledger(p.extract_text()) for p in base.pages)
    assert ledger_pages - base_pages <= 3  # 5,000 characters at full width, not seven pages of a column


def test_dash_in_a_cell_is_never_split(report: PdfReader) -> None:
    plan = real_plan()
    roles = town_roles(plan)
    progress = town_progress(plan, roles)
    note = "推进中——" * 30
    progress[3] = replace(progress[3], owner="", problems=note, next_steps="——" + "持续跟踪" * 40)
    reader = PdfReader(io.BytesIO(build_report(plan, roles, progress, ReportTexts(), OPTIONS)))
    texts = [p.extract_text() for p in reader.pages]
    lines = _ledger_lines(reader, texts)
    dashes = 0
    for line in lines:
        for run in re.findall(r"—+", line.text):
            assert len(run) % 2 == 0, line.text
            dashes += 1
    assert dashes > 20  # the empty 责任股室 shows —— too


def _signature(sealed: bool) -> tuple[Line, Line]:
    plan = real_plan()
    roles = town_roles(plan)
    texts = ReportTexts(sealed=sealed)
    content = compose_report(plan, roles, {}, texts, replace(OPTIONS, include_ledger=False))
    reader = PdfReader(io.BytesIO(render_pdf(content, OPTIONS)))
    lines = glyph_lines(reader.pages[-1])
    name = next(x for x in lines if x.text == "悦城镇人民政府")
    when = next(x for x in lines if x.text == "2019年12月4日")
    assert when.y == pytest.approx(name.y - LEADING, abs=0.1)
    closing = next(x for x in lines if x.text == "特此报告。")
    return name, when, closing


def test_signature_without_seal_7_3_5_2() -> None:
    name, when, closing = _signature(sealed=False)
    assert name.x1 == pytest.approx(RIGHT - 2 * PITCH, abs=0.5)  # right two characters
    assert when.x0 == pytest.approx(name.x0 + 2 * PITCH, abs=0.5)  # first character two to the right
    assert closing.y - name.y == pytest.approx(2 * LEADING, abs=0.1)  # one blank line


def test_signature_with_seal_7_3_5_1() -> None:
    name, when, closing = _signature(sealed=True)
    assert when.x1 == pytest.approx(RIGHT - 4 * PITCH, abs=0.5)  # right four characters
    assert (name.x0 + name.x1) / 2 == pytest.approx((when.x0 + when.x1) / 2, abs=0.5)  # centred over the date
    assert closing.y - name.y == pytest.approx(3 * LEADING, abs=0.1)  # room for the seal


@pytest.mark.parametrize("extra", range(0, 22, 3))
def test_closing_never_alone_on_a_page(extra: int) -> None:
    """Opening texts of different lengths move the closing across a page break; it always takes at
    least two body lines with it and the page before stays full."""
    plan = real_plan()
    roles = town_roles(plan)
    progress = {n: Progress(task=n, status=Status.DONE, achievements="完成" * 20) for n in range(1, 15)}
    texts = ReportTexts(opening="根据要求" * (7 * extra + 1), closing="特此报告。")
    reader = PdfReader(io.BytesIO(build_report(plan, roles, progress, texts, replace(OPTIONS, include_ledger=False))))
    pages = [[x for x in glyph_lines(p) if not PAGE_NUMBER.fullmatch(x.text.strip())] for p in reader.pages]
    last = pages[-1]
    k = next(i for i, x in enumerate(last) if x.text == "特此报告。")
    assert k >= 2
    if len(pages) > 1 and k == 2:  # went over: the page before is full but for a kept heading
        assert len(pages[-2]) >= 16


def test_report_without_notes_has_no_filler() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    options = replace(OPTIONS, include_ledger=False)
    reader = PdfReader(io.BytesIO(build_report(plan, roles, {}, ReportTexts(), options)))
    body = flat("".join(p.extract_text() for p in reader.pages))
    assert "66项均未填写" in body and "未开始" not in body  # no entry is 未填写, not 未开始
    assert "暂无" not in body
    assert "二、" not in body
    assert "附件" not in body
    assert "特此报告。" in body


def test_user_markup_is_escaped() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    progress = {1: Progress(task=1, achievements="A<b>&B</b> 1<2 & 3>2")}
    reader = PdfReader(io.BytesIO(build_report(plan, roles, progress, ReportTexts(), OPTIONS)))
    assert "A<b>&B</b>1<2&3>2" in flat("".join(p.extract_text() for p in reader.pages))


def test_overdue_tasks_are_named_with_short_names() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    progress = {7: Progress(task=7, status=Status.IN_PROGRESS, due=date(2019, 11, 20), achievements="已部署。")}
    reader = PdfReader(io.BytesIO(build_report(plan, roles, progress, ReportTexts(), replace(OPTIONS,
                                                                                              include_ledger=False))))
    body = flat("".join(p.extract_text() for p in reader.pages))
    assert "已超过完成时限仍未完成的1项：任务7（落实舆情回应的主体责任）。" in body
