"""Text sources: numbering styles, units on the task's line, town-level plans, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.importers import import_plan, import_text

TOWN_PLAN = """\
官圩镇2023年政务公开工作要点分工方案
一、加强政策解读
（一）做好解读工作
１．做好镇重要政策解读工作。（牵头单位：党政综合办；责任单位：各村委会）
２．开展普法宣传进村活动。责任单位：司法所
3 按时公开财政预决算信息。
财政所负责
（二）便民服务
4、规范便民服务中心办事指南。
便民服务中心牵头，各村委会配合
5.做好村务公开栏更新。
党政综合办、司法所等按职能分工落实
"""


def test_town_plan_units_and_numbering():
    r = import_text(TOWN_PLAN, "town.txt")
    p = r.plan
    assert [t.number for t in p.tasks] == [1, 2, 3, 4, 5]
    assert p.title == "官圩镇2023年政务公开工作要点分工方案"
    assert p.year == 2023
    assert len(p.sections) == 1 and len(p.subsections) == 2
    t1 = p.task(1)
    assert t1.text == "做好镇重要政策解读工作。"
    assert t1.units.lead == ("党政综合办",)
    assert t1.units.responsible == ("各村(社区)",)
    assert t1.units.raw == "牵头单位：党政综合办；责任单位：各村委会"
    t2 = p.task(2)
    assert t2.text == "开展普法宣传进村活动。"
    assert t2.units.responsible == ("司法所",) and not t2.units_inherited
    t3 = p.task(3)  # no dot after the number
    assert t3.text == "按时公开财政预决算信息。"
    assert t3.units.responsible == ("财政所",)
    t4 = p.task(4)
    assert p.subsection_label(t4) == "(二)便民服务"
    assert t4.units.lead == ("便民服务中心",) and t4.units.cooperating == ("各村(社区)",)
    t5 = p.task(5)
    assert t5.units.responsible == ("党政综合办", "司法所") and t5.units.and_others
    assert r.warnings == []
    assert r.source_kind == "text"


def test_fullwidth_section_numbering():
    text = "一、总体要求\n（一）组织领导\n１．成立工作专班。\n县府办牵头\n（二）督查\n２．开展督查。\n县督查室负责\n"
    p = import_text(text).plan
    assert [s.title for s in p.subsections] == ["组织领导", "督查"]
    assert p.task(2).units.responsible == ("县督查室",)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le"])
def test_encodings(tmp_path: Path, encoding: str):
    f = tmp_path / "plan.txt"
    f.write_bytes(TOWN_PLAN.encode(encoding))
    r = import_plan(f)
    assert len(r.plan.tasks) == 5
    assert r.plan.task(4).units.lead == ("便民服务中心",)


def test_gbk_is_reported(tmp_path: Path):
    f = tmp_path / "plan.txt"
    f.write_bytes(TOWN_PLAN.encode("gbk"))
    assert any("GB18030" in w for w in import_plan(f).warnings)


def test_2019_notice_via_import_plan():
    notice = Path(__file__).resolve().parent.parent / "resources" / "plans" / "deqing-2019-notice.txt"
    r = import_plan(notice)
    assert len(r.plan.tasks) == 68 and r.warnings == [] and r.source_kind == "text"
