"""Roles the 2019 notice implies for a town and for 县教育局."""

from __future__ import annotations

from core.assign import role_for, roles_for
from core.model import Office, OfficeKind, Role
from core.offices import DEQING_TOWNS, builtin_offices, plan_departments

TOWN = Office("悦城镇", OfficeKind.TOWN)
EDU = Office("县教育局", OfficeKind.DEPARTMENT)


def test_town_roles(plan):
    roles = roles_for(plan, TOWN)
    assigned = [n for n, r in roles.items() if r is not Role.NONE]
    assert len(assigned) == 66
    assert roles[65] is Role.NONE and roles[68] is Role.NONE  # 县各部门牵头 / 县府办、县司法局牵头
    assert roles[38] is Role.LEAD and roles[59] is Role.LEAD  # 各镇政府(街道办)…牵头负责 / 分别牵头
    assert roles[12] is Role.RESPONSIBLE and roles[8] is Role.RESPONSIBLE


def test_every_town_the_same(plan):
    base = roles_for(plan, TOWN)
    for name in DEQING_TOWNS:
        assert roles_for(plan, Office(name, OfficeKind.TOWN)) == base


def test_education_bureau(plan):
    roles = roles_for(plan, EDU)
    assert {n for n, r in roles.items() if r is Role.LEAD} == {8, 34, 35, 65}
    assert roles[1] is Role.RESPONSIBLE  # 县各部门单位负责
    assert roles[11] is Role.RELATED  # 县有关部门单位负责
    assert roles[29] is Role.RELATED  # 县直各有关行政执法部门负责
    assert roles[25] is Role.NONE  # only towns and 县财政局
    assert roles[59] is Role.NONE and roles[68] is Role.NONE


def test_alias_and_and_others(plan):
    finance_alias = Office("县金融局", OfficeKind.DEPARTMENT)
    assert role_for(plan.task(25), finance_alias) is Role.LEAD
    assert role_for(plan.task(8), Office("县府办", OfficeKind.DEPARTMENT)) is Role.RELATED  # 等有关部门


def test_overrides_win(plan):
    roles = roles_for(plan, TOWN, {65: Role.RESPONSIBLE, 1: Role.NONE})
    assert roles[65] is Role.RESPONSIBLE and roles[1] is Role.NONE


def test_departments_from_plan(plan):
    depts = plan_departments(plan)
    assert depts[0] == "县府办"
    assert {"县教育局", "县委网信办", "县直机关工委", "县政务新媒体中心", "县退役军人局"} <= set(depts)
    assert not any(d.startswith("各") or "有关" in d for d in depts)
    assert len(builtin_offices(plan)) == 13 + len(depts)
