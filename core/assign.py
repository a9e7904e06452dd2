"""Which tasks of a plan are an office's, and in what role.

An office is named explicitly (or by an alias such as 县金融局 for 县财政局), or through a
category phrase: 各镇政府(街道办) covers every town and the 街道, 县各部门单位 every county
department, and phrases like 县有关部门 make a department ``related``. The strongest role wins.
"""

from __future__ import annotations

from core.model import Office, OfficeKind, Plan, Role, Task, Units
from core.units import ALL_DEPARTMENTS, RELATED_DEPARTMENTS, TOWNS, category_of

# The category phrase that names every office of a kind.
_COVERS = {OfficeKind.TOWN: TOWNS, OfficeKind.DEPARTMENT: ALL_DEPARTMENTS}


def _names_for(office: Office, units: Units) -> set[str]:
    names = {office.name}
    for canonical, alias in units.aliases:
        if office.name in (canonical, alias):
            names |= {canonical, alias}
    return names


def _role_from_list(office: Office, names: set[str], units_list: tuple[str, ...], role: Role) -> Role:
    best = Role.NONE
    for unit in units_list:
        if unit in names:
            return role
        category = category_of(unit)
        if category == _COVERS.get(office.kind):
            best = max(best, role)
        elif category == RELATED_DEPARTMENTS and office.kind is OfficeKind.DEPARTMENT:
            best = max(best, Role.RELATED)
    return best


def role_for(task: Task, office: Office) -> Role:
    units = task.units
    names = _names_for(office, units)
    role = max(
        _role_from_list(office, names, units.lead, Role.LEAD),
        _role_from_list(office, names, units.responsible, Role.RESPONSIBLE),
        _role_from_list(office, names, units.cooperating, Role.COOPERATING),
    )
    if role is Role.NONE and units.and_others and office.kind is OfficeKind.DEPARTMENT:
        role = Role.RELATED
    return role


def roles_for(plan: Plan, office: Office, overrides: dict[int, Role] | None = None) -> dict[int, Role]:
    """Task number → role, with the clerk's overrides applied on top of the plan."""
    roles = {t.number: role_for(t, office) for t in plan.tasks}
    for number, role in (overrides or {}).items():
        if number in roles:
            roles[number] = role
    return roles
