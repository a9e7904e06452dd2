"""Breaking a title into lines shaped as GB/T 9704 7.3.3 asks: 梯形 (each line no longer than the next)
or 菱形 (the middle line longest), with words kept whole.

Widths are counted in characters of the 2号 title (20 fit the 156 mm block); half-width characters count
half. Lines break at word boundaries first (around 关于, after a year, before 落实, at book-title marks);
only if none gives a good shape at any place that does not split a number or a 《…》.
"""

from __future__ import annotations

import re
from itertools import combinations, pairwise

from core.text_width import text_ems

#: Characters of the 2号 (22 pt) title on one line of the 156 mm text block.
TITLE_CHARS = 20
_WORD_BREAKS = (re.compile(r"关于"), re.compile(r"(?<=关于)"), re.compile(r"(?<=\d年)"), re.compile(r"落实"),
                re.compile(r"《"), re.compile(r"(?<=》)"), re.compile(r"(?<=方案)"), re.compile(r"(?<=要点)"),
                re.compile(r"(?<=工作)"), re.compile(r"(?=工作)"), re.compile(r"(?<=[和及])"),
                re.compile(r"(?<=公开)"), re.compile(r"(?<=情况)(?!的)"), re.compile(r"(?<=[镇局委办])(?=关于)"))


def _allowed(text: str, i: int) -> bool:
    """A break before text[i] splits no number, no 《…》 and leaves no mark alone."""
    a, b = text[i - 1], text[i]
    if (a.isascii() and a.isalnum()) and (b.isascii() and b.isalnum()):
        return False
    if text[:i].count("《") > text[:i].count("》"):
        return False
    return b not in "，。、；：？！）》”的之" and a not in "（《“"


def _candidates(text: str) -> tuple[list[int], list[int]]:
    words = sorted({m.start() for r in _WORD_BREAKS for m in r.finditer(text) if 0 < m.start() < len(text)})
    words = [i for i in words if _allowed(text, i) or text[i] == "《"]
    anywhere = [i for i in range(1, len(text)) if _allowed(text, i)]
    return words, anywhere


def _shape_ok(widths: list[float]) -> bool:
    if any(w > TITLE_CHARS for w in widths):
        return False
    if len(widths) == 2:
        return widths[0] < widths[1]  # 梯形: the upper line shorter
    mid = widths[1:-1]
    trapezoid = all(x <= y for x, y in pairwise(widths))
    diamond = all(m >= widths[0] and m >= widths[-1] for m in mid)
    return trapezoid or diamond


def _best(text: str, points: list[int], n: int) -> tuple[str, ...] | None:
    best: tuple[float, tuple[str, ...]] | None = None
    for cut in combinations(points, n - 1):
        bounds = (0, *cut, len(text))
        lines = tuple(text[a:b] for a, b in pairwise(bounds))
        widths = [text_ems(x) for x in lines]
        if not _shape_ok(widths):
            continue
        score = max(widths) - min(widths)  # as even as the shape allows
        if best is None or score < best[0]:
            best = (score, lines)
    return best[1] if best else None


def title_lines(text: str) -> tuple[str, ...]:
    """The title's printed lines (one line if it fits)."""
    text = text.strip()
    total = text_ems(text)
    if total <= TITLE_CHARS:
        return (text,)
    n = -(-int(total * 2) // (TITLE_CHARS * 2))
    words, anywhere = _candidates(text)
    for extra in (0, 1):
        for points in (words, anywhere):
            if len(points) > 40 and n + extra > 3:
                continue
            lines = _best(text, points, n + extra)
            if lines:
                return lines
    # No shaped split: fill lines greedily.
    lines, line = [], ""
    for ch in text:
        if text_ems(line + ch) > TITLE_CHARS:
            lines.append(line)
            line = ""
        line += ch
    return (*lines, line)
