"""Preparing user and plan text for print: punctuation, paragraphs and dates."""

from __future__ import annotations

import re
from datetime import date

_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_PAREN_RE = re.compile(r"\(([^()\n]*)\)")
_MARK_RE = re.compile(r"[,;:!?]")


def is_cjk(ch: str) -> bool:
    """Han characters, CJK punctuation and full-width forms."""
    cp = ord(ch)
    return (0x3000 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0xFF00 <= cp <= 0xFFEF
            or 0x20000 <= cp <= 0x3FFFF or cp in (0x2014, 0x2026, 0x201C, 0x201D, 0x2018, 0x2019))


def _near_cjk(text: str, i: int, j: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[j] if j < len(text) else ""
    return (bool(before) and is_cjk(before)) or (bool(after) and is_cjk(after))


def to_print_punctuation(text: str) -> str:
    """Half-width , ; : ! ? ( ) next to Chinese text become full-width (，；：！？（）).

    Numbers and Latin text keep their marks: ``1,000``, ``10:30``, ``(PDF)`` between Latin words.
    """
    def paren(m: re.Match[str]) -> str:
        inner = m.group(1)
        if any(is_cjk(c) for c in inner) or _near_cjk(m.string, m.start(), m.end()):
            return f"（{inner}）"
        return m.group(0)

    text = _PAREN_RE.sub(paren, text)

    def mark(m: re.Match[str]) -> str:
        s, i = m.string, m.start()
        before = s[i - 1] if i > 0 else ""
        after = s[i + 1] if i + 1 < len(s) else ""
        if before.isdigit() and after.isdigit():
            return m.group(0)
        if (before and is_cjk(before)) or (after and is_cjk(after)):
            return _HALF_TO_FULL[m.group(0)]
        return m.group(0)

    return _MARK_RE.sub(mark, text)


def paragraphs(text: str) -> list[str]:
    """Non-empty lines of ``text`` (as typed, each line is a paragraph), trimmed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line.strip().strip("\u3000") for line in lines if line.strip().strip("\u3000")]


def clean(text: str) -> str:
    """One paragraph's text ready for typesetting (punctuation converted, tabs to spaces)."""
    return to_print_punctuation(text.replace("\t", " "))


def chinese_date(d: date) -> str:
    """2019年12月4日: full year, no leading zeros."""
    return f"{d.year}年{d.month}月{d.day}日"
