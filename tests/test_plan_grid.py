"""The import review grid's model (core/plan_grid.py) and its corrections kept per file."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actions import plans
from actions.session import Session
from core.importers import import_text
from core.plan_grid import apply, apply_all, cell_text, row_flags

PLAN = """某县2021年工作分工方案
一、政务公开
1.做好政务公开培训工作，提升业务水平。
县政府办牵头，各乡镇负责
2.做好年报工作（牵头单位：县政府办）。按时发布年度报告。
3.建立健全机制。
1.做好回应关切。
县委宣传部负责
"""


@pytest.fixture
def plan():
    return import_text(PLAN).plan


def test_flags(plan):
    flags = row_flags(plan)
    assert flags[0] == ["序号1重复"] and flags[2] == []
    assert any("牵头单位" in f for f in flags[1])
    assert any("序号1重复" in f for f in flags[3])


def test_cell_edits(plan):
    p = apply(plan, {"op": "cell", "task": 0, "column": "lead", "value": "县政务服务数据管理局、县政府办"})
    assert p.tasks[0].units.lead == ("县政务服务数据管理局", "县政府办")
    assert p.tasks[0].units.responsible == ("各乡镇",)
    p = apply(p, {"op": "cell", "task": 0, "column": "due", "value": "6月底前"})
    assert (p.tasks[0].due, p.tasks[0].due_text) == (date(2021, 6, 30), "6月底前")
    p = apply(p, {"op": "cell", "task": 3, "column": "number", "value": "4"})
    assert [t.number for t in p.tasks] == [1, 2, 3, 4] and row_flags(p)[3] == []
    p = apply(p, {"op": "cell", "task": 0, "column": "section", "value": "推进政务公开"})
    assert cell_text(p, 3, "section") == "推进政务公开"
    with pytest.raises(ValueError):
        apply(p, {"op": "cell", "task": 0, "column": "number", "value": "x"})


def test_merge_split_heading(plan):
    merged = apply(plan, {"op": "merge", "task": 1})
    assert len(merged.tasks) == 3 and merged.tasks[1].text.endswith("建立健全机制。")
    split = apply(plan, {"op": "split", "task": 1})
    assert [t.text for t in split.tasks[1:3]] == ["做好年报工作（牵头单位：县政府办）。", "按时发布年度报告。"]
    assert [t.number for t in split.tasks] == [1, 2, 3, 4, 5]
    headed = apply(plan, {"op": "heading", "task": 2})
    assert len(headed.tasks) == 3 and [s.title for s in headed.sections] == ["政务公开", "建立健全机制"]
    assert headed.tasks[2].section == 1 and [t.number for t in headed.tasks] == [1, 2, 3]


def test_corrections_that_no_longer_fit_are_skipped(plan):
    fixed, done = apply_all(plan, [{"op": "merge", "task": 99}, {"op": "cell", "task": 0, "column": "text",
                                                                  "value": "新的内容"}])
    assert done == 1 and fixed.tasks[0].text == "新的内容"


CORRECTION = st.one_of(
    st.fixed_dictionaries({"op": st.just("cell"), "task": st.integers(-1, 5),
                           "column": st.sampled_from(["number", "section", "text", "lead", "responsible",
                                                      "cooperating", "due", "bogus"]),
                           "value": st.text(max_size=12)}),
    st.fixed_dictionaries({"op": st.sampled_from(["merge", "split", "heading", "x"]), "task": st.integers(-1, 5)}),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(CORRECTION, max_size=6))
def test_any_corrections_keep_a_valid_plan(corrections):
    base = import_text(PLAN).plan
    fixed, done = apply_all(base, corrections)
    assert 0 <= done <= len(corrections) and fixed.tasks
    for t in fixed.tasks:
        assert 0 <= t.section < len(fixed.sections)
        assert t.subsection is None or fixed.subsections[t.subsection].section == t.section
        for column in ("number", "section", "text", "lead", "responsible", "cooperating", "due"):
            cell_text(fixed, fixed.tasks.index(t), column)


def test_corrections_saved_and_offered_again(data_dir, tmp_path):
    path = tmp_path / "方案.txt"
    path.write_text(PLAN, encoding="utf-8")
    session = Session.open(data_dir, auto_backup=False)
    try:
        preview = plans.read_plan(path)
        assert plans.saved_corrections(session, preview.sha256) == []
        fixes = [{"op": "cell", "task": 3, "column": "number", "value": "4"},
                 {"op": "cell", "task": 1, "column": "lead", "value": "县政府办"}]
        fixed = preview.plan
        for c in fixes:
            fixed = plans.correct(fixed, c)
        plans.save_plan(session, fixed, preview.source_name, corrections=fixes, sha256=preview.sha256)
        again = plans.read_plan(path)
        assert again.sha256 == preview.sha256
        offered = plans.saved_corrections(session, again.sha256)
        assert offered == fixes
        replayed, kept = plans.reapply(again.plan, offered)
        assert kept == fixes and replayed == fixed
    finally:
        session.close()
