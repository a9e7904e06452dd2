"""County side at scale: 40 offices × 300 tasks, evidence listed (not opened). Prints JSON.

- import: ``actions.county.import_packages`` of all 40 packages into a fresh data folder (verification of every
  hash, progress parsing, one transaction per package, the backup before the first write). Goal < 10 s.
  Floor: for each zip, zipfile reading every member with SHA-256, plus json parsing of manifest and progress,
  plus (since the import keeps a copy of each zip in ``received/``) a plain copy of each zip with fsync.
- matrix: ``actions.county.matrix`` (read every current package's progress and evidence counts, roles for
  every office, cells). Goal < 1 s. Floor: the same rows fetched by one bare SELECT into tuples.
Also: the 汇总 report's composition and the matrix .xlsx, for information.
Run: ``.venv/bin/python bench/bench_county.py`` (``--quick``: 10 offices).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import statistics
import sys
import tempfile
import time
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actions import county
from actions.session import Session
from core.assign import roles_for
from core.county.report import CountyReportSpec, compose_county_report
from core.county.xlsx import matrix_xlsx
from core.model import Plan, Progress, Role, Status, Task
from core.notice_parser import parse_notice
from core.offices import builtin_offices
from core.package.write import PackageEvidence, write_package
from core.progress.file import build_progress_file
from core.report.short_names import short_name
from core.resources import BUILTIN_PLAN, resource_path

TASKS = 300
EVIDENCE_EVERY = 3  # one evidence file for every third assigned task
RUNS = 3
EMPTY_ZIP = b"PK\x05\x06" + bytes(18)  # stand-ins: the Word report and the 台账 are not read on import
STATUSES = (Status.DONE, Status.ONGOING, Status.IN_PROGRESS, Status.NOT_STARTED, Status.DONE)


def big_plan() -> Plan:
    """The 2019 plan's 68 tasks repeated (with their unit cells) to 300, under a title of its own."""
    real = parse_notice(resource_path(*BUILTIN_PLAN).read_text(encoding="utf-8"))
    tasks = tuple(replace(real.tasks[i % len(real.tasks)], number=i + 1,
                          text=f"{real.tasks[i % len(real.tasks)].text}（第{i + 1}项）") for i in range(TASKS))
    return replace(real, title="德庆县2019年政务公开工作要点分工方案（规模测试）", tasks=tasks)


def small_pdf() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf)
    c.drawString(72, 720, "report")
    c.showPage()
    c.save()
    return buf.getvalue()


def make_packages(plan: Plan, folder: Path, offices: list) -> list[Path]:
    pdf = small_pdf()
    src = folder / "src"
    src.mkdir()
    paths = []
    for k, office in enumerate(offices):
        roles = roles_for(plan, office)
        tasks: list[Task] = [t for t in plan.tasks if roles[t.number] is not Role.NONE]
        progress = {t.number: Progress(t.number, STATUSES[(t.number + k) % 5], 60, "办公室", date(2019, 11, 30),
                                       "制定方案、组织实施、总结报告。" * 5,
                                       f"{office.name}成效做法：" + "完成信息发布若干条。" * 20,
                                       "人员力量不足。" * 10, "继续加强培训。" * 10, "2019-12-01T10:00:00")
                    for t in tasks}
        items = []
        for t in tasks[::EVIDENCE_EVERY]:
            f = src / f"{k}-{t.number}.pdf"
            f.write_bytes(pdf + f"%{office.name}{t.number}\n".encode())
            items.append(PackageEvidence(t.number, short_name(plan, t), f"{t.number}-1", "佐证材料", f, ".pdf"))
        doc = build_progress_file(plan, office.name, progress)
        info = write_package(folder / f"{office.name}.zip", office.name, plan.title, plan.year, date(2019, 12, 4),
                             report_pdf=pdf, report_docx=EMPTY_ZIP, ledger_xlsx=EMPTY_ZIP,
                             progress_json=json.dumps(doc, ensure_ascii=False).encode(), evidence=items,
                             now=datetime(2019, 12, 4, 16, 0))
        paths.append(info.path)
    return paths


def floor_read(paths: list[Path]) -> None:
    for path in paths:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                data = zf.read(info)
                hashlib.sha256(data).hexdigest()
                if info.filename.endswith(".json"):
                    json.loads(data)


def floor_copy(paths: list[Path], folder: Path) -> None:
    """What keeping a copy must cost: each zip's bytes written to a new file, fsynced."""
    folder.mkdir()
    for path in paths:
        with open(path, "rb") as src, open(folder / path.name, "wb") as out:
            while chunk := src.read(1024 * 1024):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())


def fresh_session(root: Path, plan: Plan, run: int) -> Session:
    session = Session.open(root / f"data{run}", auto_backup=False)
    with session.store.write() as conn:
        plan_id = session.store.insert_plan(conn, plan, builtin_offices(plan))
    session.use_plan(plan_id)
    return session


def main() -> None:
    quick = "--quick" in sys.argv
    plan = big_plan()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        offices = builtin_offices(plan)[: 10 if quick else 40]
        t0 = time.perf_counter()
        paths = make_packages(plan, root, offices)
        setup = time.perf_counter() - t0
        imports, floors, copies = [], [], []
        for run in range(RUNS):
            session = fresh_session(root, plan, run)
            t0 = time.perf_counter()
            summary = county.import_packages(session, paths)
            imports.append(time.perf_counter() - t0)
            assert summary.ok and len(summary.imported) == len(paths), summary.refused[:1]
            t0 = time.perf_counter()
            floor_read(paths)
            floors.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            floor_copy(paths, root / f"copies{run}")
            copies.append(time.perf_counter() - t0)
            if run < RUNS - 1:
                session.close()
        conn = session.store.conn
        plan_id = session.current_plan_id()
        matrices, bare = [], []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            m = county.matrix(session, date(2019, 12, 10))
            matrices.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            conn.execute("SELECT p.office, r.* FROM received_progress r JOIN received_packages p ON p.id = r.package_id"
                         " WHERE p.plan_id=? AND p.superseded_by IS NULL", (plan_id,)).fetchall()
            conn.execute("SELECT package_id, task, number FROM received_evidence").fetchall()
            bare.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        content = compose_county_report(m, CountyReportSpec(session.office("县府办"), date(2019, 12, 10)))
        compose = time.perf_counter() - t0
        t0 = time.perf_counter()
        xlsx = matrix_xlsx(m)
        xlsx_time = time.perf_counter() - t0
        cells = sum(1 for _ in m.visible_cells())
        evidence = conn.execute("SELECT COUNT(*) FROM received_evidence").fetchone()[0]
        size = sum(p.stat().st_size for p in paths)
        session.close()
    med = statistics.median
    print(json.dumps({
        "bench": "county",
        "offices": len(paths), "tasks": TASKS, "cells": cells, "evidence_listed": evidence,
        "packages_mb": round(size / 1024 / 1024, 1), "setup_s": round(setup, 1),
        "import_all_s": round(med(imports), 3), "import_floor_zip_hash_json_s": round(med(floors), 3),
        "import_floor_copy_fsync_s": round(med(copies), 3),
        "import_ratio": round(med(imports) / (med(floors) + med(copies)), 2), "import_goal_s": 10,
        "matrix_s": round(med(matrices), 3), "matrix_floor_select_s": round(med(bare), 3),
        "matrix_ratio": round(med(matrices) / med(bare), 2), "matrix_goal_s": 1,
        "report_compose_s": round(compose, 3), "report_blocks": len(content.blocks),
        "matrix_xlsx_s": round(xlsx_time, 3), "matrix_xlsx_kb": len(xlsx) // 1024,
        "runs": RUNS,
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
