"""One row of the 落实情况台账 as its own flowable: ruled cells, top-aligned, split across pages by lines.

A plain reportlab ``Table`` holding every task is split page after page (each split re-measures the
rest of the table, so long ledgers take quadratic time), and it can't break inside a row. Here each
task is one :class:`RuledRow`: the frame places rows one after another (linear), and a row that
doesn't fit is cut by lines, its continuation marked in the number column, so no text is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.platypus import Flowable
from reportlab.platypus.paragraph import Paragraph

#: Cell padding: left/right and top/bottom, in points.
PAD_X = 2.0
PAD_Y = 2.0
RULE = 0.5


class RuledRow(Flowable):
    """Cells of one row (``None`` for an empty cell) in columns of ``widths``.

    ``continued`` makes the number cell of the piece left over after a split (``"7（续）"``).
    Header rows (``middle=True``) centre their cells vertically and are never split. A row is split
    only where at least ``min_split`` of it fits and ``min_rest`` of its tallest cell is carried over,
    and, with ``whole`` set (a page frame's height), only when it is taller than that.
    """

    def __init__(self, cells: Sequence[Paragraph | None], widths: Sequence[float],
                 continued: Callable[[], Paragraph] | None = None, min_split: float = 0.0,
                 middle: bool = False, min_rest: float = 0.0, whole: float = 0.0) -> None:
        super().__init__()
        self.cells = list(cells)
        self.widths = tuple(widths)
        self.continued = continued
        self.min_split = min_split
        self.middle = middle
        self.min_rest = min_rest
        self.whole = whole  # a row no taller than this (a page's frame) is never split: it moves on
        self._heights: list[float] = []

    def _measure(self) -> float:
        self._heights = [c.wrap(w - 2 * PAD_X, 1e9)[1] if c is not None else 0.0
                         for c, w in zip(self.cells, self.widths, strict=True)]
        return max(self._heights, default=0.0) + 2 * PAD_Y

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = self._measure()
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        inner = availHeight - 2 * PAD_Y
        if self.middle or availHeight < self.min_split or inner <= 0:
            return []
        if not self._heights:
            self._measure()
        if self.whole and max(self._heights) + 2 * PAD_Y <= self.whole:
            return []
        # Carry at least ``min_rest`` over, so a continuation is never a lone line on a new page.
        inner = min(inner, max(self._heights) - self.min_rest)
        if inner + 2 * PAD_Y < self.min_split:
            return []
        first: list[Paragraph | None] = []
        rest: list[Paragraph | None] = []
        for cell, w, h in zip(self.cells, self.widths, self._heights, strict=True):
            if cell is None or h <= inner:
                first.append(cell)
                rest.append(None)
                continue
            parts = cell.split(w - 2 * PAD_X, inner)
            if len(parts) < 2:  # not even one line fits: move the whole row on
                return []
            first.append(parts[0])
            rest.append(parts[1])
        if self.continued is not None:
            rest[0] = self.continued()
        return [RuledRow(first, self.widths, None, self.min_split, min_rest=self.min_rest),
                RuledRow(rest, self.widths, self.continued, self.min_split, min_rest=self.min_rest, whole=self.whole)]

    def draw(self) -> None:
        canv = self.canv
        h = self.height
        canv.saveState()
        canv.setLineWidth(RULE)
        canv.rect(0, 0, self.width, h)
        x = 0.0
        for w in self.widths[:-1]:
            x += w
            canv.line(x, 0, x, h)
        canv.restoreState()
        x = 0.0
        for cell, w, ch in zip(self.cells, self.widths, self._heights, strict=True):
            if cell is not None:
                top = h - PAD_Y if not self.middle else (h + ch) / 2
                cell.drawOn(canv, x + PAD_X, top - ch)
            x += w
