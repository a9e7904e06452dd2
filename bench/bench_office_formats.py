"""Benchmark of the Word (.docx) and Excel (.xlsx) writers on the fully filled 2019 plan, beside their floors.

The floor is the same library writing the same text with no formatting: python-docx adding every body line
as a plain paragraph and the ledger as a plain table; openpyxl appending the ledger rows to a bare sheet.
Prints JSON. Run from the repo root: ``python bench/bench_office_formats.py``.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx
from openpyxl import Workbook

from core.report.document import ReportContent
from core.report.docx_writer import ledger_layout, render_docx
from core.report.xlsx_writer import render_xlsx
from tests.office_content import assigned, build_content
from tests.report_fixtures import real_plan

FIELD = ("对照任务要求，镇党政办牵头制定工作方案，明确责任股室和时间节点，逐项抓好落实；"
         "截至11月底共发布相关信息35条，编印宣传资料1200份，开展专题培训3场，群众知晓率明显提高。") * 4


def full_content() -> ReportContent:
    """悦城镇's 66 tasks with every text field ~300 characters and two evidence files each."""
    plan = real_plan()
    roles, progress, _ = assigned(plan)
    text = FIELD[:300]
    full = {n: replace(p, steps=text, achievements=text, problems=text, next_steps=text)
            for n, p in progress.items()}
    content = build_content(plan, roles, full)
    rows = tuple(replace(r, evidence=(f"{r.number}-1 会议照片.jpg", f"{r.number}-2 工作方案.docx"))
                 for r in content.ledger_rows)
    return replace(content, ledger_rows=rows)


def docx_floor(content: ReportContent) -> bytes:
    doc = docx.Document()
    for block in content.blocks:
        for line in block.text.splitlines():
            doc.add_paragraph(line)
    layout = ledger_layout(content)  # the same cells the writer sets (the annex's columns, shared with the PDF)
    table = doc.add_table(rows=0, cols=len(layout.columns))
    for line in layout.lines:
        for cell, lines in zip(table.add_row().cells, line.cells, strict=True):
            cell.text = "\n".join(lines)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx_floor(content: ReportContent) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in content.ledger_rows:
        ws.append([r.number, r.task, r.role, r.owner, r.due, r.status, r.percent, r.steps, r.achievements,
                   r.problems, r.next_steps, r.updated_at, "\n".join(r.evidence)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


RUNS = 1 if "--smoke" in sys.argv else 7  # --smoke (CI): proves the bench runs, figures mean nothing


def timings(fn, runs: int = RUNS, clock=time.perf_counter) -> list[float]:
    def once() -> float:
        t0 = clock()
        fn()
        return clock() - t0
    fn()  # warm up (imports, template parts)
    return [once() for _ in range(runs)]


def main() -> None:
    content = full_content()
    assert len(content.ledger_rows) == 66
    result: dict[str, object] = {"load_average_1min": round(os.getloadavg()[0], 2)}
    for name, writer, floor in (("docx_2019", render_docx, docx_floor), ("xlsx_2019", render_xlsx, xlsx_floor)):
        t, f = timings(lambda w=writer: w(content)), timings(lambda fl=floor: fl(content))
        result[name] = {"tasks": len(content.ledger_rows), "seconds": round(statistics.median(t), 3),
                        "floor_seconds": round(statistics.median(f), 3),
                        "ratio": round(statistics.median(t) / statistics.median(f), 2),
                        "best_seconds": round(min(t), 3), "floor_best_seconds": round(min(f), 3),
                        # CPU time of this process: what the wall figures would be on an idle machine
                        "cpu_seconds": round(statistics.median(timings(lambda w=writer: w(content),
                                                                       clock=time.process_time)), 3),
                        "floor_cpu_seconds": round(statistics.median(timings(lambda fl=floor: fl(content),
                                                                             clock=time.process_time)), 3),
                        "bytes": len(writer(content)), "goal_seconds": 1.0}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
