"""Benchmark of the report engine against bare reportlab setting the same text in the same font.

Prints JSON. Run from the repo root: ``python bench/bench_report.py`` (``--smoke``: the 2019 report once).
"""

from __future__ import annotations

import io
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph

from core.model import (
    Plan,
    Progress,
    Role,
    Status,
    Task,
)
from core.report import ReportOptions, build_report, compose_report
from core.report.fonts import get_fontset
from core.report.layout import (
    BLOCK_H,
    BLOCK_W,
    BOTTOM,
    LAND_BLOCK_H,
    LAND_BOTTOM,
    LAND_LEFT,
    LEADING,
    LEFT,
    TABLE_LEADING,
)
from core.report.ledger import ledger_columns
from core.report.ledger_row import PAD_X
from tests.report_fixtures import OFFICE, REPORT_DATE, real_plan, town_roles, town_texts

OPTIONS = ReportOptions(office=OFFICE, report_date=REPORT_DATE, font_choice="bundled")
FIELD = ("对照任务要求，镇党政办牵头制定工作方案，明确责任股室和时间节点，逐项抓好落实；"
         "截至11月底共发布相关信息35条，编印宣传资料1200份，开展专题培训3场，群众知晓率明显提高。") * 4


def full_progress(plan: Plan, roles: dict[int, Role]) -> dict[int, Progress]:
    """Every text field filled with ~300 characters, different for every task (identical notes would be
    merged into one item in the report, and the floor would set far more text than the engine)."""
    def text(n: int) -> str:
        return f"第{n}项：" + FIELD[:296]

    return {t.number: Progress(task=t.number, status=Status.ONGOING, owner="镇党政办（李主任）",
                               due=date(2019, 12, 31), steps=text(t.number), achievements=text(t.number),
                               problems=text(t.number), next_steps=text(t.number))
            for t in plan.tasks if roles.get(t.number, Role.NONE) is not Role.NONE}


def big_plan(n: int) -> Plan:
    base = real_plan()
    tasks = tuple(Task(number=i + 1, section=t.section, subsection=t.subsection, text=t.text, units=t.units)
                  for i, t in enumerate(base.tasks[k % len(base.tasks)] for k in range(n)))
    return replace(base, tasks=tasks)


def floor(plan: Plan, progress: dict[int, Progress], font: str | None = None) -> float:
    """Bare reportlab setting the same text in the same font on the same pages.

    The body's texts as 16 pt CJK paragraphs in the 156 x 225 mm portrait block; the ledger's texts
    (task, owner, achievements and steps, problems, next steps) as 10.5 pt paragraphs on A4 landscape,
    flowing through four frames as wide as the ledger's text columns. No 禁则, fallback or table.
    """
    font = font or get_fontset("bundled").primary("body")
    style = ParagraphStyle("b", fontName=font, fontSize=16, leading=LEADING, wordWrap="CJK")
    cell = ParagraphStyle("c", fontName=font, fontSize=10.5, leading=TABLE_LEADING, wordWrap="CJK")
    doc = BaseDocTemplate(io.BytesIO(), pagesize=A4)
    columns, x = [], LAND_LEFT
    roles = {t.number: Role.RESPONSIBLE for t in plan.tasks if t.number in progress}
    layout = ledger_columns(compose_report(plan, roles, progress, town_texts(), OPTIONS).ledger_rows)
    for col in layout.columns:
        w = col.width
        if col.key in ("task", "achievements", "problems", "next_steps"):
            columns.append(Frame(x + PAD_X, LAND_BOTTOM, w - 2 * PAD_X, LAND_BLOCK_H, 0, 0, 0, 0))
        x += w
    doc.addPageTemplates([
        PageTemplate(id="p", frames=[Frame(LEFT, BOTTOM, BLOCK_W, BLOCK_H, 0, 0, 0, 0)], pagesize=A4),
        PageTemplate(id="l", frames=columns, pagesize=landscape(A4)),
    ])
    start = time.perf_counter()
    story: list = []
    tasks = [(t, progress[t.number]) for t in plan.tasks if t.number in progress]
    for _t, p in tasks:  # the body
        for s in (p.achievements, p.problems, p.next_steps):
            story.append(Paragraph(escape(s), style))
    story += [NextPageTemplate("l"), PageBreak()]
    for t, p in tasks:  # the ledger
        for s in (t.text, p.owner, p.achievements, p.steps, p.problems, p.next_steps):
            story.append(Paragraph(escape(s), cell))
    doc.build(story)
    return time.perf_counter() - start


def engine(plan: Plan, roles: dict[int, Role], progress: dict[int, Progress]) -> float:
    start = time.perf_counter()
    build_report(plan, roles, progress, town_texts(), OPTIONS)
    return time.perf_counter() - start


def median(fn, runs: int) -> float:
    return statistics.median(fn() for _ in range(runs))


def traced_peak_mb(fn) -> float:
    """Peak Python allocation of one call, in MB (timed runs are never traced: tracing slows them ~5x)."""
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / 2**20, 1)


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def floor_font_name() -> str:
    """The floor's font: the bundled 仿宋 as a plain .ttf registered with bare reportlab (what a program shipping
    an unpacked font would do; the engine's one fallback chain of four faces is its own cost)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from core.report.fonts import BUNDLED, unpacked_bytes
    from core.resources import resource_path

    plain = Path(__file__).resolve().parent / ".floor-font.ttf"
    if not plain.exists():
        plain.write_bytes(unpacked_bytes(resource_path("fonts", BUNDLED["body"][0])))
    pdfmetrics.registerFont(TTFont("FloorFang", str(plain)))
    return "FloorFang"


def cold(mode: str) -> None:
    """One first report in this fresh process, fonts included (what the clerk waits for after starting the
    CLI or opening the dialog); ``floor`` registers its plain font and sets the floor's text. Prints wall and
    CPU seconds: on a machine shared with other jobs wall time varies twofold, CPU time much less."""
    plan = real_plan()
    roles = town_roles(plan)
    progress = full_progress(plan, roles)
    wall, cpu = time.perf_counter(), time.process_time()
    if mode == "engine":
        engine(plan, roles, progress)
        print(time.perf_counter() - wall, time.process_time() - cpu)
        return
    name = floor_font_name()
    font_wall, font_cpu = time.perf_counter() - wall, time.process_time() - cpu
    cpu = time.process_time()
    build_wall = floor(plan, progress, font=name)  # times the build only (its column widths are composed first)
    print(font_wall + build_wall, font_cpu + time.process_time() - cpu - _compose_cpu(plan, progress))


def _compose_cpu(plan: Plan, progress: dict[int, Progress]) -> float:
    """CPU time of the composing floor() does for its column widths, to leave out of the floor's CPU time."""
    roles = {t.number: Role.RESPONSIBLE for t in plan.tasks if t.number in progress}
    cpu = time.process_time()
    ledger_columns(compose_report(plan, roles, progress, town_texts(), OPTIONS).ledger_rows)
    return time.process_time() - cpu


def cold_medians(runs: int = 5) -> dict[str, float]:
    """Medians of fresh-process runs of the engine and of the floor, taken in turn: wall and CPU seconds."""
    def once(mode: str) -> tuple[float, float]:
        out = subprocess.run([sys.executable, __file__, "--cold", mode], capture_output=True, text=True, check=True)
        wall, cpu = out.stdout.split()[-2:]
        return float(wall), float(cpu)
    pairs = [(once("engine"), once("floor")) for _ in range(runs)]
    return {"seconds": statistics.median(e[0] for e, _ in pairs),
            "floor_seconds": statistics.median(f[0] for _, f in pairs),
            "cpu_seconds": statistics.median(e[1] for e, _ in pairs),
            "floor_cpu_seconds": statistics.median(f[1] for _, f in pairs)}


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--cold":
        cold(sys.argv[2])
        return
    subprocess.run([sys.executable, __file__, "--cold", "engine"], capture_output=True, check=True)  # fills the cache
    smoke = "--smoke" in sys.argv  # CI: the 2019 report once, no 1,000-task plan (figures mean nothing)
    runs = 1 if smoke else 5
    first = cold_medians(runs)
    get_fontset("bundled")  # font loading is a one-off at start, not part of a report
    plan = real_plan()
    roles = town_roles(plan)
    progress = full_progress(plan, roles)
    engine(plan, roles, progress)  # warm up
    t = median(lambda: engine(plan, roles, progress), runs)
    f = median(lambda: floor(plan, progress), runs)
    result = {"first_report_2019": {**{k: round(v, 3) for k, v in first.items()},
                                    "ratio": round(first["seconds"] / first["floor_seconds"], 2),
                                    "cpu_ratio": round(first["cpu_seconds"] / first["floor_cpu_seconds"], 2)},
              "report_2019": {"tasks": len(progress), "seconds": round(t, 3), "floor_seconds": round(f, 3),
                              "ratio": round(t / f, 2),
                              "peak_tracemalloc_mb": traced_peak_mb(lambda: engine(plan, roles, progress)),
                              "max_rss_mb_so_far": rss_mb()}}
    if smoke:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return

    big = big_plan(1000)
    big_roles = {t.number: Role.RESPONSIBLE for t in big.tasks}
    big_progress = full_progress(big, big_roles)
    tb = engine(big, big_roles, big_progress)
    fb = floor(big, big_progress)
    tb2 = engine(big, big_roles, big_progress)
    result["tasks_1000"] = {"seconds": round(min(tb, tb2), 2), "floor_seconds": round(fb, 2),
                            "ratio": round(min(tb, tb2) / fb, 2),
                            "peak_tracemalloc_mb": traced_peak_mb(lambda: engine(big, big_roles, big_progress)),
                            # a second traced run: memory must not grow from one report to the next
                            "peak_tracemalloc_second_run_mb": traced_peak_mb(
                                lambda: engine(big, big_roles, big_progress)),
                            "floor_peak_tracemalloc_mb": traced_peak_mb(lambda: floor(big, big_progress)),
                            "max_rss_mb": rss_mb()}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    r = result["first_report_2019"]
    print(f"first report in a fresh process: {r['seconds']} s, floor {r['floor_seconds']} s, ratio {r['ratio']}x"
          f" (CPU {r['cpu_seconds']} s against {r['floor_cpu_seconds']} s, {r['cpu_ratio']}x; goal <= 1.3x);"
          f" warm: {result['report_2019']['seconds']} s, floor "
          f"{result['report_2019']['floor_seconds']} s, ratio {result['report_2019']['ratio']}x")


if __name__ == "__main__":
    main()
