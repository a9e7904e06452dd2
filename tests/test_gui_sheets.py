"""The window's 文件 → 发给股室填写… / 导入股室填报… / 用县里的表格填写…, offscreen, dialogs answered in code."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

from actions import editing, sheets
from core.model import Status
from core.sheets.review import Choice
from tests.sheet_fixtures import answer
from tests.template_fixtures import county_template

OFFICE = "悦城镇"


@pytest.fixture
def window(qtbot, session):
    from gui.main_window import MainWindow

    w = MainWindow(session, session.office(OFFICE), today=date(2019, 10, 1))
    w.show()
    qtbot.waitUntil(w.is_built, timeout=10_000)
    yield w
    w.close()
    w.deleteLater()
    qtbot.wait(1)


def _file_menu_texts(w) -> list[str]:
    action = next(a for a in w.menuBar().actions() if a.text().startswith("文件"))
    menu = action.menu()
    return [a.text() for a in menu.actions() if a.text()]


def test_menu_entries(window):
    texts = _file_menu_texts(window)
    assert {"发给股室填写…", "导入股室填报…", "用县里的表格填写…"} <= set(texts)


def test_send_review_and_import(window, session, tmp_path, monkeypatch):
    pid = session.current_plan_id()
    editing.save_field(session, pid, OFFICE, 12, "owner", "党政办")
    editing.save_field(session, pid, OFFICE, 14, "owner", "经发办")
    editing.save_field(session, pid, OFFICE, 14, "problems", "原有问题")
    window.load_office(window.office)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (a[3][0], True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "发出.xlsx"), ""))
    window.sheet_actions.send()
    sent = tmp_path / "发出.xlsx"
    assert sent.exists()
    a = answer(sent, tmp_path / "a.xlsx", "党政办", {12: {"status": "完成", "achievements": "办结12件"}})
    b = answer(sent, tmp_path / "b.xlsx", "经发办", {14: {"problems": "人手不足"}})
    editing.save_field(session, pid, OFFICE, 14, "problems", "原有问题（已改）")  # after sending: a conflict
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a_, **k: ([str(a), str(b)], ""))
    seen = {}

    def exec_(dialog):
        seen["rows"] = dialog.table.rowCount()
        seen["conflict"] = dialog.table.item(2, 1).text()
        seen["choice"] = dialog.combos[2].currentData()
        dialog.combos[1].setCurrentIndex(dialog.combos[1].findData(Choice.KEEP))  # keep 成效做法 as it is
        dialog.accept()
        return QDialog.DialogCode.Accepted

    from gui.sheet_review_dialog import SheetReviewDialog
    monkeypatch.setattr(SheetReviewDialog, "exec", exec_)
    window.sheet_actions.import_answers()
    assert seen == {"rows": 3, "conflict": "存在问题\n冲突：发出后在软件中改过", "choice": Choice.BOTH}
    assert window.progress[12].status is Status.DONE and window.progress[12].achievements == ""
    assert window.progress[14].problems == "原有问题（已改）\n【经发办填报】人手不足"
    assert sheets.authors(session, pid, OFFICE, 14)


def test_fill_template_from_the_window(window, session, tmp_path, monkeypatch):
    src = county_template(tmp_path / "t.xlsx")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(src), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "o.xlsx"), ""))
    shown = {}

    def exec_(dialog):
        shown["columns"] = dialog.table.rowCount()
        row = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())].index("备注")
        dialog.combos[row].setCurrentIndex(dialog.combos[row].findData("problems"))
        return QDialog.DialogCode.Accepted

    from gui.template_dialog import TemplateMappingDialog
    monkeypatch.setattr(TemplateMappingDialog, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.setdefault("message", a[2]))
    window.sheet_actions.fill_template()
    assert shown["columns"] == 10 and "已填写 66 项任务" in shown["message"]
    assert "留空的列：分管领导、第三季度/季度目标" in shown["message"]
    from actions.templates import read_template
    assert read_template(session, src).mapping[10] == "problems"
