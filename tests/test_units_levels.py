"""Unit cells and deadlines of plans from any county, city or district (issue 19, kinds 1, 2, 9)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.assign import role_explained
from core.due import due_in_text, is_deadline_cell, parse_due
from core.model import Office, OfficeKind, Role, Task, Units
from core.numbering import restart_numbering
from core.units import (
    ALL_DEPARTMENTS,
    RELATED_DEPARTMENTS,
    TOWNS,
    category_of,
    normalise_text,
    parse_unit_cell,
)

TOWN_PHRASES = ["各镇(街)", "各镇（街道）", "各镇(办)", "各街办(新区)", "各乡镇", "各镇人民政府", "各街道", "各镇街",
                "各县、市、区政府", "各县市区"]
ALL_PHRASES = ["市直各单位", "区直各部门", "各区直部门", "县直各部门", "市直各部门", "县各部门单位"]
RELATED_PHRASES = ["市直有关部门", "县直有关单位", "各有关单位", "各相关部门", "区直相关单位", "市级各有关部门"]
NAMED = ["县教育局", "悦城镇", "区发改局", "市财政局", "县住房和城乡建设局", "滁州经开区管委会", "区政府办"]


@pytest.mark.parametrize("phrase", TOWN_PHRASES)
def test_town_phrases_by_shape(phrase: str):
    assert category_of(normalise_text(phrase)) == TOWNS


@pytest.mark.parametrize("phrase", ALL_PHRASES)
def test_all_department_phrases(phrase: str):
    assert category_of(normalise_text(phrase)) == ALL_DEPARTMENTS


@pytest.mark.parametrize("phrase", RELATED_PHRASES)
def test_related_phrases(phrase: str):
    assert category_of(normalise_text(phrase)) == RELATED_DEPARTMENTS


@pytest.mark.parametrize("name", NAMED)
def test_named_units_are_not_categories(name: str):
    assert category_of(name) is None


def test_bracket_after_town_is_part_of_the_phrase_not_an_alias():
    u = parse_unit_cell("区政府办牵头，各镇(街)参照落实")
    assert u.lead == ("区政府办",) and u.responsible == ("各镇(街)",) and u.aliases == ()


@pytest.mark.parametrize(("cell", "lead", "responsible", "cooperating", "others"), [
    ("县教育局及县财政局牵头，各镇(街)参照落实", ("县教育局", "县财政局"), ("各镇(街)",), (), False),
    ("市直各部门落实", (), ("市直各部门",), (), False),
    ("区卫健局、区民政局等有关单位按职责分工负责", (), ("区卫健局", "区民政局"), (), True),
    ("县发改局牵头，县财政局、县统计局协办", ("县发改局",), (), ("县财政局", "县统计局"), False),
    ("县住房和城乡建设局负责，县自然资源局配合", (), ("县住房和城乡建设局",), ("县自然资源局",), False),
    ("牵头单位：县发改局；责任单位：各镇人民政府、街道办事处", ("县发改局",), (TOWNS,), (), False),
    ("牵头单位:区卫健局、区创文办;责任单位:区疫情防控指挥部成员单位、各街办(新区)", ("区卫健局", "区创文办"),
     ("区疫情防控指挥部成员单位", "各街办(新区)"), (), False),
    ("协同责任单位:市经信局、滁州经开区管委会等,各县、市、区政府。", (), (),
     ("市经信局", "滁州经开区管委会", "各县、市、区政府"), True),
    ("牵头负责领导:金力。", (), (), (), False),
])
def test_role_words_leave_names(cell, lead, responsible, cooperating, others):
    u = parse_unit_cell(cell)
    assert (u.lead, u.responsible, u.cooperating, u.and_others) == (lead, responsible, cooperating, others)


def _task(cell: str) -> Task:
    return Task(1, 0, None, "做好工作。", parse_unit_cell(cell))


@pytest.mark.parametrize(("cell", "office", "role", "because"), [
    ("区政府办牵头，各镇(街)参照落实", Office("悦城镇", OfficeKind.TOWN), Role.RESPONSIBLE, "各镇(街)"),
    ("区政府办牵头，各镇(街)参照落实", Office("区政府办", OfficeKind.DEPARTMENT), Role.LEAD, "区政府办"),
    ("牵头单位：市发改局；责任单位：市直各单位", Office("市教育局", OfficeKind.DEPARTMENT), Role.RESPONSIBLE,
     "市直各单位"),
    ("县发改局牵头，县直有关单位配合", Office("县教育局", OfficeKind.DEPARTMENT), Role.RELATED, "县直有关单位"),
    ("悦城牵头", Office("悦城镇人民政府", OfficeKind.TOWN), Role.LEAD, "悦城"),
    ("悦城镇人民政府负责", Office("悦城镇", OfficeKind.TOWN), Role.RESPONSIBLE, "悦城镇人民政府"),
    ("教育局牵头", Office("县教育局", OfficeKind.DEPARTMENT), Role.LEAD, "教育局"),
    ("市教育局牵头", Office("县教育局", OfficeKind.DEPARTMENT), Role.NONE, ""),  # another level's bureau
    ("区政府办牵头，各镇(街)参照落实", Office("区教育局", OfficeKind.DEPARTMENT), Role.NONE, ""),
])
def test_role_explained(cell, office, role, because):
    assert role_explained(_task(cell), office) == (role, because)


def test_office_aliases_match():
    office = Office("新下陆街道", OfficeKind.TOWN, aliases=("下陆新区",))
    assert role_explained(_task("下陆新区负责"), office) == (Role.RESPONSIBLE, "下陆新区")


@pytest.mark.parametrize(("words", "due", "text"), [
    ("2019年6月底前", date(2019, 6, 30), "2019年6月底前"),
    ("6月底前", date(2021, 6, 30), "6月底前"),
    ("9月30日前", date(2021, 9, 30), "9月30日前"),
    ("年底前", date(2021, 12, 31), "年底前"),
    ("二季度", date(2021, 6, 30), "二季度"),
    ("长期坚持", None, "长期坚持"),
    ("持续推进", None, "持续推进"),
    ("", None, ""),
])
def test_parse_due(words, due, text):
    assert parse_due(words, 2021) == (due, text)


def test_due_in_text_needs_a_deadline_word():
    assert due_in_text("2022年10月底前完成清单编制。", 2022) == (date(2022, 10, 31), "2022年10月底前")
    assert due_in_text("按照2019年6月印发的文件执行。", 2019) == (None, "")


@given(st.integers(2000, 2099), st.integers(1, 12), st.sampled_from(["底前", "底", "末", "前"]))
def test_month_end_words_give_that_months_last_day(year: int, month: int, tail: str):
    due, words = parse_due(f"{year}年{month}月{tail}", 2000)
    assert due is not None and due.year == year and due.month == month and (due.day >= 28 or tail == "前")
    assert words == f"{year}年{month}月{tail}"
    assert is_deadline_cell(words)


@given(st.text(max_size=60))
def test_parse_due_never_raises_and_keeps_words(text: str):
    due, words = parse_due(text, 2020)
    assert words == " ".join(text.split()).strip(" 。.;；,，")
    assert due is None or isinstance(due, date)
    due_in_text(text, 2020)
    is_deadline_cell(text)


NAME = st.sampled_from(NAMED + TOWN_PHRASES + ALL_PHRASES + RELATED_PHRASES)
ROLE_WORD = st.sampled_from(["牵头", "负责", "配合", "协办", "参照落实", "落实", "按职责分工负责"])


@given(st.lists(st.tuples(st.lists(NAME, min_size=1, max_size=3, unique=True), ROLE_WORD), min_size=1, max_size=3))
def test_role_words_never_stay_in_names(groups):
    cell = "，".join("、".join(names) + word for names, word in groups)
    u = parse_unit_cell(cell)
    names = u.all_names()
    assert names, cell
    for n in names:
        assert not n.endswith(("牵头", "负责", "配合", "协办", "落实")), (cell, n)
    wanted = {normalise_text(n) for names, _ in groups for n in names}
    assert {n for n in names if n not in (TOWNS, ALL_DEPARTMENTS)} <= wanted


@given(st.text(max_size=80))
def test_unit_cells_never_raise(text: str):
    u = parse_unit_cell(text)
    assert isinstance(u, Units)


@given(st.lists(st.integers(1, 8), min_size=1, max_size=6))
def test_restarting_numbers_become_unique(sizes):
    numbers = [n for size in sizes for n in range(1, size + 1)]
    groups = [g for g, size in enumerate(sizes) for _ in range(size)]
    out = restart_numbering(numbers, groups)
    if len(sizes) == 1:
        assert out is None
    else:
        assert out == list(range(1, len(numbers) + 1))


def test_a_repeated_number_without_a_restart_is_left_for_the_clerk():
    assert restart_numbering([1, 2, 3, 3], [0, 0, 0, 0]) is None
