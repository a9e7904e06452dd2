"""sqlite-utils where it is the better tool (issue 24, item 5), and never where it would cost start-up.

- Opening the database and the window's first reads and saves never import it (~0.1 s): the open-time
  schema check compares schema text and only describes a differing schema through sqlite-utils.
- Its writes stay inside our transactions: nothing it writes is visible or kept before our COMMIT, and a
  failure half-way leaves nothing behind.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils

import db.verify as verify
from core.model import Progress, Status
from db import plans as plan_q
from db import received
from db.schema import SCHEMA_VERSION
from db.sqlite_utils_db import writer
from tests.stores import open_store

ROOT = Path(__file__).resolve().parent.parent
OFFICE = "悦城镇"

# Opens the folder as the window does (check at open, migrations, seed check, start backup), then does what
# the window does before and right after its first paint: the plan, the office's entries, one autosave.
OPEN_AND_SAVE = r"""
import json, sys
from pathlib import Path
from actions import editing
from actions.session import Session
from core.model import Progress, Status

session = Session.open(Path(sys.argv[1]))
plan_id = session.current_plan_id()
tasks = len(session.plan(plan_id).tasks)
entry = session.store.progress(plan_id, "悦城镇").get(3, Progress(3))
editing.save_entry(session, plan_id, "悦城镇", Progress(3, Status.DONE, 100, owner="党政办"), base=entry)
session.close()
again = Session.attach(Path(sys.argv[1]))
again.close()
print(json.dumps({"tasks": tasks, "loaded": sorted(m for m in sys.modules if m.split(".")[0] == "sqlite_utils")}))
"""

# A fresh folder: records who imports sqlite-utils first (only seeding the built-in plan may: first day only).
FIRST_DAY = r"""
import json, sys, traceback
from pathlib import Path

class Watch:
    who = None
    def find_spec(self, name, path=None, target=None):
        if name == "sqlite_utils" and Watch.who is None:
            Watch.who = [f.name for f in traceback.extract_stack()]
        return None

sys.meta_path.insert(0, Watch())
from actions.session import Session
Session.open(Path(sys.argv[1])).close()
print(json.dumps({"who": Watch.who}))
"""


def _child(code: str, data_dir: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", code, str(data_dir)], cwd=ROOT, capture_output=True, text=True,
                            check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_opening_and_the_first_save_do_not_import_sqlite_utils(tmp_path):
    data_dir = tmp_path / "data"
    first = _child(FIRST_DAY, data_dir)
    assert first["who"] is not None and "seed_builtin_plan" in first["who"] and "insert_plan" in first["who"]
    assert "content_problem" not in first["who"] and "database_problems" not in first["who"]
    second = _child(OPEN_AND_SAVE, data_dir)
    assert second == {"tasks": 68, "loaded": []}
    third = _child(OPEN_AND_SAVE, data_dir)  # a file the window wrote to, checked at open: still the fast path
    assert third == {"tasks": 68, "loaded": []}


@pytest.fixture(scope="module")
def good_file(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("shape") / "data"
    open_store(data_dir, auto_backup=False).close()
    return data_dir / "taizhang.sqlite3"


@pytest.fixture
def described(monkeypatch) -> list[str]:
    """Files whose schema was described through sqlite-utils (the slow path), by database file name."""
    seen: list[str] = []
    real = verify.reader

    def spy(conn: sqlite3.Connection):
        seen.append(Path(conn.execute("PRAGMA database_list").fetchone()[2] or ":memory:").name)
        return real(conn)

    monkeypatch.setattr(verify, "reader", spy)
    return seen


def _changed(good: Path, target: Path, *statements: str) -> sqlite3.Connection:
    shutil.copyfile(good, target)
    conn = sqlite3.connect(target)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    return conn


def test_our_schema_takes_the_fast_path(good_file, described, monkeypatch):
    monkeypatch.setattr(verify, "_replica_rows", None)  # the fingerprint alone decides at the newest version
    conn = sqlite3.connect(good_file)
    assert verify.shape_problems(conn, SCHEMA_VERSION) == []
    assert described == []
    conn.close()


def test_the_schema_fingerprint_is_the_migrations_schema():
    """Fails when a migration changes the schema: the message gives the new value for SCHEMA_FINGERPRINT."""
    replica = verify._replica_rows(len(verify.MIGRATIONS))
    assert verify.schema_fingerprint(replica) == verify.SCHEMA_FINGERPRINT, (
        f"db/verify.py: SCHEMA_FINGERPRINT = ({len(verify.MIGRATIONS)}, "
        f"{verify.schema_fingerprint(replica)[1]}, 0x{verify.schema_fingerprint(replica)[2]:08X})")
    assert verify.schema_fingerprint(replica[:-1]) != verify.SCHEMA_FINGERPRINT


def test_a_differing_schema_is_described_table_by_table(good_file, tmp_path, described):
    conn = _changed(good_file, tmp_path / "odd.sqlite3",
                    "ALTER TABLE progress RENAME COLUMN problems TO issues",
                    "DROP TRIGGER progress_history_no_delete",
                    "DROP TABLE received_flags")
    assert verify.shape_problems(conn, SCHEMA_VERSION) == [
        f"数据表 progress 的列与落实台账（数据版本 {SCHEMA_VERSION}）不符（实有：plan_id、office、task、status、"
        "percent、owner、due、steps、achievements、issues、next_steps、updated_at、version）",
        "缺少数据表 received_flags",
        "缺少保存历史版本的触发器：progress_history_no_delete",
    ]
    assert "odd.sqlite3" in described
    conn.close()


def test_a_harmless_difference_is_described_and_passes(good_file, tmp_path, described):
    """An index added by hand changes the schema text, not the tables: the slow path finds nothing."""
    conn = _changed(good_file, tmp_path / "indexed.sqlite3", "CREATE INDEX by_owner ON progress (owner)")
    assert verify.shape_problems(conn, SCHEMA_VERSION) == []
    assert "indexed.sqlite3" in described
    conn.close()


def test_expected_columns_are_the_migrations_columns():
    columns = verify.expected_columns(SCHEMA_VERSION)
    assert columns["received_flags"] == [("package_id", "INTEGER", 1, 1), ("task", "INTEGER", 1, 2),
                                         ("flag", "TEXT", 1, 3)]
    assert [c[0] for c in columns["tasks"]][-2:] == ["due", "due_text"]
    assert "due" not in [c[0] for c in verify.expected_columns(1)["tasks"]]


# --- writes stay inside our transactions -------------------------------------------------------------------
def _package(conn: sqlite3.Connection, plan_id: int, evidence_kind: str = "evidence") -> int:
    entries = [Progress(t, Status.IN_PROGRESS, 40, owner="党政办", achievements=f"成效 {t}", due=date(2019, 12, 31),
                        updated_at="2019-12-04T09:00:00") for t in (3, 12)]
    listing = [received.ReceivedEvidence(12, "12-1", "会议照片", "evidence", "任务12/12-1 会议照片.jpg", "c" * 64, 120),
               received.ReceivedEvidence(12, "12-2", "网页", evidence_kind, "任务12/12-2 网页.url", "d" * 64, 80,
                                         url="https://example.org/a", seen_date="2019-12-01")]
    return received.insert_package(
        conn, plan_id, office=OFFICE, report_date="2019-12-04", created_at="2019-12-04T08:00:00",
        app_version="1.0", file_name="悦城镇.zip", manifest_sha256="a" * 64, file_sha256="b" * 64, file_size=10,
        imported_at="2019-12-05T08:00:00", entries=entries, evidence=listing, slow=[12, 12, 3])


def _counts(path: Path) -> dict[str, int]:
    db = sqlite_utils.Database(sqlite3.connect(path))
    return {t: db[t].count for t in ("received_packages", "received_progress", "received_flags",
                                     "received_evidence")}


def test_a_package_is_stored_as_given(store):
    plan_id = store.current_plan_id()
    with store.write() as conn:
        new_id = _package(conn, plan_id)
    progress = received.package_progress(store.conn, new_id)
    assert progress[12] == Progress(12, Status.IN_PROGRESS, 40, owner="党政办", achievements="成效 12",
                                    due=date(2019, 12, 31), updated_at="2019-12-04T09:00:00")
    assert received.package_slow(store.conn, new_id) == frozenset({3, 12})
    [_, link] = received.evidence_for(store.conn, new_id, 12)
    assert (link.kind, link.url, link.seen_date, link.size) == ("evidence", "https://example.org/a", "2019-12-01", 80)
    assert received.current_package(store.conn, plan_id, OFFICE).id == new_id


def test_sqlite_utils_writes_are_not_committed_before_ours(store):
    """Another connection sees nothing until our COMMIT: sqlite-utils neither commits nor ends the transaction."""
    plan_id = store.current_plan_id()
    other = sqlite3.connect(store.path)
    with store.write() as conn:
        _package(conn, plan_id)
        assert conn.in_transaction
        assert other.execute("SELECT COUNT(*) FROM received_packages").fetchone()[0] == 0
    assert _counts(store.path) == {"received_packages": 1, "received_progress": 2, "received_flags": 2,
                                   "received_evidence": 2}
    other.close()


def test_a_failure_half_way_through_a_package_keeps_nothing(store):
    """The last row breaks a CHECK constraint after the package, its progress and flags were written."""
    plan_id = store.current_plan_id()
    with pytest.raises(sqlite3.IntegrityError), store.write() as conn:
        _package(conn, plan_id, evidence_kind="bogus")
    assert not store.conn.in_transaction
    assert _counts(store.path) == {"received_packages": 0, "received_progress": 0, "received_flags": 0,
                                   "received_evidence": 0}


def test_a_failure_half_way_through_a_plan_keeps_nothing(store, plan):
    """Tasks with a repeated number fail on the primary key after the plan row and its sections went in."""
    broken = dataclasses.replace(plan, title="另一方案", tasks=(*plan.tasks, plan.tasks[0]))
    before = [p.id for p in plan_q.list_plans(store.conn)]
    with pytest.raises(sqlite3.IntegrityError), store.write() as conn:
        plan_q.save_corrections(conn, "e" * 64, "方案.docx", "[]")
        plan_q.insert_plan(conn, broken, [])
    assert [p.id for p in plan_q.list_plans(store.conn)] == before
    assert plan_q.load_corrections(store.conn, "e" * 64) is None
    assert store.conn.execute("SELECT COUNT(*) FROM sections WHERE plan_id NOT IN (SELECT id FROM plans)"
                              ).fetchone()[0] == 0


def test_corrections_replace_older_ones(store):
    with store.write() as conn:
        plan_q.save_corrections(conn, "f" * 64, "旧.docx", '[{"a": 1}]')
    with store.write() as conn:
        plan_q.save_corrections(conn, "f" * 64, "新.docx", '[{"a": 2}]')
    rows = list(sqlite_utils.Database(store.conn)["plan_corrections"].rows)
    assert [(r["file_name"], r["corrections"]) for r in rows] == [("新.docx", '[{"a": 2}]')]


def test_writes_outside_a_transaction_are_refused(store):
    with pytest.raises(RuntimeError, match="inside the caller's transaction"):
        writer(store.conn)


def test_the_connection_is_left_as_it_was(store):
    """No PRAGMA recursive_triggers, no scratch table: building the wrapper changes nothing on our connection."""
    before = store.conn.execute("PRAGMA recursive_triggers").fetchone()[0]
    cookie = store.conn.execute("PRAGMA schema_version").fetchone()[0]
    with store.write() as conn:
        plan_q.save_corrections(conn, "9" * 64, "a.docx", "[]")
    assert store.conn.execute("PRAGMA recursive_triggers").fetchone()[0] == before == 0
    assert store.conn.execute("PRAGMA schema_version").fetchone()[0] == cookie
