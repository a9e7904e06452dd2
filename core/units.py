"""Splitting a unit cell (牵头及责任单位) into lead, responsible and cooperating units.

The cell is a run of unit lists, each closed by a role word::

    县教育局、…、县税务局等有关部门分别按职能牵头,各镇政府(街道办)负责

A list runs until its role word, so a comma before the role word (task 28) does not end it.
"""

from __future__ import annotations

import re

from core.model import Units

# Longest first, so 分别按职能牵头 is not read as 牵头.
LEAD_WORDS = ("结合单位职责分别牵头", "分别按职能牵头", "按职能牵头", "分别牵头", "牵头负责", "牵头")
RESPONSIBLE_WORDS = ("按职能分工落实", "负责")
COOPERATING_WORDS = ("配合", "协办")
_ROLE_RE = re.compile(
    "|".join(re.escape(w) for w in (*LEAD_WORDS, *RESPONSIBLE_WORDS, *COOPERATING_WORDS))
)
_SEPARATORS = re.compile(r"[、,，;；/]+")
_ALIAS_RE = re.compile(r"^(?P<name>.+?)[(（](?P<alias>[^()（）]+)[)）]$")
_AND_OTHERS_RE = re.compile(r"(等有关部门单位|等有关部门|等有关单位|等相关部门|等相关单位|等单位|等部门|等)$")

# Category phrases, spelled as the plan spells them after normalisation (half-width brackets).
TOWNS = "各镇政府(街道办)"
ALL_DEPARTMENTS = "县各部门单位"
RELATED_DEPARTMENTS = "县有关部门单位"

_CATEGORY_SPELLINGS = {
    TOWNS: ("各镇政府(街道办)", "各镇政府(街道)", "各镇(街道)", "各镇政府", "各镇人民政府", "各镇街"),
    ALL_DEPARTMENTS: ("县各部门单位", "县各部门(单位)", "县各部门", "县政府各部门", "县直各部门", "县各单位"),
}

# Obvious slips in published plans, mapped to what was meant. The raw cell keeps the original.
_SLIPS = {"县有各部门": "县各部门", "县有各部门单位": "县各部门单位"}


def normalise_text(s: str) -> str:
    """Full-width brackets and commas to half-width, spaces removed; used for matching only."""
    table = str.maketrans({"（": "(", "）": ")", "，": ",", "；": ";", "\u3000": "", " ": "", "\t": ""})
    return s.translate(table).strip()


def category_of(name: str) -> str | None:
    """The category a unit name stands for, or None for a single named unit."""
    for category, spellings in _CATEGORY_SPELLINGS.items():
        if name in spellings:
            return category
    if name.startswith(("县", "各")) and any(w in name for w in ("有关", "相关", "各单位", "成员")):
        return RELATED_DEPARTMENTS
    return None


def _split_names(chunk: str) -> tuple[list[str], list[tuple[str, str]], bool]:
    names: list[str] = []
    aliases: list[tuple[str, str]] = []
    and_others = False
    for part in _SEPARATORS.split(chunk):
        part = part.strip(" .。:：")
        if not part:
            continue
        m = _AND_OTHERS_RE.search(part)
        if m and len(part) > len(m.group(0)):
            and_others = True
            part = part[: m.start()]
        part = _SLIPS.get(part, part)
        category = category_of(part)
        if category is not None:
            names.append(category if category != RELATED_DEPARTMENTS else part)
            continue
        am = _ALIAS_RE.match(part)
        if am:
            part = am.group("name")
            aliases.append((part, am.group("alias")))
        names.append(part)
    return names, aliases, and_others


def looks_like_unit_line(line: str) -> bool:
    """A unit cell names units and ends with a role word (a trailing full stop is allowed)."""
    s = normalise_text(line).rstrip("。.;")
    if not s or len(s) > 300:
        return False
    return any(s.endswith(w) for w in (*LEAD_WORDS, *RESPONSIBLE_WORDS, *COOPERATING_WORDS))


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
