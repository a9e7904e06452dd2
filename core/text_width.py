"""How wide text sets: the one width rule for titles, short names, the ledger's columns and spreadsheet rows.

A character is wide when Unicode says so (``unicodedata.east_asian_width`` W or F: Han characters, Chinese
punctuation, full-width forms, Hangul). The named exceptions are the marks whose Unicode width is "ambiguous"
but which a Chinese body font (仿宋, 宋体) sets a full em wide: curly quotes, the dash, the ellipsis and the
interpunct. Everything else (digits, Latin letters, ASCII marks) is narrow; how narrow depends on the font,
so callers that measure for print pass their own ``narrow`` (the ledger's 仿宋 digits: :data:`FANGSONG_NARROW`).
"""

from __future__ import annotations

import unicodedata

#: Ambiguous-width marks set full-width in Chinese text (GB/T 15834 punctuation as the fonts draw it).
FULL_IN_CHINESE = frozenset("“”‘’—―…·※")
#: Width in ems of a half-width character in the usual case.
NARROW = 0.5
#: 仿宋's digits and Latin letters are a little over half an em: the ledger's column fitting uses this.
FANGSONG_NARROW = 0.55


def is_wide(ch: str) -> bool:
    """A full em in a Chinese body font (see the module note for the exceptions)."""
    return unicodedata.east_asian_width(ch) in "WF" or ch in FULL_IN_CHINESE


def text_ems(text: str, narrow: float = NARROW) -> float:
    """Width in ems: wide characters 1, the rest ``narrow``."""
    return sum(1.0 if is_wide(ch) else narrow for ch in text)


def text_units(text: str) -> int:
    """Width in half-width units (a spreadsheet's or a terminal's columns): wide characters 2, the rest 1."""
    return sum(2 if is_wide(ch) else 1 for ch in text)
