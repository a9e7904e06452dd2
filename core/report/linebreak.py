"""Chinese line breaking (禁则) for reportlab paragraphs.

reportlab's ``wordWrap='CJK'`` breaks after any character and only keeps a few marks from
starting a line. :class:`CJKParagraph` replaces its line splitter with one that never lets a
line start with closing punctuation or end with opening punctuation, and keeps runs of
half-width letters and digits (2019, 0758-1234567) together when they fit on a line.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus.paragraph import Paragraph, ParaLines, cjkU, makeCJKParaLine

#: Characters that may not begin a line.
CANNOT_START = frozenset("，。、；：？！）》」』】〕〗］｝〉”’…—·%％‰℃,.;:?!)]}›»・～")
#: Characters that may not end a line.
CANNOT_END = frozenset("（《「『【〔〖［｛〈“‘([{‹«")

_FUZZ = 1e-8


def _is_word_char(ch: str) -> bool:
    """Half-width printable characters that form unbreakable words (numbers, codes, Latin words)."""
    return "!" <= ch <= "~"


def can_break(prev: str, nxt: str) -> bool:
    """Whether a line may end after ``prev`` and the next one start with ``nxt``."""
    if nxt in CANNOT_START or prev in CANNOT_END:
        return False
    return not (_is_word_char(prev) and _is_word_char(nxt))


def find_break(chars: Sequence[str], start: int, overflow: int) -> int:
    """Index where the line that starts at ``start`` should end, given that ``chars[overflow]``
    no longer fits. The result is in ``start+1 .. overflow+1``: it backs up to the nearest
    permitted break; if there is none it lets one closing mark hang, else breaks hard."""
    b = overflow
    while b > start + 1 and not can_break(chars[b - 1], chars[b]):
        b -= 1
    if can_break(chars[b - 1], chars[b]):
        return b
    # No permitted break in the whole line (e.g. a very long number): hang one closing mark, else cut.
    if chars[overflow] in CANNOT_START and overflow > start:
        return overflow + 1
    return max(overflow, start + 1)


def split_units(units: list[cjkU], max_widths: Sequence[float], calc_bounds: bool) -> ParaLines:
    """Lay out single-character units into lines of at most ``max_widths[i]`` points each."""
    lines = []
    chars = [str(u) for u in units]
    n = len(units)
    start = 0
    while start < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        used = 0.0
        i = start
        end = n
        hard_break = False
        while i < n:
            u = units[i]
            if hasattr(u.frag, "lineBreak"):
                end = i + 1
                hard_break = True
                break
            w = u.width
            if used + w > max_width + _FUZZ and i > start:
                end = find_break(chars, start, i)
                break
            used += w
            i += 1
        if not hard_break and end < n:
            used = sum(units[k].width for k in range(start, end))
        line_units = units[start:end]
        lines.append(makeCJKParaLine(line_units, max_width, used, max_width - used, hard_break, calc_bounds))
        start = end
        # A space that would begin the next line is dropped, as in Latin text.
        while not hard_break and start < n and chars[start] == " ":
            start += 1
    return ParaLines(kind=1, lines=lines)


class CJKParagraph(Paragraph):
    """A Paragraph whose CJK wrapping follows Chinese line-breaking rules.

    Use it with a style whose ``wordWrap`` is ``'CJK'``.
    """

    def breakLinesCJK(self, maxWidths: float | Sequence[float]) -> ParaLines:
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        style = self.style
        self.height = 0
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        frags = self.frags
        if not frags:
            return ParaLines(kind=0, fontSize=style.fontSize, fontName=style.fontName, textColor=style.textColor,
                             lines=[], ascent=style.fontSize, descent=-0.2 * style.fontSize)
        units: list[cjkU] = []
        for f in frags:
            text = f.text
            if isinstance(text, bytes):
                text = text.decode("utf8")
            if text:
                units.extend(cjkU(t, f, "utf8") for t in text)
            else:
                units.append(cjkU(text, f, "utf8"))
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        return split_units(units, maxWidths, auto_leading not in ("", "off"))
