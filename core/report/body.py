"""The report's body as flowables, from a :class:`ReportContent`: title to signature."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from core.report.document import BlockKind, ReportContent
from core.report.flowables import KeepWithLines, SignatureBlock, TailKeeper, TitleLines
from core.report.layout import LEADING
from core.report.typeset import Typesetter

_HEADINGS = (BlockKind.H1, BlockKind.H2)
#: Body paragraphs before the closing that the closing block may take over to a new page.
_TAIL_PARAGRAPHS = 2


def _tail(ts: Typesetter, content: ReportContent) -> list[Flowable]:
    """特此报告 onward: closing line, 附件说明, 署名 and date (sealed or not), 附注."""
    st = ts.styles
    out: list[Flowable] = []
    for block in content.blocks:
        if block.kind is BlockKind.CLOSING:
            out.append(ts.para(block.text, st.body, convert=False))
        elif block.kind is BlockKind.ANNEX_NOTE:
            out += [Spacer(1, LEADING), ts.para(block.text, st.annex_note, convert=False)]
    sig = content.signature
    ts.missing |= ts.fonts.missing(sig.signer)
    # Unsealed: one blank line above the name. Sealed: two, so the seal's top is within a line of the text.
    out += [Spacer(1, (2 if sig.sealed else 1) * LEADING),
            SignatureBlock(ts.fonts, sig.signer, sig.date_text, sig.sealed)]
    if sig.contact:
        out.append(ts.para(sig.contact, st.body))
    return out


def body_story(ts: Typesetter, content: ReportContent) -> list[Flowable]:
    """Flowables for the report from the title to the signature."""
    st = ts.styles
    style = {BlockKind.RECIPIENT: st.recipient, BlockKind.H1: st.h1, BlockKind.H2: st.h2, BlockKind.BODY: st.body}
    story: list[Flowable] = []
    flow: list[tuple[BlockKind, Flowable]] = []
    for block in content.blocks:
        if block.kind is BlockKind.TITLE:
            ts.missing |= ts.fonts.missing(block.text)
            flow.append((block.kind, TitleLines(ts.fonts, block.lines or (block.text,))))
            flow.append((BlockKind.BODY, Spacer(1, LEADING)))
        elif block.kind in style:
            flow.append((block.kind, ts.para(block.text, style[block.kind], convert=False)))
    # Body paragraphs at the end go with the closing block (at least two lines of them, see TailKeeper).
    tail_paras: list[Flowable] = []
    while flow and flow[-1][0] is BlockKind.BODY and len(tail_paras) < _TAIL_PARAGRAPHS:
        tail_paras.insert(0, flow.pop()[1])
    i = 0
    while i < len(flow):
        kind, f = flow[i]
        if kind in _HEADINGS and (i == 0 or flow[i - 1][0] not in _HEADINGS):
            j = i
            while j < len(flow) and flow[j][0] in _HEADINGS:
                j += 1
            following = flow[j][1] if j < len(flow) else (tail_paras[0] if tail_paras else None)
            story.append(KeepWithLines([h for _, h in flow[i:j]], following))
        story.append(f)
        i += 1
    story.append(TailKeeper(tail_paras, _tail(ts, content)))
    return story
