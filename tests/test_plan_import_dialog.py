"""The import preview: parse off the UI thread, flag issues, edit, carry over, save or cancel."""

from __future__ import annotations

from actions.session import Session
from core.model import Progress, Status
from gui.plan_import_dialog import PlanImportDialog


def _write_2020(notice_text, tmp_path):
    text = notice_text.replace("2019", "2020").replace("\n45.做好机构", "\n46.做好机构")
    path = tmp_path / "2020.txt"
    path.write_text(text, encoding="utf-8")
    return path


def select(dialog, index):
    from PySide6.QtCore import Qt

    for item in dialog.outline.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive):
        if item.data(0, Qt.ItemDataRole.UserRole) == index:
            dialog.outline.setCurrentItem(item)
            return
    raise AssertionError(index)


def _load(qtbot, store, tmp_path, notice_text):
    dialog = PlanImportDialog(Session(store.path.parent, store), store.office("悦城镇"))
    qtbot.addWidget(dialog)
    dialog.load_file(_write_2020(notice_text, tmp_path))
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    return dialog


def test_preview_flags_and_saves_with_carry_over(qtbot, store, tmp_path, notice_text, monkeypatch):
    store.save_progress(1, "悦城镇", Progress(12, Status.DONE, 100, achievements="办理市长留言 9 件"))
    dialog = _load(qtbot, store, tmp_path, notice_text)
    assert dialog.plan.title == "德庆县2020年政务公开工作要点分工方案"
    messages = [dialog.issues.item(i).text() for i in range(dialog.issues.count())]
    assert any("46" in m and ("重复" in m or "跳号" in m or "倒退" in m) for m in messages), messages
    assert dialog.carry_table.rowCount() == 1 and dialog.matches[0].new == 12
    shown = []
    monkeypatch.setattr("gui.plan_import_dialog.QMessageBox.warning", lambda *a: shown.append(a[2]))
    dialog.save()  # two tasks numbered 46: refused with a message, nothing written
    assert "任务编号重复：46" in shown[0] and [p.year for p in store.plans()] == [2019]
    select(dialog, 44)  # the first "46", really 45
    assert dialog.number_edit.value() == 46 and dialog.task_text.toPlainText().startswith("做好机构改革后")
    dialog.number_edit.setValue(45)
    dialog.apply_edit()
    with qtbot.waitSignal(dialog.planSaved, timeout=5000) as saved:
        dialog.save()
    new_id = saved.args[0]
    assert store.progress(new_id, "悦城镇")[12].achievements == "办理市长留言 9 件"
    assert len(store.plan(new_id).tasks) == 68


def test_hand_correction(qtbot, store, tmp_path, notice_text):
    dialog = _load(qtbot, store, tmp_path, notice_text)
    select(dialog, 2)
    assert dialog.units_edit.text() == "县府办牵头,各镇政府(街道办)、县各部门单位负责"
    dialog.task_text.setPlainText("政府各部门跟进解读。")
    dialog.units_edit.setText("县府办牵头，县司法局配合")
    dialog.apply_edit()
    assert dialog.plan.tasks[2].units.cooperating == ("县司法局",)
    assert "县司法局" in dialog.units_view.text()


def test_cancel_writes_nothing(qtbot, store, tmp_path, notice_text):
    dialog = _load(qtbot, store, tmp_path, notice_text)
    dialog.reject()
    assert [p.year for p in store.plans()] == [2019]


def test_bad_file_shows_message(qtbot, store, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("gui.plan_import_dialog.QMessageBox.warning", lambda *a: shown.append(a[2]))
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"PK\x03\x04junk")
    dialog = PlanImportDialog(Session(store.path.parent, store), store.office("悦城镇"))
    qtbot.addWidget(dialog)
    dialog.load_file(bad)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "Word" in shown[0] or "docx" in shown[0]
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Save).isEnabled()
