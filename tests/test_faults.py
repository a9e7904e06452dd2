"""The environment's faults: read-only folder, full disk, locked database, network share.

Each gives the clerk a plain message naming the file and what to do, never a traceback, and
leaves the data as it was. Tests run as root, so where a real read-only or tiny file system can
be mounted it is; otherwise the same failure is injected.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pytest

import db.connection as connection
import db.environment as environment
import main
from core.model import Progress, Status
from db.environment import ensure_writable_dir, linux_fs_type, network_share_warning
from db.errors import KIND_FULL, KIND_LOCKED, KIND_READONLY, StorageError
from db.store import Store
from tests.fault_helpers import fingerprint, mounted_tmpfs, remount
from tests.stores import open_store


def entry(text: str, task: int = 7) -> Progress:
    return Progress(task, Status.IN_PROGRESS, 30, achievements=text)


# --- read-only folder ---------------------------------------------------------------------------
def test_readonly_folder_injected(tmp_path, monkeypatch, capsys):
    real_open = os.open

    def refuse(path, flags, *args):
        if ".write-test-" in str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(environment.os, "open", refuse)
    data_dir = tmp_path / "data"
    with pytest.raises(StorageError) as err:
        open_store(data_dir)
    assert err.value.kind == KIND_READONLY and str(data_dir) in err.value.message
    assert main.main(["--data-dir", str(data_dir), "offices"]) == 1
    _, stderr = capsys.readouterr()
    assert "数据文件夹是只读的" in stderr and "--data-dir" in stderr and "Traceback" not in stderr


def test_readonly_filesystem_real(tmp_path, capsys):
    with mounted_tmpfs(tmp_path / "mnt", "size=4m") as mnt:
        data_dir = mnt / "data"
        store = open_store(data_dir)
        store.save_progress(store.current_plan_id(), "悦城镇", entry("只读之前"))
        store.close()
        before = fingerprint(data_dir / "taizhang.sqlite3")
        remount(mnt, "ro")
        with pytest.raises(StorageError) as err:
            open_store(data_dir)
        assert err.value.kind == KIND_READONLY
        assert main.main(["--data-dir", str(data_dir), "tasks", "--office", "悦城镇"]) == 1
        assert "只读" in capsys.readouterr().err
        remount(mnt, "rw")
        assert fingerprint(data_dir / "taizhang.sqlite3") == before


def test_readonly_database_file_sqlite_error(data_dir, monkeypatch):
    """The folder probe passed but SQLite itself is refused writing: still a plain message."""
    store = open_store(data_dir)
    pid = store.current_plan_id()
    store.save_progress(pid, "悦城镇", entry("原文"))
    store.close()
    uri = (data_dir / "taizhang.sqlite3").resolve().as_uri() + "?mode=ro"
    ro = sqlite3.connect(uri, uri=True, isolation_level=None)
    store = Store(ro, data_dir / "taizhang.sqlite3")
    with pytest.raises(StorageError) as err:
        store.save_progress(pid, "悦城镇", entry("改不了"))
    assert err.value.kind == KIND_READONLY and "只读" in err.value.message
    assert store.progress(pid, "悦城镇")[7].achievements == "原文"
    ro.close()


# --- full disk ----------------------------------------------------------------------------------
def test_full_database_via_max_page_count(store):
    pid = store.current_plan_id()
    store.save_progress(pid, "悦城镇", entry("已经保存的内容"))
    before = fingerprint(store.path)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 1}")
    with pytest.raises(StorageError) as err:
        store.save_progress(pid, "悦城镇", entry("很长的新内容" * 50_000))
    assert err.value.kind == KIND_FULL and "磁盘已满" in err.value.message
    assert "窗口" not in err.value.message  # the CLI prints it too; the window adds its own words
    assert store.progress(pid, "悦城镇")[7].achievements == "已经保存的内容"
    assert fingerprint(store.path) == before
    with pytest.raises(StorageError):
        store.save_many(pid, "悦城镇", [entry("小", 8), entry("大" * 400_000, 9)])
    assert fingerprint(store.path) == before  # all or nothing
    assert store.check() == []


def test_full_disk_real(tmp_path):
    """A 1 MB file system filled up: the save fails plainly and the data survives."""
    with mounted_tmpfs(tmp_path / "mnt", "size=1m") as mnt:
        data_dir = mnt / "data"
        store = open_store(data_dir, auto_backup=False)
        pid = store.current_plan_id()
        store.save_progress(pid, "悦城镇", entry("磁盘满之前保存的"))
        free = os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize
        (mnt / "filler").write_bytes(b"\0" * max(0, free - 8192))
        with pytest.raises(StorageError) as err:
            store.save_progress(pid, "悦城镇", entry("满了以后" * 100_000))
        assert err.value.kind == KIND_FULL
        with pytest.raises(StorageError) as err:
            store.backup("auto")
        assert err.value.kind == KIND_FULL
        assert not [p for p in (data_dir / "backups").iterdir() if p.name.startswith(".")]
        assert store.progress(pid, "悦城镇")[7].achievements == "磁盘满之前保存的"
        (mnt / "filler").unlink()
        # the same connection works again once there is room: no transaction was left open
        store.save_progress(pid, "悦城镇", entry("有空间后再保存", task=8))
        store.close()
        store = open_store(data_dir)
        assert store.progress(pid, "悦城镇")[7].achievements == "磁盘满之前保存的"
        assert store.progress(pid, "悦城镇")[8].achievements == "有空间后再保存"
        assert store.check() == []
        store.close()


def test_probe_reports_full_disk(tmp_path, monkeypatch):
    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(environment.os, "write", full)
    with pytest.raises(StorageError) as err:
        ensure_writable_dir(tmp_path / "d")
    assert err.value.kind == KIND_FULL
    assert not list((tmp_path / "d").iterdir())


# --- locked by another program ------------------------------------------------------------------
@pytest.fixture
def short_busy(monkeypatch):
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)


def test_database_locked_for_writing(store, short_busy, data_dir):
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO settings (key, value) VALUES ('held', '1')")
    store.conn.execute("PRAGMA busy_timeout = 200")
    with pytest.raises(StorageError) as err:
        store.save_progress(store.current_plan_id(), "悦城镇", entry("被锁住"))
    assert err.value.kind == KIND_LOCKED and "另一个程序" in err.value.message
    other.execute("ROLLBACK")
    other.close()


def test_exclusively_locked_file_is_not_taken_for_damage(data_dir, short_busy, capsys):
    open_store(data_dir).close()
    db = data_dir / "taizhang.sqlite3"
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO settings (key, value) VALUES ('held', '1')")
    with pytest.raises(StorageError) as err:
        open_store(data_dir)
    assert err.value.kind == KIND_LOCKED
    assert main.main(["--data-dir", str(data_dir), "check"]) == 1
    stderr = capsys.readouterr().err
    assert "正被另一个程序占用" in stderr and "Traceback" not in stderr
    assert not list(data_dir.glob("*.damaged-*"))  # a locked file is never set aside
    other.execute("ROLLBACK")
    other.close()
    open_store(data_dir).close()


# --- network share ------------------------------------------------------------------------------
MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
server:/export /mnt/office nfs4 rw,relatime 0 0
//pc/共享 /mnt/smb\\040share cifs rw 0 0
sshfs#me@host: /home/me/remote fuse.sshfs rw 0 0
tmpfs /mnt/office/local tmpfs rw 0 0
"""


@pytest.mark.parametrize(("folder", "fs"), [
    ("/mnt/office/taizhang", "nfs4"),
    ("/mnt/smb share/台账", "cifs"),
    ("/home/me/remote/data", "fuse.sshfs"),
    ("/mnt/office/local/data", None),  # a local mount inside a network one
    ("/home/me/data", None),
])
def test_network_share_detected_from_mounts(tmp_path, folder, fs):
    mounts = tmp_path / "mounts"
    mounts.write_text(MOUNTS, encoding="utf-8")
    warning = network_share_warning(Path(folder), platform="linux", mounts_file=mounts)
    if fs is None:
        assert warning is None
        assert linux_fs_type(Path(folder), mounts) in ("ext4", "tmpfs")
    else:
        assert warning is not None and fs in warning and "WAL" in warning and "本机硬盘" in warning


def test_network_share_windows(monkeypatch):
    assert "UNC" in network_share_warning(Path("\\\\server\\share\\台账"), platform="win32")
    monkeypatch.setattr(environment, "_windows_drive_is_remote", lambda p: True)
    assert "网络驱动器" in network_share_warning(Path("Z:/台账"), platform="win32")
    monkeypatch.setattr(environment, "_windows_drive_is_remote", lambda p: False)
    assert network_share_warning(Path("C:/台账"), platform="win32") is None


def test_network_share_warning_reaches_the_clerk(data_dir, monkeypatch, capsys):
    import db.store

    monkeypatch.setattr(db.store, "network_share_warning", lambda d: f"数据文件夹位于网络共享上（{d}）")
    assert main.main(["--data-dir", str(data_dir), "check"]) == 0
    assert "注意：数据文件夹位于网络共享上" in capsys.readouterr().err
