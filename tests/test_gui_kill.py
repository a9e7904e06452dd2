"""Killing the app (SIGKILL) while the clerk types loses nothing that was saved and corrupts nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import pytest

from tests.gui_typing_child import TASK, TEXT
from tests.stores import open_store

ROOT = Path(__file__).resolve().parent.parent


def history_count(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM progress_history WHERE task=? AND office='悦城镇'",
                            (TASK,)).fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_while_typing_keeps_every_saved_version(tmp_path):
    data_dir = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}
    child = subprocess.Popen([sys.executable, str(ROOT / "tests" / "gui_typing_child.py"), str(data_dir)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        db = data_dir / "taizhang.sqlite3"
        deadline = time.monotonic() + 30
        while history_count(db) < 3 and time.monotonic() < deadline:
            assert child.poll() is None, child.stderr.read() if child.stderr else ""
            time.sleep(0.05)
        time.sleep(0.3)  # mid-burst: the newest keystrokes are not saved yet
        assert child.poll() is None
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=10)  # reaps the child and closes its pipes
    assert child.returncode == -signal.SIGKILL

    store = open_store(data_dir)
    try:
        assert store.check() == []
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        plan_id = store.current_plan_id()
        history = list(reversed(store.history(plan_id, "悦城镇", TASK)))  # oldest first
        assert len(history) >= 3
        assert [v.version for v in history] == list(range(1, len(history) + 1))
        texts = [v.progress.achievements for v in history]
        for earlier, later in pairwise(texts):
            assert later.startswith(earlier) and len(later) > len(earlier)
        assert all(TEXT.startswith(t) and t for t in texts)
        current = store.progress(plan_id, "悦城镇")[TASK]
        assert current.achievements == texts[-1]
    finally:
        store.close()
