"""Child process for the kill -9 evidence test: adds one large file, telling each step on stdout.

Usage: evidence_kill_child.py DATA_DIR SOURCE TASK. Lines: ``ready``, ``copy <bytes>`` per chunk,
``stored``, then ``committed <id>`` once the row is in the database. The parent kills it after a
line of its choosing, so no sleep decides where the kill lands.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import db.evidence_files as files_mod
from db import evidence as ev
from db.connection import open_database


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    data_dir, source, task = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    files_mod.CHUNK = 256 * 1024  # more steps to land a kill in
    conn: sqlite3.Connection = open_database(data_dir / "taizhang.sqlite3")
    plan_id = int(conn.execute("SELECT value FROM settings WHERE key='current_plan'").fetchone()[0])
    say("ready")
    result = ev.add_files(conn, data_dir, plan_id, "悦城镇", task, [source],
                          progress=lambda stage, done: say(f"{stage} {done}"))
    say(f"committed {result.items[0].id}")


if __name__ == "__main__":
    main()
