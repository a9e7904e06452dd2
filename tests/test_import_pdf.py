"""Plans published as PDF: the text of a text PDF is read (pypdf) and parsed like a notice copied from a web
page; a scan, or a PDF whose text cannot be read, is refused with what to do instead."""

from __future__ import annotations

import io
from datetime import date

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from core.importers import PlanImportError, import_bytes
from core.importers.pdf import PDF_SCANNED, PDF_UNREADABLE
from core.report.fonts import get_fontset

LINES = [
    "某县2021年政务公开工作要点分工方案",
    "一、加强政策解读",
    "1.做好政策解读工作，6月底前完成。（牵头单位：县政府办；责任单位：各乡镇）",
    "2.做好政府信息公开年报工作。（牵头单位：县政府办；责任单位：县直各单位）",
    "二、推进基层政务公开",
    "3.推进基层政务公开标准化规范化。（牵头单位：县政务服务中心；责任单位：各乡镇）",
]


def _text_pdf(lines: list[str]) -> bytes:
    """A PDF as a county office makes one from Word: real text in an embedded subset font (with ToUnicode)."""
    font = get_fontset("bundled").chains["body"][0].name
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4)
    y = 780
    for line in lines:
        c.setFont(font, 11)
        c.drawString(40, y, line)
        y -= 24
    c.save()
    return out.getvalue()


def _scan_pdf() -> bytes:
    """A scanned notice: pictures only (here grey blocks), no text at all."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4)
    for y in range(100, 800, 40):
        c.setFillGray(0.6)
        c.rect(40, y, 500, 20, stroke=0, fill=1)
    c.save()
    return out.getvalue()


def test_a_text_pdf_is_read_like_a_copied_notice():
    result = import_bytes(_text_pdf(LINES), "分工方案.pdf")
    plan = result.plan
    assert [(t.number, t.units.lead, t.units.responsible, t.due) for t in plan.tasks] == [
        (1, ("县政府办",), ("各乡镇",), date(2021, 6, 30)),
        (2, ("县政府办",), ("县直各单位",), None),
        (3, ("县政务服务中心",), ("各乡镇",), None),
    ]
    assert [s.title for s in plan.sections] == ["加强政策解读", "推进基层政务公开"]
    assert any("PDF" in w for w in result.warnings)


def test_a_scan_is_refused_as_a_scan():
    with pytest.raises(PlanImportError, match="扫描件"):
        import_bytes(_scan_pdf(), "通知.pdf")
    assert "扫描件" in PDF_SCANNED


@pytest.mark.parametrize("data", [b"%PDF-1.4\n garbage", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600])
def test_a_pdf_that_cannot_be_read_says_what_to_do(data: bytes):
    with pytest.raises(PlanImportError) as caught:
        import_bytes(data, "方案.pdf")
    assert str(caught.value).endswith(PDF_UNREADABLE) or PDF_UNREADABLE in str(caught.value)
