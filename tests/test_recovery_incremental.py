"""Opening a large file reads only the history rows written since the newest backup; the rest stays covered.

Above :data:`db.recovery.FULL_CHECK_ROWS` verified history rows, the open-time check skips the rows the newest
backup holds (its copy decoded every one of them before it was named). These tests lower the threshold to 0,
so a small file takes the large file's path.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import db.recovery as recovery
from core.model import Progress, Status
from db.backup import change_fingerprint
from db.recovery import NOTICE_RESTORED, NOTICE_WARNING, content_problem, verified_rows
from db.store import Store
from db.verify import decode_problems
from tests.stores import open_store

OFFICE = "悦城镇"


def save(store: Store, task: int, text: str) -> None:
    store.save_progress(store.current_plan_id(), OFFICE, Progress(task, Status.IN_PROGRESS, 50, achievements=text))


def flip_history_text(path: Path, marker: str) -> int:
    """Damage, as a bad sector would, every stored copy of ``marker`` (the database closed): the high bit of its
    first character's lead byte, so the bytes after it are no longer UTF-8. Returns how many copies."""
    data = bytearray(path.read_bytes())
    needle = marker.encode()
    found, start = 0, data.find(needle)
    while start >= 0:
        data[start] ^= 0x80
        found += 1
        start = data.find(needle, start + 1)
    path.write_bytes(bytes(data))
    return found


def build(data_dir: Path, old_marker: str, new_marker: str | None, second: str = "第二稿：已修改") -> Path:
    """Entries, a backup, then (with ``new_marker``) a version saved after it. Each marker is held by one history
    row only: the entry was saved again with other words, so its current row in ``progress`` differs."""
    store = open_store(data_dir, auto_backup=False)
    for task in range(1, 20):
        save(store, task, f"早先的记录 {task}")
    save(store, 21, old_marker)
    save(store, 21, second)
    store.backup("auto")
    if new_marker is not None:
        save(store, 22, new_marker)
        save(store, 22, "第二稿：备份之后")
    else:
        save(store, 23, "备份之后的修改")
    store.close()
    assert not Path(f"{store.path}-wal").exists()
    return store.path


@pytest.fixture
def incremental(monkeypatch):
    monkeypatch.setattr(recovery, "FULL_CHECK_ROWS", 0)


def test_a_flip_in_a_row_written_after_the_backup_is_caught_at_open(data_dir, incremental):
    path = build(data_dir, "备份之前写下的记录", "备份之后写下的新记录")
    conn = sqlite3.connect(path)
    assert verified_rows(path, conn)["progress_history"] > 0  # the large file's path is taken
    conn.close()
    assert flip_history_text(path, "备份之后写下的新记录") >= 1
    assert "progress_history 的 achievements 列有无法读取的内容" in content_problem(path)
    store = open_store(data_dir)
    try:
        assert [n.kind for n in store.notices] == [NOTICE_RESTORED]
        assert store.check() == []
    finally:
        store.close()


def test_a_flip_in_a_row_the_backup_holds_is_caught_by_the_backup_and_check(data_dir, incremental):
    """Not at open (that row is not read again), but by the start backup's verification and by `check`."""
    path = build(data_dir, "备份之前写下的记录", None)
    assert flip_history_text(path, "备份之前写下的记录") >= 1
    assert content_problem(path) is None
    store = open_store(data_dir)  # the data changed since the backup: the start backup copies and decodes it
    try:
        [warning] = store.notices
        assert warning.kind == NOTICE_WARNING and "自动备份没有成功" in warning.message
        assert "progress_history 的 achievements 列有无法读取的内容" in warning.message
        assert store.check() == ["progress_history 的 achievements 列有无法读取的内容"]
    finally:
        store.close()


def test_a_small_file_is_still_read_in_full_at_open(data_dir):
    path = build(data_dir, "备份之前写下的记录", None)
    flip_history_text(path, "备份之前写下的记录")
    assert "progress_history 的 achievements 列有无法读取的内容" in content_problem(path)


def test_the_last_backed_up_row_must_be_this_files(data_dir, tmp_path, incremental):
    """Another file in the database's place (copied from another PC, say): the newest backup does not vouch for it,
    though its history has as many rows, and everything is read."""
    path = build(data_dir, "备份之前写下的记录", None)
    other = build(tmp_path / "other", "另一份台账的记录", None, "第二稿：另一份台账")
    mine, theirs = sqlite3.connect(path), sqlite3.connect(other)
    try:
        count = "SELECT max(id) FROM progress_history"
        assert mine.execute(count).fetchone() == theirs.execute(count).fetchone()
        assert verified_rows(path, mine) != {}
        assert verified_rows(path, theirs) == {}
    finally:
        mine.close()
        theirs.close()


def steps(conn: sqlite3.Connection, work, *args, every: int = 1) -> int:
    """SQLite virtual-machine steps (every ``every``-th) that ``work(conn, *args)`` takes."""
    count = [0]

    def tick() -> int:
        count[0] += 1
        return 0

    conn.set_progress_handler(tick, every)
    try:
        work(conn, *args)
    finally:
        conn.set_progress_handler(None, 0)
    return count[0] * every


def add_history(store: Store, versions: int) -> None:
    """``versions`` more saves of 10 entries, through the history triggers."""
    pid = store.current_plan_id()
    with store.conn:
        store.conn.executemany(
            "UPDATE progress SET achievements = ?, version = version + 1 WHERE plan_id = ? AND office = ? AND task = ?",
            ((f"第{v}稿：" + "已落实" * 40, pid, OFFICE, task) for v in range(versions) for task in range(1, 11)))


def drafted(data_dir):
    """A store whose tasks 1–10 have a first draft saved (the history the size tests then grow)."""
    store = open_store(data_dir, auto_backup=False)
    for task in range(1, 11):
        save(store, task, "初稿")
    return store


def test_open_work_does_not_grow_with_backed_up_history(data_dir):
    """Rows up to the watermark are not read: the check of the rows after it, and the start backup's change
    detection, take the same SQLite steps whether 200 or 20,200 history rows lie before it."""
    store = drafted(data_dir)
    measured = []
    for versions in (20, 2_000):
        add_history(store, versions)
        last = store.conn.execute("SELECT max(id) FROM progress_history").fetchone()[0]
        save(store, 5, f"水位之后的修改 {versions}")
        conn = store.conn
        measured.append((steps(conn, decode_problems, {"progress_history": last}),
                         steps(conn, change_fingerprint), steps(conn, decode_problems, every=100)))
    store.close()
    (small_check, small_print, small_full), (large_check, large_print, large_full) = measured
    assert large_full > 10 * small_full  # the full read does grow: the measure sees the rows
    # a deeper b-tree costs a few steps per seek
    assert large_check <= small_check * 1.02 and large_print <= small_print * 1.02, measured


def test_start_backup_finds_nothing_changed_without_reading_the_history(data_dir, monkeypatch):
    """backup_if_changed compares the file with its newest backup: the same steps at 200 or 20,200 history rows."""
    import db.backup as backup_mod

    counted = [0]
    plain = backup_mod._open_readonly

    def counting(path, **kw):
        conn = plain(path, **kw)

        def tick() -> int:
            counted[0] += 1
            return 0

        conn.set_progress_handler(tick, 1)
        return conn

    store = drafted(data_dir)
    measured = []
    for versions in (20, 2_000):
        add_history(store, versions)
        backup_mod.take_backup(store.path)
        monkeypatch.setattr(backup_mod, "_open_readonly", counting)
        counted[0] = 0
        assert backup_mod.backup_if_changed(store.path) is None
        measured.append(counted[0])
        monkeypatch.setattr(backup_mod, "_open_readonly", plain)
    store.close()
    assert measured[1] <= measured[0] * 1.02, measured


def test_change_fingerprint_sees_every_kind_of_change(data_dir):
    """Read less, but still tell a changed file: a save (a new history row), a setting, a removed entry."""
    store = open_store(data_dir, auto_backup=False)
    try:
        save(store, 3, "初稿")
        seen = {change_fingerprint(store.conn)}
        save(store, 3, "第二稿")
        seen.add(change_fingerprint(store.conn))
        store.set_setting("office", OFFICE)
        seen.add(change_fingerprint(store.conn))
        with store.conn:
            store.conn.execute("DELETE FROM progress WHERE task = 3")
        seen.add(change_fingerprint(store.conn))
        assert len(seen) == 4
    finally:
        store.close()
