"""Shapes of other counties' plans (issue 19, kinds 3-8): each text below is written in the shape a real
notice has (tests/fixtures/plans/real/ on the corpus branch holds the published ones), cut down to the lines
that make the shape."""

from __future__ import annotations

import io
import json
from datetime import date

from core.importers import import_bytes, import_text
from core.importers.table import Cell, cells, read_table
from core.model import Office, OfficeKind, Role
from core.offices import builtin_offices
from tests.stores import open_store
from tests.test_cli import run_main

SUBSECTIONS_ONLY = """关于印发某区2021年政务公开工作要点的通知
各镇(街)，区直各部门：
现将要点印发给你们。
一、加强政策解读
（一）做好政策解读工作。围绕重大决策部署，及时发布解读材料。（牵头单位：区政府办；责任单位：各镇(街)、区直各部门）
（二）做好回应关切。建立健全舆情收集机制。（责任单位：区直有关部门）
二、推进基层公开
（三）推进基层政务公开标准化规范化。2021年6月底前完成目录编制。（牵头单位：区政府办；责任单位：各镇（街道）参照落实）
"""

TARGETS = """某市2022年政府工作报告重点工作任务分解
一、主要预期目标
地区生产总值增长6%左右。
责任单位：市发改局、市统计局
城镇新增就业5000人以上。
责任单位：市人社局
二、重点工作
1.推动产业升级，6月底前出台实施方案。
牵头单位：市工信局；配合单位：市直有关部门
"""

BRACKETS = """某县2019年重点工作分工
一、总体
1.做好某某工作，建立机制。[牵头单位:县政府办;责任单位:县直各单位、各乡镇]
2.推进某工作落地见效。【牵头单位：县发改局；责任单位：各镇人民政府、街道办事处；完成时限：2019年9月底前】
"""

RESTART = """一、甲部分
1.第一项任务内容说明文字。
县府办牵头
2.第二项任务内容说明文字。
二、乙部分
1.第三项任务内容说明文字。
县教育局负责
2.第四项任务内容说明文字。
"""

ONE_CELL_PER_LINE = """某区2020年工作任务分解表
一、甲部分
序号
工作任务
责任单位
完成时限
1
做好政务公开培训工作，提升水平。
区政务服务数据管理局牵头，各镇（街）落实
6月底前
2
做好政务公开年报工作。
区直各单位
长期坚持
"""


def _rows(plan):
    return [(t.number, plan.sections[t.section].title, t.text, t.units.lead, t.units.responsible, t.due_text)
            for t in plan.tasks]


def test_subsections_as_the_only_task_level():
    plan = import_text(SUBSECTIONS_ONLY).plan
    assert [t.number for t in plan.tasks] == [1, 2, 3]
    assert plan.tasks[0].text == "做好政策解读工作。围绕重大决策部署，及时发布解读材料。"
    assert plan.tasks[0].units.responsible == ("各镇(街)", "区直各部门")
    assert plan.sections[plan.tasks[2].section].title == "推进基层公开"
    assert (plan.tasks[2].due, plan.tasks[2].due_text) == (date(2021, 6, 30), "2021年6月底前")
    assert plan.tasks[2].units.responsible == ("各镇政府(街道办)",)


def test_targets_followed_by_their_own_unit_line():
    plan = import_text(TARGETS).plan
    assert len(plan.tasks) == 3
    assert plan.tasks[0].text == "地区生产总值增长6%左右。"
    assert plan.tasks[0].units.responsible == ("市发改局", "市统计局")
    assert plan.tasks[1].units.responsible == ("市人社局",)
    assert plan.tasks[2].units.lead == ("市工信局",) and plan.tasks[2].units.cooperating == ("市直有关部门",)
    assert plan.tasks[2].due == date(2022, 6, 30)


def test_square_brackets_with_lead_and_deadline():
    plan = import_text(BRACKETS).plan
    one, two = plan.tasks
    assert one.text == "做好某某工作，建立机制。" and one.units.lead == ("县政府办",)
    assert one.units.responsible == ("县直各单位", "各乡镇")
    assert two.text == "推进某工作落地见效。" and two.units.lead == ("县发改局",)
    assert (two.due, two.due_text) == (date(2019, 9, 30), "2019年9月底前")


def test_numbering_restarting_per_group_is_numbered_through():
    result = import_text(RESTART)
    assert [t.number for t in result.plan.tasks] == [1, 2, 3, 4]
    assert result.plan.tasks[2].units.responsible == ("县教育局",)
    assert any("重新从 1 开始" in w for w in result.warnings)


def test_table_copied_one_cell_per_line():
    plan = import_text(ONE_CELL_PER_LINE).plan
    assert _rows(plan) == [
        (1, "甲部分", "做好政务公开培训工作，提升水平。", ("区政务服务数据管理局",), ("各镇(街)",), "6月底前"),
        (2, "甲部分", "做好政务公开年报工作。", (), ("区直各单位",), "长期坚持"),
    ]
    assert plan.tasks[0].due == date(2020, 6, 30) and plan.tasks[1].due is None


def test_table_copied_with_tabs_or_bars():
    tabbed = ("序号\t工作任务\t牵头单位\t责任单位\t完成时限\n"
              "1\t做好政务公开培训。\t区政务服务局\t各镇(街)\t2020年6月底前\n"
              "2\t做好年报工作。\t区政府办\t区直各部门\t长期坚持\n")
    barred = tabbed.replace("\t", " | ")
    for text in (tabbed, barred):
        result = import_bytes(text.encode(), "粘贴.txt")
        assert result.columns is not None
        assert _rows(result.plan) == [
            (1, "（未分部分）", "做好政务公开培训。", ("区政务服务局",), ("各镇(街)",), "2020年6月底前"),
            (2, "（未分部分）", "做好年报工作。", ("区政府办",), ("区直各部门",), "长期坚持"),
        ]


def test_three_level_table_keeps_its_middle_level():
    rows = [["工作要求", "工作任务", "具体要求", "责任单位", "完成时限"],
            ["一、加强解读", "（一）做好政策解读", "1.围绕重大决策及时解读发布材料。", "县政府办牵头，各乡镇落实",
             "6月底前"],
            ["一、加强解读", "（一）做好政策解读", "2.做好政策解读评估工作内容。", "县直有关单位", "长期坚持"],
            ["一、加强解读", "（二）回应关切", "3.建立舆情回应机制，加快回应。", "县委宣传部", "2019年12月底前"],
            ["二、基层公开", "（一）标准化", "4.推进基层政务公开标准化规范化。", "各镇(街)", "年底前"]]
    read = read_table(cells(rows), "某县2019年分工方案")
    assert read is not None
    plan = read[0]
    assert [plan.subsection_label(t) for t in plan.tasks] == ["(一)做好政策解读", "(一)做好政策解读", "(二)回应关切",
                                                            "(一)标准化"]
    assert [plan.sections[t.section].title for t in plan.tasks] == ["加强解读"] * 3 + ["基层公开"]
    assert plan.tasks[0].text == "围绕重大决策及时解读发布材料。"
    assert [t.due for t in plan.tasks] == [date(2019, 6, 30), None, date(2019, 12, 31), date(2019, 12, 31)]


def test_number_column_under_a_header_spanning_two_columns():
    grid = [[Cell("工作任务"), Cell("具体要求"), Cell("具体要求", from_left=True), Cell("责任单位")],
            [Cell("政策解读"), Cell("1"), Cell("做好政策解读，及时发布材料。"), Cell("区政府办")],
            [Cell("政策解读", from_above=True), Cell("2"), Cell("做好政策解读评估工作。"), Cell("区直各部门")],
            [Cell("回应关切"), Cell("1"), Cell("建立舆情回应机制。"), Cell("各镇（街道）")],
            [Cell("回应关切", from_above=True), Cell(""), Cell("未编号的一行任务内容。"), Cell("各镇（街道）")]]
    read = read_table(grid, "x")
    assert read is not None
    plan = read[0]
    assert [(t.number, t.text) for t in plan.tasks] == [
        (1, "做好政策解读，及时发布材料。"), (2, "做好政策解读评估工作。"), (3, "建立舆情回应机制。"),
        (4, "未编号的一行任务内容。")]
    assert [plan.sections[t.section].title for t in plan.tasks] == ["政策解读"] * 2 + ["回应关切"] * 2


def test_another_countys_plan_brings_its_own_offices():
    more = "（四）做好年报。（牵头单位：区政府办；责任单位：区教育局、新下陆街道）\n"
    plan = import_text(SUBSECTIONS_ONLY + more).plan
    names = [o.name for o in builtin_offices(plan)]
    assert names == ["区政府办", "区教育局", "新下陆街道"]
    assert [o.kind for o in builtin_offices(plan)][-1] is OfficeKind.TOWN


def test_no_tasks_says_what_was_looked_for(tmp_path, capsys):
    path = tmp_path / "通知.txt"
    path.write_text("关于做好工作的通知\n请各单位认真落实。\n", encoding="utf-8")
    code, _, err = run_main(capsys, "plan", "import", str(path), "--dry-run")
    assert code == 2
    assert err.count("通知.txt") == 1 and "“1.…”" in err and "表格" in err and "责任单位：" in err


def test_probe_roles_and_stdin(data_dir, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(SUBSECTIONS_ONLY.encode("gb18030"))))
    code, out, err = run_main(capsys, "plan", "import", "-", "--dry-run", "--json", "--as-office", "新下陆街道",
                              "--office-kind", "town")
    assert code == 0, err
    tasks = json.loads(out)["tasks"]
    assert [(t["office_role"], t["office_role_because"]) for t in tasks] == [
        ("responsible", "各镇(街)"), (None, None), ("responsible", "各镇政府(街道办)")]
    assert tasks[2]["plan_due"] == "2021-06-30" and tasks[2]["plan_due_text"] == "2021年6月底前"


def test_due_is_stored_and_read_back(data_dir):
    plan = import_text(BRACKETS).plan
    store = open_store(data_dir)
    try:
        with store.write() as conn:
            plan_id = store.insert_plan(conn, plan, builtin_offices(plan))
        back = store.plan(plan_id)
        assert [(t.due, t.due_text) for t in back.tasks] == [(None, ""), (date(2019, 9, 30), "2019年9月底前")]
    finally:
        store.close()


def test_office_list_offers_the_plans_units(data_dir):
    from actions.session import Session

    session = Session.open(data_dir, auto_backup=False)
    try:
        plan = import_text(BRACKETS).plan
        with session.store.write() as conn:
            plan_id = session.store.insert_plan(conn, plan, builtin_offices(plan))
        session.use_plan(plan_id)
        names = [o.name for o in session.plan_offices()]
        assert names == ["县政府办", "县发改局"]  # no 德庆 town, no phrase
        assert Office("悦城镇", OfficeKind.TOWN).name not in names
    finally:
        session.close()


def test_tasks_json_says_why_and_overrides_say_so(data_dir, capsys):
    store = open_store(data_dir)
    store.set_override(1, "悦城镇", 65, Role.RESPONSIBLE)
    store.close()
    code, out, err = run_main(capsys, "tasks", "--office", "悦城镇", "--json")
    assert code == 0, err
    rows = {r["number"]: r for r in json.loads(out)}
    assert rows[12]["role_because"] == "各镇政府(街道办)" and rows[12]["role"] == "responsible"
    assert rows[65]["role_because"] == "手动设定" and rows[65]["role"] == "responsible"
    assert rows[68]["role_because"] is None and rows[68]["role"] == "none"


def test_dry_run_and_real_import_agree_on_restarting_numbers(data_dir, tmp_path, capsys):
    path = tmp_path / "某县2020年分工方案.txt"
    path.write_text("某县2020年重点工作分工方案\n" + RESTART, encoding="utf-8")
    code, out, err = run_main(capsys, "plan", "import", str(path), "--dry-run", "--json")
    assert code == 0, err
    assert [t["number"] for t in json.loads(out)["tasks"]] == [1, 2, 3, 4]
    code, _, err = run_main(capsys, "plan", "import", str(path))
    assert code == 0, err
    store = open_store(data_dir)
    try:
        saved = store.plan(max(p.id for p in store.plans()))
        assert [t.number for t in saved.tasks] == [1, 2, 3, 4]
    finally:
        store.close()
