"""The sheet for the 股室 and its answers: layout, matching, conflicts, what 股室 do to sheets, hostile cells."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from actions import editing, sheets
from actions.errors import ActionError
from core.model import Status
from core.sheets.layout import HEADER_ROW, HIDDEN, VISIBLE
from core.sheets.review import Choice
from tests.sheet_fixtures import COL, answer, task_row

OFFICE = "悦城镇"


@pytest.fixture
def sent(session, tmp_path):
    """Three tasks given to two 股室, one note with a formula-like start; the workbook sent out."""
    pid = session.current_plan_id()
    for task, owner in ((12, "党政办"), (13, "党政办"), (14, "经发办")):
        editing.save_field(session, pid, OFFICE, task, "owner", owner)
    editing.save_field(session, pid, OFFICE, 12, "achievements", "=SUM(A1) 办理留言12件")
    editing.save_field(session, pid, OFFICE, 13, "steps", "一、制定方案")
    out = sheets.make_sheet(session, OFFICE, tmp_path / "发出.xlsx")
    return out.path


def test_sheet_layout(session, sent):
    wb = load_workbook(sent)
    assert wb.sheetnames[:2] == ["党政办", "经发办"] and wb.sheetnames[-1] == "未分配"
    ws = wb["党政办"]
    assert [ws.cell(row=HEADER_ROW, column=c).value for c in range(1, len(VISIBLE) + 1)] == [h for _k, h in VISIBLE]
    r = task_row(ws, 12)
    assert ws.cell(row=r, column=COL["number"]).value == 12
    assert ws.cell(row=r, column=COL["text"]).value == session.plan().task(12).text
    assert ws.protection.sheet is True
    assert ws.cell(row=r, column=COL["number"]).protection.locked
    assert ws.cell(row=r, column=COL["text"]).protection.locked
    assert not ws.cell(row=r, column=COL["achievements"]).protection.locked
    assert not ws.cell(row=r, column=COL["status"]).protection.locked
    note = ws.cell(row=r, column=COL["achievements"])
    assert note.value == "=SUM(A1) 办理留言12件" and note.data_type == "s"  # text, never a formula
    from openpyxl.utils import get_column_letter
    assert all(ws.column_dimensions[get_column_letter(COL[k])].hidden for k, _h in HIDDEN)
    assert ws.cell(row=r, column=COL["section"]).value == "党政办"
    assert ws.cell(row=task_row(ws, 13), column=COL["version"]).value == 2  # owner, then steps
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and "进展缓慢" in lists[0].formula1 and "已完成" in lists[0].formula1
    assert [c.value for c in wb["经发办"]["A"][HEADER_ROW:]] == [14]


def test_section_option_and_unknown_section(session, sent, tmp_path):
    one = sheets.make_sheet(session, OFFICE, tmp_path / "one.xlsx", "经发办")
    assert one.sheets == (("经发办", 1),)
    assert load_workbook(one.path).sheetnames == ["经发办"]
    with pytest.raises(ActionError, match="没有责任股室为“财政所”"):
        sheets.make_sheet(session, OFFICE, tmp_path / "x.xlsx", "财政所")


def _two_answers(sent: Path, tmp_path: Path) -> list[Path]:
    a = answer(sent, tmp_path / "党政办.xlsx", "党政办",
               {12: {"status": "完成", "achievements": "=SUM(A1) 办理留言12件，均按时回复", "handler": "张三"},
                13: {"percent": 60}})
    b = answer(sent, tmp_path / "经发办.xlsx", "经发办",
               {14: {"status": "进展缓慢", "problems": "人手不足", "handler": "李四"}})
    return [a, b]


def test_two_sections_and_one_conflict(session, sent, tmp_path):
    pid = session.current_plan_id()
    files = _two_answers(sent, tmp_path)
    editing.save_field(session, pid, OFFICE, 12, "achievements", "办理留言12件（镇里补充）")  # after sending
    review = sheets.review_files(session, OFFICE, files).review
    got = [(c.task, c.field, c.author, bool(c.conflict), c.choice) for c in review.changes]
    assert got == [
        (12, "status", "党政办（经办人 张三）", False, Choice.TAKE),
        (12, "achievements", "党政办（经办人 张三）", True, Choice.BOTH),
        (13, "percent", "党政办", False, Choice.TAKE),
        (14, "status", "经发办（经办人 李四）", False, Choice.TAKE),
        (14, "problems", "经发办（经办人 李四）", False, Choice.TAKE),
    ]
    assert review.conflicts[0].conflict == "发出后在软件中改过"
    assert review.matched_by_id == 3 and review.extra_rows == []
    before = session.store.progress(pid, OFFICE)
    assert before[12].status is Status.NOT_STARTED  # nothing applied by the review


def test_apply_keeps_both_and_names_the_author(session, sent, tmp_path):
    pid = session.current_plan_id()
    files = _two_answers(sent, tmp_path)
    files.append(files[0])  # the same file picked twice: its answers count once
    editing.save_field(session, pid, OFFICE, 12, "achievements", "办理留言12件（镇里补充）")
    answer_review = sheets.review_files(session, OFFICE, files)
    assert sheets.apply_answers(session, answer_review) == 3
    now = session.store.progress(pid, OFFICE)
    assert now[12].status is Status.DONE and now[12].percent == 100  # 已完成 brings 100%
    assert now[12].achievements == ("办理留言12件（镇里补充）\n"
                                    "【党政办（经办人 张三）填报】=SUM(A1) 办理留言12件，均按时回复")
    assert now[13].percent == 60 and now[13].steps == "一、制定方案"
    assert now[13].status is Status.IN_PROGRESS  # a percent typed in: no longer 未开始
    assert now[14].status is Status.IN_PROGRESS and now[14].problems == "人手不足"
    from db.sheets import load_flags
    assert load_flags(session.store.conn, pid, OFFICE) == {14: frozenset({"slow"})}
    history = editing.history(session, pid, OFFICE, 12)
    assert sheets.authors(session, pid, OFFICE, 12) == {history[0].version: "党政办（经办人 张三）"}
    assert (history[0].author, history[1].author) == ("党政办（经办人 张三）", "")  # 历史版本 names the 股室
    latest14 = editing.history(session, pid, OFFICE, 14)[0].version
    assert sheets.authors(session, pid, OFFICE, 14) == {latest14: "经发办（经办人 李四）"}


def test_keep_choice_and_refusal_when_entries_moved(session, sent, tmp_path):
    pid = session.current_plan_id()
    answer_review = sheets.review_files(session, OFFICE, _two_answers(sent, tmp_path))
    for c in answer_review.review.changes:
        c.choice = Choice.KEEP if c.task == 14 else c.choice
    editing.save_field(session, pid, OFFICE, 13, "problems", "刚刚录入")  # typed while the review was open
    with pytest.raises(ActionError, match="任务 13 在审核期间又被修改过"):
        sheets.apply_answers(session, answer_review)
    assert session.store.progress(pid, OFFICE)[12].status is Status.NOT_STARTED
    answer_review = sheets.review_files(session, OFFICE, _two_answers(sent, tmp_path))
    for c in answer_review.review.changes:
        c.choice = Choice.KEEP if c.task == 14 else c.choice
    assert sheets.apply_answers(session, answer_review) == 2
    assert session.store.progress(pid, OFFICE)[14].problems == ""


def test_status_and_percent_that_disagree_are_refused_whole(session, sent, tmp_path):
    a = answer(sent, tmp_path / "a.xlsx", "党政办", {12: {"status": "完成", "percent": 60}, 13: {"percent": 30}})
    review = sheets.review_files(session, OFFICE, [a])
    with pytest.raises(ActionError, match="任务 12：状态为“已完成”，进度却是 60%"):
        sheets.apply_answers(session, review)
    assert session.store.progress(session.current_plan_id(), OFFICE)[13].percent == 0
    for c in review.review.changes:
        c.choice = Choice.KEEP if (c.task, c.field) == (12, "percent") else c.choice
    assert sheets.apply_answers(session, review) == 2
    now = session.store.progress(session.current_plan_id(), OFFICE)
    assert (now[12].status, now[12].percent, now[13].percent) == (Status.DONE, 100, 30)


def test_sorted_renamed_columns_added_and_extra_rows(session, sent, tmp_path):
    wb = load_workbook(sent)
    ws = wb["党政办"]
    r12, r13 = task_row(ws, 12), task_row(ws, 13)
    ws.protection.sheet = False
    for c in range(1, ws.max_column + 1):  # rows sorted: 13 above 12
        a, b = ws.cell(row=r12, column=c), ws.cell(row=r13, column=c)
        a.value, b.value = b.value, a.value
    ws.cell(row=r12, column=COL["problems"]).value = "经费未到位"  # now task 13's row
    ws.insert_cols(3)  # a column added by the 股室
    ws.cell(row=HEADER_ROW, column=3).value = "分管领导"
    ws.title = "党政办（已填）"
    ws.cell(row=ws.max_row + 2, column=2).value = "另外：组织开展政务公开日活动"  # typed at the bottom
    ws.row_dimensions[r13].hidden = True  # a filtered row
    wb.save(tmp_path / "返回.xlsx")
    review = sheets.review_files(session, OFFICE, [tmp_path / "返回.xlsx"]).review
    got = [(c.task, c.field, c.incoming, c.author) for c in review.changes]
    assert got == [(13, "problems", "经费未到位", "党政办")]
    assert len(review.extra_rows) == 1 and "另外：组织开展政务公开日活动" in review.extra_rows[0]
    assert any("分管领导" in c for c in review.added_columns)
    assert review.matched_by_id == sum(n for _s, n in sheets.sections(session, OFFICE)) == 66  # every row sent


def test_retyped_sheet_matches_by_number_and_text(session, sent, tmp_path):
    plan = session.plan()
    wb = Workbook()
    ws = wb.active
    ws.append(["党政办填报"])
    ws.append(["序号", "工作任务", "完成情况", "完成状况", "存在的问题"])
    ws.append([12, plan.task(12).text, "已办理留言15件", "完成", ""])
    ws.append([99, plan.task(13).text[:30], "", "序时推进", ""])  # number mistyped, text right
    ws.append(["", "上级交办的临时任务", "已完成", "完成", ""])
    wb.save(tmp_path / "手填.xlsx")
    review = sheets.review_files(session, OFFICE, [tmp_path / "手填.xlsx"]).review
    got = [(c.task, c.field, c.shown(c.incoming), c.conflict) for c in review.changes]
    assert got == [(12, "status", "已完成", ""), (12, "achievements", "已办理留言15件", ""),
                   (13, "status", "推进中", "")]
    assert review.matched_by_text == 2 and len(review.extra_rows) == 1
    assert "上级交办的临时任务" in review.extra_rows[0]


def test_hostile_cells(session, sent, tmp_path):
    pid = session.current_plan_id()
    long_text = "长" * 32_767
    wb = load_workbook(sent)
    ws = wb["党政办"]
    ws.protection.sheet = False
    r12, r13 = task_row(ws, 12), task_row(ws, 13)
    ws.cell(row=r12, column=COL["steps"]).value = long_text
    ws.cell(row=r12, column=COL["problems"]).value = "=HYPERLINK(\"http://x\",\"点我\")"  # a formula typed in
    ws.cell(row=r13, column=COL["status"]).value = "已完成"
    ws.merge_cells(start_row=r12, start_column=COL["next_steps"], end_row=r13, end_column=COL["next_steps"])
    ws.cell(row=r12, column=COL["next_steps"]).value = "两项合并推进"
    ws.cell(row=r13, column=COL["percent"]).value = "一半"
    wb.save(tmp_path / "怪.xlsx")
    review = sheets.review_files(session, OFFICE, [tmp_path / "怪.xlsx"]).review
    got = [(c.task, c.field, len(c.shown(c.incoming))) for c in review.changes]
    assert got == [(12, "steps", 32_767), (12, "next_steps", 6), (13, "status", 3)]
    assert any("存在问题是公式" in p for p in review.problems)
    assert any("进度“一半”" in p for p in review.problems)
    assert sheets.apply_answers(session, sheets.review_files(session, OFFICE, [tmp_path / "怪.xlsx"])) == 2
    now = session.store.progress(pid, OFFICE)
    assert now[12].steps == long_text and now[12].problems == "" and now[13].next_steps == ""


def test_over_long_field_goes_out_cut_and_locked_and_never_comes_back(session, tmp_path):
    pid = session.current_plan_id()
    editing.save_field(session, pid, OFFICE, 12, "owner", "党政办")
    editing.save_field(session, pid, OFFICE, 12, "steps", "步" * 40_000)
    out = sheets.make_sheet(session, OFFICE, tmp_path / "长.xlsx", "党政办").path
    ws = load_workbook(out)["党政办"]
    cell = ws.cell(row=task_row(ws, 12), column=COL["steps"])
    assert len(cell.value) == 32_767 and cell.value.endswith("请在台账软件中修改）") and cell.protection.locked
    review = sheets.review_files(session, OFFICE, [out]).review
    assert review.changes == [] and review.problems == []


@pytest.mark.parametrize("name, head", [("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
                                        ("a.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
                                        ("a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
                                        ("a.xlsx", b"just text")])
def test_old_formats_say_save_as_xlsx(session, tmp_path, name, head):
    (tmp_path / name).write_bytes(head + b"\0" * 600)
    with pytest.raises(ActionError, match=r"另存为.*\.xlsx"):
        sheets.review_files(session, OFFICE, [tmp_path / name])


def test_other_plan_or_office_is_refused_per_row(session, sent, tmp_path):
    wb = load_workbook(sent)
    ws = wb["党政办"]
    ws.cell(row=task_row(ws, 12), column=COL["plan_fp"]).value = "0000000000000000"
    ws.cell(row=task_row(ws, 12), column=COL["status"]).value = "完成"
    ws.cell(row=task_row(ws, 13), column=COL["office"]).value = "九市镇"
    ws.cell(row=task_row(ws, 13), column=COL["status"]).value = "完成"
    wb.save(tmp_path / "别的.xlsx")
    review = sheets.review_files(session, OFFICE, [tmp_path / "别的.xlsx"]).review
    assert review.changes == []
    assert sorted(p.split("：", 1)[1] for p in review.problems) == [
        "是发给九市镇的表格，没有导入", "是另一个方案的表格，没有导入"]
