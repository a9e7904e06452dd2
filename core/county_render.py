"""Rendering a :class:`ReportContent` with the engine on this branch (Typesetter + ReportDocTemplate).

A thin adapter: once the rewritten engine's ``core.report.render_pdf(content, options)`` and
``render_docx(content)`` are merged, :func:`render_content_pdf` is replaced by ``render_pdf`` and the Word
output by ``render_docx``; nothing else of the 汇总 report changes.
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
    ts = Typesetter(get_fontset(font_choice, font_dirs))
    story = _story(ts, content)
    buf = io.BytesIO()
    doc = ReportDocTemplate(buf, ts.fonts, title=content.title, author=content.office)
    doc.build(story)
    return buf.getvalue(), set(ts.missing)
