"""Flowables for the official-document parts that plain paragraphs can't place."""

from __future__ import annotations

from copy import copy

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from core.report.fonts import FontSet
from core.report.layout import BODY_SIZE, LEADING
from core.report.linebreak import CJKParagraph


class BalancedParagraph(CJKParagraph):
    """A centred paragraph (a title) whose lines are made about equally long.

    It keeps the number of lines it needs at full width, but narrows the measure as far as
    that allows, so a two-line title splits near the middle instead of leaving a short tail.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        base = self.style
        self.style = copy(base)
        self.style.leftIndent = self.style.rightIndent = 0
        _, h = super().wrap(availWidth, availHeight)
        lines = len(self.blPara.lines)
        if lines > 1:
            lo, hi = availWidth / lines, availWidth
            while hi - lo > 1.0:
                mid = (lo + hi) / 2
                del self.blPara
                super().wrap(mid, availHeight)
                if len(self.blPara.lines) == lines:
                    hi = mid
                else:
                    lo = mid
            inset = (availWidth - hi) / 2
            self.style.leftIndent = self.style.rightIndent = inset
            del self.blPara
            _, h = super().wrap(availWidth, availHeight)
        return availWidth, h


class SignatureBlock(Flowable):
    """Issuing office and date without a seal (GB/T 9704 7.3.5.2).

    The name ends two characters in from the right; the date is on the next line, centred under
    it. If the date is the longer of the two, the date ends two characters in and the name is
    centred over it.
    """

    def __init__(self, fonts: FontSet, name: str, date_text: str, size: float = BODY_SIZE) -> None:
        super().__init__()
        self.fonts = fonts
        self.lines = [fonts.runs(name, "body"), fonts.runs(date_text, "body")]
        self.size = size

    def _width(self, runs: list[tuple[str, str]]) -> float:
        return sum(stringWidth(t, f, self.size) for f, t in runs)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.avail = availWidth
        return availWidth, 2 * LEADING

    def draw(self) -> None:
        widths = [self._width(r) for r in self.lines]
        box = max(widths)
        right = self.avail - 2 * self.size
        y = 2 * LEADING - self.size  # the first baseline, as a paragraph would place it
        for runs, w in zip(self.lines, widths, strict=False):
            x = right - box + (box - w) / 2
            for font, text in runs:
                self.canv.setFont(font, self.size)
                self.canv.drawString(x, y, text)
                x += stringWidth(text, font, self.size)
            y -= LEADING


