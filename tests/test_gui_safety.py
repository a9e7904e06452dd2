"""Single instance, shutdown hooks and the backup actions, with pytest-qt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from core.model import Progress
from db.backup import list_backups
from db.store import Store
from gui.backup_actions import BackupActions, show_notices
from gui.single_instance import LOCK_NAME, SingleInstance
from tests.fault_helpers import fingerprint

ROOT = Path(__file__).resolve().parent.parent


# --- single instance ----------------------------------------------------------------------------
def test_second_instance_asks_the_first_to_come_forward(qtbot, tmp_path):
    first = SingleInstance(tmp_path / "data")
    assert first.acquire()
    second = SingleInstance(tmp_path / "data")
    with qtbot.waitSignal(first.activationRequested, timeout=5000):
        assert second.acquire() is False
    other_folder = SingleInstance(tmp_path / "other")
    assert other_folder.acquire()  # a different data folder is a different instance
    first.release()
    third = SingleInstance(tmp_path / "data")
    assert third.acquire()
    third.release()
    other_folder.release()


def test_lock_left_by_a_killed_process_is_taken_over(qtbot, tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    code = textwrap.dedent(f"""
        import sys, time
        from PySide6.QtCore import QLockFile
        lock = QLockFile({str(data_dir / LOCK_NAME)!r}); lock.setStaleLockTime(0)
        assert lock.tryLock(0)
        print("locked", flush=True); time.sleep(60)
    """)
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "locked"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert (data_dir / LOCK_NAME).exists()  # the crash left its lock behind
    instance = SingleInstance(data_dir)
    assert instance.acquire() is True
    instance.release()


# --- shutdown -----------------------------------------------------------------------------------
@pytest.mark.skipif(os.name != "posix", reason="SIGTERM")
@pytest.mark.parametrize("signum", [signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])])
def test_sigterm_flushes_pending_edit_and_exits_cleanly(tmp_path, signum):
    data_dir = tmp_path / "data"
    child = subprocess.Popen([sys.executable, str(ROOT / "tests" / "shutdown_child.py"), str(data_dir)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    child.send_signal(signum)
    out, err = child.communicate(timeout=20)
    assert child.returncode == 0, err
    assert out.split() == ["flushed", "exit", "0", "flushes", "1"]
    store = Store.open(data_dir)
    assert store.progress(store.current_plan_id(), "悦城镇")[11].achievements == "关闭前还没保存的内容"
    store.close()


def test_quit_and_logoff_flush(qapp):
    from gui.shutdown import ShutdownHooks

    calls = []
    hooks = ShutdownHooks(qapp, lambda: calls.append(1))
    qapp.commitDataRequest.connect(lambda _m: hooks.flush())
    hooks.flush()
    assert calls == [1] and hooks.flush_count == 1

    def broken() -> None:
        raise RuntimeError("flush failed")

    failing = ShutdownHooks(qapp, broken)
    failing.flush()  # reported on stderr, does not stop the quit
    assert failing.flush_count == 1


# --- backup actions -----------------------------------------------------------------------------
class Recorder:
    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer=QMessageBox.StandardButton.Yes) -> None:
        self.shown: list[tuple[str, str]] = []
        for kind in ("information", "warning", "critical"):
            monkeypatch.setattr(QMessageBox, kind, staticmethod(lambda _p, title, text, *a, k=kind:
                                                                self.shown.append((k, f"{title}|{text}"))))
        monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: answer))


@pytest.fixture
def window(qtbot, data_dir):
    store = Store.open(data_dir)
    widget = QWidget()
    qtbot.addWidget(widget)
    state = {"store": store, "closed": 0, "reopened": 0}

    def close_store() -> None:
        state["store"].close()
        state["closed"] += 1

    def reopen_store() -> None:
        state["store"] = Store.open(data_dir)
        state["reopened"] += 1

    actions = BackupActions(widget, store.path, close_store, reopen_store)
    yield actions, state
    actions.pool.waitForDone(5000)
    state["store"].close()


def test_backup_to_folder_and_restore_from_file(window, qtbot, monkeypatch, tmp_path):
    actions, state = window
    rec = Recorder(monkeypatch)
    usb = tmp_path / "usb"
    usb.mkdir()
    store = state["store"]
    store.save_progress(store.current_plan_id(), "悦城镇", Progress(2, achievements="备份里的"))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(usb)))
    actions.backup_to_folder()
    qtbot.waitUntil(lambda: bool(rec.shown), timeout=5000)
    assert rec.shown[0][0] == "information" and "完整性检查" in rec.shown[0][1]
    [copy] = list(usb.iterdir())
    store.save_progress(store.current_plan_id(), "悦城镇", Progress(2, achievements="之后改的"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(copy), "")))
    actions.restore_from_file()
    qtbot.waitUntil(lambda: len(rec.shown) == 2, timeout=5000)
    assert rec.shown[1][0] == "information" and "恢复完成" in rec.shown[1][1]
    assert state["closed"] == 1 and state["reopened"] == 1
    new = state["store"]
    assert new.progress(new.current_plan_id(), "悦城镇")[2].achievements == "备份里的"
    assert fingerprint(copy) == fingerprint(new.path)


def test_restore_refuses_a_bad_file_without_closing(window, qtbot, monkeypatch, tmp_path):
    actions, state = window
    rec = Recorder(monkeypatch)
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("不是数据库", encoding="utf-8")
    actions.restore_from(bad)
    qtbot.waitUntil(lambda: bool(rec.shown), timeout=5000)
    assert rec.shown[0][0] == "warning" and "不能用于恢复" in rec.shown[0][1]
    assert state["closed"] == 0


def test_periodic_backup_only_when_changed(window, qtbot):
    actions, state = window
    messages: list[str] = []
    actions.message.connect(messages.append)
    before = len(list_backups(state["store"].path))
    actions.periodic_backup()
    actions.pool.waitForDone(5000)
    qtbot.wait(50)
    assert len(list_backups(state["store"].path)) == before and messages == []
    store = state["store"]
    store.save_progress(store.current_plan_id(), "悦城镇", Progress(9, achievements="半小时里的修改"))
    with qtbot.waitSignal(actions.message, timeout=5000):
        actions.periodic_backup()
    assert "已自动备份" in messages[-1]


def test_show_notices(monkeypatch, data_dir):
    from db.recovery import NOTICE_RESTORED, NOTICE_WARNING, Notice

    rec = Recorder(monkeypatch)
    show_notices(None, [Notice(NOTICE_WARNING, "网络共享"), Notice(NOTICE_RESTORED, "已恢复")])
    assert [k for k, _ in rec.shown] == ["warning", "critical"]
