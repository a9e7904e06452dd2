"""Backups with evidence: the shared pool, the self-contained folder, and restores that never leave
rows pointing at absent files."""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest

from db import evidence as ev
from db.backup import take_backup
from db.evidence_backup import (
    EvidenceMissingError,
    after_backup,
    backup_evidence,
    fetch_missing_evidence,
    prune_evidence_pool,
    restore_with_evidence,
    verify_backup_folder,
    write_backup_folder,
)
from db.evidence_files import blob_path, evidence_dir
from db.store import Store, pool_evidence
from tests.evidence_fixtures import files_in, pdf, photo, scan
from tests.stores import open_store

OFFICE = "悦城镇"
TODAY = date(2019, 12, 4)


def add_three(store: Store, data: Path, src: Path):
    plan = store.current_plan_id()
    a = photo(src / "会议照片.jpg", seed=1)
    b = pdf(src / "关于印发政务公开工作要点的通知.pdf")
    c = scan(src / "县政府网站截图.png")
    ev.add_files(store.conn, data, plan, OFFICE, 12, [a], today=TODAY)
    ev.add_files(store.conn, data, plan, OFFICE, 13, [b], title="意见建议办理通知", today=TODAY)
    ev.add_link(store.conn, data, plan, OFFICE, 14, "http://www.deqing.gov.cn/xzxx/", "县长信箱栏目",
                seen_date="2019-12-03", screenshot=c, today=TODAY)
    return {p.name: p.read_bytes() for p in (a, b, c)}


def rows(db_dir: Path) -> list[tuple]:
    s = open_store(db_dir, auto_backup=False)
    try:
        return [(i.number, i.title, i.file_name, i.sha256, i.url)
                for i in ev.list_items(s.conn, s.current_plan_id(), OFFICE, include_removed=True)]
    finally:
        s.close()


def test_backup_folder_restores_into_an_empty_data_folder_byte_identical(store, data_dir, tmp_path):
    originals = add_three(store, data_dir, tmp_path / "src")
    usb = tmp_path / "usb"
    usb.mkdir()
    crashed = usb / ".taizhang-backup-20191203-090000.999999999.tmp"  # a stick pulled during an earlier backup
    (crashed / "evidence").mkdir(parents=True)
    info = write_backup_folder(store.path, data_dir, usb, now=datetime(2019, 12, 4, 15, 30))
    assert info.path == usb / "taizhang-backup-20191204-153000" and info.evidence_files == 3
    assert verify_backup_folder(info.path) == []
    assert sorted(p.name for p in usb.iterdir()) == ["taizhang-backup-20191204-153000"]  # no temp left
    manifest = json.loads((info.path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "taizhang-backup" and len(manifest["evidence"]) == 3
    expected_rows = rows(data_dir)

    fresh = tmp_path / "fresh"
    restore_with_evidence(fresh, info.path)
    assert rows(fresh) == expected_rows
    # every evidence file byte-identical: the same store, and each item's file equals its original
    assert files_in(evidence_dir(fresh)) == files_in(evidence_dir(data_dir))
    s = Store.open(fresh, auto_backup=False)
    try:
        items = ev.list_items(s.conn, s.current_plan_id(), OFFICE)
        got = {i.file_name: blob_path(evidence_dir(fresh), i.sha256 or "").read_bytes() for i in items}
        assert got == originals
        assert ev.check_evidence(s.conn, fresh) == []
    finally:
        s.close()


def test_backups_are_independent_copies_and_stored_files_read_only(store, data_dir, tmp_path):
    """Issue 20, item 4: a hard link made one changed byte in a photo change every backup (then restore
    refused even the database). Every backup now holds its own copy (a reflink at most)."""
    add_three(store, data_dir, tmp_path / "src")
    usb = tmp_path / "usb"
    usb.mkdir()
    first = write_backup_folder(store.path, data_dir, usb, now=datetime(2019, 12, 4, 15, 30))
    second = write_backup_folder(store.path, data_dir, usb, now=datetime(2019, 12, 5, 9, 0))
    auto = pool_evidence(store.conn, store.path, take_backup(store.path, "manual"))
    live = sorted(p for p in evidence_dir(data_dir).rglob("*") if p.is_file() and ".tmp" not in p.parts)
    pool = sorted(p for p in (auto.path.parent / "evidence").rglob("*") if p.is_file() and ".tmp" not in p.parts)
    copies = [sorted(p for p in (f.path / "evidence").rglob("*") if p.is_file()) for f in (first, second)]
    assert len(live) == len(pool) == len(copies[0]) == len(copies[1]) == 3
    inodes = [p.stat().st_ino for p in (*live, *pool, *copies[0], *copies[1])]
    assert len(set(inodes)) == 12  # no two of them are the same file
    assert all(p.stat().st_nlink == 1 for p in (*live, *pool, *copies[0], *copies[1]))
    assert all(p.stat().st_mode & 0o222 == 0 for p in (*live, *pool, *copies[0], *copies[1]))  # read-only
    before = [p.read_bytes() for p in pool]
    victim = live[0]
    victim.chmod(0o644)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one changed byte in a live photo
    victim.write_bytes(bytes(data))
    assert [p.read_bytes() for p in pool] == before
    assert verify_backup_folder(first.path) == [] and verify_backup_folder(second.path) == []


def test_backup_folder_refuses_when_a_live_file_is_altered(store, data_dir, tmp_path):
    add_three(store, data_dir, tmp_path / "src")
    target = next(p for p in evidence_dir(data_dir).rglob("*") if p.is_file())
    target.write_bytes(b"changed")
    usb = tmp_path / "usb"
    usb.mkdir()
    with pytest.raises(EvidenceMissingError, match="缺失或已被改动"):
        write_backup_folder(store.path, data_dir, usb)
    assert list(usb.iterdir()) == []


def _damage(path: Path) -> None:
    path.chmod(0o644)  # stored files are read-only
    path.write_bytes(b"x" + path.read_bytes()[1:])


def test_damaged_evidence_in_a_backup_folder_is_taken_from_the_folder_beside_it(store, data_dir, tmp_path):
    add_three(store, data_dir, tmp_path / "src")
    usb = tmp_path / "usb"
    usb.mkdir()
    info = write_backup_folder(store.path, data_dir, usb, now=datetime(2019, 12, 4, 15, 30))
    write_backup_folder(store.path, data_dir, usb, now=datetime(2019, 12, 5, 9, 0))
    _damage(next(p for p in (info.path / "evidence").rglob("*") if p.is_file()))
    problems = verify_backup_folder(info.path)
    assert len(problems) == 1 and "已被改动" in problems[0]
    fresh = tmp_path / "fresh"
    result = restore_with_evidence(fresh, info.path)
    assert result.missing_evidence == ()
    s = Store.open(fresh, auto_backup=False)
    try:
        assert len(ev.list_items(s.conn, s.current_plan_id(), OFFICE)) == 3
        assert ev.check_evidence(s.conn, fresh) == []
    finally:
        s.close()


def test_only_evidence_damaged_restores_the_database_names_the_item_and_fetches_it(store, data_dir, tmp_path):
    """Issue 20, item 4: damaged evidence everywhere no longer refuses the database; the items are named
    and can be taken from another backup afterwards."""
    add_three(store, data_dir, tmp_path / "src")
    usb, other = tmp_path / "usb", tmp_path / "other"
    usb.mkdir()
    other.mkdir()
    info = write_backup_folder(store.path, data_dir, usb)
    good = write_backup_folder(store.path, data_dir, other)  # elsewhere: not found by itself
    sha = ev.list_items(store.conn, store.current_plan_id(), OFFICE, 12)[0].sha256 or ""
    _damage(blob_path(info.path / "evidence", sha))
    fresh = tmp_path / "fresh"
    result = restore_with_evidence(fresh, info.path)
    assert result.missing_evidence == ("任务12 的 12-1 会议照片（会议照片.jpg）",)
    assert (fresh / "taizhang.sqlite3").exists()
    s = Store.open(fresh, auto_backup=False)
    try:
        assert len(ev.list_items(s.conn, s.current_plan_id(), OFFICE)) == 3  # the database came back whole
        assert len(ev.check_evidence(s.conn, fresh)) == 1
        assert fetch_missing_evidence(fresh, good.path) == (1, [])
        assert ev.check_evidence(s.conn, fresh) == []
    finally:
        s.close()


def test_restore_names_the_items_whose_files_are_nowhere(store, data_dir, tmp_path):
    add_three(store, data_dir, tmp_path / "src")
    plan = store.current_plan_id()
    backup = take_backup(store.path, "auto", datetime(2019, 12, 4, 10))  # no pool: the lead forgot it
    item = ev.list_items(store.conn, plan, OFFICE, 12)[0]
    ev.remove_item(store.conn, item.id, now=datetime(2019, 12, 4, 11))
    ev.purge_bin(store.conn, data_dir, datetime(2019, 12, 4, 12))
    store.close()
    result = restore_with_evidence(data_dir, backup.path)
    assert result.missing_evidence == ("任务12 的 12-1 会议照片（会议照片.jpg）",)
    conn = sqlite3.connect(data_dir / "taizhang.sqlite3")
    assert conn.execute("SELECT count(*) FROM evidence WHERE removed_at IS NULL").fetchone()[0] == 3
    conn.close()


def test_automatic_backups_share_one_pool_and_restore_purged_files(store, data_dir, tmp_path):
    add_three(store, data_dir, tmp_path / "src")
    plan = store.current_plan_id()
    first = take_backup(store.path, "auto", datetime(2019, 12, 4, 10))
    r1 = after_backup(store.conn, data_dir, first.path, first.taken_at)
    assert r1.pool.present == 0 and r1.pool.linked + r1.pool.copied == 3 and r1.pool.missing == ()
    item = ev.list_items(store.conn, plan, OFFICE, 12)[0]
    ev.remove_item(store.conn, item.id, now=datetime(2019, 12, 4, 11))
    second = take_backup(store.path, "auto", datetime(2019, 12, 4, 12))
    r2 = after_backup(store.conn, data_dir, second.path, second.taken_at)
    assert (r2.pool.present, r2.pool.linked + r2.pool.copied) == (3, 0)  # nothing copied twice
    assert (r2.purged.items, r2.purged.files) == (1, 1)  # the bin is emptied; the live file goes
    assert not blob_path(evidence_dir(data_dir), item.sha256 or "").exists()
    pool = data_dir / "backups" / "evidence"
    assert blob_path(pool, item.sha256 or "").exists()  # …but the backups keep it
    store.close()
    restore_with_evidence(data_dir, first.path)
    s = Store.open(data_dir, auto_backup=False)
    try:
        assert [i.number for i in ev.list_items(s.conn, plan, OFFICE)] == ["12-1", "13-1", "14-1"]
        assert ev.check_evidence(s.conn, data_dir) == []
    finally:
        s.close()


def test_pool_prune_keeps_what_kept_backups_need(store, data_dir, tmp_path):
    add_three(store, data_dir, tmp_path / "src")
    plan = store.current_plan_id()
    first = take_backup(store.path, "auto", datetime(2019, 12, 4, 10))
    backup_evidence(first.path, data_dir)
    item = ev.list_items(store.conn, plan, OFFICE, 12)[0]
    ev.remove_item(store.conn, item.id, now=datetime(2019, 12, 4, 11))
    ev.purge_bin(store.conn, data_dir, datetime(2019, 12, 4, 12))
    second = take_backup(store.path, "auto", datetime(2019, 12, 4, 13))
    backup_evidence(second.path, data_dir)
    pool = data_dir / "backups" / "evidence"
    assert prune_evidence_pool(data_dir / "backups") == []  # the first backup still needs the photo
    for b in (data_dir / "backups").glob("taizhang-*.sqlite3"):
        if b != second.path:
            os.unlink(b)
    assert prune_evidence_pool(data_dir / "backups") == [item.sha256]
    assert not blob_path(pool, item.sha256 or "").exists()


def test_a_backup_from_before_evidence_restores_and_migrates(data_dir, tmp_path):
    """A schema-2 backup (no evidence table) restores through restore_with_evidence and gains the table."""
    import sqlite3

    from db.connection import _statements
    from db.evidence_backup import referenced_in
    from db.schema import MIGRATIONS, SCHEMA_VERSION

    old = tmp_path / "taizhang-backup-2019.sqlite3"
    conn = sqlite3.connect(old)
    for script in MIGRATIONS[:2]:
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    assert referenced_in(old) == {}
    restore_with_evidence(data_dir, old)
    s = Store.open(data_dir, auto_backup=False)
    try:
        assert s.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert ev.list_items(s.conn, s.current_plan_id(), OFFICE) == []
    finally:
        s.close()


def test_backup_size_estimate_counts_each_content_once(store, data_dir, tmp_path):
    from db.evidence_backup import backup_size_estimate

    originals = add_three(store, data_dir, tmp_path / "src")
    plan = store.current_plan_id()
    ev.add_files(store.conn, data_dir, plan, OFFICE, 15, [tmp_path / "src" / "会议照片.jpg"], today=TODAY)
    expected = store.path.stat().st_size + sum(len(b) for b in originals.values())
    assert backup_size_estimate(store.conn, store.path) == expected
