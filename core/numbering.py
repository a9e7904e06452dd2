"""Task numbers that restart in each group (一、… 1. 2. 二、… 1. 2.): one unique numbering for the plan.

A plan is stored and talked about by task number, so the numbers must be unique. When the numbers
repeat only because each group starts again at 1, the tasks are numbered through in reading order
(the dry run and the real import see the same numbers). A number repeated for no such reason is left
for the clerk to correct (the preview flags it and saving refuses it).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

_CN_DIGITS = "零一二三四五六七八九"


def restart_numbering(numbers: Sequence[int], groups: Sequence[Hashable]) -> list[int] | None:
    """Numbers 1..N in order when ``numbers`` repeat only because they restart at a new group; else None."""
    if len(set(numbers)) == len(numbers):
        return None
    segments: list[list[int]] = []
    for i, n in enumerate(numbers):
        if i == 0 or (n == 1 and groups[i] != groups[i - 1]):
            segments.append([])
        segments[-1].append(n)
    if len(segments) < 2 or any(len(set(s)) < len(s) for s in segments):
        return None
    return list(range(1, len(numbers) + 1))
def cn_numeral(n: int) -> str:
    if n <= 10:
        return "十" if n == 10 else _CN_DIGITS[n]
    if n < 20:
        return "十" + _CN_DIGITS[n % 10]
    tens, ones = divmod(n, 10)
    return _CN_DIGITS[tens % 10] + "十" + (_CN_DIGITS[ones] if ones else "")


