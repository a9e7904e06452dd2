"""Manual backup to a folder or file, and restore: check first, back up, then swap atomically."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import db.connection as connection
import main
from core.model import Progress
from db.backup import list_backups
from db.open_lock import LOCK_NAME
from db.restore import InvalidBackupError, restore_database
from db.schema import SCHEMA_VERSION
from tests.fault_helpers import fingerprint
from tests.stores import open_store


def run(data_dir: Path, *args: str) -> int:
    return main.main(["--data-dir", str(data_dir), *args])


def save(data_dir: Path, task: int, text: str) -> None:
    store = open_store(data_dir, auto_backup=False)
    store.save_progress(store.current_plan_id(), "悦城镇", Progress(task, achievements=text))
    store.close()


def test_backup_to_folder_then_restore(tmp_path, data_dir, capsys):
    usb = tmp_path / "usb"
    usb.mkdir()
    save(data_dir, 3, "备份时的内容")
    assert run(data_dir, "backup", "--out", str(usb)) == 0
    [copy] = list(usb.iterdir())  # a folder: the database, evidence/ and manifest.json
    assert copy.name.startswith("taizhang-backup-") and "已通过完整性检查" in capsys.readouterr().err
    backed_up = fingerprint(copy / "taizhang.sqlite3")
    save(data_dir, 3, "之后的修改")
    later = fingerprint(data_dir / "taizhang.sqlite3")
    assert run(data_dir, "restore", str(copy)) == 0
    err = capsys.readouterr().err
    assert "已从" in err and "恢复前的数据已备份为" in err
    assert fingerprint(data_dir / "taizhang.sqlite3") == backed_up
    [pre] = [b for b in list_backups(data_dir / "taizhang.sqlite3") if b.reason == "before-restore"]
    assert fingerprint(pre.path) == later  # the restore itself can be undone
    assert run(data_dir, "check") == 0


def test_backup_to_named_file_and_missing_folder(tmp_path, data_dir, capsys):
    target = tmp_path / "给县府办的备份.sqlite3"
    assert run(data_dir, "backup", "--out", str(target)) == 0 and target.exists()
    assert run(data_dir, "backup", "--out", str(tmp_path / "no" / "such" / "x.sqlite3")) == 2
    assert "保存位置不存在" in capsys.readouterr().err


def make_bad(tmp_path: Path, data_dir: Path, kind: str) -> Path:
    bad = tmp_path / f"{kind}.sqlite3"
    if kind == "text":
        bad.write_text("不是数据库", encoding="utf-8")
    elif kind == "empty":
        bad.write_bytes(b"")
    elif kind == "other-sqlite":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE notes (x)")
        conn.close()
    elif kind in ("too-new", "damaged"):
        run(data_dir, "backup", "--out", str(bad))
        if kind == "too-new":
            conn = sqlite3.connect(bad)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
            conn.close()
        else:
            data = bytearray(bad.read_bytes())
            data[4096 * 2: 4096 * 4] = b"\xa5" * 8192
            bad.write_bytes(bytes(data))
    elif kind == "missing":
        pass
    return bad


@pytest.mark.parametrize("kind", ["text", "empty", "other-sqlite", "too-new", "damaged", "missing"])
def test_bad_restore_file_changes_nothing(tmp_path, data_dir, capsys, kind):
    save(data_dir, 4, "不能丢")
    bad = make_bad(tmp_path, data_dir, kind)
    assert run(data_dir, "check") == 0  # the start backup of the current data is taken here
    capsys.readouterr()
    before = fingerprint(data_dir / "taizhang.sqlite3")
    backups_before = sorted(p.name for p in (data_dir / "backups").iterdir())
    assert run(data_dir, "restore", str(bad)) == 2
    err = capsys.readouterr().err
    assert "不能用于恢复" in err and "数据库未改动" in err and "Traceback" not in err
    assert fingerprint(data_dir / "taizhang.sqlite3") == before
    assert sorted(p.name for p in (data_dir / "backups").iterdir()) == backups_before
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".") and p.name != LOCK_NAME]


def test_restore_refused_while_another_program_has_it_open(tmp_path, data_dir, monkeypatch, capsys):
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    save(data_dir, 4, "当前内容")
    copy = tmp_path / "copy.sqlite3"
    assert run(data_dir, "backup", "--out", str(copy)) == 0
    save(data_dir, 4, "更新的内容")
    db = data_dir / "taizhang.sqlite3"
    before = fingerprint(db)
    other = sqlite3.connect(db)
    other.execute("SELECT count(*) FROM progress").fetchone()
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM progress").fetchone()  # a reader in the middle of its work
    capsys.readouterr()
    assert run(data_dir, "restore", str(copy)) == 1
    assert "另一个程序" in capsys.readouterr().err
    other.rollback()
    other.close()
    assert fingerprint(db) == before


def test_restore_into_a_damaged_database_keeps_the_damaged_file(tmp_path, data_dir):
    save(data_dir, 4, "好的内容")
    copy = tmp_path / "copy.sqlite3"
    assert run(data_dir, "backup", "--out", str(copy)) == 0
    db = data_dir / "taizhang.sqlite3"
    db.write_bytes(b"\0" * 8192)
    result = restore_database(db, copy)
    assert result.damaged_path is not None and result.damaged_path.read_bytes() == b"\0" * 8192
    assert fingerprint(db) == fingerprint(copy)


def test_restore_api_rejects_before_touching(tmp_path, data_dir):
    save(data_dir, 4, "x")
    with pytest.raises(InvalidBackupError):
        restore_database(data_dir / "taizhang.sqlite3", tmp_path / "nothing.sqlite3")
