"""The open-time check started first thing, on its own thread (gui/early_open.py, issue 22).

What must hold as before: the single-instance lock comes first (a second launch never checks the running
window's files), the check has finished before the window gets its own connection on the UI thread, and a
failed check is told plainly. The window's start order itself is checked in tests/test_startup.py.
"""

from __future__ import annotations

import logging
import threading

import pytest

from actions.errors import StorageError
from actions.session import Session
from gui.early_open import EarlyOpen
from gui.single_instance import SingleInstance


@pytest.fixture
def calls(monkeypatch):
    """Every Session.prepare, with the thread it ran on; the real check still runs."""
    seen: list[str] = []
    prepare = Session.prepare.__func__

    def recorded(cls, data_dir, **kwargs):
        seen.append(threading.current_thread().name)
        return prepare(cls, data_dir, **kwargs)

    monkeypatch.setattr(Session, "prepare", classmethod(recorded))
    yield seen
    root = logging.getLogger()  # EarlyOpen set up the data folder's log
    for handler in [h for h in root.handlers if getattr(h, "taizhang", False)]:
        root.removeHandler(handler)
        handler.close()


def test_the_check_runs_on_its_own_thread_once_the_lock_is_ours(qtbot, data_dir, calls):
    from gui.app import open_session

    early = EarlyOpen(str(data_dir))
    try:
        assert not SingleInstance(data_dir).lock()  # taken before the check started
        session = open_session(data_dir, early)
        try:
            assert calls == ["taizhang-open"]  # the early thread's, not one more on the runner
            assert session.office("悦城镇") is not None  # this thread's own connection
            assert session.plan().tasks  # seeded by the early check
        finally:
            session.close()
    finally:
        early.wait()
        early.instance.release()


def test_a_second_launch_does_not_check_the_running_windows_files(qtbot, data_dir, calls):
    first = SingleInstance(data_dir)
    assert first.acquire()
    try:
        second = EarlyOpen(str(data_dir))
        second.wait()
        assert calls == []  # no check of the files the running window has open
        assert second.instance.acquire() is False  # it asks the running one to come forward instead
    finally:
        first.release()


def test_a_failed_early_check_is_told_plainly(qtbot, data_dir, monkeypatch, calls):
    from gui.app import open_session

    def broken(cls, data_dir, **kwargs):
        raise StorageError("数据文件夹不能写入：请检查U盘是否写保护", "readonly", data_dir)

    monkeypatch.setattr(Session, "prepare", classmethod(broken))
    early = EarlyOpen(str(data_dir))
    try:
        with pytest.raises(StorageError) as exc:
            open_session(data_dir, early)
        assert exc.value.message == "数据文件夹不能写入：请检查U盘是否写保护"
    finally:
        early.wait()
        early.instance.release()
