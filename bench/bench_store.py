"""Store benchmarks: autosave commit latency, and search at 100,000 tasks / 1,000,000 history rows.

Prints JSON. Run: ``.venv/bin/python bench/bench_store.py`` (add ``--quick`` for a smaller scale).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actions.session import Session
from core.model import Plan, Progress, Status
from core.search import TextIndex
from db import plans as plan_q
from db.connection import transaction
from db.store import Store


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def bench_autosave(store: Store, plan_id: int, n: int = 300) -> dict:
    """One keystroke-sized change per save, each its own transaction, as the editor's autosave does."""
    times = []
    text = ""
    for i in range(n):
        text += "落实"
        t0 = time.perf_counter()
        store.save_progress(plan_id, "悦城镇", Progress(12, Status.IN_PROGRESS, 50, achievements=text))
        times.append((time.perf_counter() - t0) * 1000)
        _ = i
    floor = bench_commit_floor(Path(store.path).parent, n)
    return {"saves": n, "p50_ms": round(percentile(times, 50), 2), "p99_ms": round(percentile(times, 99), 2),
            "floor_p50_ms": floor["p50_ms"], "floor_p99_ms": floor["p99_ms"], "goal_p99_ms": 20}


def bench_commit_floor(folder: Path, n: int) -> dict:
    """The floor: one row updated per transaction in a bare SQLite file with the same WAL/FULL settings."""
    import sqlite3

    conn = sqlite3.connect(folder / "floor.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO t VALUES (1, '')")
    times, text = [], ""
    for _ in range(n):
        text += "落实"
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE t SET body = ? WHERE id = 1", (text,))
        conn.execute("COMMIT")
        times.append((time.perf_counter() - t0) * 1000)
    conn.close()
    return {"p50_ms": round(percentile(times, 50), 2), "p99_ms": round(percentile(times, 99), 2)}


def big_plan(base: Plan, tasks: int) -> Plan:
    out = []
    for i in range(tasks):
        t = base.tasks[i % len(base.tasks)]
        out.append(replace(t, number=i + 1))
    return replace(base, title=f"{base.title}（压力测试 {tasks}）", tasks=tuple(out))


def fill_history(store: Store, plan_id: int, tasks: int, rows: int) -> None:
    stamp = "2019-11-01T09:00:00"
    with transaction(store.conn) as conn:
        conn.executemany(
            "INSERT INTO progress_history (plan_id, office, task, version, status, percent, owner, due, steps,"
            " achievements, problems, next_steps, saved_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ((plan_id, "悦城镇", i % tasks + 1, i // tasks + 1, "in_progress", 50, "党政办", None, "",
              f"第{i}次保存：办理网民留言并及时回复", "", "", stamp) for i in range(rows)),
        )
        conn.executemany(
            "INSERT INTO progress (plan_id, office, task, status, percent, owner, due, steps, achievements,"
            " problems, next_steps, updated_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1)",
            ((plan_id, "悦城镇", n, "in_progress", 50, "党政办", None, "", f"任务{n}已组织培训，舆情回应及时",
              "", "", stamp) for n in range(1, tasks + 1)),
        )


def _median_ms(fn, repeat: int = 5) -> tuple[float, int]:
    times, hits = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        hits = len(fn())
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 1), hits


def bench_search(store: Store, plan_id: int, queries: list[str]) -> dict:
    """The window's in-memory search: what the clerk waits for while typing."""
    t0 = time.perf_counter()
    index = TextIndex(store.plan(plan_id), store.progress(plan_id, "悦城镇"))
    out: dict = {"index_build_ms": round((time.perf_counter() - t0) * 1000, 1)}
    for q in queries:
        mem_ms, hits = _median_ms(lambda q=q: index.search(q))
        out[q] = {"memory_median_ms": mem_ms, "hits": hits}
    return out


def main() -> None:
    quick = "--quick" in sys.argv
    tasks, history = (10_000, 100_000) if quick else (100_000, 1_000_000)
    with tempfile.TemporaryDirectory() as d:
        store = Session.open(Path(d)).store
        pid = store.current_plan_id()
        result: dict = {"autosave": bench_autosave(store, pid)}
        plan = big_plan(store.plan(pid), tasks)
        with transaction(store.conn) as conn:
            big_id = plan_q.insert_plan(conn, plan, [])
        t0 = time.perf_counter()
        fill_history(store, big_id, tasks, history)
        result["scale"] = {"tasks": tasks, "history_rows": history,
                           "fill_s": round(time.perf_counter() - t0, 1)}
        result["search"] = bench_search(store, big_id, ["舆情", "市长留言", "培训", "不存在的词语"])
        result["search"]["goal_ms"] = 50
        store.close()
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
