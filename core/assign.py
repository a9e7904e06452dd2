"""Which tasks of a plan are an office's, in what role, and why.

An office is named explicitly — by its full name, its short name or an alias (悦城镇 = 悦城 =
悦城镇人民政府; 县教育局 = 教育局; 县财政局 for 县金融局 when the plan writes 县财政局(县金融局)) —
or through a category phrase recognised by its shape (各镇(街), 市直各单位 cover every town or every
department; 县直有关单位 makes a department ``related``). The strongest role wins, and the plan's
words that decided it are kept so the clerk can see why a task is theirs.
"""

from __future__ import annotations

import re

from core.model import ROLE_LABELS, Office, OfficeKind, Plan, Role, Task, Units
from core.units import ALL_DEPARTMENTS, RELATED_DEPARTMENTS, TOWNS, category_of, normalise_text

# The category phrase that names every office of a kind.
_COVERS = {OfficeKind.TOWN: TOWNS, OfficeKind.DEPARTMENT: ALL_DEPARTMENTS}
_LEVEL_PREFIX = re.compile(r"^(?:县|市|区|州|旗|省)")
_TOWN_SUFFIX = re.compile(r"(?:人民政府|政府|党委|办事处|街道办|街道|镇|乡)+$")
OVERRIDE_BECAUSE = "手动设定"


def name_keys(name: str, kind: OfficeKind) -> set[str]:
    """The spellings one office goes by, for matching a unit named in a plan.

    Towns: 悦城镇人民政府 → {悦城镇人民政府, 悦城镇, 悦城}. Departments: 县教育局 → {县教育局, 教育局}; a unit
    of another level (市教育局) is not the same office, but one printed with no level (教育局) is.
    """
    n = normalise_text(name)
    keys = {n}
    if kind is OfficeKind.TOWN:
        stem = _TOWN_SUFFIX.sub("", n)
        if len(stem) >= 2:
            keys.add(stem)
    else:
        bare = _LEVEL_PREFIX.sub("", n)
        if len(bare) >= 2:
            keys.add("*" + bare)
    return keys


def _unit_keys(unit: str, kind: OfficeKind) -> set[str]:
    n = normalise_text(unit)
    if kind is OfficeKind.TOWN:
        return {n, _TOWN_SUFFIX.sub("", n)}
    return {n} if _LEVEL_PREFIX.match(n) else {n, "*" + n}


def _office_keys(office: Office, units: Units) -> set[str]:
    names = {office.name, *office.aliases}
    for canonical, alias in units.aliases:
        if names & {canonical, alias}:
            names |= {canonical, alias}
    keys: set[str] = set()
    for n in names:
        keys |= name_keys(n, office.kind)
    return keys


def _role_from_list(office: Office, keys: set[str], units_list: tuple[str, ...],
                    role: Role) -> tuple[Role, str]:
    best, because = Role.NONE, ""
    for unit in units_list:
        category = category_of(unit)
        if category is None and _unit_keys(unit, office.kind) & keys:
            return role, unit
        if category is not None and category == _COVERS.get(office.kind) and role > best:
            best, because = role, unit
        elif category == RELATED_DEPARTMENTS and office.kind is OfficeKind.DEPARTMENT and best < Role.RELATED:
            best, because = Role.RELATED, unit
    return best, because


def role_explained(task: Task, office: Office) -> tuple[Role, str]:
    """The office's role for the task and the plan's words that decided it ("各镇(街)"), or (NONE, "")."""
    units = task.units
    keys = _office_keys(office, units)
    found = [
        _role_from_list(office, keys, units.lead, Role.LEAD),
        _role_from_list(office, keys, units.responsible, Role.RESPONSIBLE),
        _role_from_list(office, keys, units.cooperating, Role.COOPERATING),
    ]
    role, because = max(found, key=lambda rb: rb[0])
    if role is Role.NONE and units.and_others and office.kind is OfficeKind.DEPARTMENT:
        return Role.RELATED, "等有关部门"
    return role, because


def role_for(task: Task, office: Office) -> Role:
    return role_explained(task, office)[0]


def because_text(role: Role, because: str) -> str:
    """"各镇(街)" → 负责, as the clerk reads it."""
    if role is Role.NONE:
        return ""
    return f"“{because}”→{ROLE_LABELS[role]}" if because else ROLE_LABELS[role]


def roles_for(plan: Plan, office: Office, overrides: dict[int, Role] | None = None) -> dict[int, Role]:
    """Task number → role, with the clerk's overrides applied on top of the plan."""
    return {n: r for n, (r, _) in roles_explained(plan, office, overrides).items()}


def roles_explained(plan: Plan, office: Office,
                    overrides: dict[int, Role] | None = None) -> dict[int, tuple[Role, str]]:
    """Task number → (role, the plan's words that decided it); an override says 手动设定."""
    return with_overrides({t.number: role_explained(t, office) for t in plan.tasks}, overrides)


def with_overrides(explained: dict[int, tuple[Role, str]],
                   overrides: dict[int, Role] | None) -> dict[int, tuple[Role, str]]:
    """``explained`` (as the plan reads) with the clerk's overrides on top, as a new dict."""
    roles = dict(explained)
    for number, role in (overrides or {}).items():
        if number in roles:
            roles[number] = (role, OVERRIDE_BECAUSE)
    return roles
