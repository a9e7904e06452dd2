"""Single instance, shutdown hooks and the backup actions, with pytest-qt."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from core.model import Progress
from db.backup import list_backups
from gui.app import show_notices
from gui.backup_actions import BackupActions
from gui.single_instance import LOCK_NAME, SingleInstance
from tests.fault_helpers import fingerprint
from tests.stores import open_store

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


def test_a_second_launch_waits_for_the_first_to_listen(qtbot, tmp_path):
    """The window listens only after its first paint: a launch in between keeps trying until it does."""
    first = SingleInstance(tmp_path / "data")
    assert first.acquire(listen=False)
    second = SingleInstance(tmp_path / "data")
    tried, answer = threading.Event(), []
    take_lock = second._take_lock

    def counted() -> bool:  # called after each attempt that found no server
        tried.set()
        return take_lock()

    second._take_lock = counted
    launch = threading.Thread(target=lambda: answer.append(second.acquire()))
    launch.start()
    try:
        assert tried.wait(10)  # it found the lock held and nobody listening yet
        with qtbot.waitSignal(first.activationRequested, timeout=5000):
            first.listen()
            launch.join(10)
        assert answer == [False]  # it asked the first to come forward instead of running
    finally:
        launch.join(10)
        first.release()


def test_a_window_waiting_on_a_dialog_before_its_first_paint_answers_a_second_launch(qtbot, tmp_path,
                                                                                     monkeypatch):
    """The server starts once the event loop has run a moment, not only after the first paint: here the
    folder cannot be opened and the error dialog waits for the clerk."""
    from types import SimpleNamespace

    from actions.errors import StorageError
    from gui import app as gui_app
    from gui.early_open import EarlyOpen

    def cannot_open(data_dir, early=None):
        raise StorageError("数据文件夹不能写入", "readonly", data_dir)

    answers: list[bool] = []

    def dialog(parent, title, text):  # the modal dialog's own event loop, as the clerk reads it
        qtbot.waitUntil(lambda: early.instance._server is not None, timeout=5000)
        answers.append(SingleInstance(data_dir).acquire())

    data_dir = tmp_path / "data"
    monkeypatch.setattr(gui_app, "open_session", cannot_open)
    monkeypatch.setattr(QMessageBox, "critical", dialog)
    early = EarlyOpen(str(data_dir))
    try:
        args = SimpleNamespace(command=None, data_dir=str(data_dir), office=None, debug=False, smoke_test=False)
        assert gui_app._run_window(args, early) == 1
        assert answers == [False]  # it reached the waiting window instead of opening the folder too
    finally:
        early.wait()
        early.instance.release()
        root = logging.getLogger()  # EarlyOpen set up the data folder's log
        for handler in [h for h in root.handlers if getattr(h, "taizhang", False)]:
            root.removeHandler(handler)
            handler.close()


def test_lock_left_by_a_killed_process_is_taken_over(qtbot, tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    code = textwrap.dedent(f"""
        import sys
        from PySide6.QtCore import QLockFile
        lock = QLockFile({str(data_dir / LOCK_NAME)!r}); lock.setStaleLockTime(0)
        assert lock.tryLock(0)
        print("locked", flush=True); sys.stdin.readline()  # held until the test kills it
    """)
    child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "locked"
    child.send_signal(signal.SIGKILL)
    child.communicate()  # reaps the child and closes its pipe
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
    store = open_store(data_dir)
    assert store.progress(store.current_plan_id(), "悦城镇")[11].achievements == "关闭前还没保存的内容"
    store.close()


@pytest.fixture
def restored_signals():
    """install_shutdown_hooks sets process-wide handlers: put the test process's back afterwards."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM))}
    wakeup = signal.set_wakeup_fd(-1)
    signal.set_wakeup_fd(wakeup)
    yield
    signal.set_wakeup_fd(wakeup)
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def test_logoff_flushes_through_install_shutdown_hooks(qapp, restored_signals):
    """install_shutdown_hooks wires log-off (commitDataRequest) and quit to the same flush.

    A QSessionManager cannot be made outside a real session, and emitting the signal without one
    crashes, so the log-off wiring is checked by its receiver count and the flush through quit.
    """
    from PySide6.QtCore import SIGNAL

    from gui.shutdown import install_shutdown_hooks

    logoff = SIGNAL("commitDataRequest(QSessionManager&)")
    before = qapp.receivers(logoff)
    calls = []
    hooks = install_shutdown_hooks(qapp, lambda: calls.append("flushed"))
    try:
        assert qapp.receivers(logoff) == before + 1
        qapp.aboutToQuit.emit()
        assert calls == ["flushed"] and hooks.flush_count == 1
    finally:
        qapp.aboutToQuit.disconnect(hooks.flush)
        hooks._flush = lambda: None  # the log-off connection stays with the session's app: make it inert


def test_failed_flush_does_not_stop_the_quit(qapp):
    from gui.shutdown import ShutdownHooks

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
    from actions.session import Session

    session = Session.open(data_dir)
    widget = QWidget()
    qtbot.addWidget(widget)
    actions = BackupActions(widget, session)
    state = {"session": session, "restored": 0}
    actions.restored.connect(lambda: state.__setitem__("restored", state["restored"] + 1))
    yield actions, state
    actions.runner.wait()
    session.close()


def test_backup_to_folder_and_restore_from_file(window, qtbot, monkeypatch, tmp_path):
    actions, state = window
    rec = Recorder(monkeypatch)
    usb = tmp_path / "usb"
    usb.mkdir()
    store = state["session"].store
    store.save_progress(store.current_plan_id(), "悦城镇", Progress(2, achievements="备份里的"))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(usb)))
    actions.backup_to_folder()
    qtbot.waitUntil(lambda: bool(rec.shown), timeout=5000)
    assert rec.shown[0][0] == "information" and "完整性检查" in rec.shown[0][1]
    [folder] = list(usb.iterdir())  # a backup folder: the clerk picks the database file inside it
    copy = folder / "taizhang.sqlite3"
    store.save_progress(store.current_plan_id(), "悦城镇", Progress(2, achievements="之后改的"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(copy), "")))
    actions.restore_from_file()
    qtbot.waitUntil(lambda: len(rec.shown) == 2, timeout=5000)
    assert rec.shown[1][0] == "information" and "恢复完成" in rec.shown[1][1]
    assert state["restored"] == 1
    new = state["session"].store
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
    assert state["restored"] == 0


def test_periodic_backup_only_when_changed(window, qtbot):
    actions, state = window
    messages: list[str] = []
    actions.message.connect(messages.append)
    store = state["session"].store
    before = len(list_backups(store.path))
    with qtbot.waitSignal(actions.busyChanged, check_params_cb=lambda busy: not busy, timeout=5000):
        actions.periodic_backup()
    assert len(list_backups(store.path)) == before and messages == []
    store.save_progress(store.current_plan_id(), "悦城镇", Progress(9, achievements="半小时里的修改"))
    with qtbot.waitSignal(actions.message, timeout=5000):
        actions.periodic_backup()
    assert "已自动备份" in messages[-1]


def test_show_notices(monkeypatch, data_dir):
    from db.recovery import NOTICE_RESTORED, NOTICE_WARNING, Notice

    rec = Recorder(monkeypatch)
    show_notices(None, [Notice(NOTICE_WARNING, "网络共享"), Notice(NOTICE_RESTORED, "已恢复")])
    assert [k for k, _ in rec.shown] == ["warning", "critical"]
