"""Opening under stress: many processes at once, a too-new or nonsense version, leftovers of a kill."""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import db.backup as backup_mod
from db.errors import KIND_READONLY, KIND_TOO_NEW, StorageError
from db.recovery import NOTICE_RESTORED
from db.schema import SCHEMA_VERSION
from tests.fault_helpers import mounted_tmpfs
from tests.stores import open_store

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import sys
sys.path.insert(0, {root!r})
import db.store
from actions.session import Session
from db.errors import StorageError
from db.open_lock import opening_lock

checked = db.store.check_and_recover
probes = []


def probed(path, *args, **kwargs):
    # Inside the opening: another open of the lock file (its own lock) must find the folder locked.
    try:
        with opening_lock({data!r}, wait=0):
            probes.append("free")
    except StorageError:
        probes.append("locked")
    return checked(path, *args, **kwargs)


db.store.check_and_recover = probed
sys.stdin.readline()  # everyone imports first, then all open together
store = Session.open({data!r}).store
plan = store.current_plan_id()
print(plan, len(store.plan(plan).tasks), len(store.plans()), [n.kind for n in store.notices], probes)
store.close()
"""


def test_six_processes_opening_an_empty_folder_all_succeed(tmp_path):
    data = tmp_path / "data"
    procs = [subprocess.Popen([sys.executable, "-c", CHILD.format(root=str(ROOT), data=str(data))],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(6)]
    for p in procs:  # release them all at once (no sleeps: each waits on its stdin)
        p.stdin.write(b"go\n")
        p.stdin.flush()
    results = []
    for p in procs:
        out, err = p.communicate()
        results.append((p.returncode, out.decode().strip(), err.decode(errors="replace")[-800:]))
    assert [r[0] for r in results] == [0] * 6, results
    # each opened the folder while holding its lock: deterministic, however the six were scheduled
    assert {r[1] for r in results} == {"1 68 1 [] ['locked']"}
    assert not list(data.glob("*.damaged-*"))
    conn = sqlite3.connect(data / "taizhang.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM plans").fetchone()[0] == 1
    conn.close()


def _folder_state(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("mode", ["delete", "wal-with-log"])
def test_too_new_database_is_not_changed_by_one_byte(tmp_path, mode):
    data = tmp_path / "data"
    store = open_store(data, auto_backup=False)
    store.set_setting("note", "新版本写的")
    store.close()
    db = data / "taizhang.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    if mode == "delete":
        conn.execute("PRAGMA journal_mode = DELETE")  # the mode a newer version might use
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.close()
    else:  # left by a newer version still running (or killed): its last write only in the -wal
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("UPDATE settings SET value = '只在日志里' WHERE key = 'note'")
        copy = tmp_path / "copy"
        copy.mkdir()
        for p in data.glob("taizhang.sqlite3*"):
            (copy / p.name).write_bytes(p.read_bytes())
        conn.close()
        (copy / ".taizhang.lock").write_bytes(b"")
        data, db = copy, copy / "taizhang.sqlite3"
        assert Path(f"{db}-wal").stat().st_size > 0
    before = _folder_state(data)
    with pytest.raises(StorageError) as err:
        open_store(data)
    assert err.value.kind == KIND_TOO_NEW and "不会改动它" in err.value.message
    assert _folder_state(data) == before  # no -wal or -shm made or folded in, no backup, same journal mode
    assert db.read_bytes()[18:20] == (b"\x01\x01" if mode == "delete" else b"\x02\x02")


def test_negative_user_version_gets_a_plain_message(data_dir):
    store = open_store(data_dir)
    store.close()
    db = data_dir / "taizhang.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = -5")
    conn.close()
    store = open_store(data_dir)
    try:
        [notice] = store.notices
        assert notice.kind == NOTICE_RESTORED and "版本号无效（-5）" in notice.message
        assert notice.damaged_path is not None and notice.damaged_path.exists()
        assert len(store.plan().tasks) == 68
    finally:
        store.close()


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    return int(done.stdout)


@pytest.mark.skipif(os.name != "posix", reason="owner check by pid is POSIX-only; Windows goes by age")
def test_killed_restore_leftovers_are_cleared_at_the_next_start(data_dir):
    open_store(data_dir).close()
    pid = _dead_pid()
    staged = data_dir / f".taizhang.sqlite3.restore.{pid}.tmp"
    old_style = data_dir / f".taizhang.sqlite3.restore-{pid}.tmp"  # the name before this change
    private = data_dir / f".taizhang.sqlite3.walcopy.{pid}.tmp"
    probe = data_dir / f".write-test-{pid}"
    for f in (staged, old_style, probe, Path(f"{staged}-journal")):
        f.write_bytes(b"x" * 4096)
    private.mkdir()
    (private / "restore-source.sqlite3").write_bytes(b"x" * 4096)
    alive = data_dir / f".taizhang.sqlite3.restore.{os.getpid()}.tmp"  # a restore still running: kept
    alive.write_bytes(b"y")
    open_store(data_dir).close()
    left = sorted(p.name for p in data_dir.iterdir() if p.name.startswith("."))
    assert left == sorted([".taizhang.lock", alive.name])


def test_read_only_backups_folder_is_named_as_such(data_dir, monkeypatch):
    store = open_store(data_dir, auto_backup=False)
    real_open = os.open

    def refuse_in_backups(path, flags, *args):
        if Path(path).parent.name == "backups" and flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(backup_mod.os, "open", refuse_in_backups)
    with pytest.raises(StorageError) as err:
        store.backup("auto")
    store.close()
    assert err.value.kind == KIND_READONLY
    assert "backups" in err.value.message and "只读" in err.value.message
    assert "无法打开数据库文件" not in err.value.message


def test_read_only_backups_mount_is_named_as_such(data_dir):
    store = open_store(data_dir, auto_backup=False)
    try:
        with mounted_tmpfs(data_dir / "backups", "ro,size=1m"), pytest.raises(StorageError) as err:
            store.backup("auto")
    finally:
        store.close()
    assert err.value.kind == KIND_READONLY and "只读" in err.value.message
    assert "无法打开数据库文件" not in err.value.message
