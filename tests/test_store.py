"""The SQLite store: migrations, durability pragmas, history, overrides, search."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from core.assign import roles_for
from core.model import Progress, Role, Status
from db.connection import connect, migrate
from db.errors import KIND_TOO_NEW, StorageError
from db.schema import SCHEMA_VERSION
from tests.stores import open_store


def test_migrates_from_empty(tmp_path):
    conn = connect(tmp_path / "x.sqlite3")
    assert migrate(conn) == 0
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"plans", "tasks", "offices", "progress", "progress_history", "overrides", "reports"} <= tables
    assert migrate(conn) == SCHEMA_VERSION  # second run is a no-op
    conn.close()


def test_pragmas(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_newer_database_refused(data_dir):
    open_store(data_dir).close()
    conn = sqlite3.connect(data_dir / "taizhang.sqlite3")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StorageError) as err:
        open_store(data_dir)
    assert err.value.kind == KIND_TOO_NEW
    assert "更新版本" in err.value.message


def test_builtin_plan_seeded_once(data_dir):
    s = open_store(data_dir)
    s.close()
    s = open_store(data_dir)
    assert len(s.plans()) == 1
    plan = s.plan()
    assert len(plan.tasks) == 68 and plan.deadline == date(2019, 12, 5)
    assert plan.task(8).units.aliases == (("县财政局", "县金融局"),)
    names = [o.name for o in s.offices()]
    assert names[:13][-2:] == ["悦城镇", "九市镇"] and "县教育局" in names
    s.close()


def test_every_version_kept(store):
    pid = store.current_plan_id()
    store.save_progress(pid, "悦城镇", Progress(12, Status.IN_PROGRESS, 40, achievements="第一稿"))
    assert store.save_progress(pid, "悦城镇", Progress(12, Status.IN_PROGRESS, 40, achievements="第一稿")) is None
    store.save_progress(pid, "悦城镇", Progress(12, Status.DONE, 100, achievements="第二稿"))
    versions = store.history(pid, "悦城镇", 12)
    assert [v.progress.achievements for v in versions] == ["第二稿", "第一稿"]
    assert [v.version for v in versions] == [2, 1]
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("DELETE FROM progress_history")


def test_bad_values_change_nothing(store):
    pid = store.current_plan_id()
    with pytest.raises(sqlite3.IntegrityError):
        store.save_progress(pid, "悦城镇", Progress(12, Status.DONE, 101))
    with pytest.raises(sqlite3.IntegrityError):
        store.save_progress(pid, "悦城镇", Progress(999, Status.DONE, 10))  # no such task
    assert store.progress(pid, "悦城镇") == {}


def test_override_stored(store):
    pid = store.current_plan_id()
    office = store.office("悦城镇")
    store.set_override(pid, "悦城镇", 65, Role.RESPONSIBLE)
    roles = roles_for(store.plan(pid), office, store.overrides(pid, "悦城镇"))
    assert roles[65] is Role.RESPONSIBLE and store.overrides(pid, "悦城镇") == {65: Role.RESPONSIBLE}
    store.set_override(pid, "悦城镇", 65, None)
    assert roles_for(store.plan(pid), office, store.overrides(pid, "悦城镇"))[65] is Role.NONE


def test_add_office(session, store):
    from actions.errors import ActionError
    from core.model import OfficeKind

    session.add_office("  县金融局 ", OfficeKind.DEPARTMENT)
    assert store.office("县金融局").kind is OfficeKind.DEPARTMENT
    with pytest.raises(ActionError, match="已存在"):
        session.add_office("县金融局", OfficeKind.DEPARTMENT)
    with pytest.raises(ActionError, match="不能为空"):
        session.add_office("   ", OfficeKind.TOWN)
