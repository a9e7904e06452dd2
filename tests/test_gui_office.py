"""Choosing the office on first run: the dialog, the remembered setting, a typed-in new office."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from core.model import OfficeKind
from gui.app import known_office
from gui.office_dialog import _NAME, OfficeDialog
from tests.gui_typing import type_text


def test_first_run_asks_once_then_remembers(qtbot, session, store):
    assert known_office(session, None) == (None, "")  # first run: the dialog is needed
    dialog = OfficeDialog(session)
    qtbot.addWidget(dialog)
    dialog.open()
    items = [dialog.list.item(i) for i in range(dialog.list.count())]
    names = [it.text().strip() for it in items if it.flags() & Qt.ItemFlag.ItemIsSelectable]
    assert names.index("德城街道") < names.index("悦城镇") < names.index("县府办")
    assert len([n for n in names if n.endswith(("镇", "街道"))]) == 13
    assert len(names) == len(store.offices()) + 1 and names[-1] == "我单位不在列表中"
    assert dialog.select("悦城镇")
    dialog.buttons.accepted.emit()
    assert dialog.result() == OfficeDialog.DialogCode.Accepted
    assert dialog.chosen is not None and dialog.chosen.name == "悦城镇"
    store.set_setting("office", dialog.chosen.name)  # what run_gui does with the answer

    assert store.setting("office") == "悦城镇"
    office, warning = known_office(session, None)  # a second start does not ask
    assert office is not None and office.name == "悦城镇" and warning == ""


def test_office_option_skips_the_question_and_unknown_is_reported(session):
    office, _ = known_office(session, "县财政局")
    assert office is not None and office.kind is OfficeKind.DEPARTMENT
    office, warning = known_office(session, "不存在镇")
    assert office is None and "不存在镇" in warning


def test_typed_new_office_needs_kind_and_a_second_yes(qtbot, session, store, monkeypatch):
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(_parent, _title, text, *args):
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = OfficeDialog(session)
    qtbot.addWidget(dialog)
    dialog.open()
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.filter.setFocus()
    type_text(dialog.filter, "县档案馆")
    assert dialog.kind_box.isVisible() and dialog.dept.isChecked()
    assert "县档案馆”不在列表中" in dialog.kind_label.text()
    dialog.town.setChecked(True)
    assert ok.isEnabled() and ok.text() == "添加新单位…"
    ok.click()  # first 否: nothing is added, the dialog stays
    assert len(asked) == 1 and "新的镇（乡、街道）" in asked[0]
    assert store.office("县档案馆") is None and dialog.isVisible() and dialog.chosen is None
    answer[0] = QMessageBox.StandardButton.Yes
    ok.click()
    assert dialog.chosen is not None and dialog.chosen.name == "县档案馆"
    assert store.office("县档案馆").kind is OfficeKind.TOWN


def test_part_of_a_town_name_and_enter_selects_the_town(qtbot, session, store, monkeypatch):
    """悦城 + Enter is 悦城镇 with its 66 tasks, never a new 县直部门 called 悦城."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a: pytest.fail("no new office may be proposed"))
    offices_before = len(store.offices())
    dialog = OfficeDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.filter.setFocus()
    type_text(dialog.filter, "悦城")
    assert dialog.list.currentItem().data(_NAME) == "悦城镇"
    assert not dialog.kind_box.isVisible()  # no "不在列表中" line
    listed = [dialog.list.item(i).text() for i in range(dialog.list.count()) if not dialog.list.item(i).isHidden()]
    assert listed == ["镇、乡、街道", "　悦城镇", "我单位不在列表中"]  # the empty 部门 heading is hidden too
    assert dialog.hint.text().startswith("当前方案中分给悦城镇 66 项任务")
    QTest.keyClick(dialog.filter, Qt.Key.Key_Return)
    assert dialog.result() == OfficeDialog.DialogCode.Accepted
    assert dialog.chosen is not None and dialog.chosen.name == "悦城镇"
    assert dialog.chosen.kind is OfficeKind.TOWN and len(store.offices()) == offices_before


def test_the_not_listed_line_goes_once_a_listed_office_is_picked(qtbot, session):
    dialog = OfficeDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.filter, "悦城X")
    assert dialog.kind_box.isVisible()
    dialog.filter.clear()
    assert not dialog.kind_box.isVisible()
    type_text(dialog.filter, "悦城X")
    assert dialog.kind_box.isVisible()
    dialog.filter.setText("镇")  # several towns: nothing chosen for the clerk, a hint instead
    assert dialog.list.currentItem() is None and not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    assert dialog.hint.text() == "有 12 个单位名称含“镇”，请在列表中选择。"
    assert dialog.select("马圩镇")
    assert not dialog.kind_box.isVisible()
    assert dialog.hint.text().startswith("当前方案中分给马圩镇 ")


def test_task_counts_per_role(session):
    from actions.office_view import task_counts
    from core.model import Office, Role

    counts = task_counts(session, session.office("悦城镇"))
    assert sum(counts.values()) == 66 and Role.RESPONSIBLE in counts
    wrong = task_counts(session, Office("悦城", OfficeKind.DEPARTMENT, builtin=False))
    assert sum(wrong.values()) < 66


def test_own_office_aliases_kept_and_used(qtbot, session, store):
    dialog = OfficeDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.select("悦城镇")
    dialog.aliases.setText("悦城镇人民政府、悦城")
    dialog.buttons.accepted.emit()
    assert dialog.result() == OfficeDialog.DialogCode.Accepted
    session.choose_office(dialog.chosen)
    own = session.remembered_office()
    assert own is not None and own.aliases == ("悦城镇人民政府", "悦城")
    again = OfficeDialog(session, "悦城镇")
    qtbot.addWidget(again)
    assert again.aliases.text() == "悦城镇人民政府、悦城"
