"""A task's short name for the report body, e.g. 任务12 办理市长留言事项.

The name is taken from the requirement itself: its first sentence, without the framing clause that
says on what basis (围绕…、按照…要求), without who must do it (各镇政府、县各部门单位要) and without
softening adverbs (认真、积极、进一步). What is left is the action; a long one is cut at a list
separator, or the plan's subsection title is used when nothing short remains.
"""

from __future__ import annotations

import re

from core.model import Plan, Task

#: Longest short name, in characters (a half-width character counts as half).
MAX_LEN = 18
_PARENS = re.compile(r"[(（][^()（）]*[)）]")
#: Clauses that frame the action rather than state it, when another clause follows.
_FRAME_START = ("围绕", "按照", "按", "根据", "对", "在", "以", "结合", "针对", "为", "通过", "利用")
_FRAME_PHRASE = re.compile(r"^(?:按照|按|根据)[^，]{0,20}?(?:要求|部署)")
#: Who must act, before 要: the action follows.
_ACTOR = re.compile(r"^(?:.{0,24}?(?:单位|部门|政府|机关|街道办)(?:要|须|应当|应)|.{0,16}?(?:负责人|负责同志))")
_ADVERBS = ("要", "认真", "积极", "严格", "进一步", "持续", "及时", "全面", "主动", "切实", "着力", "大力", "继续",
            "扎实", "努力", "探索", "精准", "按要求", "年内", "、")
_LIGHT_VERBS = ("做好", "抓好", "开展好")


def _width(text: str) -> float:
    return sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)


def _clauses(text: str) -> list[str]:
    first = re.split(r"[。；;]", text.replace("\n", ""), maxsplit=1)[0]
    first = _PARENS.sub("", first)
    return [c.strip() for c in re.split(r"[，,：:]", first) if c.strip()]


def _strip_adverbs(clause: str) -> str:
    changed = True
    while changed:
        changed = False
        for word in _ADVERBS:
            if clause.startswith(word) and len(clause) - len(word) >= 4:
                clause = clause[len(word):]
                changed = True
    return clause


def _strip_front(clause: str) -> str:
    clause = _FRAME_PHRASE.sub("", clause) or clause
    m = _ACTOR.match(clause)
    if m and len(clause) - m.end() >= 4:
        clause = clause[m.end():]
    clause = _strip_adverbs(clause)
    for verb in _LIGHT_VERBS:
        i = clause.find(verb)
        if 0 <= i <= 4 and len(clause) - i - len(verb) >= 4:
            clause = clause[i + len(verb):]
            break
    return clause


def _outside_quotes(text: str, i: int) -> bool:
    return text[:i].count("“") == text[:i].count("”")


def _shorten(name: str) -> str:
    """A name no longer than MAX_LEN, or "" when no clean cut exists."""
    if _width(name) <= MAX_LEN:
        return name
    first = next((m.start() for m in re.finditer("、", name) if _outside_quotes(name, m.start())), -1)
    etc = name.find("等", first) if first >= 0 else -1
    if first >= 0 and etc > first:  # A、B、C等D -> A等D
        short = re.sub("工作$", "", name[:first] + name[etc:])
        if _width(short) <= MAX_LEN:
            return short
    # verb + list: keep the items that fit, then 等
    if 0 < first <= 12 and "的" not in name[first:] and "要" not in name[:first]:
        best = ""
        for m in re.finditer("、", name):
            head = name[:m.start()]
            if _outside_quotes(name, m.start()) and _width(head) + 1 <= MAX_LEN:
                best = head
        if best:
            return best + "等"
    of = name.rfind("的")
    if of >= 4 and len(name) - of - 1 >= 4:  # verb + modifier 的 + object -> verb + object
        short = name[:2] + name[of + 1:]
        if _width(short) <= MAX_LEN:
            return short
    for sep in ("以及", "及", "并"):
        i = name.find(sep)
        if i >= 6 and _width(name[:i]) <= MAX_LEN and _outside_quotes(name, i):
            return name[:i]
    return ""


def short_name(plan: Plan, task: Task) -> str:
    """A few words naming ``task``: the action of its first sentence, or its subsection's title."""
    clauses = _clauses(task.text)
    if clauses:
        clauses[0] = _strip_adverbs(clauses[0])
        rest = _FRAME_PHRASE.sub("", clauses[0])
        if len(rest) >= 4:
            clauses[0] = rest
    framed = False
    while len(clauses) > 1 and (clauses[0].startswith(_FRAME_START)
                                or (framed and clauses[0].startswith("以及"))
                                or (clauses[0].startswith(("将", "把")) and "作为" in clauses[0])
                                or (clauses[1].startswith("要") and "对" in clauses[0])):
        framed = True
        clauses = clauses[1:]
    name = _shorten(_strip_front(clauses[0])) if clauses else ""
    if _width(name) < 4:
        if task.subsection is not None and task.subsection < len(plan.subsections):
            return plan.subsections[task.subsection].title
        return ""
    return name
