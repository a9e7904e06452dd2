"""Category phrases (各镇(街), 市直各单位, 各有关单位) recognised by their shape, at every level.

A plan names many offices at once with a phrase: 各 + a kind of town-level unit with an optional
bracket (各镇(街)、各镇（街道）、各街办(新区)、各乡镇、各镇人民政府、街道办事处), or a level word
(县直/市直/区直) + 各/有关 + 单位/部门. No list of one county's spellings: the shape decides, so a
district's or a city's plan reads the same way as 德庆's. Text is normalised (half-width brackets)
before it gets here.
"""

from __future__ import annotations

import re

from core.patterns import LazyPattern

# Category keys. The first three are the names 德庆's 2019 plan normalises to (kept for it).
TOWNS = "各镇政府(街道办)"
ALL_DEPARTMENTS = "县各部门单位"
RELATED_DEPARTMENTS = "县有关部门单位"
VILLAGES = "各村(社区)"
TOWN_OFFICES = "镇各部门单位"

# Town-level kinds (and, in a city's plan, its counties and districts).
_TOWN_KIND = (r"(?:乡镇|镇街|镇|乡|苏木|街道办事处|街道办|街道|街办|街|办事处|办|新区|开发区|园区|片区|管委会|管区|场"
              r"|县|市|区|旗)")
_GOV = r"(?:人民政府|政府|党委|党委政府|党委和政府)?"
_ONE_TOWN = rf"{_TOWN_KIND}{_GOV}"
_TOWN_RE = re.compile(
    rf"^各{_ONE_TOWN}(?:[、和及/]?{_ONE_TOWN})*(?:\([^()]*\))?(?:[、和及]各?{_ONE_TOWN}(?:\([^()]*\))?)*$")
# Read only for a bracketed town phrase that is none of core.units' known spellings: compiled when first needed.
_BRACKET_TOWNS_RE = LazyPattern(rf"^{_ONE_TOWN}(?:[、,和及]{_ONE_TOWN})*$")

_LEVEL = r"(?:县|市|区|州|盟|旗|省|自治县|县级|市级|区级)"
_DEPT = (r"(?:部门单位|单位部门|部门|单位|机关|职能部门|成员单位|机关单位|行政执法部门|执法部门)"
         r"(?:\((?:单位|部门|部门单位)\))?")
_ALL_DEPT_RE = re.compile(
    rf"^(?:各{_LEVEL}?(?:直|级|政府|委)?(?:各)?{_DEPT}|{_LEVEL}(?:直|级|政府|委)?(?:各级)?各{_DEPT}"
    rf"|{_LEVEL}直{_DEPT}|全{_LEVEL}各{_DEPT})$")
_RELATED_RE = re.compile(
    rf"^(?:各)?(?:{_LEVEL}(?:直|级|政府)?)?(?:各)?(?:有关|相关|其他|其它)[^、;,]{{0,8}}?{_DEPT}$")
_VILLAGE_RE = re.compile(r"^各(?:行政)?(?:村|社区|居|村居|村委会|居委会|村\(居\)委会)(?:\([^()]*\))?(?:委会)?$")
_TOWN_OFFICES_RE = re.compile(r"^(?:镇|乡|街道)(?:直)?各(?:部门|单位|部门单位|办站所|站所)$")


def category_by_shape(name: str) -> str | None:
    """The category a phrase stands for by its shape, or None when it names one unit."""
    if not name.startswith(("各", "县", "市", "区", "州", "盟", "旗", "省", "自治", "全", "镇", "乡", "街道")):
        return None
    if _VILLAGE_RE.match(name):
        return VILLAGES
    if _TOWN_RE.match(name):
        inner = re.search(r"\(([^()]*)\)", name)
        if inner is None or _BRACKET_TOWNS_RE.match(inner.group(1)) or inner.group(1) in ("办", "街", "新区"):
            return TOWNS
    if _TOWN_OFFICES_RE.match(name):
        return TOWN_OFFICES
    if _RELATED_RE.match(name):
        return RELATED_DEPARTMENTS
    if _ALL_DEPT_RE.match(name):
        return ALL_DEPARTMENTS
    return None


_TOWN_TAIL_RE = LazyPattern(  # reading a plan's unit cells only: compiled when first needed
    r"^(?:街道办事处|街道办|街道|街办|乡|乡镇|新区)(?:人民政府|政府)?$")


def is_town_tail(part: str) -> bool:
    """The second half of 各镇人民政府、街道办事处: it belongs to the town category before it."""
    return bool(_TOWN_TAIL_RE.match(part))
