"""Opening a large database: ~200 MB with 1,000,000 saved versions (``progress_history``), beside a floor.

Prints JSON. Each figure comes from a fresh Python process (median of 5): ``open_s`` is ``Session.open`` as the app
calls it (the check run by every open, migrations, the built-in plan's seed check, and the start backup, which
finds nothing changed since the newest backup). ``open_peak_mb`` is that process's peak RSS (``VmHWM``) minus its
RSS just before the open (``VmRSS``), every module already imported; ``open_process_peak_mb`` its peak RSS in all.
Not ``ru_maxrss``: Linux carries the parent's RSS at fork into it (a child of the 40 MB builder "peaked" at 42 MB).
The floor is the same file opened by bare ``sqlite3`` running ``PRAGMA quick_check`` (which reads every page),
timed and measured the same way.

``after_edits_check_s``: a few entries saved since the newest backup, opened without the start backup: the check
then decodes the history rows saved since that backup. ``after_edits_with_start_backup_s`` (one run): the same
with the start backup, which copies the whole file and verifies the copy in full (no goal is set for it).

The file is built through the schema's own tables and triggers (3 plans, 41 offices, each of 8,333 entries saved
~120 times, with notes of a line or two, one in six of a few hundred characters, growing from version to
version), then opened once by the app, which takes the verified start backup. It is cached under the system temp
folder (keyed by size and schema version; ``--rebuild`` builds it again); only its newest backup is kept.

``--quick``: 100,000 versions (~25 MB). ``--smoke`` (CI): 2,000 versions, one run each; the figures mean nothing.
Linux only (RSS from ``/proc``).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 5
GOAL_S = 0.3
GOAL_MB = 100

# Clauses of the kind a clerk writes in 工作措施 / 工作成效 / 存在问题 / 下一步打算.
CLAUSES = (
    "已在政府门户网站开设专栏，及时发布政策文件及解读材料", "组织全镇干部开展政务公开业务培训两期，参训六十余人次",
    "按季度更新财政预决算和“三公”经费信息", "建立依申请公开登记台账，做到件件有登记、件件有回复",
    "对照标准目录逐项梳理公开事项清单", "落实政策解读与文件同步起草、同步审签、同步发布",
    "通过村务公开栏、微信公众号等渠道向群众公开惠民资金发放情况", "舆情回应及时，未发生因回应不当引发的负面炒作",
    "部分栏目更新不够及时，个别信息存在内容不完整的情况", "基层工作人员业务水平有待提高，对公开标准把握不够准确",
    "下一步将加强与县政务公开办的沟通，进一步规范发布流程", "继续做好网民留言办理工作，确保在规定时限内答复",
    "完善重大决策预公开制度，广泛听取群众意见", "将政务公开纳入年度绩效考核，压实各股室责任",
    "开展“政府开放日”活动，邀请群众代表走进政府", "对历史信息进行全面清理，删除过时和错误信息",
    "扶贫领域信息公开做到精准到户，接受群众监督", "按要求报送政务公开工作年度报告并在网站公开",
    "建立健全信息发布协调机制，确保口径一致", "涉及群众切身利益的事项全部公开征求意见",
    "本月共发布各类信息一百二十三条，其中政策解读十五条", "配合县审计局完成专项检查，发现问题已全部整改",
)
STATUSES = ("not_started", "in_progress", "in_progress", "in_progress", "done", "ongoing")
SIZES = {"full": 1_000_000, "quick": 100_000, "smoke": 2_000}


def note(rng: random.Random, chars: int) -> str:
    """About ``chars`` characters of clauses joined as a clerk would (，… 。)."""
    out: list[str] = []
    total = 0
    while total < chars:
        clause = rng.choice(CLAUSES)
        out.append(clause)
        total += len(clause) + 1
    return ("；".join(out)[: max(0, chars - 1)] + "。") if chars else ""


def _prefix(text: str, share: float) -> str:
    """What an early version held: autosave saves while the text is still short."""
    return text[: int(len(text) * share ** 3)]


def build(folder: Path, history_rows: int, seed: int = 2019) -> Path:
    """A data folder whose database holds ``history_rows`` saved versions, written through the schema's triggers."""
    from actions.session import Session
    from core.model import Office, OfficeKind
    from db import plans as plan_q
    from db.connection import transaction

    rng = random.Random(seed)
    session = Session.open(folder, auto_backup=False)
    store = session.store
    base = store.plan(store.current_plan_id())
    offices = [o.name for o in store.offices()]
    extra = [Office(f"第{i}股室", OfficeKind.DEPARTMENT) for i in range(1, 42 - len(offices))]
    with transaction(store.conn) as conn:
        plan_ids = [store.current_plan_id()]
        for year in (2020, 2021):
            plan = replace(base, title=base.title.replace("2019", str(year)), year=year)
            plan_ids.append(plan_q.insert_plan(conn, plan, extra))
    offices = [o.name for o in store.offices()][:41]
    tasks = [t.number for t in base.tasks]
    entries = [(p, o, t) for p in plan_ids for o in offices for t in tasks]
    versions = -(-history_rows // len(entries))
    entries = entries[: max(1, history_rows // versions)]
    # The final text of every entry; each version shows a growing share of it, as autosave keeps it.
    # Most entries carry a line or two; one in six a few hundred characters.
    finals = {e: (note(rng, rng.randint(8, 30)),
                  note(rng, rng.randint(150, 400) if rng.random() < 1 / 6 else rng.randint(10, 40)),
                  note(rng, rng.choice((0, 0, 10, 30))), note(rng, rng.randint(8, 30))) for e in entries}
    stamp = "2020-03-01T09:00:00"

    def rows(version: int):
        share = version / versions
        for (p, o, t), texts in finals.items():
            yield (rng.choice(STATUSES), min(100, int(share * 100)), "党政办 张三", None,
                   *(_prefix(x, share) for x in texts), stamp, version, p, o, t)

    conn = store.conn
    with transaction(conn):
        conn.executemany(
            "INSERT INTO progress (status, percent, owner, due, steps, achievements, problems, next_steps, updated_at,"
            " version, plan_id, office, task) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows(1))
    for version in range(2, versions + 1):
        with transaction(conn):
            conn.executemany(
                "UPDATE progress SET status=?, percent=?, owner=?, due=?, steps=?, achievements=?, problems=?,"
                " next_steps=?, updated_at=?, version=? WHERE plan_id=? AND office=? AND task=?", rows(version))
    session.close()
    Session.open(folder).close()  # the first open after the edits takes the verified start backup
    return folder


def cached(history_rows: int, rebuild: bool) -> Path:
    """The data folder for ``history_rows``, built once under the temp folder."""
    from db.schema import SCHEMA_VERSION

    folder = Path(tempfile.gettempdir()) / f"taizhang-bench-large-{history_rows}-v{SCHEMA_VERSION}"
    done = folder / ".complete"
    if rebuild or not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        build(folder, history_rows)
        done.write_text("ok")
    return folder


APP = r"""
import json, sys, time
sys.path.insert(0, {root!r})
from actions.session import Session
import db.store, db.recovery, db.backup, db.verify, db.plans, db.progress  # imported before the measurement

def status_mb(key):  # VmRSS now, VmHWM its peak; ru_maxrss would count the parent's RSS at fork
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith(key + ":")) / 1024
before = status_mb("VmRSS")
t0 = time.perf_counter()
session = Session.open({folder!r}, auto_backup={auto_backup!r})
took = time.perf_counter() - t0
peak = status_mb("VmHWM")
assert not session.notices, session.notices
session.close()
print(json.dumps({{"s": took, "peak_mb": peak - before, "process_peak_mb": peak}}))
"""

FLOOR = r"""
import json, sqlite3, time
def status_mb(key):  # VmRSS now, VmHWM its peak; ru_maxrss would count the parent's RSS at fork
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith(key + ":")) / 1024
before = status_mb("VmRSS")
t0 = time.perf_counter()
conn = sqlite3.connect({path!r})
assert [r[0] for r in conn.execute("PRAGMA quick_check")] == ["ok"]
conn.close()
took = time.perf_counter() - t0
peak = status_mb("VmHWM")
print(json.dumps({{"s": took, "peak_mb": peak - before, "process_peak_mb": peak}}))
"""


def fresh(code: str) -> dict:
    """Run ``code`` in a new Python process; its last line of output as JSON."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=900, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def app_open(folder: Path, auto_backup: bool = True) -> dict:
    return fresh(APP.format(root=str(ROOT), folder=str(folder), auto_backup=auto_backup))


def touch(folder: Path, entries: int = 3) -> None:
    """The clerk's last session: a few entries saved after the newest backup."""
    from actions.session import Session
    from core.model import Progress, Status

    session = Session.open(folder, auto_backup=False)
    store = session.store
    pid = store.current_plan_id()
    for task in range(1, entries + 1):
        text = note(random.Random(), 200)
        store.save_progress(pid, "悦城镇", Progress(task, Status.IN_PROGRESS, 60, achievements=text))
    session.close()


def keep_newest_backup(folder: Path) -> None:
    """The cached folder keeps only its newest backup (each full run adds one of ~200 MB)."""
    from db.backup import list_backups

    for old in list_backups(folder / "taizhang.sqlite3")[1:]:
        old.path.unlink()


def figures(runs: list[dict]) -> tuple[float, float, float]:
    """Medians: seconds, peak RSS added by the open, peak RSS of the whole process."""
    return (round(statistics.median(r["s"] for r in runs), 3), round(statistics.median(r["peak_mb"] for r in runs), 1),
            round(statistics.median(r["process_peak_mb"] for r in runs), 1))


def main() -> None:
    import sqlite3

    size = "smoke" if "--smoke" in sys.argv else "quick" if "--quick" in sys.argv else "full"
    runs = 1 if size == "smoke" else RUNS
    t0 = time.perf_counter()
    folder = cached(SIZES[size], "--rebuild" in sys.argv)
    build_s = time.perf_counter() - t0
    keep_newest_backup(folder)
    db_file = folder / "taizhang.sqlite3"
    app_open(folder)  # a start backup if the last run left edits behind; the page cache warm for every figure
    floor_s, floor_mb, floor_process_mb = figures([fresh(FLOOR.format(path=str(db_file))) for _ in range(runs)])
    open_s, open_mb, open_process_mb = figures([app_open(folder) for _ in range(runs)])
    edited = []
    for _ in range(runs):
        touch(folder)
        edited.append(app_open(folder, auto_backup=False))
    edited_s, edited_mb, _ = figures(edited)
    touch(folder)
    with_backup_s, with_backup_mb, _ = figures([app_open(folder)])  # once: it writes a 200 MB backup
    conn = sqlite3.connect(f"{db_file.resolve().as_uri()}?mode=ro", uri=True)
    history = conn.execute("SELECT max(id) FROM progress_history").fetchone()[0]
    conn.close()
    print(json.dumps({"large_db_open": {
        "runs": runs, "file_mb": round(db_file.stat().st_size / 2**20, 1), "history_rows": history,
        "build_or_cache_s": round(build_s, 1),
        "memory": "peak_mb: peak RSS (VmHWM) of a fresh process minus its RSS (VmRSS) just before the open, modules "
                  "imported; process_peak_mb: that process's peak RSS",
        "open_s": open_s, "open_peak_mb": open_mb, "open_process_peak_mb": open_process_mb,
        "floor_quick_check_s": floor_s, "floor_peak_mb": floor_mb, "floor_process_peak_mb": floor_process_mb,
        "ratio": round(open_s / floor_s, 2),
        "after_edits_check_s": edited_s, "after_edits_check_peak_mb": edited_mb,
        "after_edits_with_start_backup_s": with_backup_s, "after_edits_with_start_backup_peak_mb": with_backup_mb,
        "goal_s": GOAL_S, "goal_mb": GOAL_MB,
    }}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    if os.name != "posix":
        sys.exit("bench_large_db measures RSS through /proc: Linux only")
    main()
