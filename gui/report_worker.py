"""Building the 落实情况报告 off the UI thread.

A :class:`ReportJob` carries everything the engine needs (read from the store on the UI thread,
because the SQLite connection belongs to it) and reports back through :class:`ReportJobSignals`.
Each job has a generation number; the dialog ignores results of jobs that were superseded, and a
job that is already superseded when it starts does no work at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal

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
            message = QCoreApplication.translate("ReportWorker", "生成报告时出现内部错误：{0}: {1}")
            self.signals.failed.emit(self.generation, message.format(type(exc).__name__, exc))
        else:
            self.signals.done.emit(self.generation, result)


class ReportBuilder(QObject):
    """Keeps one report up to date with its inputs: debounced, off the UI thread, latest result only.

    ``inputs`` is called on the UI thread when a build starts. A build finishing after a newer one
    was asked for is dropped; the engine runs one build at a time.

    Signals:
        ready(object): the BuiltReport for the latest inputs.
        failed(str): the latest build failed; a plain message.
        busy(): a build has been running for longer than ``busy_delay_ms``.
    """

    ready = Signal(object)
    failed = Signal(str)
    busy = Signal()

    def __init__(self, inputs: Callable[[], ReportInput], delay_ms: int = 500, busy_delay_ms: int = 300,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.inputs = inputs
        self.latest: BuiltReport | None = None
        self.stale = True  # the inputs changed since ``latest`` was built
        self._generation = 0
        self._jobs: dict[int, ReportJob] = {}
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._delay = self._timer(delay_ms, self.start)
        self._busy = self._timer(busy_delay_ms, self.busy.emit)

    def _timer(self, ms: int, slot: Callable[[], object]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    def is_current(self, generation: int) -> bool:
        return generation == self._generation

    def schedule(self) -> None:
        """The inputs changed: build after the debounce delay."""
        self.stale = True
        self._delay.start()

    def start(self) -> None:
        """Build now in the thread pool, superseding any build asked for before."""
        self._delay.stop()
        self.stale = True
        self._supersede()
        job = ReportJob(self._generation, self.inputs(), self.is_current)
        job.signals.done.connect(self._on_done)
        job.signals.failed.connect(self._on_failed)
        self._jobs[self._generation] = job  # keep the signals object alive until the job reports
        self._busy.start()
        self._pool.start(job)

    def build_now(self) -> BuiltReport:
        """Build on this thread (after the running build, if any); raises FontError."""
        self._delay.stop()
        self._supersede()
        self._pool.waitForDone()
        result = build(self.inputs())
        self._accept(result)
        return result

    def current(self) -> BuiltReport:
        """The report for the inputs as they are now (built on this thread if the last one is stale)."""
        if not self.stale and self.latest is not None:
            return self.latest
        return self.build_now()

    def shutdown(self) -> None:
        """Stop timers, drop queued builds, wait for the running one (its result is ignored)."""
        self._delay.stop()
        self._busy.stop()
        self._supersede()
        self._pool.waitForDone()

    def _supersede(self) -> None:
        self._generation += 1
        self._pool.clear()  # queued builds will never run
        self._jobs = {g: j for g, j in self._jobs.items() if g >= self._generation - 2}

    def _accept(self, result: BuiltReport) -> None:
        self._busy.stop()
        self.latest = result
        self.stale = False
        self.ready.emit(result)

    def _on_done(self, generation: int, result: BuiltReport) -> None:
        self._jobs.pop(generation, None)
        if self.is_current(generation):
            self._accept(result)

    def _on_failed(self, generation: int, message: str) -> None:
        self._jobs.pop(generation, None)
        if self.is_current(generation):
            self._busy.stop()
            self.failed.emit(message)
