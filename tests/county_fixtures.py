"""Submission packages from three offices of the real 2019 plan, made by the office side's own writers.

悦城镇 and 德城街道 (towns) and 县教育局 (a department) each send a package written by
``core.package.write.write_package``: the report PDF by the real report engine (``build_report``), the progress file
by ``core.progress.file.build_progress_file``, evidence files made on the spot (JPEG, PDF). The Word report and
the XLSX 台账 are small stand-ins (tests.builders): their writers are not on this branch.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from core.assign import roles_for
from core.model import Office, OfficeKind, Progress, Role, Status
from core.package.write import PackageEvidence, write_package
from core.progress.file import build_progress_file
from core.report import ReportOptions, build_report
from core.report.short_names import short_name
from tests.builders import docx, para, xlsx
from tests.evidence_fixtures import pdf, photo
from tests.report_fixtures import real_plan, town_progress

REPORT_DATE = date(2019, 12, 4)
YUECHENG, DECHENG, EDUCATION = "悦城镇", "德城街道", "县教育局"
OFFICES = {YUECHENG: OfficeKind.TOWN, DECHENG: OfficeKind.TOWN, EDUCATION: OfficeKind.DEPARTMENT}
#: What 悦城镇 wrote for task 12 (市长留言办理).
YUECHENG_12 = Progress(
    task=12, status=Status.DONE, percent=100, owner="镇党政办（陈小玲）", due=date(2019, 11, 30),
    steps="1.建立市长留言台账;2.逐件交办;3.按时回复",
    achievements="全年办理市府办转来的网民留言12件，按时办结率100%，群众满意率95%。\n对3件涉及征地的留言实行镇领导包案。",
    problems="个别留言涉及跨部门事项，办理周期较长。",
    next_steps="建立留言办理周通报制度。",
    updated_at="2019-12-03T16:20:00",
)
#: Evidence per office: (task, number, title, kind of file).
EVIDENCE = {
    YUECHENG: [(12, "12-1", "留言办理台账", "pdf"), (12, "12-2", "包案会议照片", "jpg"),
               (14, "14-1", "县长信箱回复截图", "jpg")],
    DECHENG: [(12, "12-1", "街道留言办理登记表", "pdf"), (30, "30-1", "政务公开栏照片", "jpg")],
    EDUCATION: [(38, "38-1", "教育领域信息公开目录", "pdf")],
}


def office(name: str) -> Office:
    return Office(name, OFFICES[name])


def progress_for(name: str) -> dict[int, Progress]:
    """What each office recorded: 悦城镇 the report fixtures' town text (task 12 its own), 德城街道 the same
    statuses shifted and every 7th task left out, 县教育局 a department with many tasks not yet started."""
    plan = real_plan()
    roles = roles_for(plan, office(name), {})
    base = town_progress(plan, roles)
    if name == YUECHENG:
        base[12] = YUECHENG_12
        return base
    out: dict[int, Progress] = {}
    for n, p in base.items():
        if name == DECHENG:
            if n % 7 == 0:
                continue
            status = Status.DONE if n % 3 else Status.IN_PROGRESS
            out[n] = replace(p, status=status, percent=100 if status is Status.DONE else 60,
                             achievements=p.achievements.replace("镇党政办", "街道党工委办"),
                             problems="" if n % 4 else "街道社区人员变动较大，信息员队伍不稳定。")
        else:
            status = Status.NOT_STARTED if n % 4 == 0 else (Status.DONE if n % 2 else Status.ONGOING)
            out[n] = replace(p, status=status, percent=0 if status is Status.NOT_STARTED else 80,
                             achievements="" if status is Status.NOT_STARTED else
                             p.achievements.replace("镇党政办", "局办公室"),
                             problems="专业人员不足，教育系统各学校信息公开栏目更新不及时。" if n % 3 == 0 else "",
                             due=date(2019, 10, 31))
    return out


@lru_cache(maxsize=4)
def report_pdf(name: str) -> bytes:
    plan = real_plan()
    roles = roles_for(plan, office(name), {})
    from core.model import ReportTexts

    return build_report(plan, roles, progress_for(name), ReportTexts(),
                        ReportOptions(name, REPORT_DATE, include_ledger=False, font_choice="bundled"))


def documents(name: str, progress: dict[int, Progress] | None = None) -> dict[str, bytes]:
    plan = real_plan()
    progress = progress_for(name) if progress is None else progress
    doc = build_progress_file(plan, name, progress)
    return {
        "report_pdf": report_pdf(name),
        "report_docx": docx(para(f"{name}关于{plan.title}落实情况的报告")),  # stand-in
        # stand-in for the 台账 writer:
        "ledger_xlsx": xlsx([["序号", "工作任务"], *[[n, plan.task(n).text] for n in sorted(progress)[:5]]]),
        "progress_json": json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8"),
    }


def evidence_items(name: str, folder: Path) -> list[PackageEvidence]:
    plan = real_plan()
    items = []
    for i, (task, number, title, kind) in enumerate(EVIDENCE[name]):
        src = folder / f"{name}-{number}.{kind}"
        made = photo(src, seed=i + len(name)) if kind == "jpg" else pdf(src, f"{name} {number}")
        items.append(PackageEvidence(task, short_name(plan, plan.task(task)), number, title, made, "." + kind))
    return items


def make_package(folder: Path, name: str, *, report_date: date = REPORT_DATE,
                 progress: dict[int, Progress] | None = None, created: datetime | None = None,
                 file_name: str | None = None, extra: list[PackageEvidence] = ()) -> Path:
    """One office's package in ``folder`` (a fresh sub-folder holds the evidence sources); ``extra``: more
    evidence items (a web link)."""
    plan = real_plan()
    folder.mkdir(parents=True, exist_ok=True)
    src = folder / f".src-{name}-{report_date.isoformat()}"
    target = folder / (file_name or f"{name}_{report_date.isoformat()}.zip")
    info = write_package(target, name, plan.title, plan.year, report_date,
                         evidence=[*evidence_items(name, src), *extra], now=created or datetime(2019, 12, 4, 16, 30),
                         **documents(name, progress))
    return info.path


def three_packages(folder: Path) -> list[Path]:
    return [make_package(folder, n) for n in (YUECHENG, DECHENG, EDUCATION)]


def assigned(name: str) -> set[int]:
    roles = roles_for(real_plan(), office(name), {})
    return {n for n, r in roles.items() if r is not Role.NONE}
