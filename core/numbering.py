"""Task numbers that restart in each group (一、… 1. 2. 二、… 1. 2.): one unique numbering for the plan.

A plan is stored and talked about by task number, so the numbers must be unique. When the numbers
repeat only because each group starts again at 1, the tasks are numbered through in reading order
(the dry run and the real import see the same numbers). A number repeated for no such reason is left
for the clerk to correct (the preview flags it and saving refuses it).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence


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
