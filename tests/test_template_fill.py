"""``progress fill-template``: a county template the app did not design, filled and kept as it was."""

from __future__ import annotations

from openpyxl import load_workbook

from actions import editing, templates
from core.model import Status
from main import main
from tests.template_fixtures import county_template

OFFICE = "悦城镇"


def _progress(session):
    pid = session.current_plan_id()
    editing.save_field(session, pid, OFFICE, 12, "owner", "党政办 张三")
    editing.save_field(session, pid, OFFICE, 12, "achievements", "=办理留言12件，均按时回复")
    editing.save_field(session, pid, OFFICE, 12, "status", Status.DONE.label)
    editing.save_field(session, pid, OFFICE, 13, "achievements", "召开座谈会2次")
    editing.save_field(session, pid, OFFICE, 13, "status", Status.IN_PROGRESS.label)
    editing.save_field(session, pid, OFFICE, 13, "problems", "答复时限偏长")


def test_mapping_by_words(session, tmp_path):
    info = templates.read_template(session, county_template(tmp_path / "t.xlsx"))
    assert (info.header.first_row, info.header.last_row) == (2, 3)
    got = {c.heading: info.mapping[c.index] for c in info.header.columns}
    assert got == {"序号": "number", "年度目标": "text", "分管领导": None, "牵头单位": "lead", "责任人": "owner",
                   "配合单位": "cooperating", "第三季度/季度目标": None,
                   "第三季度/季度具体完成情况": "achievements", "第三季度/完成状况": "status", "备注": None}
    assert not info.remembered


def test_listed_rows_filled_and_template_kept(session, tmp_path):
    _progress(session)
    plan = session.plan()
    src = county_template(tmp_path / "t.xlsx", [(1, plan.task(13).text), (2, plan.task(12).text),
                                                 (3, "县里另加的任务：推进政务服务“一网通办”")])
    result = templates.fill_template(session, OFFICE, src, tmp_path / "填好.xlsx", {"备注": "problems"})
    assert result.filled == 2 and result.unmatched == ["第 6 行 3 县里另加的任务：推进政务服务“一网通办”"]
    assert result.unknown == ["分管领导", "第三季度/季度目标"]
    ws = load_workbook(result.path)["三季度台账"]
    assert [ws.cell(row=4, column=c).value for c in (1, 8, 9, 10)] == [1, "召开座谈会2次", "序时推进", "答复时限偏长"]
    row5 = [ws.cell(row=5, column=c).value for c in (1, 5, 8, 9)]
    assert row5 == [2, "党政办 张三", "=办理留言12件，均按时回复", "完成"]
    assert ws.cell(row=5, column=8).data_type == "s"
    assert ws.cell(row=6, column=8).value is None
    assert ws.cell(row=4, column=2).value == plan.task(13).text  # the county's words stay
    assert {str(r) for r in ws.merged_cells.ranges} >= {"A1:J1", "G2:I2", "A2:A3", "J2:J3", "A8:J8"}
    assert ws.print_title_rows == "$2:$3" and ws.page_setup.orientation == "landscape"
    assert ws["A1"].font.name == "方正小标宋简体" and ws.column_dimensions["H"].width == 40
    again = templates.read_template(session, src)
    assert again.remembered and again.mapping[10] == "problems"


def test_blank_template_gets_a_row_per_task(session, tmp_path):
    _progress(session)
    src = county_template(tmp_path / "空.xlsx", blank_rows=3)
    result = templates.fill_template(session, OFFICE, src, tmp_path / "填好.xlsx")
    assert result.filled == 66 and result.unmatched == []
    ws = load_workbook(result.path).active
    numbers = [ws.cell(row=r, column=1).value for r in range(4, 4 + 66)]
    assert numbers[:3] == [1, 2, 3] or numbers == sorted(numbers)
    row12 = 4 + numbers.index(12)
    assert ws.cell(row=row12, column=9).value == "完成" and ws.cell(row=row12, column=4).value
    assert ws.cell(row=4 + 66, column=1).value.startswith("填报单位")  # the footer moved down, still merged
    assert "A70:J70" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.cell(row=60, column=2).border.left.style == "thin"


def test_cli_fill_template(data_dir, tmp_path, capsys):
    src = county_template(tmp_path / "t.xlsx")
    code = main(["progress", "fill-template", str(src), "--office", OFFICE, "--out", str(tmp_path / "o.xlsx"),
                 "--map", "备注=存在问题"])
    out, err = capsys.readouterr()
    assert code == 0 and "备注 → 存在问题" in out and "留空的列：分管领导、第三季度/季度目标" in err
    code = main(["progress", "fill-template", str(src), "--office", OFFICE, "--out", str(tmp_path / "o.xlsx"),
                 "--map", "领导=problems"])
    assert code == 2 and "没有“领导”这一列" in capsys.readouterr().err
