"""Rendering the 汇总 report's :class:`ReportContent` with the office report's own engine: PDF or Word."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from core.report.document import ReportContent


def render_content_pdf(content: ReportContent, font_choice: str = "auto",
                       font_dirs: Sequence[Path] | None = None) -> tuple[bytes, set[str]]:
    """The content as a GB/T 9704 PDF (no 附件), and the characters no font could print."""
    from core.report import ReportOptions
    from core.report.pdf import missing_glyphs_in, render_pdf

    options = ReportOptions(office=content.office, report_date=content.report_date, include_ledger=False,
                            font_choice=font_choice, font_dirs=tuple(font_dirs) if font_dirs is not None else None)
    return render_pdf(content, options), missing_glyphs_in(content, options)


def render_content_docx(content: ReportContent) -> bytes:
    """The same content as a Word file in GB/T 9704 form (the office report's Word writer)."""
    from core.report.docx_writer import render_docx

    return render_docx(content)
