"""The offices a clerk can act as: Deqing's township-level offices and the plan's departments."""

from __future__ import annotations

from core.model import Office, OfficeKind, Plan
from core.units import category_of

DEQING_TOWNS = (
    "德城街道", "新圩镇", "回龙镇", "官圩镇", "马圩镇", "高良镇", "莫村镇",
    "永丰镇", "武垄镇", "播植镇", "凤村镇", "悦城镇", "九市镇",
)


def guess_kind(name: str) -> OfficeKind:
    """镇, 乡 and 街道 are township-level; everything else is treated as a department."""
    n = name.strip()
    for tail in ("人民政府", "政府", "办事处", "党委"):
        n = n.removesuffix(tail)
    return OfficeKind.TOWN if n.endswith(("镇", "街道", "乡", "街道办", "苏木")) else OfficeKind.DEPARTMENT


def _is_deqing(plan: Plan) -> bool:
    return "德庆" in plan.title or "德庆" in plan.issuer


def plan_units(plan: Plan) -> list[Office]:
    """Every single unit the plan names, towns and departments, in order of first mention.

    A category phrase (各镇(街), 市直各单位) is never an office.
    """
    names: dict[str, OfficeKind] = {}
    for task in plan.tasks:
        for name in task.units.all_names():
            if category_of(name) is None and name.strip():
                names.setdefault(name, guess_kind(name))
    return [Office(n, k) for n, k in names.items()]


def plan_departments(plan: Plan) -> list[str]:
    """Every single department the plan names (not category phrases), in order of first mention."""
    return [o.name for o in plan_units(plan) if o.kind is OfficeKind.DEPARTMENT]


def builtin_offices(plan: Plan) -> list[Office]:
    """The offices a plan brings: the units it names. 德庆's own plan reaches its 13 towns only through
    各镇政府(街道办), so they come with it; another county's plan brings its own units and no 德庆 town."""
    units = plan_units(plan)
    if not _is_deqing(plan):
        return units
    towns = [Office(n, OfficeKind.TOWN) for n in DEQING_TOWNS]
    return towns + [o for o in units if o.kind is OfficeKind.DEPARTMENT and o.name not in DEQING_TOWNS]


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


def _kind(office: Office | str) -> tuple[str, OfficeKind]:
    if isinstance(office, Office):
        return office.name.strip(), office.kind
    return office.strip(), guess_kind(office.strip())


def full_name(office: Office | str) -> str:
    """The name an office signs with: 悦城镇 -> 悦城镇人民政府, 德城街道 -> 德城街道办事处; departments as named."""
    name, kind = _kind(office)
    if kind is not OfficeKind.TOWN or name.endswith(("人民政府", "办事处")):
        return name
    if name.endswith("镇政府"):
        return name[:-2] + "人民政府"
    if name.endswith(("镇", "乡")):
        return name + "人民政府"
    if name.endswith("街道办"):
        return name + "事处"
    if name.endswith("街道"):
        return name + "办事处"
    return name


def self_reference(office: Office | str) -> str:
    """How the office writes about itself: 我镇 / 我乡 / 我街道 for towns; 我局 / 我委 / 我办 by the
    department's name; otherwise 我单位."""
    name, kind = _kind(office)
    if kind is OfficeKind.TOWN:
        for stem in ("街道", "镇", "乡"):
            if stem in name:
                return "我" + stem
        return "我单位"
    for ending, word in (("局", "我局"), ("委员会", "我委"), ("委", "我委"), ("办公室", "我办"), ("办", "我办")):
        if name.endswith(ending):
            return word
    return "我单位"
