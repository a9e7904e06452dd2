"""进展缓慢 end to end: set on one task, shown in the office's 台账 (annex and Excel), carried in the package's
progress file with the standing in the manifest's summary, and shown by the county matrix (cell, xlsx 完成状况,
status JSON, cell detail)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

from openpyxl import load_workbook

from actions import county, editing, package, reports
from actions.session import Session
from core.county.matrix import cell_text
from core.model import Progress, Status

OFFICE = "悦城镇"
DAY = date(2019, 12, 4)


def _entries(session: Session) -> int:
    pid = session.current_plan_id()
    session.store.save_progress(pid, OFFICE, Progress(12, Status.DONE, 100, achievements="办结留言12件"))
    session.store.save_progress(pid, OFFICE, Progress(13, Status.IN_PROGRESS, 40, steps="已交办",
                                                      next_steps="月底前办结"))
    session.store.save_progress(pid, OFFICE, Progress(14, Status.NOT_STARTED, 0))
    assert editing.set_flag(session, pid, OFFICE, 13, "slow", True)
    return pid


def test_slow_flag_from_the_office_to_the_county(session, tmp_path):
    pid = _entries(session)
    office = session.require_office(OFFICE)
    content = reports.compose(reports.snapshot(session, office, pid), reports.ReportRequest(office, DAY))
    rows = {r.number: r for r in content.ledger_rows}
    assert (rows[13].status, rows[12].status, rows[14].status) == ("推进中（进展缓慢）", "已完成", "未开始")

    result = package.make_package(session, OFFICE, tmp_path, report_date=DAY, fonts="bundled")
    with zipfile.ZipFile(result.info.path) as zf:
        progress = json.loads(zf.read(f"{OFFICE}_进度数据.json"))
        ledger = load_workbook(io.BytesIO(zf.read(f"{OFFICE}_落实情况台账.xlsx")))
        manifest = json.loads(zf.read("manifest.json"))
    entries = {e["task"]: e for e in progress["entries"]}
    assert entries[13]["slow"] is True and "slow" not in entries[12] and "slow" not in entries[14]
    cells = [c.value for ws in ledger.worksheets for row in ws.iter_rows() for c in row]
    assert "推进中（进展缓慢）\n40%" in cells  # the A4 台账 (the default) puts 状态 and 进度 in one cell
    # 66 tasks assigned to 悦城镇, 3 filled: 63 未填写 apart from the 1 未开始; 1 done of 66 → 1.5%
    assert manifest["summary"] == {
        "counts": {"not_started": 1, "in_progress": 1, "done": 1, "ongoing": 0, "not_applicable": 0},
        "unfilled": 63, "done": 1, "done_total": 66, "done_rate": "1.5%", "slow": 1}

    collector = Session.open(tmp_path / "county", auto_backup=False)
    try:
        assert county.import_packages(collector, [result.info.path]).ok
        m = county.matrix(collector, DAY)
        assert cell_text(m.cell(13, OFFICE)) == "推进中（进展缓慢） 40%"
        assert m.cell(13, OFFICE).county_word == "进展缓慢" and m.cell(12, OFFICE).county_word == "完成"
        assert cell_text(m.cell(15, OFFICE)) == "未填写"
        status = county.county_status(collector, DAY)
        [row] = status["received"]
        assert (row["slow"], row["unfilled"], row["done_rate"], status["slow"]) == (1, 63, "1.5%", 1)
        assert county.cell_detail(collector, OFFICE, 13).state == "推进中（进展缓慢）"
        assert county.cell_detail(collector, OFFICE, 15).state == "未填写"
        out = tmp_path / "汇总.xlsx"
        county.write_matrix(collector, m.filtered(reported_only=True), out)
        ws = load_workbook(out).active
        row13 = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] == 13)
        assert row13[3:6] == ("推进中（进展缓慢）", "进展缓慢", 40)
    finally:
        collector.close()
