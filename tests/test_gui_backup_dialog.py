"""备份管理: the automatic backups listed with kind and size, 立即备份, restoring one from the list."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from actions.backup_list import backup_rows, size_text
from core.model import Progress, Status
from gui.backup_actions import BackupActions
from gui.backup_dialog import BackupDialog

OFFICE = "悦城镇"


@pytest.fixture
def manager(qtbot, session):
    parent = QWidget()
    qtbot.addWidget(parent)
    actions = BackupActions(parent, session)
    dialog = BackupDialog(actions, parent)
    dialog.open()
    yield dialog
    actions.runner.wait()


def test_lists_backups_with_kind_and_size_and_backs_up_now(manager, qtbot, session):
    assert manager.table.rowCount() == 1  # the one taken when the data folder was opened
    assert manager.table.item(0, 1).text() == "启动时"
    assert manager.table.item(0, 0).text().startswith("20") and "年" in manager.table.item(0, 0).text()
    row = backup_rows(session)[0]
    assert row.size == row.path.stat().st_size > 0
    assert manager.table.item(0, 2).text() == size_text(row.size)
    assert str(session.data_dir / "backups") in manager.intro.text()
    manager.backup_button.click()
    qtbot.waitUntil(lambda: manager.table.rowCount() == 2, timeout=10_000)
    assert manager.table.item(0, 1).text() == "手动"


def test_restore_selected_asks_in_words_then_replaces(manager, qtbot, session, monkeypatch):
    plan_id = session.current_plan_id()
    session.store.save_progress(plan_id, OFFICE, Progress(12, Status.DONE, 100, achievements="备份之后才写的"))
    asked: list[str] = []
    shown: list[str] = []

    def question(_parent, _title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a: shown.append(text))
    manager.table.selectRow(0)
    manager.restore_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "替换现在的全部数据" in asked[0] and "先自动备份" in asked[0] and "恢复前" in asked[0]
    assert 12 not in session.store.progress(plan_id, OFFICE)  # the start backup had no note for task 12
    qtbot.waitUntil(lambda: any(manager.table.item(r, 1).text() == "恢复前"
                                for r in range(manager.table.rowCount())), timeout=10_000)


def test_restore_from_file_opens_in_the_backups_folder(qtbot, session, monkeypatch):
    parent = QWidget()
    qtbot.addWidget(parent)
    actions = BackupActions(parent, session)
    seen: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda _p, _c, start, *a: (seen.append(start), ("", ""))[1])
    actions.restore_from_file()
    assert seen and Path(seen[0]) == session.data_dir / "backups"


def test_size_text():
    assert size_text(512) == "512 字节"
    assert size_text(812 * 1024) == "812 KB"
    assert size_text(int(1.4 * 1024 * 1024)) == "1.4 MB"


def test_backups_show_seconds_and_what_they_hold(manager, qtbot, session, monkeypatch):
    import re

    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QMessageBox

    from core.model import Progress, Status

    session.store.save_progress(session.current_plan_id(), OFFICE, Progress(12, Status.DONE, 100, achievements="是"))
    manager.backup_button.click()
    qtbot.waitUntil(lambda: manager.table.rowCount() == 2, timeout=10_000)
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d:\d\d", manager.table.item(0, 0).text())
    assert manager.table.item(0, 3).text() == "已填写 1 项任务，佐证材料 0 项"
    assert manager.table.item(1, 3).text() == "已填写 0 项任务，佐证材料 0 项"
    assert "现有 2 个备份" in manager.intro.text() and "佐证材料也一并恢复" in manager.intro.text()
    told = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    assert manager.open_folder() is False
    assert told and str(session.data_dir / "backups") in told[0]
