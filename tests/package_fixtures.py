"""A real submission package for 悦城镇: the 2019 plan's report, its progress file and three evidence items.

The DOCX report and the XLSX 台账 are small stand-ins until their writers land (the submission issue).
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

from core.assign import roles_for
from core.model import Office, OfficeKind
from core.progress.file import build_progress_file
from core.report import ReportOptions, build_report
from db import evidence as ev
from db.store import Store
from tests.builders import docx, para, xlsx
from tests.evidence_fixtures import pdf, photo, scan
from tests.report_fixtures import real_plan, town_progress, town_texts

OFFICE = "悦城镇"
REPORT_DATE = date(2019, 12, 4)
TASK_NAMES = {12: "市长留言办理", 13: "代表委员意见建议办理", 14: "县长信箱留言办理"}


@lru_cache(maxsize=1)
def documents() -> dict[str, bytes]:
    plan = real_plan()
    roles = roles_for(plan, Office(OFFICE, OfficeKind.TOWN), {})
    progress = town_progress(plan, roles)
    report = build_report(plan, roles, progress, town_texts(),
                          ReportOptions(OFFICE, REPORT_DATE, font_choice="bundled"))
    progress_file = json.dumps(build_progress_file(plan, OFFICE, progress), ensure_ascii=False).encode("utf-8")
    return {
        "report_pdf": report,
        "report_docx": docx(para(f"{OFFICE}关于{plan.title}落实情况的报告")),  # stand-in
        "ledger_xlsx": xlsx([["序号", "工作任务", "佐证材料"], [12, plan.task(12).text, "12-1 会议照片"]]),  # stand-in
        "progress_json": progress_file,
    }


def three_items(store: Store, data_dir: Path, src: Path) -> None:
    """12-1 a meeting photo, 13-1 a scanned notice (PDF), 14-1 a web page with its screenshot."""
    plan = store.current_plan_id()
    today = REPORT_DATE
    ev.add_files(store.conn, data_dir, plan, OFFICE, 12, [photo(src / "IMG_20191120.jpg", seed=5)],
                 title="会议照片", seen_date="2019-11-20", today=today)
    ev.add_files(store.conn, data_dir, plan, OFFICE, 13, [pdf(src / "扫描件.pdf")],
                 title="关于办理人大代表建议的通知（扫描件）", today=today)
    ev.add_link(store.conn, data_dir, plan, OFFICE, 14, "http://www.deqing.gov.cn/xzxx/", "县长信箱栏目：办理回复",
                seen_date="2019-12-03", screenshot=scan(src / "截图.png"), today=today)
