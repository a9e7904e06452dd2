"""The 2019 report for 悦城镇, checked in the PDF itself."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from core.model import Progress, ReportTexts
from core.report import ReportOptions, build_report, content_hash
from core.report.layout import ASCENT, LAND_LEFT
from core.report.ledger import COL_WIDTHS
from core.report.linebreak import CANNOT_END, CANNOT_START
from tests.report_fixtures import OFFICE, RARE, REPORT_DATE, real_plan, town_progress, town_roles, town_texts

OPTIONS = ReportOptions(office=OFFICE, report_date=REPORT_DATE, font_choice="bundled")
ASSIGNED = set(range(1, 69)) - {65, 68}


def items(page) -> list[tuple[float, float, float, str]]:
    """(x, y, font size, text) of every text run on a page, in page coordinates."""
    out: list[tuple[float, float, float, str]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        out.append((x, y, font_size * tm[3] * cm[3], text))

    page.extract_text(visitor_text=visit)
    return out


@pytest.fixture(scope="module")
def report() -> PdfReader:
    plan = real_plan()
    roles = town_roles(plan)
    data = build_report(plan, roles, town_progress(plan, roles), town_texts(), OPTIONS)
    return PdfReader(io.BytesIO(data))


@pytest.fixture(scope="module")
def texts(report: PdfReader) -> list[str]:
    return [p.extract_text() for p in report.pages]


def portrait(report: PdfReader) -> list[int]:
    return [i for i, p in enumerate(report.pages) if p.mediabox.height > p.mediabox.width]


def test_page_sizes_portrait_then_landscape(report: PdfReader) -> None:
    first = report.pages[0].mediabox
    assert float(first.width) == pytest.approx(595.28, abs=0.1)
    assert float(first.height) == pytest.approx(841.89, abs=0.1)
    kinds = ["P" if p.mediabox.height > p.mediabox.width else "L" for p in report.pages]
    n_portrait = kinds.count("P")
    assert kinds == ["P"] * n_portrait + ["L"] * (len(kinds) - n_portrait)
    assert n_portrait >= 2 and len(kinds) - n_portrait >= 2
    last = report.pages[-1].mediabox
    assert float(last.width) == pytest.approx(841.89, abs=0.1)


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
    body = "".join(texts).replace("\n", "").replace(" ", "")
    assert "悦城镇关于德庆县2019年政务公开工作要点分工方案落实情况的报告" in body
    assert "县府办（政务信息股）：" in body
    assert "涉及我镇的有66项，其中牵头2项、负责64项" in body
    assert "2019年12月4日" in body
    assert "（联系人：王堃，联系电话：0758-7712345）" in body
    assert "附件：落实情况台账" in body
    headings = ("一、总体情况", "二、主要成效做法", "三、存在问题", "四、下一步措施",
                "（一）着眼稳定预期，加强政策解读和回应关切")
    for heading in headings:
        assert heading in body


def test_not_applicable_task_is_counted_but_not_described(texts: list[str]) -> None:
    body = "".join(texts).replace("\n", "").replace(" ", "")
    assert "不适用1项" in body
    assert "（任务44）" not in body
    assert "（任务43）" in body


def test_page_numbers_alternate_sides(report: PdfReader) -> None:
    for i, page in enumerate(report.pages, start=1):
        found = [it for it in items(page) if it[3].strip() == f"— {i} —"]
        assert len(found) == 1, (i, [it[3] for it in items(page)][:3])
        x, y, size, _ = found[0]
        assert size == pytest.approx(14)
        width = float(page.mediabox.width)
        if i % 2:
            assert x > width / 2
        else:
            assert x < width / 2
        if float(page.mediabox.height) > width:  # portrait: one character in from the block edge
            if i % 2 == 0:
                assert x == pytest.approx(28 * mm + 14, abs=0.5)
            # em box top 7 mm below the block bottom (35 mm)
            assert y + ASCENT * 14 == pytest.approx(28 * mm, abs=0.5)


def test_text_block_edges(report: PdfReader) -> None:
    height = float(report.pages[0].mediabox.height)
    for index in portrait(report)[:3]:
        runs = [it for it in items(report.pages[index]) if not it[3].strip().startswith("—")]
        left = min(x for x, _, _, _ in runs)
        top = max(y + ASCENT * size for _, y, size, _ in runs)
        assert left == pytest.approx(28 * mm, abs=1 * mm)
        assert height - top == pytest.approx(37 * mm, abs=1 * mm)


def test_every_assigned_task_in_ledger(report: PdfReader) -> None:
    numbers: set[int] = set()
    for page in report.pages:
        if page.mediabox.width < page.mediabox.height:
            continue
        for x, _, _, text in items(page):
            if LAND_LEFT <= x <= LAND_LEFT + COL_WIDTHS[0] and re.fullmatch(r"\d+", text.strip()):
                numbers.add(int(text.strip()))
    assert numbers == ASSIGNED


def test_header_repeats_on_every_ledger_page(report: PdfReader, texts: list[str]) -> None:
    ledger = [t for p, t in zip(report.pages, texts, strict=False) if p.mediabox.width > p.mediabox.height]
    assert all("下一步措施" in t and "工作任务" in t for t in ledger)


def _lines(texts: list[str]) -> list[str]:
    return [line.strip() for t in texts for line in t.split("\n") if line.strip()]


def test_no_line_starts_or_ends_with_forbidden_punctuation(texts: list[str]) -> None:
    lines = [x for x in _lines(texts) if not re.fullmatch(r"— \d+ —", x)]
    assert len(lines) > 1500
    bad_start = [x for x in lines if x[0] in CANNOT_START]
    bad_end = [x for x in lines if x[-1] in CANNOT_END]
    assert bad_start == []
    assert bad_end == []
    # The real text has plenty of commas: they must have been pushed somewhere.
    assert sum(x.count("，") for x in lines) > 500


def test_rare_characters_survive(texts: list[str]) -> None:
    body = "".join(texts)
    for ch in RARE:
        assert ch in body
    assert "〓" not in body


def test_same_input_same_bytes() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    progress = town_progress(plan, roles)
    a = build_report(plan, roles, progress, town_texts(), OPTIONS)
    b = build_report(plan, roles, progress, town_texts(), OPTIONS)
    assert content_hash(a) == content_hash(b)
    c = build_report(plan, roles, progress, town_texts(), replace(OPTIONS, report_date=REPORT_DATE.replace(day=5)))
    assert content_hash(a) != content_hash(c)


def test_long_cell_is_kept_whole() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    progress = town_progress(plan, roles)
    long_text = "".join(f"第{i}次检查发现栏目更新及时，" for i in range(1, 400))[:5000]
    assert len(long_text) == 5000
    progress[7] = replace(progress[7], achievements=long_text, steps="")
    data = build_report(plan, roles, progress, ReportTexts(), OPTIONS)
    reader = PdfReader(io.BytesIO(data))
    left = LAND_LEFT + sum(COL_WIDTHS[:5])
    right = left + COL_WIDTHS[5]
    column = []
    for page in reader.pages:
        if page.mediabox.width > page.mediabox.height:
            column += [t for x, _, _, t in items(page) if left <= x < right and t.strip() != "落实情况"]
    joined = re.sub(r"\s+", "", "".join(column))
    assert long_text in joined
    ledger_text = "".join(p.extract_text() for p in reader.pages if p.mediabox.width > p.mediabox.height)
    assert "7（续）" in ledger_text.replace("\n", "")


def test_report_without_progress_or_ledger() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    options = replace(OPTIONS, include_ledger=False)
    reader = PdfReader(io.BytesIO(build_report(plan, roles, {}, ReportTexts(), options)))
    assert all(p.mediabox.height > p.mediabox.width for p in reader.pages)
    body = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    assert "未开始66项" in body
    assert "暂无填报的成效做法。" in body
    assert "附件" not in body
    assert "特此报告。" in body


def test_user_markup_is_escaped() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    progress = {1: Progress(task=1, achievements="A<b>&B</b> 1<2 & 3>2")}
    reader = PdfReader(io.BytesIO(build_report(plan, roles, progress, ReportTexts(), OPTIONS)))
    assert "A<b>&B</b>1<2&3>2" in "".join(p.extract_text() for p in reader.pages).replace(" ", "")
