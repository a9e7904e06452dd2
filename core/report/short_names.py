"""A task's short name for the report body, e.g. 任务12 办理市长留言事项.

The name is taken from the requirement itself: its first sentence, without the framing clause that
says on what basis (围绕…、按照…要求), without who must do it (各镇政府、县各部门单位要) and without
softening adverbs (认真、积极、进一步). What is left is the action; a long one is cut at a list
separator, or the plan's subsection title is used when nothing short remains.
"""

from __future__ import annotations

import re

from core.cn import cn_number
from core.model import Plan, Task
from core.text_width import text_ems

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
    if text_ems(name) <= MAX_LEN:
        return name
    first = next((m.start() for m in re.finditer("、", name) if _outside_quotes(name, m.start())), -1)
    etc = name.find("等", first) if first >= 0 else -1
    if first >= 0 and etc > first:  # A、B、C等D -> A等D
        short = re.sub("工作$", "", name[:first] + name[etc:])
        if text_ems(short) <= MAX_LEN:
            return short
    # verb + list: keep the items that fit, then 等
    if 0 < first <= 12 and "的" not in name[first:] and "要" not in name[:first]:
        best = ""
        for m in re.finditer("、", name):
            head = name[:m.start()]
            if _outside_quotes(name, m.start()) and text_ems(head) + 1 <= MAX_LEN:
                best = head
        if best:
            return best + "等"
    of = name.rfind("的")
    if of >= 4 and len(name) - of - 1 >= 4:  # verb + modifier 的 + object -> verb + object
        short = name[:2] + name[of + 1:]
        if text_ems(short) <= MAX_LEN:
            return short
    for sep in ("以及", "及", "并"):
        i = name.find(sep)
        if i >= 6 and text_ems(name[:i]) <= MAX_LEN and _outside_quotes(name, i):
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
    if text_ems(name) < 4:
        if task.subsection is not None and task.subsection < len(plan.subsections):
            return plan.subsections[task.subsection].title
        return ""
    return name



_TRIM = re.compile(r"^全县|^全镇|本行业本系统|工作$")


def _compact(clause: str) -> str:
    """A harder cut of one clause, for a task whose usual short name another task already has: without
    全县 and a closing 工作, before 以及/并, verb + the object after 的, or the head of a list plus 等."""
    name = _TRIM.sub("", _strip_front(clause))
    if 4 <= text_ems(name) <= MAX_LEN:
        return name
    short = _shorten(name)
    if short:
        return short
    for sep in ("以及", "并"):
        i = name.find(sep)
        if i >= 6:
            name = name[:i]
            if text_ems(name) <= MAX_LEN:
                return name
    of = name.rfind("的")
    works = [name]
    if of >= 4 and len(name) - of - 1 >= 4:
        works.insert(0, name[:2] + name[of + 1:])
    for work in works:
        if text_ems(work) <= MAX_LEN:
            return work
        first = next((m.start() for m in re.finditer("、", work) if _outside_quotes(work, m.start())), -1)
        if first >= 6 and text_ems(work[:first]) + 1 <= MAX_LEN:
            return work[:first].replace("要", "", 1) + "等"
    return ""


def _alternatives(task: Task) -> list[str]:
    """Other names for ``task`` from the clauses of its text, in reading order (对X，要Y gives Y's verb + X)."""
    out: list[str] = []
    for sentence in re.split(r"[。；;]", task.text.replace("\n", "")):
        clauses = [c.strip() for c in re.split(r"[，,：:]", _PARENS.sub("", sentence)) if c.strip()]
        for i, raw in enumerate(clauses):
            clause = _FRAME_PHRASE.sub("", _strip_adverbs(raw.removeprefix("并").removeprefix("要"))) or raw
            nxt = clauses[i + 1] if i + 1 < len(clauses) else ""
            if "对" in clause and nxt.startswith("要"):
                verb = _strip_adverbs(nxt[1:])
                verb = verb[:verb.index("对")] if "对" in verb[:6] else verb[:4]
                name = verb + clause[clause.index("对") + 1:]
                if text_ems(name) <= MAX_LEN and name not in out:
                    out.append(name)
                continue
            if clause.startswith(_FRAME_START):
                continue
            name = _compact(clause)
            if text_ems(name) >= 4 and name not in out:
                out.append(name)
    return out


def short_names(plan: Plan) -> dict[int, str]:
    """Every task's short name, unique within the plan (the report body and the annex use these).

    Where tasks share one (they fell back to their subsection's title), the task whose own text says the
    name keeps it (else the first); the others take a name from another clause of their text, or the
    shared name with （二）, （三）… when no clause gives one."""
    names = {t.number: short_name(plan, t) for t in plan.tasks}
    by_number = {t.number: t for t in plan.tasks}
    keep: dict[str, int] = {}
    for name in set(names.values()):
        sharing = [n for n, x in names.items() if x == name]
        keep[name] = next((n for n in sharing if name in by_number[n].text), sharing[0])
    used = set(names.values())
    for t in plan.tasks:
        name = names[t.number]
        if not name or keep[name] == t.number:
            continue
        new = next((x for x in _alternatives(t) if x not in used), "")
        k = 2
        while not new:
            new = f"{name}（{cn_number(k)}）"
            new = "" if new in used else new
            k += 1
        names[t.number] = new
        used.add(new)
    return names
