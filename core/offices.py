"""The offices a clerk can act as: Deqing's township-level offices and the plan's departments."""

from __future__ import annotations

from core.model import Office, OfficeKind, Plan
from core.units import category_of

DEQING_TOWNS = (
    "德城街道", "新圩镇", "回龙镇", "官圩镇", "马圩镇", "高良镇", "莫村镇",
    "永丰镇", "武垄镇", "播植镇", "凤村镇", "悦城镇", "九市镇",
)


def guess_kind(name: str) -> OfficeKind:
    """镇 and 街道 are township-level; everything else is treated as a department."""
    return OfficeKind.TOWN if name.endswith(("镇", "街道", "乡", "街道办", "镇政府")) else OfficeKind.DEPARTMENT


def plan_departments(plan: Plan) -> list[str]:
    """Every single unit the plan names (not category phrases), in order of first mention."""
    names: dict[str, None] = {}
    for task in plan.tasks:
        for name in task.units.all_names():
            if category_of(name) is None and guess_kind(name) is OfficeKind.DEPARTMENT:
                names.setdefault(name, None)
    return list(names)


def builtin_offices(plan: Plan) -> list[Office]:
    towns = [Office(n, OfficeKind.TOWN) for n in DEQING_TOWNS]
    return towns + [Office(n, OfficeKind.DEPARTMENT) for n in plan_departments(plan)]


def validate_office_name(name: str) -> str:
    """Return the trimmed name or raise ValueError with a message for the clerk."""
    clean = " ".join(name.split())
    if not clean:
        raise ValueError("单位名称不能为空")
    if len(clean) > 40:
        raise ValueError("单位名称过长（最多 40 个字）")
    if any(not ch.isprintable() for ch in clean):
        raise ValueError("单位名称含有不可见字符")
    return clean
