"""GUI filter and search latency over 100,000 tasks and 1,000,000 history rows, and the window's peak memory.

Builds the real ``MainWindow`` offscreen over a plan of 100,000 tasks (the 2019 plan's 68 repeated), with
this office's progress on every task (status, due date and notes varied) and 1,000,000 saved versions. Then
it times what the clerk waits for after each action, up to the repainted table:

- typing a query, one keystroke at a time (the search box's 150 ms debounce excluded: the work after it,
  i.e. the in-memory ``TextIndex`` search plus the proxy's re-filter),
- toggling the status, role and overdue filters and the scope (本单位/全部),
- clearing the query.

Each figure is printed beside its floor, measured in the same run (see ``bench_floor``): a bare list model
re-listing the same number of rows, and the bare ``TextIndex`` search. Prints JSON.
``--quick``: 10,000 tasks / 100,000 rows.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actions.session import Session
from bench.bench_store import big_plan
from db import plans as plan_q
from db.connection import transaction
from db.store import Store

OFFICE = "悦城镇"
TODAY = date(2019, 11, 20)
STATUSES = ("not_started", "in_progress", "done", "ongoing", "in_progress", "not_applicable", "in_progress")
NOTES = ("已组织培训，舆情回应及时", "市长留言按时办理", "政策解读材料已上网", "正在推进", "")
GOAL_MS = 50


def fill(store: Store, plan_id: int, tasks: int, history: int) -> None:
    """Progress for every task (varied, some overdue) and ``history`` saved versions, in one transaction."""
    stamp = "2019-11-01T09:00:00"
    with transaction(store.conn) as conn:
        conn.executemany(
            "INSERT INTO progress (plan_id, office, task, status, percent, owner, due, steps, achievements,"
            " problems, next_steps, updated_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,1)",
            ((plan_id, OFFICE, n, STATUSES[n % len(STATUSES)], (n * 7) % 101, "党政办",
              f"2019-11-0{1 + n % 9}" if n % 3 == 0 else ("2019-12-15" if n % 3 == 1 else None),
              "", f"任务{n}：{NOTES[n % len(NOTES)]}", "", "", stamp) for n in range(1, tasks + 1)),
        )
        conn.executemany(
            "INSERT INTO progress_history (plan_id, office, task, version, status, percent, owner, due, steps,"
            " achievements, problems, next_steps, saved_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ((plan_id, OFFICE, i % tasks + 1, i // tasks + 2, "in_progress", 50, "党政办", None, "",
              f"第{i}次保存：办理网民留言并及时回复", "", "", stamp) for i in range(history)),
        )


def rss_mb() -> float:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def stats(times: list[float]) -> dict:
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1), "n": len(times)}


def timed(app, fn) -> float:
    """Milliseconds for ``fn`` plus the repaint it causes."""
    t0 = time.perf_counter()
    fn()
    app.processEvents()
    return (time.perf_counter() - t0) * 1000


def bench_window(app, window) -> dict:
    out: dict = {}
    f = window.filters
    typing: list[float] = []
    for word in ("舆情", "市长留言", "培训", "不存在的词语"):
        for i in range(1, len(word) + 1):
            typing.append(timed(app, lambda q=word[:i]: (f.search.setText(q), window._apply_query(f.query()))))
        typing.append(timed(app, lambda: (f.search.clear(), window._apply_query(""))))
    out["typing_query"] = stats(typing)
    clearing = []
    for word in ("舆情", "培训", "市长"):
        window._apply_query(word)
        app.processEvents()
        clearing.append(timed(app, lambda: (f.search.clear(), window._apply_query(""))))
    out["clearing_query"] = stats(clearing)

    toggles: dict[str, list[float]] = {"status": [], "role": [], "overdue": [], "scope": []}
    for _ in range(3):
        for i in range(1, f.status.count()):
            toggles["status"].append(timed(app, lambda i=i: f.status.setCurrentIndex(i)))
        toggles["status"].append(timed(app, lambda: f.status.setCurrentIndex(0)))
        for i in range(1, f.role.count()):
            toggles["role"].append(timed(app, lambda i=i: f.role.setCurrentIndex(i)))
        toggles["role"].append(timed(app, lambda: f.role.setCurrentIndex(0)))
        toggles["overdue"].append(timed(app, lambda: f.overdue.setChecked(True)))
        toggles["overdue"].append(timed(app, lambda: f.overdue.setChecked(False)))
        toggles["scope"].append(timed(app, lambda: f.scope.setCurrentIndex(1)))
        toggles["scope"].append(timed(app, lambda: f.scope.setCurrentIndex(0)))
    for key, values in toggles.items():
        out[f"toggle_{key}"] = stats(values)
    return out


def bench_floor(app, rows: int, index) -> dict:
    """What the same change costs with nothing of the app's in it, over ``rows`` rows.

    ``list_model_reset`` (the floor): a bare Python table model whose rows are a list, re-listed from a
    precomputed set and reset, then repainted. ``python_filter_proxy`` (for reference): the same rows behind
    a ``QSortFilterProxyModel`` whose ``filterAcceptsRow`` is a single set lookup: the least the previous
    design (a Python filter per row) could cost. ``text_index_search``: the in-memory search alone.
    """
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
    from PySide6.QtWidgets import QTableView

    class ListModel(QAbstractTableModel):
        def __init__(self, listed):
            super().__init__()
            self.listed = listed

        def rowCount(self, parent=QModelIndex()):  # noqa: B008
            return 0 if parent.isValid() else len(self.listed)

        def columnCount(self, parent=QModelIndex()):  # noqa: B008
            return 0 if parent.isValid() else 7

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            return str(self.listed[index.row()]) if role == Qt.ItemDataRole.DisplayRole else None

    class SetProxy(QSortFilterProxyModel):
        accept: set[int] | None = None

        def filterAcceptsRow(self, row, _parent):
            return self.accept is None or row in self.accept

    subsets = [{r for r in range(rows) if r % 3 == 0}, None, {r for r in range(rows) if r % 5 == 0}, None]
    model = ListModel(list(range(rows)))
    view = QTableView()
    view.setModel(model)
    view.resize(900, 600)
    view.show()
    app.processEvents()
    floor = []
    for accept in subsets:
        def relist(accept=accept):
            model.beginResetModel()
            model.listed = list(range(rows)) if accept is None else [r for r in range(rows) if r in accept]
            model.endResetModel()
        floor.append(timed(app, relist))
    proxy = SetProxy()
    proxy.setSourceModel(ListModel(list(range(rows))))
    view.setModel(proxy)
    app.processEvents()
    old = []
    for accept in subsets:
        def refilter(accept=accept):  # Qt 6.8 (the pinned line) has no begin/endFilterChange, added in 6.9
            proxy.accept = accept
            proxy.invalidateRowsFilter()
        old.append(timed(app, refilter))
    search = []
    for q in ("舆情", "市长留言", "培训", "不存在的词语"):
        t0 = time.perf_counter()
        index.search(q)
        search.append((time.perf_counter() - t0) * 1000)
    view.close()
    return {"list_model_reset": stats(floor), "text_index_search": stats(search),
            "python_filter_proxy": stats(old)}


def main() -> None:
    quick = "--quick" in sys.argv
    tasks, history = (10_000, 100_000) if quick else (100_000, 1_000_000)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    with tempfile.TemporaryDirectory() as d:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(Path(d) / "config"))
        app = QApplication.instance() or QApplication(sys.argv[:1])
        from gui.app_font import apply_app_font
        from gui.main_window import MainWindow

        apply_app_font(app)
        session = Session.open(Path(d) / "data")
        store = session.store
        plan = big_plan(store.plan(store.current_plan_id()), tasks)
        with transaction(store.conn) as conn:
            plan_id = plan_q.insert_plan(conn, plan, [])
        t0 = time.perf_counter()
        fill(store, plan_id, tasks, history)
        fill_s = time.perf_counter() - t0
        session.use_plan(plan_id)
        rss_before = rss_mb()

        t0 = time.perf_counter()
        window = MainWindow(session, store.office(OFFICE), today=TODAY)
        window.resize(1366, 768)
        window.show()
        app.processEvents()
        deadline = time.perf_counter() + 120
        while not window.is_built() and time.perf_counter() < deadline:  # the pane, menus and delegate come
            app.processEvents()  # after the first paint: counted here, not in the first keystroke's time
        open_s = time.perf_counter() - t0
        rss_window = rss_mb()
        result = {
            "scale": {"tasks": tasks, "history_rows": history, "fill_s": round(fill_s, 1),
                      "rows_listed": window.proxy.rowCount()},
            "window_open_s": round(open_s, 2),
            **bench_window(app, window),
            "floor": bench_floor(app, tasks, window.search_index),
            "goal_ms": GOAL_MS,
            "peak_rss_mb": {"window_100k": rss_mb(), "after_window_open": rss_window,
                            "before_window": rss_before},
        }
        window.close()
        store.close()
    result["meets_goal"] = all(v["max_ms"] <= GOAL_MS for k, v in result.items()
                               if isinstance(v, dict) and "max_ms" in v)
    print(json.dumps({"gui_filter": result}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
