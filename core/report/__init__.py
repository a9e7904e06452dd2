"""The 落实情况报告: composed once (:func:`compose_report`, no reportlab) and written as PDF (:func:`render_pdf`).

``build_report`` is compose + render for callers that want the PDF bytes directly. The PDF side (and the
font helpers) load reportlab, so they are imported on first use: composing a report, e.g. for the Word or
Excel writers or to check its warnings, does not load reportlab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.report.compose import NO_NOTES_WARNING, assigned_tasks, compose_report, ledger_title, report_title
from core.report.document import Block, BlockKind, LedgerRow, ReportContent, Signature
from core.report.options import ReportOptions
from core.report.output import ReportWriteError, content_hash, write_pdf_atomic

if TYPE_CHECKING:
    from core.report.fonts import MISSING_MARKER, FontError
    from core.report.pdf import build_report, missing_glyphs, render_pdf

_LAZY = {"build_report": "core.report.pdf", "render_pdf": "core.report.pdf", "missing_glyphs": "core.report.pdf",
         "MISSING_MARKER": "core.report.fonts", "FontError": "core.report.fonts"}

__all__ = [
    "MISSING_MARKER",
    "NO_NOTES_WARNING",
    "Block",
    "BlockKind",
    "FontError",
    "LedgerRow",
    "ReportContent",
    "ReportOptions",
    "ReportWriteError",
    "Signature",
    "assigned_tasks",
    "build_report",
    "compose_report",
    "content_hash",
    "ledger_title",
    "missing_glyphs",
    "render_pdf",
    "report_title",
    "write_pdf_atomic",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'core.report' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
