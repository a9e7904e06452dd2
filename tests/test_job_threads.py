"""One threading rule (issue 24): a background job opens its own connection or is handed plain data.

The window's connection is bound to the UI thread (``check_same_thread``), so a job that borrowed it would raise
``sqlite3.ProgrammingError`` inside the job; the runner would report a failure instead of the job's result.
Each job the window runs through ``gui.runner`` is run here for real: opening the data, adding a file, adding a
link, writing a package (which reads the data and writes the archive row) and restoring a backup.
"""

from __future__ import annotations

import sqlite3
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from actions import backups
from actions.backup_list import backup_rows
from core.model import Progress, Status
from tests.evidence_fixtures import pdf, scan

OFFICE = "悦城镇"


def test_the_window_connection_refuses_other_threads(session):
    """The guard itself: without it a cross-thread use would pass silently."""
    seen: list[BaseException] = []

    def borrow() -> None:
        try:
            session.store.conn.execute("SELECT 1")
        except sqlite3.ProgrammingError as exc:
            seen.append(exc)

    worker = threading.Thread(target=borrow)
    worker.start()
    worker.join()
    assert len(seen) == 1 and "thread" in str(seen[0])
    assert session.store.conn.execute("SELECT 1").fetchone() == (1,)  # its own thread still may


def test_open_session_hands_the_window_a_connection_of_its_own_thread(qtbot, data_dir):
    from gui.app import open_session

    session = open_session(data_dir)  # checks and seeds on a worker (the start backup follows the first paint)
    try:
        assert session.office(OFFICE) is not None  # would raise ProgrammingError on the worker's connection
        assert session.plan().tasks  # the built-in plan, seeded by the job
    finally:
        session.close()


@pytest.fixture
def window(qtbot, session, monkeypatch):
    from gui.main_window import MainWindow

    w = MainWindow(session, session.office(OFFICE), today=date(2019, 12, 4))
    w.show()
    qtbot.waitUntil(w.is_built, timeout=10_000)
    w.jump_to_task(12)
    yield w
    w.detail.evidence.runner.wait()
    w.detail.evidence.thumb_runner.wait()
    w.data_menu.backups.runner.wait()
    w.close()
    w.deleteLater()
    qtbot.wait(1)


@pytest.fixture
def warnings_shown(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a, **k: shown.append(f"{title}：{text}"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    return shown


def test_every_window_job_runs_on_its_own_connection(window, qtbot, session, tmp_path, monkeypatch,
                                                      warnings_shown):
    panel = window.detail.evidence
    plan_id = session.current_plan_id()

    # 添加文件: the job reads the plan and writes the item
    panel.add_paths([pdf(tmp_path / "src" / "方案.pdf")])
    qtbot.waitUntil(lambda: len(panel.items()) == 1 or bool(warnings_shown), timeout=20_000)
    assert warnings_shown == []

    # 添加网页链接
    dialog = panel.add_link_dialog()
    outcome: list[str | None] = []
    dialog.submitted("http://www.deqing.gov.cn/xzxx/", "县长信箱", "2019-11-20",
                     str(scan(tmp_path / "src" / "截图.png")), outcome.append)
    qtbot.waitUntil(lambda: bool(outcome), timeout=20_000)
    assert outcome == [None] and len(panel.items()) == 2
    dialog.close()

    # 生成报送材料: reads everything, writes the zip and the archive row
    usb = tmp_path / "U盘"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    package = window.open_package()
    qtbot.addWidget(package)
    package.folder_button.click()
    package.fonts.setCurrentIndex(package.fonts.findData("bundled"))
    package.make(checked=True)
    qtbot.waitUntil(lambda: package.package is not None or bool(warnings_shown), timeout=60_000)
    assert warnings_shown == []
    with zipfile.ZipFile(package.package.info.path) as z:
        assert any(n.endswith("/12-1 方案.pdf") for n in z.namelist())
    assert [r.report_date for r in session.store.archived_reports(plan_id, OFFICE)] == ["2019-12-04"]  # on the window's

    # 恢复: the window closes its connection, the job swaps and checks the file, the window reconnects
    start = backup_rows(session)[-1].path  # the oldest: taken when the folder was opened
    session.store.save_progress(plan_id, OFFICE, Progress(12, Status.DONE, 100, achievements="恢复后不该在"))
    restored: list[bool] = []
    window.data_menu.backups.restored.connect(lambda: restored.append(True))
    window.data_menu.backups.restore_from(Path(start))
    qtbot.waitUntil(lambda: bool(restored) or bool(warnings_shown), timeout=30_000)
    assert warnings_shown == []
    assert 12 not in session.store.progress(plan_id, OFFICE)  # the window's own connection, on the new file


def test_restore_closed_leaves_the_file_checked_for_the_caller(session):
    """The restore job's action: the caller closed its session; afterwards it reconnects on its own thread."""
    plan_id = session.current_plan_id()
    start = backup_rows(session)[-1].path  # the oldest: taken when the folder was opened
    session.store.save_progress(plan_id, OFFICE, Progress(12, Status.DONE, 100, achievements="之后写的"))
    session.close()
    result = backups.restore_closed(session.data_dir, start)
    session.reconnect()
    assert result.safety_backup is not None
    assert 12 not in session.store.progress(plan_id, OFFICE)
