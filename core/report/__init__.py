"""The 落实情况报告 engine: a GB/T 9704-style PDF for one office, built with reportlab (no Qt)."""

from core.report.builder import ReportOptions, assigned_tasks, build_report, missing_glyphs
from core.report.fonts import MISSING_MARKER, FontError
from core.report.output import ReportWriteError, content_hash, write_pdf_atomic

__all__ = [
    "MISSING_MARKER",
    "FontError",
    "ReportOptions",
    "ReportWriteError",
    "assigned_tasks",
    "build_report",
    "content_hash",
    "missing_glyphs",
    "write_pdf_atomic",
]
