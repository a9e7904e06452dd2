"""The parser on the real 2019 notice: counts, merged unit cells, role splitting, aliases."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.notice_parser import PlanParseError, parse_notice
from core.units import looks_like_unit_line, parse_units
from tests.conftest import NOTICE_TEXT


def test_counts(plan):
    assert len(plan.tasks) == 68
    assert len(plan.sections) == 5
    assert len(plan.subsections) == 15
    assert [t.number for t in plan.tasks] == list(range(1, 69))
    assert plan.warnings == ()


def test_letter_facts(plan):
    assert plan.title == "德庆县2019年政务公开工作要点分工方案"
    assert plan.notice_title == "关于印发德庆县2019年政务公开工作要点分工方案的通知"
    assert plan.year == 2019
    assert plan.issuer == "德庆县人民政府办公室"
    assert plan.issued == date(2019, 8, 6)
    assert plan.deadline == date(2019, 12, 5)
    assert plan.recipient == "县府办(政务信息股)"
    assert plan.report_items == ("成效做法", "存在问题", "下一步措施")


def test_sections_and_subsections(plan):
    assert plan.sections[0].title == "着眼稳定预期,加强政策解读和回应关切"
    assert plan.sections[4].number == "五"
    assert plan.subsections[6].title == "深化“放管服”改革信息公开"
    assert plan.subsections[10].title == "推进政府公报创新发展"  # trailing 。 dropped
    assert plan.task(17).subsection == 3 and plan.task(17).section == 1
    assert plan.task(68).subsection == 14


def test_every_task_has_units(plan):
    assert all(not t.units.empty for t in plan.tasks)


def test_merged_cells_inherit(plan):
    one = plan.task(1).units
    for n in (2, 3, 4):
        assert plan.task(n).units == one and plan.task(n).units_inherited
    assert plan.task(5).units_inherited is False
    for n in (18, 19):
        assert plan.task(n).units == plan.task(17).units
    assert plan.task(17).units.responsible == ("各镇政府(街道办)", "县各部门单位")
    assert plan.task(40).units.lead == ("县财政局",) and plan.task(41).units_inherited


def test_texts_of_undotted_tasks(plan):
    assert plan.task(4).text.startswith("各镇政府(街道办)、县各部门单位要落实信息发布主体责任")
    assert plan.task(4).text.endswith("主动引导社会预期。")
    assert plan.task(58).text == "各镇(街道)及各部门主要负责人年内听取政务公开情况汇报,研究解决重大问题。"
    assert plan.task(5).text.startswith("按照《2019年市政府门户网站在线访谈工作方案》")


def test_task_8_alias_and_others(plan):
    u = plan.task(8).units
    assert len(u.lead) == 12
    assert u.lead[0] == "县教育局" and u.lead[-1] == "县税务局"
    assert "县财政局" in u.lead and ("县财政局", "县金融局") in u.aliases
    assert u.and_others is True
    assert u.responsible == ("各镇政府(街道办)",)


def test_task_28_comma_continues_list(plan):
    u = plan.task(28).units
    assert u.lead == ("县发改局", "县财政局", "县资源局", "县住建局", "县商务局", "县市场监管局", "县政数局",
                      "县税务局", "县创新驱动发展领导小组成员各单位")
    assert u.responsible == ("各镇政府(街道办)",)


def test_lead_word_variants(plan):
    assert plan.task(38).units.lead == ("各镇政府(街道办)", "县直三大领域相关单位")  # 牵头负责
    assert plan.task(59).units.lead == ("县直机关工委", "县府办", "各镇政府(街道办)")  # 分别牵头
    assert plan.task(65).units.lead == ("县各部门单位",)
    assert plan.task(65).units.responsible == ()


def test_slip_normalised_but_raw_kept(plan):
    u = plan.task(61).units
    assert u.responsible == ("各镇政府(街道办)", "县各部门单位")
    assert "县有各部门" in u.raw


def test_unit_line_detection():
    assert looks_like_unit_line("县府办牵头,各镇政府(街道办)、县各部门单位负责")
    assert not looks_like_unit_line("牵头及责任单位")  # table header, ends with 单位
    assert not looks_like_unit_line("认真做好县长信箱留言办理工作。")


def test_split_units_with_cooperating_and_full_width():
    u = parse_units("县司法局牵头，县公安局（县交警大队）、县民政局配合")
    assert u.lead == ("县司法局",)
    assert u.cooperating == ("县公安局", "县民政局")
    assert ("县公安局", "县交警大队") in u.aliases


def test_page_chrome_ignored(plan):
    joined = "\n".join(t.text for t in plan.tasks)
    for chrome in ("登 录", "点击数", "扫一扫", "来源"):
        assert chrome not in joined


def test_no_tasks_is_refused():
    with pytest.raises(PlanParseError):
        parse_notice("关于做好某项工作的通知\n\n请各单位认真落实。")


REAL_LINES = NOTICE_TEXT.splitlines()


@st.composite
def noisy_notice(draw) -> str:
    """A slice of the real notice with arbitrary text lines and characters mixed in.

    Bare ``st.text()`` was refused 299 times in 300 (it holds no tasks), so the assertion below
    almost never ran; a slice of real lines with noise reaches it most of the time.
    """
    start = draw(st.integers(0, len(REAL_LINES) - 1))
    lines = REAL_LINES[start: start + draw(st.integers(1, 120))]
    for pos, noise in sorted(draw(st.lists(st.tuples(st.integers(0, len(lines)), st.text(max_size=30)),
                                           max_size=8)), reverse=True):
        lines.insert(pos, noise)
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(noisy_notice())
def test_noisy_notice_gives_a_consistent_plan_or_parse_error(text):
    try:
        plan = parse_notice(text)
    except PlanParseError:
        return
    assert plan.tasks
    numbers = [t.number for t in plan.tasks]
    assert all(n > 0 for n in numbers)
    for t in plan.tasks:
        assert t.text.strip() and 0 <= t.section < len(plan.sections)
        if t.subsection is not None:
            assert plan.subsections[t.subsection].section == t.section
        assert t.first_line[:8] in text  # task text comes from the input, not from elsewhere


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(NOTICE_LINES := [
    "一、总体要求", "(一)加强领导", "1.做好工作。", "2各镇做好工作", "县府办牵头,各镇政府(街道办)负责",
    "登 录 注 册", "工作任务", "  ", "3．完善制度。", "（二）其他", "2019年 8 月6日", "县有关部门负责",
]), max_size=30))
def test_shuffled_plan_lines(lines):
    try:
        plan = parse_notice("\n".join(lines))
    except PlanParseError:
        return
    assert all(t.number > 0 for t in plan.tasks)
