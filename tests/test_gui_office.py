"""Choosing the office on first run: the dialog, the remembered setting, a typed-in new office."""

from __future__ import annotations

from PySide6.QtCore import Qt

from core.model import OfficeKind
from gui.app import known_office
from gui.office_dialog import OfficeDialog
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
    assert len(names) == len(store.offices())
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


def test_typed_new_office_asks_kind_and_is_added(qtbot, session, store):
    dialog = OfficeDialog(session)
    qtbot.addWidget(dialog)
    dialog.open()
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.filter.setFocus()
    type_text(dialog.filter, "悦城")
    assert dialog.list.currentItem() is None or not dialog.kind_box.isVisible()
    dialog.filter.clear()
    type_text(dialog.filter, "县档案馆")
    assert dialog.kind_box.isVisible() and dialog.dept.isChecked()
    dialog.town.setChecked(True)
    assert ok.isEnabled()
    ok.click()
    assert dialog.chosen is not None and dialog.chosen.name == "县档案馆"
    assert store.office("县档案馆").kind is OfficeKind.TOWN
