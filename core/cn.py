"""Chinese numerals and dates as official documents write them: one helper for each, used everywhere."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

#: The numerals of section numbers (一、) and subsection numbers (（一）).
CN_NUMERALS = "一二三四五六七八九十"
_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 as Chinese numerals: 一, 十, 十二, 二十, 二十一."""
    if not 1 <= n <= 99:
        raise ValueError(f"{n} is outside 1..99")
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def number_runs(numbers: Sequence[int]) -> str:
    """Task numbers joined with 、, runs of three or more as 17—60 (in the order given)."""
    out: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        if j - i >= 2:
            out.append(f"{numbers[i]}—{numbers[j]}")
            i = j + 1
        else:
            out.append(str(numbers[i]))
            i += 1
    return "、".join(out)


def percent_text(part: int, whole: int) -> str:
    """The one percent formatter, of counts: one decimal, halves rounded up (1/8 → 12.5%, 1/16 → 6.3%,
    1/3 → 33.3%); 0.0% when there is nothing to divide by."""
    if not whole:
        return "0.0%"
    tenths = (2000 * part + whole) // (2 * whole)  # 1000 * part / whole + 1/2, rounded down: exact in integers
    return f"{tenths // 10}.{tenths % 10}%"


def chinese_date(d: date) -> str:
    """2019年12月4日: full year, no leading zeros (GB/T 9704's 成文日期)."""
    return f"{d.year}年{d.month}月{d.day}日"


def chinese_date_iso(iso: str) -> str:
    """:func:`chinese_date` of an ISO date text; the text unchanged when it is not a date."""
    try:
        return chinese_date(date.fromisoformat(iso))
    except ValueError:
        return iso


def short_time(iso: str) -> str:
    """2019-11-02T09:15:03 → 2019-11-02 09:15 (lists and tables); empty stays empty."""
    if not iso:
        return ""
    try:
        t = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{t.year}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}"
