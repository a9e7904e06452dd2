"""Keeping the report dialog's preview up to date: debounced, off the UI thread, latest result only.

The inputs (an ``actions.reports.ReportInputs`` snapshot and a ``ReportRequest``) are taken on the UI thread,
because the SQLite connection belongs to it; ``actions.reports.build_from`` runs on a serial
:class:`~gui.runner.Runner`. Each build has a generation number: a result that arrives after a newer build
was asked for is dropped, and a build that is already superseded when it starts does no work at all.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from actions.reports import BuiltReport, ReportInputs, ReportRequest, build_from
from gui.runner import Runner

Inputs = tuple[ReportInputs, ReportRequest]


class ReportBuilder(QObject):
    """Builds the report for ``inputs()`` after each change.

    Signals:
        ready(object): the BuiltReport for the latest inputs.
        failed(str): the latest build failed; a plain message.
        busy(): a build has been running for longer than ``busy_delay_ms``.
    """

    ready = Signal(object)
    failed = Signal(str)
    busy = Signal()

    def __init__(self, inputs: Callable[[], Inputs], delay_ms: int = 500, busy_delay_ms: int = 300,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.inputs = inputs
        self.latest: BuiltReport | None = None
        self.stale = True  # the inputs changed since ``latest`` was built
        self._generation = 0
        self.runner = Runner(self, serial=True)
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
        """Build now, superseding any build asked for before."""
        self._delay.stop()
        self.stale = True
        self._generation += 1
        generation = self._generation
        inputs, request = self.inputs()

        def job() -> BuiltReport | None:
            return build_from(inputs, request) if self.is_current(generation) else None

        self._busy.start()
        self.runner.run(job, lambda result: self._on_done(generation, result),
                        lambda message: self._on_failed(generation, message))

    def build_now(self) -> BuiltReport:
        """Build on this thread (after the running build, if any); raises ActionError."""
        self._delay.stop()
        self._generation += 1
        self.runner.wait()
        result = build_from(*self.inputs())
        self._accept(result)
        return result

    def current(self) -> BuiltReport:
        """The report for the inputs as they are now (built on this thread if the last one is stale)."""
        if not self.stale and self.latest is not None:
            return self.latest
        return self.build_now()

    def shutdown(self) -> None:
        """Stop timers, supersede queued builds, wait for the running one (its result is ignored)."""
        self._delay.stop()
        self._busy.stop()
        self._generation += 1
        self.runner.wait()

    def _accept(self, result: BuiltReport) -> None:
        self._busy.stop()
        self.latest = result
        self.stale = False
        self.ready.emit(result)

    def _on_done(self, generation: int, result: BuiltReport | None) -> None:
        if result is not None and self.is_current(generation):
            self._accept(result)

    def _on_failed(self, generation: int, message: str) -> None:
        if self.is_current(generation):
            self._busy.stop()
            self.failed.emit(message)
