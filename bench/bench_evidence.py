"""Evidence benchmarks: adding a large file, packaging it, and the consistency check, each beside its floor.

Floors: adding = read + SHA-256 + write + fsync of the same bytes with nothing else; packaging = zipfile
writing the same file stored (no compression) plus hashing it; check = hashing the file. Prints JSON.
Run: ``.venv/bin/python bench/bench_evidence.py`` (``--quick``: 40 MB instead of 190 MB).
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actions.session import Session
from core.package.write import PackageEvidence, write_package
from db import evidence as ev

RUNS = 3


def median_time(fn) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times), 3)


def interleaved(fn, floor) -> tuple[float, float]:
    """Medians of ``fn`` and its floor run turn about, so a busy moment of the machine hits both."""
    a, b = [], []
    for _ in range(RUNS):
        for fun, times in ((fn, a), (floor, b)):
            t0 = time.perf_counter()
            fun()
            times.append(time.perf_counter() - t0)
    return round(statistics.median(a), 3), round(statistics.median(b), 3)


def floor_copy(src: Path, dest: Path) -> None:
    h = hashlib.sha256()
    with open(src, "rb") as fi, open(dest, "wb") as fo:
        while chunk := fi.read(1024 * 1024):
            h.update(chunk)
            fo.write(chunk)
        fo.flush()
        os.fsync(fo.fileno())
    dest.unlink()


def floor_zip(src: Path, dest: Path) -> None:
    h = hashlib.sha256()
    with open(src, "rb") as fi:
        while chunk := fi.read(1024 * 1024):
            h.update(chunk)
    with zipfile.ZipFile(dest, "w") as zf:
        zf.write(src, "a.mp4")
    dest.unlink()


def main() -> None:
    size_mb = 4 if "--smoke" in sys.argv else 40 if "--quick" in sys.argv else 190  # --smoke: CI, proves it runs
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        data = base / "data"
        session = Session.open(data, auto_backup=False)  # as the app opens it: the 2019 plan and its offices
        store = session.store
        plan = store.current_plan_id()
        src = base / "录像.mp4"
        with open(src, "wb") as fh:
            for _ in range(size_mb):
                fh.write(os.urandom(1024 * 1024))
        counter = iter(range(1000))

        def add() -> None:  # fresh content each run, so every run really copies
            with open(src, "r+b") as fh:
                fh.write(next(counter).to_bytes(8, "big"))
            ev.add_files(store.conn, data, plan, "悦城镇", 12, [src])

        add_s, add_floor = interleaved(add, lambda: floor_copy(src, base / "copy.bin"))
        item = ev.list_items(store.conn, plan, "悦城镇")[-1]
        stored = data / "evidence" / (item.sha256 or "")[:2] / (item.sha256 or "")
        docs = {"report_pdf": b"%PDF-1.4", "report_docx": b"PK", "ledger_xlsx": b"PK", "progress_json": b"{}"}
        out = base / "out"
        out.mkdir()

        def package() -> None:
            write_package(out / "p.zip", "悦城镇", "德庆县2019年政务公开工作要点分工方案", 2019, "2019-12-04",
                          evidence=[PackageEvidence(12, "市长留言办理", "12-1", "录像", stored, ".mp4",
                                                    item.sha256 or "")], **docs)

        package_s, package_floor = interleaved(package, lambda: floor_zip(stored, base / "floor.zip"))
        check_s = median_time(lambda: ev.check_evidence(store.conn, data))
        check_floor = median_time(lambda: hashlib.file_digest(open(stored, "rb"), "sha256"))  # noqa: SIM115
        session.close()
    mb = size_mb
    print(json.dumps({
        "file_mb": mb,
        "add_s": add_s, "add_floor_s": add_floor, "add_ratio": round(add_s / add_floor, 2),
        "add_mb_per_s": round(mb / add_s, 1),
        "package_s": package_s, "package_floor_s": package_floor, "package_ratio": round(package_s / package_floor, 2),
        "check_s_for_all_items": check_s, "check_floor_s_one_hash": check_floor,
        "note": "check re-hashes each distinct file once; the runs added 3 distinct files",
    }, indent=2))


if __name__ == "__main__":
    main()
