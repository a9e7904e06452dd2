"""Splitting a unit cell (牵头及责任单位) into lead, responsible and cooperating units.

The cell is a run of unit lists, each closed by a role word::

    县教育局、…、县税务局等有关部门分别按职能牵头,各镇政府(街道办)负责

A list runs until its role word, so a comma before the role word (task 28) does not end it.

Plans from towns and other years also write cells with labels (``牵头单位：党政综合办；责任单位：各村委会``)
or with no role word at all (``司法所``); :func:`parse_unit_cell` reads those too.
"""

from __future__ import annotations

import re

from core.categories import (
    ALL_DEPARTMENTS,
    RELATED_DEPARTMENTS,
    TOWN_OFFICES,
    TOWNS,
    VILLAGES,
    category_by_shape,
    is_town_tail,
)
from core.due import is_deadline_cell
from core.hanzi import simplified
from core.model import Role, Units
from core.patterns import LazyPattern

__all__ = ["ALL_DEPARTMENTS", "RELATED_DEPARTMENTS", "TOWNS", "TOWN_OFFICES", "VILLAGES", "category_of"]

# Longest first, so 分别按职能牵头 is not read as 牵头.
LEAD_WORDS = ("结合单位职责分别牵头", "分别按职能牵头", "按职能牵头", "分别牵头", "牵头负责", "牵头")
RESPONSIBLE_WORDS = ("按职能分工落实", "按职责分工负责", "按职责分工落实", "按职责负责", "按职责落实", "分别负责",
                     "具体负责", "负责落实", "参照落实", "参照执行", "组织实施", "抓好落实", "负责", "落实")
COOPERATING_WORDS = ("积极配合", "协助配合", "配合", "协办", "协助")
# Words that end task text as often as unit lists; a line ending in one is a unit line only when
# what comes before reads as unit names.
_WEAK_WORDS = ("落实", "参照落实", "参照执行", "组织实施", "抓好落实", "负责落实", "协助")
_ROLE_RE = LazyPattern(
    "|".join(re.escape(w) for w in sorted((*LEAD_WORDS, *RESPONSIBLE_WORDS, *COOPERATING_WORDS), key=len,
                                          reverse=True))
)
_TRAILING_ROLE_RE = LazyPattern("(?:" + _ROLE_RE.pattern + ")+$")
_SEPARATORS = LazyPattern(r"[、,，;；/]+")
# Labels that name the role before the list: 牵头单位：…；责任单位：…
_LABEL_ROLES = {
    "牵头及责任单位": None, "牵头及责任部门": None, "牵头单位": Role.LEAD, "牵头部门": Role.LEAD,
    "主办单位": Role.LEAD, "责任单位": Role.RESPONSIBLE, "责任部门": Role.RESPONSIBLE, "负责单位": Role.RESPONSIBLE,
    "承办单位": Role.RESPONSIBLE, "落实单位": Role.RESPONSIBLE, "实施单位": Role.RESPONSIBLE,
    "责任主体": Role.RESPONSIBLE, "配合单位": Role.COOPERATING, "配合部门": Role.COOPERATING,
    "协办单位": Role.COOPERATING, "协作单位": Role.COOPERATING, "参与单位": Role.COOPERATING,
}
_LABEL_ROLES.update({
    "牵头责任单位": Role.LEAD, "牵头负责单位": Role.LEAD, "牵头科室": Role.LEAD, "牵头股室": Role.LEAD,
    "协同责任单位": Role.COOPERATING, "协同单位": Role.COOPERATING, "协助单位": Role.COOPERATING,
    "责任科室": Role.RESPONSIBLE, "责任股室": Role.RESPONSIBLE, "部门分工": None, "分工": None,
    "牵头负责领导": Role.NONE, "分管领导": Role.NONE, "责任领导": Role.NONE, "分管省领导": Role.NONE,
    "分管市领导": Role.NONE, "分管区领导": Role.NONE, "分管县领导": Role.NONE, "牵头领导": Role.NONE,
    "牵頭單位": Role.LEAD, "責任單位": Role.RESPONSIBLE, "配合單位": Role.COOPERATING,
})
_LABEL_RE = LazyPattern("(" + "|".join(sorted(_LABEL_ROLES, key=len, reverse=True)) + r")\s*(?:[:：]|;(?=\S))")
_ALIAS_RE = LazyPattern(r"^(?P<name>.+?)[(（](?P<alias>[^()（）]+)[)）]$")
_AND_OTHERS_RE = LazyPattern(r"等(?:有关|相关|其他|成员)?(?:职能)?(?:部门|单位)*(?:\((?:部门|单位)\))?$")
# 及/和 joining two units: 县发改局及县财政局 (but not 县住房和城乡建设局: the left side must end as a unit does).
_JOIN_RE = LazyPattern(r"(?<=[局办委院所站队部室厅中心镇街道府区会门位])[及和与]")

_CATEGORY_SPELLINGS = {
    TOWNS: ("各镇政府(街道办)", "各镇政府(街道)", "各镇(街道)", "各镇政府", "各镇人民政府", "各镇街"),
    ALL_DEPARTMENTS: ("县各部门单位", "县各部门(单位)", "县各部门", "县政府各部门", "县直各部门", "县各单位"),
    VILLAGES: ("各村(社区)", "各村(居)委会", "各村(居)", "各村委会", "各村居委会", "各村居", "各村", "各村(社区)委会",
               "各村、社区", "各村社区"),
    TOWN_OFFICES: ("镇各部门单位", "镇各部门", "镇直各单位", "镇各单位", "各办(站、所)", "各办站所", "镇各办(站、所)",
                   "镇各办站所", "各站所", "各办站所(中心)"),
}

# Obvious slips in published plans, mapped to what was meant. The raw cell keeps the original.
_SLIPS = {"县有各部门": "县各部门", "县有各部门单位": "县各部门单位"}


def normalise_text(s: str) -> str:
    """Full-width brackets and commas to half-width, spaces removed; used for matching only."""
    table = str.maketrans({"（": "(", "）": ")", "〈": "(", "〉": ")", "，": ",", "；": ";", "\u3000": "", " ": "",
                           "\t": ""})
    return s.translate(table).strip()


def category_of(name: str) -> str | None:
    """The category a unit name stands for, or None for a single named unit."""
    name = simplified(name)
    for category, spellings in _CATEGORY_SPELLINGS.items():
        if name in spellings:
            return category
    if name.startswith(("县", "各", "镇")) and any(w in name for w in ("有关", "相关", "各单位", "成员")):
        return RELATED_DEPARTMENTS
    return category_by_shape(name)


def _canonical(name: str) -> str | None:
    """The category name 德庆's spellings normalise to; other shapes keep their own words."""
    for category, spellings in _CATEGORY_SPELLINGS.items():
        if name in spellings:
            return category
    return None


def _split_joined(part: str) -> list[str]:
    """县发改局及县财政局 → two names, when both halves read as units."""
    if category_of(part) is not None:
        return [part]
    pieces = _JOIN_RE.split(part)
    if len(pieces) > 1 and all(len(p) >= 2 for p in pieces):
        return pieces
    return [part]


def _split_outside_brackets(chunk: str) -> list[str]:
    """Split on list separators, except inside brackets: 各办(站、所) is one name."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(chunk):
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        elif depth == 0 and _SEPARATORS.match(ch):
            parts.append(chunk[start:i])
            start = i + 1
    parts.append(chunk[start:])
    return parts


def _strip_unbalanced(s: str) -> str:
    """Drop brackets left at the edges by a cut (``各街办(新区)`` keeps its pair)."""
    while s and s[-1] in ")）" and s.count("(") + s.count("（") < s.count(")") + s.count("）"):
        s = s[:-1].rstrip(" ;,。.")
    while s and s[0] in "(（" and s.count("(") + s.count("（") > s.count(")") + s.count("）"):
        s = s[1:].lstrip(" ;,。.")
    return s


_LEVEL_TAIL_RE = LazyPattern(r"^(?:县|市|区|旗|县级市|市辖区)(?:人民政府|政府)?$")


def _join_level_lists(parts: list[str]) -> list[str]:
    """各县、市、区政府 is one phrase, though 、 separates its words."""
    out: list[str] = []
    for p in parts:
        q = p.strip()
        if out and _LEVEL_TAIL_RE.match(q) and re.match(r"^各(?:县|市|区|旗)", out[-1].strip()) \
                and len(out[-1].strip()) <= 6:
            out[-1] = out[-1].strip() + "、" + q
        else:
            out.append(p)
    return out


def _split_names(chunk: str) -> tuple[list[str], list[tuple[str, str]], bool]:
    names: list[str] = []
    aliases: list[tuple[str, str]] = []
    and_others = False
    parts = [p for raw in _join_level_lists(_split_outside_brackets(chunk))
             for p in _split_joined(raw.strip(" .。:："))]
    for part in parts:
        part = part.strip(" .。:：")
        part = _TRAILING_ROLE_RE.sub("", part.removeprefix("由")).strip(" .。:：")
        if part.count("(") > part.count(")"):
            part = part[: part.rindex("(")].strip()  # 各区人民政府〈含开发区… cut off inside its bracket
        if not part:
            continue
        m = _AND_OTHERS_RE.search(part)
        if m and len(part) > len(m.group(0)):
            and_others = True
            part = part[: m.start()]
        part = _SLIPS.get(part, part)
        if is_deadline_cell(part):
            continue  # 6月底完成 written among the units: the caller reads it as the deadline
        if names and category_of(names[-1]) == TOWNS and is_town_tail(part):
            continue  # 各镇人民政府、街道办事处: one category
        category = category_of(part)
        if category is not None:
            names.append(_canonical(part) or part)
            continue
        am = _ALIAS_RE.match(part)
        if am:
            part = am.group("name")
            aliases.append((part, am.group("alias")))
        names.append(part)
    return _shared_prefix(names), aliases, and_others


_LEVEL_START = LazyPattern(r"^(省|市|县|区|州)(?!直|级|各|有关|相关)")
_DEPT_END = LazyPattern(r"(厅|局|委|办)$")


def _shared_prefix(names: list[str]) -> list[str]:
    """省商务厅、财政厅、发展改革委: the level word written once is every department's (省财政厅, 省发展改革委)."""
    out: list[str] = []
    prefix = ""
    for n in names:
        m = _LEVEL_START.match(n)
        if m and _DEPT_END.search(n):
            prefix = m.group(1)
            out.append(n)
        elif prefix and _DEPT_END.search(n) and category_of(n) is None and len(n) <= 10:
            out.append(prefix + n)
        else:
            prefix = ""
            out.append(n)
    return out


def looks_like_unit_line(line: str) -> bool:
    """A unit cell names units and ends with a role word (a trailing full stop is allowed)."""
    s = normalise_text(simplified(line)).rstrip("。.;")
    if not s or len(s) > 300:
        return False
    if _LABEL_RE.match(s):
        return True
    word = next((w for w in sorted((*LEAD_WORDS, *RESPONSIBLE_WORDS, *COOPERATING_WORDS), key=len, reverse=True)
                 if s.endswith(w)), None)
    if word is None:
        return False
    if word in _WEAK_WORDS or (word == "负责" and not _ROLE_RE.search(s[: -len(word)])):
        # 落实 ends many a requirement: a unit line only when the words before it are unit names
        earlier = list(_ROLE_RE.finditer(s[: -len(word)]))
        before = s[earlier[-1].end() if earlier else 0 : -len(word)].removeprefix("由").strip(",;、")
        return bool(before) and looks_like_bare_units(before)
    return True


def parse_units(raw: str) -> Units:
    """Split a unit cell into role lists; text with no role word yields empty lists."""
    s = normalise_text(raw).rstrip("。.;")
    lead: list[str] = []
    responsible: list[str] = []
    cooperating: list[str] = []
    aliases: list[tuple[str, str]] = []
    and_others = False
    pos = 0
    for m in _ROLE_RE.finditer(s):
        chunk = s[pos : m.start()]
        pos = m.end()
        names, al, others = _split_names(chunk)
        aliases += al
        and_others |= others
        word = m.group(0)
        target = lead if word in LEAD_WORDS else responsible if word in RESPONSIBLE_WORDS else cooperating
        for n in names:
            if n not in target:
                target.append(n)
    return Units(
        raw=raw.strip(),
        lead=tuple(lead),
        responsible=tuple(responsible),
        cooperating=tuple(cooperating),
        aliases=tuple(dict.fromkeys(aliases)),
        and_others=and_others,
    )


def has_role_word(raw: str) -> bool:
    """Whether a cell says who does what (a role word or a label such as 责任单位：)."""
    s = normalise_text(simplified(raw))
    return bool(_ROLE_RE.search(s) or _LABEL_RE.search(s))


def _names_into(target: list[str], chunk: str, aliases: list[tuple[str, str]]) -> bool:
    names, al, others = _split_names(chunk)
    aliases += al
    for n in names:
        if n not in target:
            target.append(n)
    return others


def _starred_lead(roles: dict[Role, list[str]]) -> None:
    """★ before a name marks the lead unit in many county tables (★区发改委、统计局)."""
    for role in (Role.RESPONSIBLE, Role.COOPERATING):
        for name in [n for n in roles[role] if n.startswith(("★", "☆"))]:
            roles[role].remove(name)
            bare = name.lstrip("★☆ ")
            if bare and bare not in roles[Role.LEAD]:
                roles[Role.LEAD].append(bare)
    roles[Role.LEAD][:] = [n.lstrip("★☆ ") or n for n in roles[Role.LEAD]]


def parse_unit_cell(raw: str, default: Role = Role.RESPONSIBLE) -> Units:
    """Read any unit cell; traditional characters (牽頭單位) are matched as simplified, names kept as printed."""
    key = simplified(raw)
    if key == raw:
        return _parse_unit_cell(raw, default)
    units = _parse_unit_cell(key, default)
    printed = normalise_text(raw)
    key_n = normalise_text(key)

    def back(name: str) -> str:
        pos = key_n.find(name)
        return printed[pos : pos + len(name)] if pos >= 0 else name

    return Units(raw.strip(), tuple(map(back, units.lead)), tuple(map(back, units.responsible)),
                 tuple(map(back, units.cooperating)), tuple((back(a), back(b)) for a, b in units.aliases),
                 units.and_others)


def _parse_unit_cell(raw: str, default: Role = Role.RESPONSIBLE) -> Units:
    """Read any unit cell: role words, labels, or bare names (which take ``default``).

    Names after the last role word (县府办牵头，各村委会) also take ``default``. The 2019
    cells all end in a role word, so for them this is the same as :func:`parse_units`.
    """
    s = normalise_text(raw).rstrip("。.;")
    if not s:
        return Units(raw=raw.strip())
    roles: dict[Role, list[str]] = {Role.LEAD: [], Role.RESPONSIBLE: [], Role.COOPERATING: []}
    aliases: list[tuple[str, str]] = []
    and_others = False
    labels = list(_LABEL_RE.finditer(s))
    if labels:
        if s[: labels[0].start()].strip("(),;"):
            and_others |= _names_into(roles[default], s[: labels[0].start()], aliases)
        for i, m in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(s)
            body = _strip_unbalanced(s[m.end() : end].strip(" ;,。."))
            role = _LABEL_ROLES[m.group(1)]
            if role is Role.NONE:
                continue  # 牵头负责领导：金力 names a person, not a unit
            if role is None:
                inner = _parse_unit_cell(body, default)
                for r, names in ((Role.LEAD, inner.lead), (Role.RESPONSIBLE, inner.responsible),
                                 (Role.COOPERATING, inner.cooperating)):
                    roles[r] += [n for n in names if n not in roles[r]]
                aliases += inner.aliases
                and_others |= inner.and_others
            else:
                and_others |= _names_into(roles[role], body, aliases)
    else:
        base = parse_units(s)
        roles[Role.LEAD] += base.lead
        roles[Role.RESPONSIBLE] += base.responsible
        roles[Role.COOPERATING] += base.cooperating
        aliases += base.aliases
        and_others = base.and_others
        role_words = list(_ROLE_RE.finditer(s))
        tail = s[role_words[-1].end() :] if role_words else s
        and_others |= _names_into(roles[default], tail, aliases)
    _starred_lead(roles)
    return Units(
        raw=raw.strip(),
        lead=tuple(roles[Role.LEAD]),
        responsible=tuple(roles[Role.RESPONSIBLE]),
        cooperating=tuple(roles[Role.COOPERATING]),
        aliases=tuple(dict.fromkeys(aliases)),
        and_others=and_others,
    )


_TRAILING_BRACKET_RE = LazyPattern(
    r"[(（\[【](?P<cell>[^()（）\[\]【】]*(?:[(（][^()（）]*[)）][^()（）\[\]【】]*)*)[)）\]】]\s*[。.;；]?\s*$")
_DUE_LABEL_RE = LazyPattern(r"[;；,，。]?\s*(?:完成时限|时限要求|完成时间|时间节点|完成期限|时限)\s*[:：]\s*"
                           r"(?P<words>[^;；()（）\[\]【】]+)")


_DUE_TAIL_RE = LazyPattern(r"[,，;；]\s*(?P<words>[^,，;；()（）\[\]【】]{2,20})\s*$")


def pop_due_label(text: str) -> tuple[str, str | None]:
    """``…；完成时限：6月底前`` or ``…管委会,6月底完成`` → (the rest, the deadline words); (text, None) when
    the text ends in no deadline."""
    m = _DUE_LABEL_RE.search(simplified(text))
    if m is None:
        tail = _DUE_TAIL_RE.search(text)
        if tail and is_deadline_cell(tail["words"]):
            return text[: tail.start()].rstrip(), tail["words"].strip(" 。.;；,，")
        return text, None
    return (text[: m.start()] + text[m.end():]).strip(), text[m.start("words") : m.end("words")].strip(" 。.;；,，")


_UNCLOSED_RE = LazyPattern(r"[(（\[【](?=\s*(?:牵头单位|责任单位|牵头部门|责任部门)\s*[:：])[^)）\]】]*$")


def split_trailing_units(text: str) -> tuple[str, str | None]:
    """Split units written on the task's own line off its text.

    ``做好…工作。（牵头单位：党政综合办；责任单位：各村委会）`` and ``做好…工作。责任单位：各村委会``
    give (``做好…工作。``, the unit cell); text without such a tail gives (text, None).
    """
    key = simplified(text)
    m = _TRAILING_BRACKET_RE.search(key)
    if m and m.start() > 0:
        cell = m.group("cell").strip()
        if _LABEL_RE.match(normalise_text(cell)) or (looks_like_unit_line(cell) and len(cell) < 120):
            return text[: m.start()].rstrip(), text[m.start("cell") : m.end("cell")].strip()
    cut = _UNCLOSED_RE.search(key)
    if cut and cut.start() > 0:  # (牵头单位:…;责任单位:… cut off before its bracket closes
        return text[: cut.start()].rstrip(), text[cut.start() + 1 :].strip()
    for lm in _LABEL_RE.finditer(key):
        if lm.start() > 0 and text[lm.start() - 1] in "。;；.， \t":
            return text[: lm.start()].rstrip(" ，,\t"), text[lm.start() :].strip()
    return text, None


_UNIT_NAME_RE = LazyPattern(
    r"^[^\d,;:。!?]{1,20}(所|办|局|委|委会|中心|站|队|院|部|处|室|股|镇|街道|政府|街道办|社区|村|单位|部门|关|行|司|会|馆"
    r"|社|联|校|台|厅|署|团|科|办公室|分局)$"
)


def looks_like_bare_units(line: str) -> bool:
    """A short line of unit names with no role word (``司法所``, ``党政综合办、财政所``)."""
    s = normalise_text(simplified(line)).rstrip("。.;")
    if not s or len(s) > 60 or any(ch in s for ch in "。,:：!?？！"):
        return False
    parts = [q.strip() for p in _split_outside_brackets(s) for q in _split_joined(p.strip()) if q.strip()]
    return bool(parts) and all(category_of(p) or _UNIT_NAME_RE.match(_AND_OTHERS_RE.sub("", p) or p)
                               for p in parts)
