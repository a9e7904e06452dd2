"""The 附件 台账 (issue 21, item 4): its rows, columns and widths (ledger_columns), and the PDF it makes."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from core.model import Progress, ReportTexts, Role, Status
from core.report import ReportOptions, compose_report, render_pdf
from core.report.ledger import BLOCK_WIDTH, ledger_columns
from tests.report_fixtures import OFFICE, REPORT_DATE, real_plan, town_progress, town_roles

DEPT = ReportOptions("德庆县教育局", REPORT_DATE, font_choice="bundled")


def _dept_content(evidence: dict[int, tuple[str, ...]] | None = None):
    """德庆县教育局: responsible for tasks 1–60, 16 of them filled."""
    plan = real_plan()
    roles = {t.number: Role.RESPONSIBLE if t.number <= 60 else Role.NONE for t in plan.tasks}
    town = town_progress(plan, town_roles(plan))
    content = compose_report(plan, roles, {n: town[n] for n in range(1, 17)}, ReportTexts(), DEPT)
    rows = tuple(replace(r, evidence=(evidence or {}).get(r.number, ())) for r in content.ledger_rows)
    return replace(content, ledger_rows=rows)


def _ledger_pages(pdf: bytes) -> list[str]:
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    start = next(i for i, t in enumerate(texts) if "落实情况台账" in t and "附件：" not in t)
    return texts[start:]


def test_untouched_rows_are_left_out_with_one_line_saying_which() -> None:
    content = _dept_content()
    layout = ledger_columns(content.ledger_rows)
    assert len(content.ledger_rows) == 60  # the Excel 台账 keeps them all
    assert [line.row.number for line in layout.lines] == list(range(1, 17))
    assert layout.left_out == tuple(range(17, 61))
    assert layout.notes[-1] == "另有44项任务尚未填写落实情况，未列入本表：任务17—60。"
    assert {r.status for r in content.ledger_rows if not r.filled} == {"未填写"}


def test_a_started_entry_with_nothing_written_counts_as_untouched() -> None:
    content = _dept_content()
    rows = list(content.ledger_rows)
    rows[1] = replace(rows[1], status="未开始", percent=0, owner="", steps="", achievements="", problems="",
                      next_steps="")
    layout = ledger_columns(tuple(rows))
    assert 2 not in [line.row.number for line in layout.lines]
    assert layout.notes[-1] == "另有45项任务尚未填写落实情况，未列入本表：任务2、17—60。"


def test_no_empty_column_and_evidence_only_when_there_is_some() -> None:
    plain = ledger_columns(_dept_content().ledger_rows)
    assert plain.headers == ("序号", "工作任务", "落实情况", "进度", "存在问题", "下一步措施")
    for i, column in enumerate(plain.columns):
        assert any(line.cells[i] for line in plain.lines), column.header
    with_evidence = ledger_columns(_dept_content({12: ("12-1 舆情处置台账.xlsx", "12-2 会议照片.jpg")}).ledger_rows)
    assert with_evidence.headers[-1] == "佐证材料"
    assert next(line for line in with_evidence.lines if line.row.number == 12).cells[-1] == (
        "12-1 舆情处置台账.xlsx", "12-2 会议照片.jpg")
    assert sum(with_evidence.widths) == pytest.approx(BLOCK_WIDTH)


def test_progress_column_and_widths_fitted_to_the_content() -> None:
    layout = ledger_columns(_dept_content().ledger_rows)
    by_number = {line.row.number: line for line in layout.lines}
    progress = layout.headers.index("进度")
    assert by_number[1].cells[progress] == ("已完成",)
    assert by_number[3].cells[progress] == ("推进中", "50%")
    assert by_number[2].cells[progress] == ("持续推进", "50%")
    widths = dict(zip(layout.headers, layout.widths, strict=True))
    # the text columns share what the short ones leave, 落实情况 (the longest notes) the most
    assert widths["落实情况"] > widths["工作任务"] > widths["存在问题"] > widths["序号"]
    assert widths["序号"] < 3 * 10.5 and widths["进度"] < 4 * 10.5
    # a narrower page (the Word writer's) keeps the columns and sums to its width
    word = ledger_columns(_dept_content().ledger_rows, width=600.0)
    assert word.headers == layout.headers and sum(word.widths) == pytest.approx(600.0)


def test_varied_roles_get_a_column_of_their_own() -> None:
    rows = list(_dept_content().ledger_rows)
    rows = [replace(r, role="牵头" if r.number % 2 else "配合", owner=f"第{r.number % 3}股") for r in rows]
    layout = ledger_columns(tuple(rows))
    assert "责任分工" in layout.headers
    duty = layout.headers.index("责任分工")
    assert layout.lines[0].cells[duty] == ("牵头", "第1股")
    assert layout.notes[0] == "本表各项任务的完成时限均为2019年12月31日。"


def test_dept_annex_pages_and_an_empty_office() -> None:
    """16 of 60 filled: 21 turned pages before (44 blank rows), 5 now. An office that filled nothing gets the
    title and the line saying so, no blank table."""
    pages = _ledger_pages(render_pdf(_dept_content(), DEPT))
    assert len(pages) == 5
    plan = real_plan()
    empty = compose_report(plan, town_roles(plan), {}, ReportTexts(), replace(DEPT, office=OFFICE))
    pages = _ledger_pages(render_pdf(empty, DEPT))
    assert len(pages) == 1
    assert "另有66项任务尚未填写落实情况" in pages[0].replace("\n", "") and "序号" not in pages[0]


def test_a_row_taller_than_a_page_is_split_and_only_then() -> None:
    plan = real_plan()
    roles = town_roles(plan)
    progress = town_progress(plan, roles)
    # 17 lines of 存在问题 in its column stay in the row (not moved below), which is then taller than
    # what is left of a page but not than a page: it moves on whole.
    progress[5] = replace(progress[5], problems="\n".join(["信息员队伍不稳定"] * 17))
    progress[6] = Progress(task=6, status=Status.IN_PROGRESS, percent=40,
                           achievements="\n".join(f"第{i}项：开展专项检查，整改问题{i}个。" for i in range(1, 60)))
    options = ReportOptions(OFFICE, REPORT_DATE, font_choice="bundled")
    pages = _ledger_pages(render_pdf(compose_report(plan, roles, progress, ReportTexts(), options), options))
    joined = "".join(pages)
    assert "5（续）" not in joined
    assert "落实情况（任务6）：" in joined  # the long cell follows its row at full width …
    continued = [p for p in pages if "第59项" in p]
    assert continued and "第1项：" not in continued[0]  # … and, taller than a page, goes on on the next one
