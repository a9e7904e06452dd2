"""Run every benchmark in ``bench/`` (each a fresh process) and print one JSON document (``make bench``).

Each benchmark prints its figures beside the floor it measured in the same run; this adds where and when
they were taken, since figures from a loaded or smaller machine are not comparable. ``--quick`` is passed on
(10,000 tasks instead of 100,000). ``--smoke`` (CI) runs each benchmark once at its smallest size: its figures
mean nothing, it only proves every benchmark still runs. A benchmark that fails is reported with its error and
the run exits 1.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ORDER = ("bench_startup.py", "bench_store.py", "bench_large_db.py", "bench_gui_filter.py", "bench_report.py",
         "bench_office_formats.py")


def machine() -> dict:
    import sqlite3

    from PySide6 import __version__ as pyside_version

    info = {"python": platform.python_version(), "pyside6": pyside_version, "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(), "cpus": os.cpu_count()}
    if hasattr(os, "getloadavg"):
        info["load_average_1min_at_start"] = round(os.getloadavg()[0], 2)
    return info


def run(script: Path, extra: list[str]) -> tuple[dict | str, float, bool]:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, str(script), *extra], capture_output=True, text=True, env=env,
                         cwd=BENCH.parent, timeout=1800)
    elapsed = time.perf_counter() - t0
    if out.returncode != 0:
        return {"error": out.stderr[-2000:]}, elapsed, False
    try:
        return json.loads(out.stdout), elapsed, True
    except json.JSONDecodeError:
        return out.stdout.strip(), elapsed, True


def main(argv: list[str]) -> int:
    smoke = "--smoke" in argv
    extra = ["--quick", "--smoke"] if smoke else ["--quick"] if "--quick" in argv else []
    scripts = [BENCH / name for name in ORDER if (BENCH / name).exists()]
    scripts += sorted(p for p in BENCH.glob("bench_*.py") if p.name not in ORDER)
    doc: dict = {"machine": machine(), "quick": bool(extra), "smoke": smoke, "results": {}, "seconds": {}}
    ok = True
    for script in scripts:
        result, elapsed, passed = run(script, extra if smoke or script.name != "bench_startup.py" else [])
        doc["results"][script.stem] = result
        doc["seconds"][script.stem] = round(elapsed, 1)
        ok &= passed
    print(json.dumps(doc, ensure_ascii=False, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
