"""escape_for_terminal: what the missing-glyph warning prints instead of raw control characters."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from core.text_safety import escape_for_terminal, is_noncharacter


def test_the_four_from_the_issue_are_escaped():
    assert escape_for_terminal("响铃\x07转义\x1b[31m反向\u202e非字符\ufffe") == \
        "响铃\\u0007转义\\u001b[31m反向\\u202e非字符\\ufffe"


def test_ordinary_text_is_unchanged():
    text = "喆赟镕玥𠀀 政务公开 100% ok😀"
    assert escape_for_terminal(text) == text


def test_other_invisible_characters():
    assert escape_for_terminal("a\u2066b\u200fc\ufeffd\u2028e\U0010ffff\ud800\x00") == \
        "a\\u2066b\\u200fc\\ufeffd\\u2028e\\U0010ffff\\ud800\\u0000"
    assert escape_for_terminal("路径 C:\\u202e") == "路径 C:\\\\u202e"  # a typed backslash stays distinguishable


@given(st.text(st.characters(codec=None, categories=None)))
def test_result_is_safe_to_print(text):
    shown = escape_for_terminal(text)
    assert not [ch for ch in shown if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp", "Cn")
                or is_noncharacter(ord(ch))]
    assert shown.isascii() or all(ch in text for ch in shown if not ch.isascii())  # nothing made up
