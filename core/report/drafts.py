"""Drafts the clerk starts from: a section's (or a part's) summary built from its tasks' notes.

The draft is offered in the report dialog (and by ``report texts --draft``); nothing here is printed unless
the clerk keeps it. It takes the usual 公文 form, 一是…；二是…；三是…。, one item per task that has a
note, led by the task's short name. Each item keeps the note's figures: the framing clause (对照“…”的要求)
goes, then clauses already said by an earlier item go, and a long note is cut at a clause boundary after
the clauses that hold a number, never inside a word and never with "…".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from core.cn import cn_number
from core.model import Plan, Progress, Status
from core.report.text import clean, paragraphs

#: A draft item's longest gist, in characters (clauses with figures are kept first).
GIST_CHARS = 70
_FRAME = re.compile(r"^(?:对照|根据|按照|围绕)(?:“[^”]*”|[^，,；;。“])*?(?:要求|部署|精神)[，,]")
_ECHO = re.compile(r"^任务\s*\d+\s*[：:，,、.．]\s*")
_CLAUSE_END = re.compile(r"(?<=[，；。])")


def strip_echo(line: str) -> str:
    """A note line without a leading "任务62：" (the report already names the task)."""
    return _ECHO.sub("", line)


def _clauses(note: str) -> list[str]:
    text = "".join(clean(strip_echo(x)) for x in paragraphs(note))
    text = _FRAME.sub("", text)
    out: list[str] = []
    for piece in _CLAUSE_END.split(text):  # a mark inside “…” does not end a clause
        if out and out[-1].count("“") > out[-1].count("”"):
            out[-1] += piece
        else:
            out.append(piece)
    return [c.strip() for c in out if c.strip().strip("，；。")]


def gist(note: str, said: set[str] | None = None, limit: int = GIST_CHARS) -> str:
    """The note in at most ``limit`` characters, cut at clause ends, figures kept, no final mark.

    ``said`` holds clauses (without marks) earlier items already gave; they are left out and the ones
    used here are added."""
    said = set() if said is None else said
    clauses = [c for c in _clauses(note) if c.strip("，；。") not in said]
    if not clauses:
        return ""
    keep: list[int] = []
    size = 0
    # The first clause, then those with a figure, then the rest, as long as they fit.
    order = [0] + [i for i, c in enumerate(clauses) if i and re.search(r"\d", c)]
    order += [i for i in range(len(clauses)) if i not in order]
    for i in order:
        body = clauses[i].strip("，；。")
        if keep and size + len(body) + 1 > limit:
            continue
        keep.append(i)
        size += len(body) + 1
    parts = [clauses[i].strip("，；。") for i in sorted(keep)]
    said.update(parts)
    return "，".join(parts)


def ordinal_items(items: Sequence[str]) -> str:
    """一是A；二是B；三是C。 (one item: the item itself with a full stop)."""
    items = [x.rstrip("，；。") for x in items if x.strip()]
    if not items:
        return ""
    if len(items) == 1:
        return items[0] + "。"
    return "；".join(f"{cn_number(k)}是{x}" for k, x in enumerate(items, start=1)) + "。"


def draft(plan: Plan, names: Mapping[int, str], tasks: Sequence[int], progress: Mapping[int, Progress],
          field: str = "achievements") -> str:
    """A draft from the ``field`` notes of ``tasks`` (in order): 一是<short name>，<gist>；二是…。"""
    said: set[str] = set()
    seen: set[str] = set()
    items = []
    for number in tasks:
        p = progress.get(number)
        if p is None or p.status is Status.NOT_APPLICABLE:
            continue
        note = getattr(p, field)
        if not note.strip() or note in seen:
            continue
        seen.add(note)
        text = gist(note, said)
        name = names.get(number, "")
        if text and name:
            items.append(f"{name}，{text}")
        elif text or name:
            items.append(text or name)
    return ordinal_items(items)


def section_drafts(plan: Plan, names: Mapping[int, str], tasks: Sequence[int],
                   progress: Mapping[int, Progress]) -> dict[int, str]:
    """A draft of 主要成效做法 for each section of the plan that has a note among ``tasks``."""
    by_section: dict[int, list[int]] = {}
    sections = {t.number: t.section for t in plan.tasks}
    for n in tasks:
        by_section.setdefault(sections[n], []).append(n)
    out = {}
    for section, numbers in sorted(by_section.items()):
        text = draft(plan, names, numbers, progress)
        if text:
            out[section] = text
    return out
