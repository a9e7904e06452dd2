"""The sheet for the 股室 through LibreOffice: saved again by an office suite, the answers still match.

Runs where LibreOffice (soffice) is installed; skipped elsewhere. LibreOffice converts with its own profile in
a temporary folder, so a running instance never takes the job over.
"""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from actions import editing, sheets
from tests.lo import SOFFICE, convert
from tests.sheet_fixtures import COL, answer, task_row

OFFICE = "悦城镇"
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def test_libreoffice_round_trip(session, tmp_path):
    pid = session.current_plan_id()
    editing.save_field(session, pid, OFFICE, 12, "owner", "党政办")
    editing.save_field(session, pid, OFFICE, 12, "achievements", "-3项 =A1 @人")
    sent = sheets.make_sheet(session, OFFICE, tmp_path / "发出.xlsx").path
    filled = answer(sent, tmp_path / "填好.xlsx", "党政办",
                    {12: {"status": "序时推进", "problems": "+经费\n第二行", "handler": "王五"}})
    resaved = convert(filled, tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML")
    ws = load_workbook(resaved)["党政办"]
    r = task_row(ws, 12)
    assert ws.protection.sheet is True
    assert ws.cell(row=r, column=COL["text"]).protection.locked
    assert not ws.cell(row=r, column=COL["problems"]).protection.locked
    assert ws.cell(row=r, column=COL["achievements"]).value == "-3项 =A1 @人"
    assert any("进展缓慢" in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)
    review = sheets.review_files(session, OFFICE, [resaved]).review
    got = [(c.task, c.field, c.shown(c.incoming), c.author) for c in review.changes]
    assert got == [(12, "status", "推进中", "党政办（经办人 王五）"),
                   (12, "problems", "+经费\n第二行", "党政办（经办人 王五）")]
    assert review.problems == [] and review.extra_rows == []
    pdf = PdfReader(convert(sent, tmp_path / "pdf", "pdf"))
    first = pdf.pages[0].extract_text().replace(" ", "").replace("\n", "")
    assert "落实情况填报表（党政办）" in first and "-3项=A1@人" in first
    assert "〔勿改〕" not in first  # the hidden columns stay out of the print


def test_filled_county_template_in_libreoffice(session, tmp_path):
    from actions import templates
    from tests.template_fixtures import county_template

    pid = session.current_plan_id()
    editing.save_field(session, pid, OFFICE, 12, "achievements", "办理网民留言12件")
    editing.save_field(session, pid, OFFICE, 12, "status", "已完成")
    plan = session.plan()
    src = county_template(tmp_path / "台账.xlsx", [(1, plan.task(12).text), (2, plan.task(13).text)])
    result = templates.fill_template(session, OFFICE, src, tmp_path / "已填.xlsx")
    pdf = PdfReader(convert(result.path, tmp_path / "pdf", "pdf"))
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text().replace(" ", "").replace("\n", "")
    assert "重点工作推进台账（第三季度）" in text and "办理网民留言12件" in text and "完成" in text
    assert (round(float(pdf.pages[0].mediabox.width)), round(float(pdf.pages[0].mediabox.height))) == (842, 595)
