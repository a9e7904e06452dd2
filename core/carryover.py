"""Carrying progress over from last year's plan: which new task is which old task.

Plans are reissued each year with most requirements copied, some reworded, some renumbered.
Texts are compared after normalising (no punctuation or spaces); a character-bigram overlap
filters candidates first so only a few SequenceMatcher runs are needed per new task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

from core.model import Plan, Progress

THRESHOLD = 0.6  # below this, texts are different tasks
_CANDIDATES = 5
_PUNCT_RE = re.compile(r"[\s\u3000,，.。、;；:：!！?？\"“”'‘’()（）《》〈〉【】\[\]<>·…—\-]+")


@dataclass(frozen=True)
class Match:
    new: int  # the new task's number
    old: int | None  # the matched old task's number, None when nothing is similar enough
    score: float  # 0..1, 1.0 when the normalised texts are the same
    segments: list[tuple[str, str]] = field(default_factory=list)  # diff_segments(old text, new text)


def normalise(text: str) -> str:
    return _PUNCT_RE.sub("", text).lower()


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def similarity(a: str, b: str) -> float:
    """SequenceMatcher ratio of the normalised texts."""
    na, nb = normalise(a), normalise(b)
    if na == nb:
        return 1.0
    return SequenceMatcher(None, na, nb, autojunk=False).ratio()


def diff_segments(old_text: str, new_text: str) -> list[tuple[str, str]]:
    """Character-level diff as ('equal'|'insert'|'delete', text) runs, in reading order."""
    out: list[tuple[str, str]] = []

    def add(op: str, s: str) -> None:
        if not s:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + s)
        else:
            out.append((op, s))

    sm = SequenceMatcher(None, old_text, new_text, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            add("equal", old_text[i1:i2])
        else:
            add("delete", old_text[i1:i2])
            add("insert", new_text[j1:j2])
    return out


def match_tasks(old: Plan, new: Plan, threshold: float = THRESHOLD) -> list[Match]:
    """One Match per new task, in the new plan's order; each old task is used at most once."""
    olds = [(t.number, normalise(t.text)) for t in old.tasks]
    old_grams = [_bigrams(n) for _, n in olds]
    pairs: list[tuple[float, int, int]] = []  # (score, new index, old index)
    for ni, t in enumerate(new.tasks):
        nn = normalise(t.text)
        ng = _bigrams(nn)
        dice = [(2 * len(ng & og) / (len(ng) + len(og)), oi) for oi, og in enumerate(old_grams)]
        dice.sort(reverse=True)
        for d, oi in dice[:_CANDIDATES]:
            if d < threshold * 0.5:
                break
            on = olds[oi][1]
            if on == nn:
                pairs.append((1.0, ni, oi))
                continue
            sm = SequenceMatcher(None, on, nn, autojunk=False)
            if sm.real_quick_ratio() < threshold or sm.quick_ratio() < threshold:
                continue
            score = sm.ratio()
            if score >= threshold:
                pairs.append((score, ni, oi))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    chosen: dict[int, tuple[float, int]] = {}
    used: set[int] = set()
    for score, ni, oi in pairs:
        if ni not in chosen and oi not in used:
            chosen[ni] = (score, oi)
            used.add(oi)
    matches = []
    for ni, t in enumerate(new.tasks):
        if ni in chosen:
            score, oi = chosen[ni]
            old_task = old.tasks[oi]
            matches.append(Match(t.number, old_task.number, round(score, 4), diff_segments(old_task.text, t.text)))
        else:
            matches.append(Match(t.number, None, 0.0, [("insert", t.text)] if t.text else []))
    return matches


def carried_progress(matches: list[Match], old_progress: dict[int, Progress],
                     existing: dict[int, Progress]) -> list[Progress]:
    """Earlier entries renumbered to the new tasks they match, as a starting point.

    Only tasks with no entry of their own in the new plan get one, so nothing typed is replaced.
    """
    out = []
    for m in matches:
        if m.old is None or m.new in existing or m.old not in old_progress:
            continue
        out.append(replace(old_progress[m.old], task=m.new, updated_at=""))
    return out
