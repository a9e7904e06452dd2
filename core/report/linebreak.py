"""Chinese line breaking (禁则) for reportlab paragraphs.

reportlab's ``wordWrap='CJK'`` breaks after any character and only keeps a few marks from
starting a line. :class:`CJKParagraph` replaces its line splitter with one that never lets a
line start with closing punctuation or end with opening punctuation, and keeps runs of
half-width letters and digits (2019, 0758-1234567) together when they fit on a line.

Two typesetting rules of Chinese text are applied here as well:

- a style's ``tracking`` (points added after every character, usually negative) sets the character
  pitch, so that 28 characters of 三号 fill the 156 mm line as GB/T 9704 asks;
- adjacent punctuation is compressed: of two marks in a row (表）。, 。”, （《) the first gives up the
  blank half of its em box, so the pair takes one and a half ems, not two.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus import paragraph as _rl_paragraph
from reportlab.platypus.paragraph import FragLine, Paragraph, ParaLines

#: Characters that may not begin a line.
CANNOT_START = frozenset("，。、；：？！）》」』】〕〗］｝〉”’…—·%％‰℃,.;:?!)]}›»・～")
#: Characters that may not end a line.
CANNOT_END = frozenset("（《「『【〔〖［｛〈“‘([{‹«")

#: Marks whose ink sits in the left half of the em box (blank right half) ...
TRAIL_BLANK = frozenset("，。、；：）》」』】〕〗］｝〉”’")
#: ... and marks whose ink sits in the right half (blank left half).
LEAD_BLANK = frozenset("（《「『【〔〖［｛〈“‘")
_PUNCT = TRAIL_BLANK | LEAD_BLANK
#: Marks that are two ems printed as one unit: never split between lines, never hung past the edge.
_PAIRED = frozenset("—…")

_FUZZ = 1e-8
#: Justified lines get at most this share of the font size as extra space between two characters;
#: a line that would need more (a long number pushed to the next line) is left ragged.
MAX_CHAR_SPACE = 0.25


def _is_word_char(ch: str) -> bool:
    """Half-width printable characters that form unbreakable words (numbers, codes, Latin words)."""
    return "!" <= ch <= "~"


def can_break(prev: str, nxt: str) -> bool:
    """Whether a line may end after ``prev`` and the next one start with ``nxt``."""
    if nxt in CANNOT_START or prev in CANNOT_END:
        return False
    if prev == "—" and nxt.isdigit():  # a range of numbers (37—39) stays on one line
        return False
    return not (_is_word_char(prev) and _is_word_char(nxt))


def compressible(ch: str, nxt: str) -> bool:
    """Whether ``ch`` gives up half its width because the mark ``nxt`` follows it."""
    return (ch in TRAIL_BLANK and nxt in _PUNCT) or (ch in LEAD_BLANK and nxt in LEAD_BLANK)


def find_break(chars: Sequence[str], start: int, overflow: int) -> int:
    """Index where the line that starts at ``start`` should end, given that ``chars[overflow]``
    no longer fits. The result is in ``start+1 .. overflow+1``: it backs up to the nearest
    permitted break; if there is none it lets one closing mark hang (never a dash or an ellipsis,
    which would cross the edge or a cell rule), else breaks hard, never inside —— or ……."""
    b = overflow
    while b > start + 1 and not can_break(chars[b - 1], chars[b]):
        b -= 1
    if can_break(chars[b - 1], chars[b]):
        return b
    # No permitted break in the whole line (e.g. a very long number): hang one closing mark, else cut.
    if chars[overflow] in CANNOT_START and chars[overflow] not in _PAIRED and overflow > start:
        return overflow + 1
    b = max(overflow, start + 1)
    while b > start + 1 and chars[b] in _PAIRED and chars[b - 1] == chars[b]:
        b -= 1
    return b


_ascent_cache: dict[tuple[str, float], tuple[float, float]] = {}
_width_cache: dict[tuple[str, float], dict[str, float]] = {}


def _ascent_descent(font: str, size: float) -> tuple[float, float]:
    key = (font, size)
    if key not in _ascent_cache:
        _ascent_cache[key] = getAscentDescent(font, size)
    return _ascent_cache[key]


def _char_widths(text: str, font: str, size: float) -> list[float]:
    cache = _width_cache.setdefault((font, size), {})
    get = cache.get
    out = [get(ch) for ch in text]
    if None in out:
        for k, ch in enumerate(text):
            if out[k] is None:
                w = cache.get(ch)
                if w is None:
                    w = cache[ch] = stringWidth(ch, font, size)
                out[k] = w
    return out  # type: ignore[return-value]


def _make_line(chars: list[str], frags: list, start: int, end: int, max_width: float, used: float,
               line_break: bool, squeezed: frozenset[int] = frozenset(), cuts: list[int] | None = None
               ) -> FragLine:
    """One laid-out line: consecutive characters of the same frag become one word; a compressed mark
    (index in ``squeezed``) is a word of its own, drawn with less character spacing.

    ``cuts`` (sorted) are the indices where a word must start (a new frag, a compressed mark or the
    character after one); without it they are found character by character."""
    words = []
    small: list[int] = []
    max_size = max_ascent = min_descent = 0.0
    k = start
    c = bisect_right(cuts, start) if cuts is not None else 0
    while k < end:
        f = frags[k]
        if k in squeezed:
            small.append(len(words))
        if cuts is not None:
            j = cuts[c] if c < len(cuts) and cuts[c] < end else end
            c += 1
        else:
            j = k + 1
            if k not in squeezed:
                while j < end and frags[j] is f and j not in squeezed:
                    j += 1
        word = f.clone()
        word.text = "".join(chars[k:j])
        words.append(word)
        key = (f.fontName, f.fontSize)
        ad = _ascent_cache.get(key)
        if ad is None:
            ad = _ascent_descent(f.fontName, f.fontSize)
        if f.fontSize > max_size:
            max_size = f.fontSize
        if ad[0] > max_ascent:
            max_ascent = ad[0]
        if ad[1] < min_descent:
            min_descent = ad[1]
        k = j
    line = FragLine(kind=1, extraSpace=max_width - used, wordCount=1, words=words, fontSize=max_size,
                    ascent=max_ascent, descent=min_descent, maxWidth=max_width, currentWidth=used,
                    lineBreak=line_break)
    line.squeezed = small
    return line


def split_units(chars: list[str], widths: list[float], frags: list, max_widths: Sequence[float],
                prefix: list[float] | None = None, hard: list[int] | None = None,
                justify: bool = False, tracking: float = 0.0, squeezed: dict[int, float] | None = None,
                cuts: list[int] | None = None) -> ParaLines:
    """Lay out characters (with their widths and frags) into lines of at most ``max_widths[i]`` points.

    With ``justify`` every line that ends because the next character didn't fit (not a paragraph's
    last line, not one ended by a line break) gets ``charSpace``: its leftover width spread evenly
    between its characters, so the right edge is straight (drawn by :func:`_draw_justified`).

    ``prefix`` (running sums of ``widths``, starting at 0) and ``hard`` (indices of line-break frags)
    are computed when not given; with them each line is found by bisection, not character by character.

    ``widths`` already include ``tracking`` and the compression of the marks in ``squeezed`` (index ->
    points given up); every line records the character spacing to draw with (``charSpace``, and
    ``squeezed``/``squeeze`` for its compressed marks). A line's ink ends ``tracking`` before its advance.
    """
    squeezed = squeezed or {}
    marks = sorted(squeezed)
    if prefix is None:
        prefix = list(accumulate(widths, initial=0.0))
    if hard is None:
        hard = [k for k, f in enumerate(frags) if hasattr(f, "lineBreak")]
    lines = []
    n = len(chars)
    start = 0
    while start < n:
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        # First character that no longer fits (the line's first character always does).
        overflow = bisect_right(prefix, prefix[start] + max_width + tracking + _FUZZ, start + 1) - 1
        overflow = max(overflow, start + 1) if overflow < n else n
        h = bisect_left(hard, start)
        hard_break = h < len(hard) and hard[h] <= overflow and hard[h] < n
        if hard_break:
            end = hard[h] + 1
            used = prefix[hard[h]] - prefix[start]
        elif overflow >= n:
            end = n
            used = prefix[n] - prefix[start]
        else:
            end = find_break(chars, start, overflow)
            used = prefix[end] - prefix[start]
        inside = frozenset(marks[bisect_left(marks, start):bisect_left(marks, end - 1)]) if marks else frozenset()
        if end - 1 in squeezed:  # a compressed mark at the end of a line keeps its width
            used += squeezed[end - 1]
        line = _make_line(chars, frags, start, end, max_width, used - tracking, hard_break, inside, cuts)
        line.charSpace = tracking
        if justify and not hard_break and end < n and end - start > 1:
            space = (max_width - used + tracking) / (end - start - 1)
            if 0 < space <= MAX_CHAR_SPACE * line.fontSize:
                line.charSpace = tracking + space
                line.extraSpace = 0.0
        line.squeeze = [squeezed[k] for k in sorted(inside)]
        lines.append(line)
        start = end
        # A space that would begin the next line is dropped, as in Latin text.
        while not hard_break and start < n and chars[start] == " ":
            start += 1
    return ParaLines(kind=1, lines=lines)


def _split_lines(blPara: ParaLines, start: int, stop: int) -> list:
    return [w.clone() for line in blPara.lines[start:stop] for w in line.words]


class CJKParagraph(Paragraph):
    """A Paragraph whose CJK wrapping follows Chinese line-breaking rules.

    Use it with a style whose ``wordWrap`` is ``'CJK'``.
    """

    def _get_split_blParaFunc(self):
        """Frags for the pieces of a split paragraph, as they are: reportlab's own function adds a space
        after every line's last word (right for Latin text), which pushed the lines after a page break
        8 pt short of the right edge."""
        return _split_lines

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
        key = tuple(maxWidths)
        cached = getattr(self, "_tz_lines", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        units = getattr(self, "_tz_units", None)
        if units is None:
            chars: list[str] = []
            widths: list[float] = []
            owners: list = []
            hard: list[int] = []  # indices of line-break frags (<br/>)
            for f in frags:
                text = f.text
                if isinstance(text, bytes):
                    text = text.decode("utf8")
                if hasattr(f, "cbDefn"):
                    chars.append(text)
                    widths.append(getattr(f.cbDefn, "width", 0))
                    owners.append(f)
                elif text:
                    chars.extend(text)
                    widths.extend(_char_widths(text, f.fontName, f.fontSize))
                    owners.extend([f] * len(text))
                else:
                    if hasattr(f, "lineBreak"):
                        hard.append(len(chars))
                    chars.append("")
                    widths.append(0.0)
                    owners.append(f)
            tracking = getattr(style, "tracking", 0.0)
            squeezed: dict[int, float] = {}
            last = len(chars) - 1
            for k in [k for k, c in enumerate(chars) if c in _PUNCT and k < last]:
                if compressible(chars[k], chars[k + 1]):
                    squeezed[k] = 0.5 * owners[k].fontSize
                    widths[k] -= squeezed[k]
            if tracking:
                widths = [w + tracking if c else w for c, w in zip(chars, widths, strict=True)]
            prefix = list(accumulate(widths, initial=0.0))
            cuts = [k for k in range(1, len(owners)) if owners[k] is not owners[k - 1]]
            if squeezed:
                cuts = sorted({*cuts, *squeezed, *(k + 1 for k in squeezed)})
            units = self._tz_units = (chars, widths, owners, prefix, hard, tracking, squeezed, cuts)
        chars, widths, owners, prefix, hard, tracking, squeezed, cuts = units
        result = split_units(chars, widths, owners, maxWidths, prefix, hard, style.alignment == TA_JUSTIFY,
                             tracking, squeezed, cuts)
        self._tz_lines = (key, result)
        return result


def _with_spacing(draw):
    """Wrap one of reportlab's line drawers so that lines made by :func:`split_units` are drawn with their
    character spacing (PDF ``Tc``): ``charSpace`` for every character, less for each compressed mark.

    reportlab widens only spaces when justifying, which does nothing for Chinese, and knows no tracking.
    ``_putFragLine`` writes each word with one ``_textOut`` call, in order; the compressed marks are words
    of their own (``line.squeezed`` holds their indices), so the spacing is switched around them.
    """
    def drawer(tx, offset, line, last=0):
        space = getattr(line, "charSpace", 0.0)
        small = getattr(line, "squeezed", None)
        if not space and not small:
            return draw(tx, offset, line, last)
        code = tx._code
        # Written directly rather than through setCharSpace: its general number formatting was ~5 % of a build.
        code.append(f"{space:.4f} Tc")
        if small:
            out = tx._textOut
            marks = dict(zip(small, line.squeeze, strict=True))
            count = [0]

            def text_out(text, t_star=0):
                k = count[0]
                count[0] += 1
                if k in marks:
                    code.append(f"{space - marks[k]:.4f} Tc")
                    out(text, t_star)
                    code.append(f"{space:.4f} Tc")
                else:
                    out(text, t_star)

            tx._textOut = text_out
        try:
            return draw(tx, offset, line, last)
        finally:
            if small:
                del tx._textOut
            code.append("0 Tc")
    return drawer


# drawPara looks these names up on every paragraph, so our lines are drawn with their spacing; lines of
# other paragraphs have no ``charSpace`` and are drawn exactly as before.
for _name in ("_justifyDrawParaLineX", "_leftDrawParaLineX", "_centerDrawParaLineX", "_rightDrawParaLineX"):
    setattr(_rl_paragraph, _name, _with_spacing(getattr(_rl_paragraph, _name)))
