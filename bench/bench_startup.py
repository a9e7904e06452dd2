"""Cold start: ``main.py`` until the task table of 68 tasks is painted, beside the floor (a bare
QApplication painting an empty window), median of 9 fresh processes each. Prints JSON.

The three run in turns (floor, app, qt_only, floor, …). ``paired_ratio`` is the median of each turn's
app/floor: on a machine whose speed drifts (a shared VM here moved the floor between 0.13 and 0.20 s within
minutes) the neighbours of one turn ran at the same speed, so it moves less than the ratio of the medians.

A third series, ``qt_only`` (``bench/startup_qt_only.py``), paints the same first screen with Qt alone: the
same widgets, strings and fonts, no module of the app and no database. It splits the app's cost above the
floor into what Qt and PySide6 charge for that screen and what the app itself adds (``app_over_qt_only``).

Each run is a new Python process (offscreen unless BENCH_QPA names a platform, e.g. xcb under Xvfb) with a
data folder that was created once beforehand, as on a clerk's second day. The app's modules load in the order
of a real start: the window class is patched (to report its first paint) as ``main.py`` imports it. Times are
wall-clock from just before the process is started to the moment the child reports (so interpreter exit is not
counted).
``app_ready_median_s`` is when the detail pane and menus, built after the first paint, are there too.
Floor and app runs alternate, so a change in the machine's load during the run hits both alike; the
``*_cpu_*`` figures are the CPU time the child had used when it reported (all its threads), which other
jobs on a busy machine disturb less than the wall-clock figures.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 9
OFFICE = "悦城镇"

FLOOR = r"""
import time, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1280, 720)

class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("shown", time.time(), time.process_time(), flush=True)
            QTimer.singleShot(0, app.quit)
            obj.removeEventFilter(self)
        return False

painted = Painted()
w.installEventFilter(painted)
w.show()
app.exec()
"""

APP = r"""
import sys, time
sys.path.insert(0, {root!r})
from importlib.machinery import PathFinder


def patch(mw):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def finish(self):
        if not self.is_built():  # called right after the table's first paint
            assert self.model.rowCount() == 68
            print("shown", time.time(), time.process_time(), flush=True)
            _finish(self)
            print("ready", time.time(), flush=True)
            QTimer.singleShot(0, self.close)
    if hasattr(mw.MainWindow, "finish_building"):
        _finish = mw.MainWindow.finish_building
        mw.MainWindow.finish_building = finish
    else:  # a version that builds everything before showing: measured when the shown window has painted
        _show = mw.MainWindow.show
        def show(self):
            _show(self)
            QApplication.processEvents()
            assert self.model.rowCount() == 68
            print("shown", time.time(), time.process_time(), flush=True)
            QTimer.singleShot(0, self.close)
        mw.MainWindow.show = show


class Hook:  # patches gui.main_window as main.py imports it: the modules load in the order of a real start
    def find_spec(self, name, path=None, target=None):
        if name != "gui.main_window":
            return None
        sys.meta_path.remove(self)
        spec = PathFinder.find_spec(name, path)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            patch(module)
        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, Hook())
import main
main.main(["--office", {office!r}])
"""


def timed(code: str | list[str], env: dict) -> tuple[float, float, float]:
    """(seconds to "shown", seconds to "ready" (equal to the former when not reported), CPU seconds at "shown").

    ``code``: Python source, or the arguments of a script."""
    t0 = time.time()
    args = ["-c", code] if isinstance(code, str) else code
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=120)
    lines = [line.split() for line in out.stdout.splitlines() if line.startswith(("shown", "ready"))]
    marks = {words[0]: words[1:] for words in lines}
    if "shown" not in marks:
        raise RuntimeError(out.stderr[-2000:])
    shown = float(marks["shown"][0]) - t0
    return shown, float(marks.get("ready", marks["shown"])[0]) - t0, float(marks["shown"][1])


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("BENCH_QPA", "offscreen"), "TAIZHANG_DATA_DIR": d,
               "XDG_CONFIG_HOME": str(Path(d) / "config")}
        # As on a clerk's PC (and in the frozen build): modules compiled once, not at every start.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, str(ROOT / "main.py"), "check"], env=env, capture_output=True, check=True)
        tasks = Path(d) / "tasks.json"  # the strings the qt_only screen shows: the office's tasks as the app has them
        tasks.write_bytes(subprocess.run([sys.executable, str(ROOT / "main.py"), "tasks", "--json", "--office", OFFICE],
                                         env=env, capture_output=True, check=True).stdout)
        runs = 1 if "--smoke" in sys.argv else RUNS  # --smoke (CI): proves the bench runs, figures mean nothing
        floor, app, qt_only = [], [], []
        for _ in range(runs):
            floor.append(timed(FLOOR, env))
            app.append(timed(APP.format(root=str(ROOT), office=OFFICE), env))
            qt_only.append(timed([str(ROOT / "bench" / "startup_qt_only.py"), str(tasks)], env))
    f = statistics.median(shown for shown, _, _ in floor)
    a = statistics.median(shown for shown, _, _ in app)
    ready = statistics.median(r for _, r, _ in app)
    f_cpu = statistics.median(cpu for _, _, cpu in floor)
    a_cpu = statistics.median(cpu for _, _, cpu in app)
    q = statistics.median(shown for shown, _, _ in qt_only)
    q_cpu = statistics.median(cpu for _, _, cpu in qt_only)
    paired = statistics.median(x[0] / y[0] for x, y in zip(app, floor, strict=True))
    paired_qt = statistics.median(x[0] / y[0] for x, y in zip(qt_only, floor, strict=True))
    print(json.dumps({"cold_start": {"runs": runs, "platform": env["QT_QPA_PLATFORM"], "app_median_s": round(a, 3),
                                     "app_ready_median_s": round(ready, 3), "floor_median_s": round(f, 3),
                                     "ratio": round(a / f, 2), "goal_ratio": 1.5,
                                     "app_cpu_median_s": round(a_cpu, 3), "floor_cpu_median_s": round(f_cpu, 3),
                                     "cpu_ratio": round(a_cpu / f_cpu, 2),
                                     "paired_ratio": round(paired, 2),
                                     "qt_only_median_s": round(q, 3), "qt_only_ratio": round(q / f, 2),
                                     "qt_only_paired_ratio": round(paired_qt, 2),
                                     "qt_only_cpu_ratio": round(q_cpu / f_cpu, 2),
                                     "app_over_qt_only_s": round(a - q, 3),
                                     "load_average": round(os.getloadavg()[0], 2)}}, indent=2))


if __name__ == "__main__":
    main()
