"""Cold start: ``main.py`` until the main window shows its data, beside the floor (a bare QApplication
showing an empty window), median of 5 fresh processes each. Prints JSON.

Each run is a new Python process on the offscreen platform with a data folder that was created
once beforehand, as on a clerk's second day. Times are wall-clock from process start.
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
RUNS = 5

FLOOR = r"""
import time, sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1280, 720); w.show()
app.processEvents()
print("shown", flush=True)
"""

APP = r"""
import sys, time
sys.path.insert(0, {root!r})
sys.argv = ["main.py", "--office", "悦城镇"]
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import gui.main_window as mw

_orig_show = mw.MainWindow.show
def show(self):
    _orig_show(self)
    QApplication.processEvents()
    assert self.model.rowCount() == 68
    print("shown", flush=True)
    QTimer.singleShot(0, self.close)
mw.MainWindow.show = show
import main
main.main(["--office", "悦城镇"])
"""


def timed(code: str, env: dict) -> float:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    elapsed = time.perf_counter() - t0
    if "shown" not in out.stdout:
        raise RuntimeError(out.stderr[-2000:])
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TAIZHANG_DATA_DIR": d,
               "XDG_CONFIG_HOME": str(Path(d) / "config")}
        subprocess.run([sys.executable, str(ROOT / "main.py"), "check"], env=env, capture_output=True, check=True)
        floor = [timed(FLOOR, env) for _ in range(RUNS)]
        app = [timed(APP.format(root=str(ROOT)), env) for _ in range(RUNS)]
    f, a = statistics.median(floor), statistics.median(app)
    print(json.dumps({"cold_start": {"runs": RUNS, "app_median_s": round(a, 3), "floor_median_s": round(f, 3),
                                     "ratio": round(a / f, 2), "goal_ratio": 1.5}}, indent=2))


if __name__ == "__main__":
    main()
