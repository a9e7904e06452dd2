"""Showing user text on a terminal without letting it act on the terminal.

Progress notes are stored exactly as typed, including BEL, ESC, bidi overrides (U+202E) and
noncharacters (U+FFFE). Printed raw, such text rings the bell, starts escape sequences or reverses
the rest of the line. :func:`escape_for_terminal` shows each such character as ``\\u202e``.
"""

from __future__ import annotations

import unicodedata

# Unicode categories that are invisible or act on the display: controls, format characters (bidi
# overrides and isolates, zero-width marks, BOM), surrogates, line and paragraph separators, and
# code points not assigned (in this Python's Unicode tables). Private-use characters are shown.
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp", "Cn"})


def is_noncharacter(code: int) -> bool:
    """U+FDD0…U+FDEF and the last two code points of every plane (U+FFFE, U+1FFFF, …)."""
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def needs_escape(ch: str) -> bool:
    code = ord(ch)
    return unicodedata.category(ch) in _ESCAPED_CATEGORIES or is_noncharacter(code)


def escape_for_terminal(text: str) -> str:
    """``text`` with every control, format, bidi and noncharacter shown as ``\\uXXXX`` (or
    ``\\UXXXXXXXX`` beyond the BMP); a backslash is doubled so the result reads back unambiguously."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif needs_escape(ch):
            code = ord(ch)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)
