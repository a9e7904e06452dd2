"""Building the 落实情况报告 off the UI thread.

A :class:`ReportJob` carries everything the engine needs (read from the store on the UI thread,
because the SQLite connection belongs to it) and reports back through :class:`ReportJobSignals`.
Each job has a generation number; the dialog ignores results of jobs that were superseded, and a
job that is already superseded when it starts does no work at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, Signal

from core.model import Plan, Progress, ReportTexts, Role
from core.report import FontError, ReportOptions, build_report, missing_glyphs


@dataclass(frozen=True)
class ReportInput:
    """One report's complete input, as passed to the engine."""

    plan: Plan
    roles: dict[int, Role]
    progress: dict[int, Progress]
    texts: ReportTexts
    options: ReportOptions


@dataclass(frozen=True)
class BuiltReport:
    """The engine's output for one input: the PDF bytes and the characters no font has."""

    pdf: bytes
    missing: frozenset[str]
    options: ReportOptions


def build(data: ReportInput) -> BuiltReport:
    """Run the engine (any thread). Raises FontError or a bug's exception."""
    args = (data.plan, data.roles, data.progress, data.texts, data.options)
    pdf = build_report(*args)
    missing = frozenset(missing_glyphs(*args))
    return BuiltReport(pdf, missing, data.options)


class ReportJobSignals(QObject):
    done = Signal(int, object)  # generation, BuiltReport
    failed = Signal(int, str)  # generation, plain message


class ReportJob(QRunnable):
    def __init__(self, generation: int, data: ReportInput, is_current: Callable[[int], bool]) -> None:
        super().__init__()
        self.generation = generation
        self.data = data
        self.is_current = is_current
        self.signals = ReportJobSignals()

    def run(self) -> None:
        if not self.is_current(self.generation):
            return  # superseded while waiting in the queue
        try:
            result = build(self.data)
        except FontError as exc:
            self.signals.failed.emit(self.generation, str(exc))
        except Exception as exc:  # a bug of ours: still a message, never a crash of the window
            self.signals.failed.emit(self.generation, f"生成报告时出现内部错误：{type(exc).__name__}: {exc}")
        else:
            self.signals.done.emit(self.generation, result)
