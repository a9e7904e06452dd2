"""kill -9 at random moments: every acknowledged save survives, unaltered, in an intact file.

The writer (tests/kill_writer.py) prints a line only after each save has committed. Two lanes
run side by side (one per core), each reusing its database across rounds so the file grows and
kills land in opening, checking, backing up and saving alike.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

WRITER = Path(__file__).with_name("kill_writer.py")
ROUNDS_PER_LANE = int(os.environ.get("TAIZHANG_KILL_ROUNDS", "100"))
LANES = 2


def seq_of(owner: str) -> tuple[int, int]:
    round_no, seq = owner[1:].rstrip("b").split("-")
    return int(round_no), int(seq)


def verify(db: Path, acks: list[dict], last_acked: dict[int, tuple[int, int]]) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        for a in acks:
            found = conn.execute(
                "SELECT count(*) FROM progress_history WHERE office='悦城镇' AND task=? AND owner=? AND status=?"
                " AND percent=? AND achievements=? AND problems=?",
                (a["task"], a["owner"], a["status"], a["percent"], a["achievements"], a["problems"]),
            ).fetchone()[0]
            assert found == 1, f"acknowledged save missing or altered: {a['owner']} task {a['task']}"
        for task, seq in last_acked.items():
            owner = conn.execute("SELECT owner FROM progress WHERE office='悦城镇' AND task=?", (task,)).fetchone()
            assert owner is not None and seq_of(owner[0]) >= seq  # the last acked save or a later one
    finally:
        conn.close()


def lane(base: Path, lane_no: int) -> dict[str, int]:
    rng = random.Random(1000 + lane_no)
    data_dir = base / f"lane{lane_no}"
    stats = {"kills": 0, "acked": 0, "rounds_without_ack": 0}
    last_acked: dict[int, tuple[int, int]] = {}
    for round_no in range(ROUNDS_PER_LANE):
        seed = str(rng.randrange(1 << 30))
        proc = subprocess.Popen([sys.executable, str(WRITER), str(data_dir), str(round_no), seed],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.05, 0.9))  # start-up takes ~0.3 s: some kills land in it
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        assert proc.returncode == -signal.SIGKILL, err.decode(errors="replace")[-2000:]
        stats["kills"] += 1
        acks = []
        for line in out.decode().split("\n")[:-1]:  # the part after the last newline may be cut off
            acks.append(json.loads(line))
        for a in acks:
            last_acked[a["task"]] = max(last_acked.get(a["task"], (-1, -1)), (a["round"], a["seq"]))
        stats["acked"] += len(acks)
        stats["rounds_without_ack"] += not acks
        if (data_dir / "taizhang.sqlite3").exists():
            verify(data_dir / "taizhang.sqlite3", acks, last_acked)
        assert not list(data_dir.glob("*.damaged-*")), "a kill left a file the next start took for damaged"
    stats["backups"] = len(list((data_dir / "backups").glob("taizhang-*.sqlite3")))
    stats["stray_temps"] = len(list((data_dir / "backups").glob(".*")))
    stats["db_bytes"] = (data_dir / "taizhang.sqlite3").stat().st_size
    return stats


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_kill_9_loses_nothing_acknowledged(tmp_path):
    with ThreadPoolExecutor(LANES) as pool:
        results = list(pool.map(lambda n: lane(tmp_path, n), range(LANES)))
    total = {k: sum(r[k] for r in results) for k in results[0]}
    print(f"\nkill -9: {total}")
    assert total["kills"] == LANES * ROUNDS_PER_LANE
    assert total["acked"] > 400  # the kills did land while saving, not only at start-up
