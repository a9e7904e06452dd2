"""Rendering the 汇总 report's :class:`ReportContent` as PDF.

:func:`render_content_pdf` uses the rewritten engine's ``core.report.pdf.render_pdf(content, options)`` when
it is there (after the report branch is merged); otherwise the thin adapter :func:`render_with_flowables`
turns the blocks into this branch's Typesetter paragraphs and builds them with ReportDocTemplate. Once the
engine is merged, the adapter and the fallback can go; the Word output then is ``render_docx(content)``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from reportlab.platypus import Flowable, KeepTogether, Spacer

from core.report.document import BlockKind, ReportContent
from core.report.flowables import SignatureBlock
from core.report.fonts import get_fontset
from core.report.layout import LEADING, ReportDocTemplate
from core.report.typeset import Typesetter


def _story(ts: Typesetter, content: ReportContent) -> list[Flowable]:
    st = ts.styles
    style = {BlockKind.RECIPIENT: st.recipient, BlockKind.H1: st.h1, BlockKind.H2: st.h2, BlockKind.BODY: st.body}
    story: list[Flowable] = []
    tail: list[Flowable] = []
    for block in content.blocks:
        if block.kind is BlockKind.TITLE:
            story.append(ts.title(block.text, st.title))
        elif block.kind is BlockKind.CLOSING:
            tail.append(ts.para(block.text, st.body))
        elif block.kind is BlockKind.ANNEX_NOTE:
            tail += [Spacer(1, LEADING), ts.para(block.text, st.body)]
        else:
            story.append(ts.para(block.text, style[block.kind]))
    sig = content.signature
    ts.missing |= ts.fonts.missing(sig.signer)
    tail += [Spacer(1, LEADING), SignatureBlock(ts.fonts, sig.signer, sig.date_text)]
    if sig.contact:
        tail.append(ts.para(sig.contact, st.body))
    story.append(KeepTogether(tail))
    return story


def render_content_pdf(content: ReportContent, font_choice: str = "auto",
                       font_dirs: Sequence[Path] | None = None) -> tuple[bytes, set[str]]:
    """The content as a GB/T 9704 PDF (no 附件), and the characters no font could print."""
    try:
        from core.report.pdf import render_pdf  # type: ignore[import-not-found]
    except ModuleNotFoundError:
        return render_with_flowables(content, font_choice, font_dirs)
    from core.report import ReportOptions

    options = ReportOptions(office=content.office, report_date=content.report_date, include_ledger=False,
                            font_choice=font_choice, font_dirs=tuple(font_dirs) if font_dirs is not None else None)
    fonts = get_fontset(font_choice, font_dirs)
    text = "".join(b.text for b in content.blocks) + content.signature.signer + content.signature.date_text
    return render_pdf(content, options), set(fonts.missing(text))


def render_with_flowables(content: ReportContent, font_choice: str = "auto",
                          font_dirs: Sequence[Path] | None = None) -> tuple[bytes, set[str]]:
    """This branch's engine: Typesetter paragraphs in a ReportDocTemplate."""
    ts = Typesetter(get_fontset(font_choice, font_dirs))
    story = _story(ts, content)
    buf = io.BytesIO()
    doc = ReportDocTemplate(buf, ts.fonts, title=content.title, author=content.office)
    doc.build(story)
    return buf.getvalue(), set(ts.missing)
