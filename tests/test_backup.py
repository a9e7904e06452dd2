"""Automatic backups: verified, atomic, taken when data changed, never pruned after a failure."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import db.backup as backup_mod
from core.model import Progress, Status
from db.backup import backup_if_changed, database_problems, list_backups, take_backup
from db.errors import KIND_CORRUPT, KIND_FULL, StorageError
from db.schema import SCHEMA_VERSION
from db.store import Store
from tests.fault_helpers import fingerprint, mounted_tmpfs
from tests.stores import open_store

T0 = datetime(2019, 12, 4, 9, 0)


def save(store: Store, task: int, text: str) -> None:
    store.save_progress(store.current_plan_id(), "悦城镇", Progress(task, Status.IN_PROGRESS, 50, achievements=text))


def leftovers(folder) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".")] if folder.exists() else []


def test_start_backup_holds_the_data_and_is_standalone(data_dir):
    store = open_store(data_dir)
    save(store, 3, "第一稿")
    store.close()
    store = open_store(data_dir)  # data changed since the first start: a new backup
    backups = list_backups(store.path)
    assert [b.reason for b in backups] == ["start", "start"] or len(backups) == 1
    newest = backups[0]
    assert database_problems(newest.path) == []
    assert fingerprint(newest.path) == fingerprint(store.path)
    with open(newest.path, "rb") as fh:  # rollback-journal mode: one file, fine on a USB stick
        assert fh.read(20)[18:20] == b"\x01\x01"
    store.close()


def test_backup_if_changed_compares_data_not_time(store):
    first = backup_if_changed(store.path, now=T0)
    assert backup_if_changed(store.path, now=T0 + timedelta(minutes=30)) is None
    save(store, 5, "改动")
    second = backup_if_changed(store.path, now=T0 + timedelta(minutes=60))
    assert second is not None and second.path != getattr(first, "path", None)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_migration_hook_backs_up_first(data_dir, monkeypatch):
    open_store(data_dir).close()
    import db.connection as connection
    import db.schema as schema

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, "CREATE TABLE extra (x INTEGER);"])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(connection, "MIGRATIONS", schema.MIGRATIONS)
    monkeypatch.setattr(connection, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(backup_mod, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    seen = []
    store = Store.open(data_dir, before_migrate=lambda old, new: seen.append((old, new)))
    assert seen == [(SCHEMA_VERSION, SCHEMA_VERSION + 1)]
    pre = [b for b in list_backups(store.path) if b.reason == "before-migration"]
    assert len(pre) == 1
    conn = sqlite3.connect(pre[0].path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION  # the old version
    conn.close()
    store.close()


def test_failed_migration_backup_stops_the_migration(data_dir, monkeypatch):
    open_store(data_dir).close()
    import db.connection as connection

    monkeypatch.setattr(connection, "MIGRATIONS", [*connection.MIGRATIONS, "CREATE TABLE extra (x INTEGER);"])
    monkeypatch.setattr(connection, "SCHEMA_VERSION", SCHEMA_VERSION + 1)

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup_mod, "_backup_pages", full)
    with pytest.raises(StorageError) as err:
        open_store(data_dir)
    assert err.value.kind == KIND_FULL
    conn = sqlite3.connect(data_dir / "taizhang.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION  # not migrated
    conn.close()


def make_history(store: Store, days: int) -> None:
    for day in range(days):
        save(store, 1 + day % 60, f"第 {day} 天")
        take_backup(store.path, "auto", now=T0 + timedelta(days=day))


@pytest.mark.parametrize("fault", ["enospc_copy", "enospc_fsync", "corrupt_copy", "rename"])
def test_failed_backup_prunes_nothing(store, monkeypatch, fault):
    make_history(store, 20)
    before = sorted(p.name for p in (store.path.parent / "backups").iterdir())
    save(store, 9, "新内容")

    def enospc(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    if fault == "enospc_copy":
        monkeypatch.setattr(backup_mod, "_backup_pages", enospc)
    elif fault == "enospc_fsync":
        monkeypatch.setattr(backup_mod.os, "fsync", enospc)
    elif fault == "rename":
        monkeypatch.setattr(backup_mod.os, "replace", enospc)
    else:
        def bad_copy(src, dst):  # a copy damaged on its way to disk (a failing USB stick)
            src.backup(dst)
            name = dst.execute("PRAGMA database_list").fetchone()[2]
            with open(name, "r+b") as fh:
                fh.seek(24)
                fh.write(b"\xff\xff\xff\xff")  # bump the change counter so the page cache is dropped
                fh.seek(4096 * 3 + 8)
                fh.write(b"\xa5" * 3000)

        monkeypatch.setattr(backup_mod, "_backup_pages", bad_copy)
    with pytest.raises(StorageError) as err:
        take_backup(store.path, "auto", now=T0 + timedelta(days=400))
    assert err.value.kind == (KIND_CORRUPT if fault == "corrupt_copy" else KIND_FULL)
    assert "磁盘" in err.value.message or "完整性" in err.value.message
    assert sorted(p.name for p in (store.path.parent / "backups").iterdir()) == before
    assert leftovers(store.path.parent / "backups") == []


def test_store_open_survives_failed_start_backup(data_dir, monkeypatch):
    def enospc(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup_mod, "_backup_pages", enospc)
    store = open_store(data_dir)
    assert any("自动备份没有成功" in n.message and "磁盘已满" in n.message for n in store.notices)
    store.close()


def test_backup_to_a_really_full_disk(tmp_path, store):
    """A 200 KB file system cannot hold the ~140 KB database twice: the copy fails cleanly."""
    with mounted_tmpfs(tmp_path / "usb", "size=200k") as usb:
        (usb / "filler").write_bytes(b"x" * 100_000)
        with pytest.raises(StorageError) as err:
            backup_mod.copy_database(store.path, usb / "copy.sqlite3")
        assert err.value.kind == KIND_FULL
        assert sorted(os.listdir(usb)) == ["filler"]  # no temp file, no half copy


def test_stale_temp_files_are_cleared(store):
    folder = store.path.parent / "backups"
    folder.mkdir(exist_ok=True)
    stale = folder / ".taizhang-x.sqlite3.123.tmp"
    stale.write_bytes(b"half a backup")
    os.utime(stale, (0, 0))
    stale_folder = folder / ".taizhang-w.sqlite3.124.tmp"  # a folder left by a killed copy goes with what it holds
    stale_folder.mkdir()
    (stale_folder / "part").write_bytes(b"x")
    os.utime(stale_folder, (0, 0))
    fresh = folder / f".taizhang-y.sqlite3.{os.getppid()}.tmp"  # perhaps another process's backup in progress
    fresh.write_bytes(b"in progress")
    import subprocess
    import sys

    dead_pid = subprocess.Popen([sys.executable, "-c", "pass"])
    dead_pid.wait()
    orphan = folder / f".taizhang-z.sqlite3.{dead_pid.pid}.tmp"  # its writer was killed a moment ago
    orphan.write_bytes(b"killed mid-copy")
    # a copy killed while a connection had it open leaves its -wal and -shm too (seen once in test_kill's 200 kills)
    orphan_sides = [folder / f".taizhang-z.sqlite3.{dead_pid.pid}.tmp-{side}" for side in ("wal", "shm")]
    for side in orphan_sides:
        side.write_bytes(b"")
    take_backup(store.path, "auto")
    assert not stale.exists() and not stale_folder.exists() and fresh.exists()
    assert not orphan.exists() or os.name != "posix"
    assert not any(side.exists() for side in orphan_sides) or os.name != "posix"


def test_rotation_over_400_days_with_real_files(data_dir):
    """Each simulated day: edits, a start backup and some 30-minute ones; the policy's set survives."""
    from core.retention import backups_to_keep

    store = open_store(data_dir, auto_backup=False)
    made = []
    for day in range(400):
        if day % 7 in (5, 6):
            continue
        now = T0 + timedelta(days=day)
        for slot in range(1 if day % 3 else 3):
            save(store, 1 + (day + slot) % 68, f"第 {day} 天 第 {slot} 次")
            info = backup_if_changed(store.path, "auto" if slot else "start", now=now + timedelta(minutes=30 * slot))
            assert info is not None
            made.append(info.taken_at)
    kept = list_backups(store.path)
    assert {b.taken_at for b in kept} == backups_to_keep(made, max(made))
    assert (len(made), len(kept)) == (478, 26)  # the figures docs/reliability.md quotes
    for b in kept:
        assert database_problems(b.path) == []
    assert fingerprint(kept[0].path) == fingerprint(store.path)
    store.close()


def test_many_backups_in_one_second_keep_the_newest(store):
    """Pruning frees low counters; a new backup must not reuse one (it would sort oldest and vanish at once)."""
    second = datetime.now().replace(microsecond=0) + timedelta(hours=1)  # newer than the start backup
    made = [take_backup(store.path, "start", second).path.name for _ in range(12)]
    assert len(set(made)) == 12
    assert [b.path.name for b in list_backups(store.path)][:4] == made[::-1][:4]


_STAMPS = st.one_of(st.datetimes(min_value=datetime(1000, 1, 1)).map(lambda t: t.strftime("%Y%m%d-%H%M%S")),
                    st.from_regex(r"\A\d{8}-\d{6}\Z"))  # real times, and digits of any kind in any order


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_STAMPS, st.integers(0, 3)), max_size=6))
def test_backup_names_are_read_as_strptime_reads_them(stamps):
    """The name's time is read without ``_strptime`` (kept off the window's start); names strptime refuses
    (a 13th month, a 30th of February) are left out as before."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        db_path = Path(d) / "taizhang.sqlite3"
        (Path(d) / "backups").mkdir()
        expected = set()
        for stamp, counter in stamps:
            name = f"taizhang-{stamp}{f'-{counter}' if counter else ''}-auto.sqlite3"
            (Path(d) / "backups" / name).write_bytes(b"")
            with contextlib.suppress(ValueError):
                expected.add((name, datetime.strptime(stamp, "%Y%m%d-%H%M%S") + timedelta(microseconds=counter)))
        assert {(b.path.name, b.taken_at) for b in list_backups(db_path)} == expected
