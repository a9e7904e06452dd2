"""Damaged database files: set aside, never deleted; the newest good backup takes their place."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

import main
from core.model import Progress, Status
from db.backup import list_backups
from db.recovery import NOTICE_FRESH, NOTICE_RESTORED
from tests.fault_helpers import fingerprint
from tests.stores import open_store

PAGE = 4096


def build(data_dir: Path, with_backup: bool) -> tuple[Path, str | None]:
    """A database with entries, a backup of part of them, then later edits; all closed."""
    store = open_store(data_dir, auto_backup=False)
    pid = store.current_plan_id()
    for task in range(1, 30):
        store.save_progress(pid, "悦城镇", Progress(task, Status.IN_PROGRESS, task, achievements=f"早先的记录 {task}"))
    backup_print = None
    if with_backup:
        info = store.backup("auto")
        backup_print = fingerprint(info.path)
    store.save_progress(pid, "悦城镇", Progress(40, Status.DONE, 100, achievements="备份之后的修改"))
    store.close()  # the last connection checkpoints the WAL into the file
    assert not Path(f"{store.path}-wal").exists()
    return store.path, backup_print


def flip_bytes(data: bytearray, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 40)):
        if rng.random() < 0.5:  # a b-tree page header, where damage is most often visible
            pos = rng.randrange(1, len(data) // PAGE) * PAGE + rng.randrange(0, 12)
        else:
            pos = rng.randrange(len(data))
        data[pos] ^= 1 << rng.randrange(8)


def corrupt(path: Path, how: str, seed: int = 0) -> None:
    data = bytearray(path.read_bytes())
    if how == "zero-header":
        data[:100] = bytes(100)
    elif how == "truncated-half":
        data = data[: len(data) // 2]
    elif how == "truncated-1000":
        data = data[:1000]
    elif how == "empty":
        data = bytearray()
    elif how == "not-sqlite":
        data = bytearray("这不是数据库，是一封信。\n".encode() * 200)
    elif how == "page-zeroed":
        data[PAGE * 2: PAGE * 6] = bytes(PAGE * 4)
    elif how == "flips":
        flip_bytes(data, random.Random(seed))
    path.write_bytes(bytes(data))


def open_and_verify(data_dir: Path, damaged_bytes: bytes, backup_print: str | None) -> str:
    """Open as the app does; check the promises; return what happened."""
    store = open_store(data_dir)
    try:
        notices = [n for n in store.notices if n.kind in (NOTICE_RESTORED, NOTICE_FRESH)]
        assert len(notices) <= 1
        if not notices:  # damage SQLite cannot see: the file still works, every value reads back
            pid = store.current_plan_id()
            stored = store.progress(pid, "悦城镇")
            expected = {t: (t, f"早先的记录 {t}") for t in range(1, 30)} | {40: (100, "备份之后的修改")}
            assert {t: (p.percent, p.achievements) for t, p in stored.items()} == expected
            assert store.check() == [] and len(store.plan(pid).tasks) == 68
            return "undetected"
        notice = notices[0]
        assert notice.damaged_path is not None and notice.damaged_path.read_bytes() == damaged_bytes
        assert notice.damaged_path.name.startswith("taizhang.sqlite3.damaged-")
        assert store.check() == []
        pid = store.current_plan_id()
        assert store.save_progress(pid, "悦城镇", Progress(50, achievements="恢复后继续录入")) is not None
        if backup_print is not None:
            assert notice.kind == NOTICE_RESTORED
            assert notice.backup is not None and notice.backup.label in notice.message
            assert "可能缺失" in notice.message
            assert fingerprint(notice.backup.path) == backup_print
            assert store.progress(pid, "悦城镇")[3].achievements == "早先的记录 3"
            return "restored"
        assert notice.kind == NOTICE_FRESH and "没有可用的备份" in notice.message
        return "fresh"
    finally:
        store.close()


CASES = ["zero-header", "truncated-half", "truncated-1000", "empty", "not-sqlite", "page-zeroed"]


@pytest.mark.parametrize("with_backup", [True, False], ids=["backup", "no-backup"])
@pytest.mark.parametrize("how", CASES)
def test_damaged_file_is_kept_and_recovered(data_dir, how, with_backup):
    path, backup_print = build(data_dir, with_backup)
    corrupt(path, how)
    damaged = path.read_bytes()
    outcome = open_and_verify(data_dir, damaged, backup_print)
    assert outcome == ("restored" if with_backup else "fresh")


@pytest.mark.parametrize("with_backup", [True, False], ids=["backup", "no-backup"])
def test_random_byte_flips(tmp_path, with_backup):
    outcomes: dict[str, int] = {}
    for seed in range(40):
        data_dir = tmp_path / f"d{seed}"
        path, backup_print = build(data_dir, with_backup)
        corrupt(path, "flips", seed)
        outcome = open_and_verify(data_dir, path.read_bytes(), backup_print)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    # The figure docs/reliability.md and the README quote: 38 of 40 detected; the other 2 flips landed where no
    # check can see them (the schema of this round has more, partly empty pages) and those files are still whole:
    # open_and_verify read back all 30 entries with their exact values, checks pass, 68 tasks.
    assert outcomes == {("restored" if with_backup else "fresh"): 38, "undetected": 2}


def test_wal_and_shm_go_aside_with_the_file(data_dir):
    path, _ = build(data_dir, True)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO settings (key, value) VALUES ('only-in-wal', 'y')")
    saved = {p.name: p.read_bytes() for p in data_dir.glob("taizhang.sqlite3*")}
    conn.close()  # checkpoints and deletes the WAL; put the crash-time files back
    for name, data in saved.items():
        (data_dir / name).write_bytes(data)
    corrupt(path, "zero-header")
    store = open_store(data_dir)
    notice = store.notices[0]
    assert notice.kind == NOTICE_RESTORED
    assert Path(f"{notice.damaged_path}-wal").read_bytes() == saved["taizhang.sqlite3-wal"]
    assert Path(f"{notice.damaged_path}-shm").exists()
    assert store.setting("only-in-wal") is None  # the restored backup does not replay the old WAL
    store.close()


def test_newest_backup_damaged_uses_the_one_before(data_dir):
    path, _ = build(data_dir, True)
    store = open_store(data_dir, auto_backup=False)
    store.save_progress(store.current_plan_id(), "悦城镇", Progress(41, achievements="第二个备份"))
    newest = store.backup("auto")
    store.close()
    corrupt(newest.path, "zero-header")
    corrupt(path, "zero-header")
    store = open_store(data_dir)
    notice = store.notices[0]
    assert notice.kind == NOTICE_RESTORED and notice.backup is not None and notice.backup.path != newest.path
    assert newest.path.exists()  # a bad backup is not deleted either
    store.close()


def test_cli_prints_the_notice_and_works(data_dir, capsys):
    path, _ = build(data_dir, True)
    corrupt(path, "truncated-half")
    assert main.main(["--data-dir", str(data_dir), "check"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "ok"
    assert "注意：数据库文件已损坏" in err and "已自动从" in err and "Traceback" not in err
    assert len(list(data_dir.glob("taizhang.sqlite3.damaged-*"))) == 1
    assert list_backups(path)
