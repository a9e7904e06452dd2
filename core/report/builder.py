"""The report engine's entry points: options, assigned tasks, building the PDF, missing glyphs."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.platypus import Flowable

from core.model import Plan, Progress, ReportTexts, Role, Task
from core.report.content import ReportData, body_story, report_title
from core.report.fonts import get_fontset
from core.report.layout import ReportDocTemplate
from core.report.ledger import ledger_header, ledger_story
from core.report.typeset import Typesetter


@dataclass(frozen=True)
class ReportOptions:
    office: str
    report_date: date
    include_ledger: bool = True
    include_chart: bool = False
    font_choice: str = "auto"  # "auto" | "bundled"
    font_dirs: tuple[Path, ...] | None = None  # replaces the system font folders for "auto"


def assigned_tasks(plan: Plan, roles: dict[int, Role]) -> list[Task]:
    """The plan's tasks whose role for the office is not NONE, in plan order."""
    return [t for t in plan.tasks if roles.get(t.number, Role.NONE) is not Role.NONE]


def _data(plan: Plan, roles: dict[int, Role], progress: dict[int, Progress], texts: ReportTexts,
          options: ReportOptions) -> ReportData:
    tasks = tuple(assigned_tasks(plan, roles))
    full = {t.number: progress.get(t.number) or Progress(task=t.number) for t in tasks}
    return ReportData(plan=plan, office=options.office, tasks=tasks, roles=dict(roles), progress=full,
                      texts=texts, report_date=options.report_date)


def _story(ts: Typesetter, data: ReportData, options: ReportOptions) -> list[Flowable]:
    # include_chart is accepted but not drawn yet (no chart module); the report is the same without it.
    story = body_story(ts, data, options.include_ledger, None)
    if options.include_ledger and data.tasks:
        story += ledger_story(ts, data)
    return story


def _typesetter(options: ReportOptions) -> Typesetter:
    dirs: Sequence[Path] | None = options.font_dirs
    return Typesetter(get_fontset(options.font_choice, dirs))


def build_report(plan: Plan, roles: dict[int, Role], progress: dict[int, Progress], texts: ReportTexts,
                 options: ReportOptions) -> bytes:
    """The 落实情况报告 for ``options.office`` as PDF bytes (same input, same bytes)."""
    data = _data(plan, roles, progress, texts, options)
    ts = _typesetter(options)
    story = _story(ts, data, options)
    buf = io.BytesIO()
    header = ledger_header(ts) if options.include_ledger and data.tasks else None
    doc = ReportDocTemplate(buf, ts.fonts, title=report_title(plan, options.office), author=options.office,
                            ledger_header=header)
    doc.build(story)
    return buf.getvalue()


def missing_glyphs(plan: Plan, roles: dict[int, Role], progress: dict[int, Progress], texts: ReportTexts,
                   options: ReportOptions) -> set[str]:
    """Characters of the report that no available font can print (they would show as 〓)."""
    data = _data(plan, roles, progress, texts, options)
    ts = _typesetter(options)
    _story(ts, data, options)
    return set(ts.missing)
