"""Writing a :class:`ReportContent` as a GB/T 9704 PDF with reportlab."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta, timezone

from reportlab.platypus import Flowable

from core.model import Plan, Progress, ReportTexts, Role
from core.report.body import body_story
from core.report.compose import compose_report
from core.report.document import ReportContent
from core.report.fonts import get_fontset
from core.report.layout import ReportDocTemplate
from core.report.ledger_pdf import ledger_header, ledger_layout, ledger_story
from core.report.options import ReportOptions
from core.report.typeset import Typesetter

CHINA = timezone(timedelta(hours=8))


def creation_time(content: ReportContent, options: ReportOptions) -> datetime:
    """``options.created``, else 09:00 China time on the report date (so equal input gives equal bytes)."""
    return options.created or datetime.combine(content.report_date, time(9, 0), CHINA)


def _typesetter(options: ReportOptions) -> Typesetter:
    return Typesetter(get_fontset(options.font_choice, options.font_dirs))


def _story(ts: Typesetter, content: ReportContent) -> tuple[list[Flowable], Flowable | None]:
    story = body_story(ts, content)
    header = None
    if content.has_ledger and content.ledger_rows:
        layout = ledger_layout(content)
        story += ledger_story(ts, content, layout)
        header = ledger_header(ts, layout) if layout.lines else None
    return story, header


def render_pdf(content: ReportContent, options: ReportOptions) -> bytes:
    """The report as PDF bytes (same content and options, same bytes). Fonts per ``options.font_choice``."""
    ts = _typesetter(options)
    story, header = _story(ts, content)
    buf = io.BytesIO()
    doc = ReportDocTemplate(buf, ts.fonts, title=content.title, author=content.signature.signer,
                            ledger_header=header, created=creation_time(content, options))
    doc.build(story)
    return buf.getvalue()


def build_report(plan: Plan, roles: dict[int, Role], progress: dict[int, Progress], texts: ReportTexts,
                 options: ReportOptions) -> bytes:
    """Compose and render in one call: the 落实情况报告 for ``options.office`` as PDF bytes."""
    return render_pdf(compose_report(plan, roles, progress, texts, options), options)


def missing_glyphs(plan: Plan, roles: dict[int, Role], progress: dict[int, Progress], texts: ReportTexts,
                   options: ReportOptions) -> set[str]:
    """Characters of the report that no available font can print (they would show as 〓)."""
    return missing_glyphs_in(compose_report(plan, roles, progress, texts, options), options)


def missing_glyphs_in(content: ReportContent, options: ReportOptions) -> set[str]:
    """The same for content already composed."""
    ts = _typesetter(options)
    _story(ts, content)
    return set(ts.missing)
