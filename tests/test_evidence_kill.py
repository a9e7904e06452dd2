"""kill -9 during ``evidence add``: afterwards the rows and the files agree and the check finds nothing.

Each round a child adds an 8 MB file (fresh content) and prints a line at every step; the parent
reads up to a randomly chosen line and kills the child there: before the copy, in the middle of
it, between the copy and the commit, or after the commit.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.evidence import check_evidence
from db.evidence_files import evidence_dir, hash_file, remove_stale_temps, stored_hashes
from db.store import Store

CHILD = Path(__file__).with_name("evidence_kill_child.py")
ROUNDS = int(os.environ.get("TAIZHANG_EVIDENCE_KILL_ROUNDS", "16"))
SIZE = 8 * 1024 * 1024
STEPS = 1 + SIZE // (256 * 1024) + 2  # ready, copy…, stored, committed


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_kill_9_during_add_leaves_rows_and_files_consistent(data_dir, tmp_path):
    Store.open(data_dir).close()  # the plan and offices exist before the first child
    rng = random.Random(13)
    committed: set[int] = set()
    where = {"before copy": 0, "copying": 0, "after copy": 0, "after commit": 0}
    for round_no in range(ROUNDS):
        src = tmp_path / f"录像{round_no}.mp4"
        src.write_bytes(round_no.to_bytes(4, "big") + rng.randbytes(SIZE - 4))
        # the line to kill after: ready, a copy step, stored (the commit is under way) or committed
        kill_after = [1, rng.randrange(2, STEPS - 1), STEPS - 1, STEPS][round_no % 4]
        proc = subprocess.Popen([sys.executable, str(CHILD), str(data_dir), str(src), str(12 + round_no % 3)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        lines = []
        for _ in range(kill_after):
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.split())
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate()
        assert proc.returncode in (-signal.SIGKILL, 0), err[-2000:]
        last = lines[-1][0] if lines else ""
        where[{"ready": "before copy", "copy": "copying", "stored": "after copy",
               "committed": "after commit"}.get(last, "before copy")] += 1
        if last == "committed":
            committed.add(int(lines[-1][1]))

        conn = sqlite3.connect(data_dir / "taizhang.sqlite3")
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            ids = {r[0] for r in conn.execute("SELECT id FROM evidence")}
            assert committed <= ids  # every acknowledged add is there
            assert check_evidence(conn, data_dir) == []  # every row has its complete file
        finally:
            conn.close()
        for sha in stored_hashes(evidence_dir(data_dir)):  # no half-written file under a final name
            assert hash_file(evidence_dir(data_dir) / sha[:2] / sha)[0] == sha
    print(f"\nevidence kill -9: {ROUNDS} rounds, {len(committed)} committed, kills landed {where}")
    assert where["copying"] > 0 and where["after copy"] + where["after commit"] > 0
    remove_stale_temps(evidence_dir(data_dir))
    assert list((evidence_dir(data_dir) / ".tmp").glob("*")) == []  # the dead children's temps are cleaned
