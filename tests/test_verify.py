"""Verified means usable: size against the header, our columns, every row decodes (issue 11, item 1).

integrity_check passes on a file that lost up to a page of its tail, on text that is no longer
UTF-8 and on a table with our name but other columns; each of these must be refused by the backup
writer, by restore's check and by the check at open.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from core.model import Progress, Status
from db.backup import copy_database, database_problems, list_backups, take_backup
from db.errors import KIND_CORRUPT, StorageError
from db.recovery import NOTICE_RESTORED
from db.restore import InvalidBackupError, check_backup_file, restore_database
from db.verify import size_problems
from tests.fault_helpers import fingerprint
from tests.stores import open_store

TASKS = range(1, 21)


def filled(data_dir: Path, text: str = "已录入的内容") -> Path:
    """A closed database holding 20 entries; returns its path."""
    store = open_store(data_dir, auto_backup=False)
    pid = store.current_plan_id()
    for task in TASKS:
        store.save_progress(pid, "悦城镇", Progress(task, Status.IN_PROGRESS, 50, owner="党政办",
                                                     achievements=f"{text} {task}" * 40))
    store.close()
    return data_dir / "taizhang.sqlite3"


def truncate(path: Path, cut: int) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - cut])


@pytest.fixture(scope="module")
def good_copy(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("src") / "data"
    db = filled(data_dir)
    copy = data_dir.parent / "copy.sqlite3"
    copy_database(db, copy)
    return copy


@pytest.mark.parametrize("cut", [1, 2, 13, 57, 99, 100])
def test_backup_missing_its_last_bytes_is_refused_by_restore(tmp_path, good_copy, cut):
    bad = tmp_path / "usb.sqlite3"
    bad.write_bytes(good_copy.read_bytes())
    truncate(bad, cut)
    sqlite_says = sqlite3.connect(bad).execute("PRAGMA integrity_check").fetchall()
    assert sqlite_says == [("ok",)]  # why the extra check exists
    assert any("不完整" in p for p in database_problems(bad))
    data_dir = tmp_path / "data"
    filled(data_dir, "当前内容")
    before = fingerprint(data_dir / "taizhang.sqlite3")
    with pytest.raises(InvalidBackupError, match="不完整"):
        restore_database(data_dir / "taizhang.sqlite3", bad)
    assert fingerprint(data_dir / "taizhang.sqlite3") == before


def test_whole_page_size_rule_and_the_header_count(tmp_path, good_copy):
    longer = tmp_path / "longer.sqlite3"
    longer.write_bytes(good_copy.read_bytes() + bytes(4096))  # a whole extra page the header does not count
    assert any("文件头记载" in p for p in size_problems(longer))
    assert size_problems(good_copy) == []


def test_truncated_live_database_never_becomes_the_newest_backup(data_dir):
    db = filled(data_dir)
    store = open_store(data_dir, auto_backup=False)
    good = store.backup("auto")
    store.close()
    truncate(db, 40)
    damaged_bytes = db.read_bytes()
    with pytest.raises(StorageError) as err:  # the backup writer refuses it
        take_backup(db, "auto")
    assert err.value.kind == KIND_CORRUPT and "不完整" in err.value.message
    store = open_store(data_dir)  # the check at open sees it, sets it aside and restores
    try:
        [notice] = store.notices
        assert notice.kind == NOTICE_RESTORED and notice.backup is not None and notice.backup.path == good.path
        assert notice.damaged_path is not None and notice.damaged_path.read_bytes() == damaged_bytes
        assert store.progress(store.current_plan_id(), "悦城镇")[20].owner == "党政办"
    finally:
        store.close()
    for backup in list_backups(db):
        assert database_problems(backup.path) == []


def _poke(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA trusted_schema = ON")
    conn.execute(sql)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("sql, words", [
    ("UPDATE progress SET achievements = CAST(x'e890bdff' AS TEXT) WHERE task = 3", "progress"),
    ("UPDATE tasks SET lead_units = '[\"县府办\"' WHERE number = 8", "lead_units"),
    ("UPDATE progress SET due = '2019-13-45' WHERE task = 4", "无法读取"),
], ids=["not-utf8", "bad-json", "bad-date"])
def test_rows_that_do_not_decode_are_refused(tmp_path, good_copy, sql, words):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(good_copy.read_bytes())
    conn = sqlite3.connect(bad)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(sql)
    conn.commit()
    conn.close()
    assert sqlite3.connect(bad).execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with pytest.raises(InvalidBackupError, match=words):
        check_backup_file(bad)


def foreign_file(path: Path, version: int) -> Path:
    """Our table names with other columns (one text column x each), at schema ``version``."""
    db = sqlite_utils.Database(path)
    for table in ("plans", "tasks", "offices", "progress", "progress_history", "settings"):
        db[table].create({"x": str})
    db.execute(f"PRAGMA user_version = {version}")
    db.close()
    return path


def test_our_table_names_with_other_columns_are_refused(tmp_path, good_copy):
    bad = foreign_file(tmp_path / "shape.sqlite3", 1)
    with pytest.raises(InvalidBackupError, match="列与落实台账"):
        check_backup_file(bad)
    renamed = tmp_path / "renamed.sqlite3"
    renamed.write_bytes(good_copy.read_bytes())
    conn = sqlite3.connect(renamed)
    conn.execute("ALTER TABLE progress RENAME COLUMN owner TO owner_name")
    conn.execute("DROP TRIGGER progress_history_no_delete")
    conn.commit()
    conn.close()
    with pytest.raises(InvalidBackupError, match="progress 的列"):
        check_backup_file(renamed)


def test_restore_works_when_the_current_database_cannot_be_used(tmp_path, good_copy):
    data_dir = tmp_path / "data"
    db = data_dir / "taizhang.sqlite3"
    data_dir.mkdir()
    foreign_file(db, 2)  # every command used to fail on it
    odd = db.read_bytes()
    result = restore_database(db, good_copy)
    assert result.damaged_path is not None and result.damaged_path.read_bytes() == odd
    assert fingerprint(db) == fingerprint(good_copy)
    store = open_store(data_dir)
    assert store.notices == [] and store.check() == []
    store.close()


def test_wrong_columns_in_the_live_file_are_set_aside_at_open(data_dir):
    db = filled(data_dir)
    open_store(data_dir).close()  # a good start backup
    _poke(db, "ALTER TABLE progress RENAME COLUMN problems TO issues")
    store = open_store(data_dir)
    try:
        assert [n.kind for n in store.notices] == [NOTICE_RESTORED]
        assert "progress 的列" in store.notices[0].message
        assert store.progress(store.current_plan_id(), "悦城镇")[5].owner == "党政办"
    finally:
        store.close()


@pytest.mark.parametrize("sql, words", [
    ("UPDATE progress SET achievements = CAST(x'e890bdff' AS TEXT) WHERE task = 3", "progress 的 achievements 列"),
    ("UPDATE tasks SET lead_units = '[\"县府办\"' WHERE number = 8", "tasks 的 lead_units 列"),
    ("UPDATE progress SET due = '2019-13-45' WHERE task = 4", "数据无法读取"),
], ids=["not-utf8", "bad-json", "bad-date"])
def test_rows_that_do_not_decode_in_the_live_file_are_set_aside_at_open(data_dir, sql, words):
    """The check at open reads every row, not only restore's check (issue 20: it was tested only there)."""
    db = filled(data_dir)
    open_store(data_dir).close()  # a good start backup
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(sql)
    conn.commit()
    conn.close()
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    damaged = db.read_bytes()
    with pytest.raises(StorageError) as err:  # the backup writer refuses it too
        take_backup(db, "auto")
    assert err.value.kind == KIND_CORRUPT and words in err.value.message
    store = open_store(data_dir)
    try:
        [notice] = store.notices
        assert notice.kind == NOTICE_RESTORED and words in notice.message
        assert notice.damaged_path is not None and notice.damaged_path.read_bytes() == damaged
        entry = store.progress(store.current_plan_id(), "悦城镇")[3]
        assert entry.achievements == "已录入的内容 3" * 40 and entry.due is None
    finally:
        store.close()


def test_copy_with_wal_but_no_shm_keeps_the_wal_data(tmp_path):
    """A file copied from a running program: ten saves only in its -wal, no -shm beside it."""
    data_dir = tmp_path / "office-pc"
    store = open_store(data_dir, auto_backup=False)
    pid = store.current_plan_id()
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for task in range(31, 41):
        store.save_progress(pid, "悦城镇", Progress(task, achievements=f"只在 WAL 里的记录 {task}"))
    usb = tmp_path / "usb"
    usb.mkdir()
    db = data_dir / "taizhang.sqlite3"
    (usb / "copy.sqlite3").write_bytes(db.read_bytes())
    (usb / "copy.sqlite3-wal").write_bytes(Path(f"{db}-wal").read_bytes())
    store.close()
    assert Path(f"{usb / 'copy.sqlite3'}-wal").stat().st_size > 0
    assert not Path(f"{usb / 'copy.sqlite3'}-shm").exists()
    usb_before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in usb.iterdir()}
    target = tmp_path / "new-pc"
    open_store(target, auto_backup=False).close()
    restore_database(target / "taizhang.sqlite3", usb / "copy.sqlite3")
    store = open_store(target, auto_backup=False)
    try:
        saved = store.progress(store.current_plan_id(), "悦城镇")
        assert [saved[t].achievements for t in range(31, 41)] == [f"只在 WAL 里的记录 {t}" for t in range(31, 41)]
    finally:
        store.close()
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in usb.iterdir()} == usb_before
    assert not [p for p in target.iterdir() if ".walcopy." in p.name or ".restore." in p.name]


def test_unreadable_wal_is_refused_not_dropped(tmp_path, good_copy):
    other = tmp_path / "other"
    store = open_store(other, auto_backup=False)
    store.conn.execute("PRAGMA wal_autocheckpoint = 0")
    store.save_progress(store.current_plan_id(), "悦城镇", Progress(7, achievements="日志里的记录"))
    wal = bytearray(Path(f"{other / 'taizhang.sqlite3'}-wal").read_bytes())
    store.close()
    wal[:32] = bytes(32)  # a damaged WAL header: SQLite would silently ignore every frame
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / "copy.sqlite3").write_bytes(good_copy.read_bytes())
    (usb / "copy.sqlite3-wal").write_bytes(bytes(wal))
    with pytest.raises(InvalidBackupError, match="-wal"):
        check_backup_file(usb / "copy.sqlite3")


def test_the_row_check_streams_a_large_file(tmp_path):
    """The open-time check reads every text value, a batch at a time: 40 MB of notes are checked in a few MB."""
    import tracemalloc

    from db.verify import decode_problems

    store = open_store(tmp_path)
    note = "落实情况" * 512  # 6 KB of UTF-8
    with store.conn:
        store.conn.executemany("INSERT INTO settings (key, value) VALUES (?, ?)",
                               ((f"k{i}", note) for i in range(7_000)))
    conn = store.conn
    tracemalloc.start()
    try:
        assert decode_problems(conn) == []
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * 1024 * 1024 // 4, peak  # the whole column at once held over 40 MB
    with conn:
        conn.execute("UPDATE settings SET value = CAST(X'E890' AS TEXT) WHERE key = 'k6999'")
    assert decode_problems(conn) == ["settings 的 value 列有无法读取的内容"]
    store.close()
