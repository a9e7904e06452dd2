"""One width rule (core.text_width): east_asian_width, with the marks Chinese fonts set full-width named."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.report.ledger import text_width
from core.report.titles import title_lines
from core.sheets.outgoing import text_lines
from core.text_width import FANGSONG_NARROW, FULL_IN_CHINESE, is_wide, text_ems, text_units

MIXED = "“放管服”改革—2019年…"  # the old helpers: 10 ems (titles, short names), 10.4 (ledger), 12 (Word)


def test_han_punctuation_and_the_named_marks_are_wide_latin_is_narrow():
    assert [is_wide(c) for c in "政，。（A1 ,"] == [True, True, True, True, False, False, False, False]
    assert all(is_wide(c) for c in FULL_IN_CHINESE)  # “ ” — … are "ambiguous" in Unicode, full in 仿宋
    assert text_ems(MIXED) == 12.0  # 10 wide (the quotes, the dash and the ellipsis among them), 4 digits
    assert text_units(MIXED) == 2 * 10 + 4


def test_the_ledger_measures_with_fangsong_digits():
    assert text_width("2019年") == 4 * FANGSONG_NARROW + 1


def test_spreadsheet_rows_count_wide_characters_as_two():
    assert text_lines("中" * 10, 10.6) == 2  # 20 units over 10 a line
    assert text_lines("“" * 5, 10.6) == 1  # 10 units: one line, counted as wide


@given(st.text(max_size=40))
def test_units_are_twice_the_ems(text):
    assert text_units(text) == 2 * text_ems(text)


def test_titles_still_split_by_the_same_rule():
    lines = title_lines("德庆县人民政府办公室关于印发德庆县2019年政务公开工作要点的通知")
    assert "".join(lines) == "德庆县人民政府办公室关于印发德庆县2019年政务公开工作要点的通知"
    assert all(text_ems(line) <= 20 for line in lines)
