"""Plan import at scale: a 300-task plan from another county. Prints JSON.

- import: ``actions.plans.read_plan`` — what ``plan import --dry-run`` runs — on a 300-task notice written
  in the shapes of other counties' plans (sections, （一） groups, numbering restarting per group,
  ``（牵头单位：…；责任单位：…）`` brackets, deadlines in the text). Goal < 1 s.
  Floor: reading and decoding the same file and splitting it into cleaned lines (what any parse must do).
- grid: the import review grid (``gui.plan_review_grid.ReviewGrid.set_plan``) filled with the 300 tasks, flags
  included. Goal < 0.5 s. Floor: a bare QTableWidget given the same 300 × 8 texts as plain items.
Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_plan_import.py``.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actions import plans
from core.importers.detect import decode_text
from core.notice_parser import clean_lines

TASKS = 300
PER_GROUP = 10
RUNS = 5
UNITS = ("牵头单位：区政府办；责任单位：各镇（街道）、区直各部门", "牵头单位：区发改局；责任单位：区直有关单位",
         "牵头单位：区教育局、区财政局；责任单位：各镇(街)参照落实", "责任单位：区市场监管局、区商务局等有关单位")
CN = "一二三四五六七八九十"


def notice() -> str:
    lines = ["关于印发某区2024年重点工作任务分解方案的通知", "各镇（街道），区直各部门：",
             "现将方案印发给你们，请认真贯彻落实。", "某区人民政府办公室", "2024年1月25日",
             "某区2024年重点工作任务分解方案"]
    n = 0
    for s in range(TASKS // (PER_GROUP * 3)):
        lines.append(f"{CN[s % 10]}、第{s + 1}部分工作要点")
        for g in range(3):
            lines.append(f"（{CN[g]}）第{g + 1}组工作")
            for i in range(PER_GROUP):
                n += 1
                due = f"，{(n % 12) + 1}月底前完成" if n % 3 == 0 else ""
                lines.append(f"{i + 1}.推进第{n}项重点工作，完善工作机制，加强统筹协调，确保取得实效{due}。"
                             f"（{UNITS[n % len(UNITS)]}）")
    return "\n".join(lines) + "\n"


def timed(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem

    from actions.plans import GRID_COLUMNS, grid_cell
    from gui.plan_review_grid import ReviewGrid

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "某区2024年重点工作任务分解方案.txt"
        path.write_text(notice(), encoding="utf-8")
        preview = plans.read_plan(path)
        assert len(preview.plan.tasks) == TASKS, len(preview.plan.tasks)
        assert len({t.number for t in preview.plan.tasks}) == TASKS
        import_s = timed(lambda: plans.read_plan(path))
        import_floor = timed(lambda: clean_lines(decode_text(path.read_bytes())[0]))

    plan = preview.plan
    texts = [[grid_cell(plan, r, c) for c in GRID_COLUMNS] + [""] for r in range(TASKS)]

    def grid() -> None:
        w = ReviewGrid()
        w.set_plan(plan)
        app.processEvents()
        w.deleteLater()

    def floor_grid() -> None:
        t = QTableWidget(TASKS, len(GRID_COLUMNS) + 1)
        for r, row in enumerate(texts):
            for c, text in enumerate(row):
                t.setItem(r, c, QTableWidgetItem(text))
        app.processEvents()
        t.deleteLater()

    grid_s = timed(grid)
    grid_floor = timed(floor_grid)
    print(json.dumps({
        "tasks": TASKS, "cpu_count": os.cpu_count(),
        "import_dry_run_s": round(import_s, 4), "import_floor_s": round(import_floor, 4), "import_goal_s": 1.0,
        "grid_open_s": round(grid_s, 4), "grid_floor_s": round(grid_floor, 4), "grid_goal_s": 0.5,
    }, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
