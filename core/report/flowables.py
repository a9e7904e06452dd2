"""Flowables for the official-document parts that plain paragraphs can't place."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus.flowables import CondPageBreak

from core.report.fonts import FontSet
from core.report.layout import BODY_SIZE, LEADING, PITCH, TITLE_SIZE, TRACKING

#: Lines of a paragraph that must go with the heading above it, or before the closing block.
KEEP_LINES = 2


class TitleLines(Flowable):
    """The title in its given lines (梯形/菱形, see core.report.titles), each centred on one grid line."""

    def __init__(self, fonts: FontSet, lines: tuple[str, ...], size: float = TITLE_SIZE) -> None:
        super().__init__()
        self.lines = [fonts.runs(x, "title") for x in lines]
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.avail = availWidth
        return availWidth, len(self.lines) * LEADING

    def draw(self) -> None:
        # Baselines as a 16 pt body line would sit on the same grid line, lowered by half the extra size.
        y = len(self.lines) * LEADING - BODY_SIZE - (self.size - BODY_SIZE) / 2
        for runs in self.lines:
            width = sum(stringWidth(t, f, self.size) for f, t in runs)
            x = (self.avail - width) / 2
            for font, text in runs:
                self.canv.setFont(font, self.size)
                self.canv.drawString(x, y, text)
                x += stringWidth(text, font, self.size)
            y -= LEADING


class SignatureBlock(Flowable):
    """署名 and 成文日期 (GB/T 9704 7.3.5), on two grid lines.

    Unsealed (7.3.5.2): the name ends two characters in from the right; the date starts two characters
    right of the name's first character; if the date is the longer, it ends two characters in and the
    name moves left with it. Sealed (7.3.5.1): the date ends four characters in, the name is centred
    over the date (the seal covers both; the caller leaves the lines above free for it).
    """

    def __init__(self, fonts: FontSet, name: str, date_text: str, sealed: bool = False) -> None:
        super().__init__()
        self.fonts = fonts
        self.lines = [fonts.runs(name, "body"), fonts.runs(date_text, "body")]
        self.sealed = sealed

    def _width(self, runs: list[tuple[str, str]]) -> float:
        """Ink width with the body's character pitch."""
        chars = sum(len(t) for _, t in runs)
        return sum(stringWidth(t, f, BODY_SIZE) for f, t in runs) + TRACKING * max(chars - 1, 0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.avail = availWidth
        return availWidth, 2 * LEADING

    def positions(self) -> tuple[float, float]:
        """x of the name and of the date."""
        name_w, date_w = (self._width(r) for r in self.lines)
        if self.sealed:
            date_x = self.avail - 4 * PITCH - date_w
            return date_x + (date_w - name_w) / 2, date_x
        if date_w > name_w:
            date_x = self.avail - 2 * PITCH - date_w
            return date_x - 2 * PITCH, date_x
        name_x = self.avail - 2 * PITCH - name_w
        # never past the text block's edge
        return name_x, min(name_x + 2 * PITCH, self.avail - date_w)

    def draw(self) -> None:
        y = 2 * LEADING - BODY_SIZE  # the first baseline, as a paragraph would place it
        for runs, x in zip(self.lines, self.positions(), strict=True):
            for font, text in runs:
                self.canv.setFont(font, BODY_SIZE)
                self.canv.drawString(x, y, text, charSpace=TRACKING)
                x += stringWidth(text, font, BODY_SIZE) + TRACKING * len(text)
            y -= LEADING


class KeepWithLines(CondPageBreak):
    """Put before headings: starts a new page unless the headings and the first two lines of the paragraph
    after them fit (not the whole paragraph, which left pages half empty)."""

    def __init__(self, headings: list[Flowable], following: Flowable | None) -> None:
        super().__init__(0)
        self.headings = headings
        self.following = following

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        need = sum(h.wrap(availWidth, 1e9)[1] for h in self.headings)
        if self.following is not None:
            need += min(self.following.wrap(availWidth, 1e9)[1], KEEP_LINES * LEADING)
        self.height = need - 1e-6
        return super().wrap(availWidth, availHeight)


class TailKeeper(Flowable):
    """The last body paragraphs and the closing block (特此报告, 附件说明, 署名, 日期, 附注).

    The closing block is never split; when it doesn't fit on the page, it goes over with at least two
    lines of the paragraphs before it, and the rest of those paragraphs fills the page, so no page holds
    the closing alone and no page is left short.
    """

    def __init__(self, paragraphs: list[Flowable], tail: list[Flowable]) -> None:
        super().__init__()
        self.paragraphs = paragraphs
        self.tail = tail

    def _heights(self, availWidth: float) -> tuple[list[float], float]:
        paras = [p.wrap(availWidth, 1e9)[1] for p in self.paragraphs]
        tail = sum(t.wrap(availWidth, 1e9)[1] + t.getSpaceBefore() + t.getSpaceAfter() for t in self.tail)
        return paras, tail

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        paras, tail = self._heights(availWidth)
        self.width, self.height = availWidth, sum(paras) + tail
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        paras, tail = self._heights(availWidth)
        if sum(paras) + tail <= availHeight:
            return [self]
        lines = [round(h / LEADING) for h in paras]
        keep = min(int((availHeight + 1e-6) // LEADING), sum(lines) - KEEP_LINES)
        if keep <= 0:
            return []
        first: list[Flowable] = []
        rest = list(self.paragraphs)
        while keep > 0 and rest:
            p = rest[0]
            n = round(p.wrap(availWidth, 1e9)[1] / LEADING)
            if n <= keep:
                first.append(rest.pop(0))
                keep -= n
                continue
            parts = p.split(availWidth, keep * LEADING + 1e-6)
            if len(parts) == 2:
                first.append(parts[0])
                rest[0] = parts[1]
            break
        if not first:
            return []
        return [*first, TailKeeper(rest, self.tail)]

    def drawOn(self, canvas, x, y, _sW=0):
        top = y + self.height
        for f in [*self.paragraphs, *self.tail]:
            top -= f.getSpaceBefore()
            _, h = f.wrap(self.width, 1e9)
            top -= h
            f.drawOn(canvas, x, top, _sW)
            top -= f.getSpaceAfter()
