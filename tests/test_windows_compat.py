"""What differs on Windows: no SIGHUP, open files that cannot be replaced or deleted, Chinese folder names.

These run on Linux too; `make windows-test` runs them with the Windows Python under Wine, where the
Windows-only branches (a file held open blocks os.replace and deletion) are the real thing.
"""

from __future__ import annotations

import signal
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from core.model import Progress
from core.report.output import ReportWriteError, write_pdf_atomic
from db.backup import copy_database, list_backups, take_backup
from db.restore import restore_database
from db.store import Store
from tests.stores import open_store

WINDOWS = sys.platform == "win32"


def test_shutdown_hooks_install_without_sighup(qapp, monkeypatch: pytest.MonkeyPatch):
    """Windows has no SIGHUP: the hooks take SIGTERM alone instead of failing."""
    from gui.shutdown import ShutdownHooks

    monkeypatch.delattr(signal, "SIGHUP", raising=False)
    installed: list[int] = []
    monkeypatch.setattr(signal, "signal", lambda signum, handler: installed.append(signum))
    monkeypatch.setattr(signal, "set_wakeup_fd", lambda fd: -1)
    hooks = ShutdownHooks(qapp, lambda: None)
    hooks.install_signals()
    assert installed == [signal.SIGTERM]
    hooks.deleteLater()


def test_database_backup_and_restore_in_chinese_folders(tmp_path: Path):
    data_dir = tmp_path / "台账 数据" / "悦城镇（2019）"
    usb = tmp_path / "U盘" / "备份 文件夹"
    store = open_store(data_dir, auto_backup=False)
    plan_id = store.current_plan_id()
    store.save_progress(plan_id, "悦城镇", Progress(3, achievements="备份前：政务公开专栏已更新"))
    db_path = store.path
    store.close()

    copy = usb / "台账备份.sqlite3"
    copy_database(db_path, copy)
    store = Store.open(data_dir, auto_backup=False)
    store.save_progress(plan_id, "悦城镇", Progress(3, achievements="之后的修改"))
    store.close()

    result = restore_database(db_path, copy)
    assert result.safety_backup is not None and result.safety_backup.path.parent.parent == data_dir
    store = Store.open(data_dir, auto_backup=False)
    try:
        assert store.progress(plan_id, "悦城镇")[3].achievements == "备份前：政务公开专栏已更新"
        assert len(store.plan(plan_id).tasks) == 68
    finally:
        store.close()
    assert [b.reason for b in list_backups(db_path)] == ["before-restore"]
    assert sorted(p.name for p in data_dir.iterdir() if p.name.endswith(".tmp")) == []


def test_automatic_backup_in_a_chinese_folder(tmp_path: Path):
    store = Store.open(tmp_path / "镇政府办公室", auto_backup=False)
    db_path = store.path
    store.close()
    info = take_backup(db_path, "auto")
    assert info.path.is_file() and info.path.parent == tmp_path / "镇政府办公室" / "backups"


def test_report_over_a_file_another_program_has_open(tmp_path: Path):
    """A PDF reader holding the old report open: Windows refuses the replace, and the clerk is told why."""
    out = tmp_path / "报告 2019" / "悦城镇落实情况报告.pdf"
    out.parent.mkdir()
    write_pdf_atomic(out, b"%PDF-1.4 first")
    with out.open("rb") as reader:  # like a PDF reader: opened without FILE_SHARE_DELETE on Windows
        if WINDOWS:
            with pytest.raises(ReportWriteError) as err:
                write_pdf_atomic(out, b"%PDF-1.4 second")
            assert "正被其他程序打开" in str(err.value)
            assert reader.read() == b"%PDF-1.4 first"
        else:  # POSIX lets the name point at the new file while the reader keeps the old one
            write_pdf_atomic(out, b"%PDF-1.4 second")
            assert reader.read() == b"%PDF-1.4 first"
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left behind
    write_pdf_atomic(out, b"%PDF-1.4 third")  # once the reader is closed, saving works again
    assert out.read_bytes() == b"%PDF-1.4 third"


def test_smoke_test_closes_the_database_when_a_check_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """On Windows an open database cannot be deleted: a failing smoke test must still clean up."""
    from cli.smoke import run_smoke_test

    real_plan = Store.plan
    closed: list[bool] = []
    real_close = Store.close

    def short_plan(self, plan_id=None):
        plan = real_plan(self, plan_id)
        return replace(plan, tasks=plan.tasks[:3])

    def close(self):
        closed.append(True)
        real_close(self)

    monkeypatch.setattr(Store, "plan", short_plan)
    monkeypatch.setattr(Store, "close", close)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert run_smoke_test() == 1
    assert closed == [True]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("taizhang-smoke-")] == []
