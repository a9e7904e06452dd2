"""The main window on the real 2019 plan, offscreen: models, typing and saving, filters, search, dashboard."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from core.model import MAX_FIELD_CHARS, Progress, Role, Status
from db.errors import StorageError
from tests.gui_typing import type_text
from tests.stores import open_store

TODAY = date(2019, 10, 1)


@pytest.fixture
def make_window(qtbot, session):
    from gui.main_window import MainWindow

    windows = []

    def make(office: str = "悦城镇"):
        w = MainWindow(session, session.office(office), today=TODAY)
        windows.append(w)
        w.show()
        qtbot.waitUntil(w.is_built, timeout=10_000)  # menus and detail pane come right after the first paint
        return w

    yield make
    for w in windows:  # before the store closes: closing flushes and stops the timers
        if w.autosaver.dirty and not w.autosaver.flush():
            w.autosaver.discard()  # a test left refused text: closing would ask (modal)
        w.close()
        w.deleteLater()
    qtbot.wait(1)


def shown_tasks(w) -> list[int]:
    return [w.proxy.task_number(r) for r in range(w.proxy.rowCount())]


def fresh_progress(data_dir, task: int) -> Progress | None:
    s = open_store(data_dir)
    try:
        return s.progress(s.current_plan_id(), "悦城镇").get(task)
    finally:
        s.close()


def test_models_pass_qmodeltester(qtmodeltester, make_window):
    w = make_window()
    qtmodeltester.check(w.model)
    qtmodeltester.check(w.proxy)
    w.filters.search.setText("舆情")
    w._apply_query("舆情")
    qtmodeltester.check(w.proxy)


def test_opens_on_the_office_tasks(make_window):
    w = make_window()
    assert w.model.rowCount() == 68
    assert w.proxy.rowCount() == 66
    assert 65 not in shown_tasks(w) and 68 not in shown_tasks(w)
    assert w.current_task() == 1
    # Qt adds the application's display name (落实台账) after the title on X11 and Windows: not repeated.
    assert w.windowTitle() == "悦城镇 - 德庆县2019年政务公开工作要点分工方案"
    assert w.dashboard.deadline.text() == "报送时限 2019-12-05：还有 65 天"
    assert w.dashboard.status_buttons[Status.NOT_STARTED].text() == "未开始 0"  # nothing saved yet: 未填写
    assert w.dashboard.status_buttons["unfilled"].text() == "未填写 66"


def test_typing_then_switching_task_persists(qtbot, make_window, data_dir):
    w = make_window()
    w.jump_to_task(12)
    assert w.current_task() == 12
    assert "市长留言" in w.detail.requirement.text()
    editor = w.detail.notes["achievements"]
    editor.setFocus()
    type_text(editor, "办结市长留言3件")
    w.jump_to_task(13)
    assert w.current_task() == 13
    saved = fresh_progress(data_dir, 12)
    assert saved is not None and saved.achievements == "办结市长留言3件"
    assert w.model.data(w.model.index(w.model.row_of(12), 6)) != ""
    assert w.saved_label.text().startswith("已保存 ")


def test_autosave_within_a_second_without_leaving(qtbot, make_window, data_dir):
    w = make_window()
    w.jump_to_task(7)
    editor = w.detail.notes["next_steps"]
    type_text(editor, "完善舆情台账")
    assert fresh_progress(data_dir, 7) is None  # not yet: the timer runs
    qtbot.waitUntil(lambda: (p := fresh_progress(data_dir, 7)) is not None and p.next_steps == "完善舆情台账",
                    timeout=2000)
    # Undo still works after the save: the editor text was not reset.
    editor.undo()
    assert editor.toPlainText() != "完善舆情台账"


def test_search_two_characters_and_phrase(qtbot, make_window, store):
    w = make_window()
    w.jump_to_task(12)
    type_text(w.detail.notes["steps"], "舆情研判")
    w.save_now()
    w.jump_to_task(1)
    w.filters.search.setText("舆情")
    qtbot.waitUntil(lambda: shown_tasks(w) == [6, 7, 8, 9, 10, 11, 12], timeout=1000)
    assert w.delegate.query == "舆情"
    w.filters.search.setText("市长留言")
    qtbot.waitUntil(lambda: shown_tasks(w) == [12], timeout=1000)
    assert w.current_task() == 12
    assert "市长留言</span>" in w.detail.requirement.text()
    assert w.detail.highlighters["steps"].query == "市长留言"
    w.filters.search.clear()
    qtbot.waitUntil(lambda: w.proxy.rowCount() == 66, timeout=1000)
    qtbot.wait(1200)
    # Highlighting the match is not an edit: only task 12 was ever saved, once.
    assert list(store.progress(w.plan_id, "悦城镇")) == [12]
    assert len(store.history(w.plan_id, "悦城镇", 12)) == 1


def test_search_finds_notes(qtbot, make_window):
    w = make_window()
    w.jump_to_task(30)
    type_text(w.detail.notes["problems"], "人手紧张")
    assert w.save_now()
    w.filters.search.setText("人手")
    qtbot.waitUntil(lambda: shown_tasks(w) == [30], timeout=1000)


def test_scope_role_status_and_outline_filters(qtbot, store, make_window):
    plan_id = store.current_plan_id()
    store.save_progress(plan_id, "悦城镇", Progress(20, Status.DONE, 100, achievements="已公开"))
    w = make_window()
    w.filters.scope.setCurrentIndex(1)
    assert w.proxy.rowCount() == 68
    w.filters.scope.setCurrentIndex(0)
    w.filters.role.setCurrentIndex(w.filters.role.findData(Role.LEAD))
    lead = shown_tasks(w)
    assert len(lead) == 2 and all(w.roles[n] is Role.LEAD for n in lead)
    w.filters.role.setCurrentIndex(0)
    w.filters.status.setCurrentIndex(w.filters.status.findData(Status.DONE))
    assert shown_tasks(w) == [20]
    w.filters.status.setCurrentIndex(0)
    # Outline: section 二 holds tasks 18–24.
    w.outline.setCurrentItem(w.outline.item_for(1, None))
    expected = [t.number for t in w.plan.tasks if t.section == 1 and w.roles[t.number] is not Role.NONE]
    assert shown_tasks(w) == expected and 20 in expected
    assert w.outline.item_for(1, None).text(1) == f"1/{len(expected)}"


def test_overdue_filter(store, make_window):
    plan_id = store.current_plan_id()
    store.save_progress(plan_id, "悦城镇", Progress(3, Status.IN_PROGRESS, due=date(2019, 9, 1)))
    store.save_progress(plan_id, "悦城镇", Progress(4, Status.DONE, due=date(2019, 9, 1)))
    store.save_progress(plan_id, "悦城镇", Progress(5, Status.NOT_STARTED, due=date(2019, 11, 1)))
    w = make_window()
    w.filters.overdue.setChecked(True)
    assert shown_tasks(w) == [3]
    w.filters.overdue.setChecked(False)
    assert w.proxy.rowCount() == 66


def test_dashboard_lists_done_without_achievements_and_jumps(qtbot, store, make_window):
    plan_id = store.current_plan_id()
    store.save_progress(plan_id, "悦城镇", Progress(33, Status.DONE, 100, achievements=""))
    store.save_progress(plan_id, "悦城镇", Progress(40, Status.IN_PROGRESS, 50))
    w = make_window()
    assert w.dashboard.gap_tasks()[:2] == [33, 40]
    assert "已完成但未填写成效做法" in w.dashboard.gaps.item(0).text()
    assert len(w.dashboard.gap_tasks()) == 66
    w.filters.search.setText("舆情")
    w._apply_query("舆情")
    rect = w.dashboard.gaps.visualItemRect(w.dashboard.gaps.item(0))
    qtbot.mouseClick(w.dashboard.gaps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.current_task() == 33
    assert w.detail.status.currentData() is Status.DONE
    # Filling in 成效做法 takes it off the list.
    type_text(w.detail.notes["achievements"], "公开目录")
    w.save_now()
    assert 33 not in w.dashboard.gap_tasks()


def test_oversized_paste_is_refused_and_kept(qtbot, make_window, data_dir):
    w = make_window()
    w.jump_to_task(12)
    editor = w.detail.notes["steps"]
    big = "很长的文字" * (MAX_FIELD_CHARS // 5 + 1)
    editor.insertPlainText(big)
    assert not w.save_now()
    assert w.detail.note_warnings["steps"].isVisibleTo(w.detail)
    assert w.saved_label.text() == "未保存"
    assert fresh_progress(data_dir, 12) is None
    assert editor.toPlainText() == big  # nothing truncated, nothing lost
    w.jump_to_task(13)
    assert w.current_task() == 12  # refused to leave the unsaved text behind
    editor.setPlainText(big[:MAX_FIELD_CHARS])
    assert w.save_now()
    assert len(fresh_progress(data_dir, 12).steps) == MAX_FIELD_CHARS
    assert not w.detail.note_warnings["steps"].isVisibleTo(w.detail)


def test_storage_error_keeps_text_and_retries(qtbot, make_window, data_dir, monkeypatch):
    w = make_window()
    w.jump_to_task(14)
    real_save = w.session.store.save_fields

    def broken(*_a, **_k):
        raise StorageError("磁盘已满，无法保存。", "full")

    monkeypatch.setattr(w.session.store, "save_fields", broken)
    type_text(w.detail.notes["achievements"], "县长信箱")
    assert not w.save_now()
    assert "磁盘已满" in w.statusBar().currentMessage()
    assert w.detail.notes["achievements"].toPlainText() == "县长信箱"
    monkeypatch.setattr(w.session.store, "save_fields", real_save)
    type_text(w.detail.notes["achievements"], "留言")
    qtbot.waitUntil(lambda: (p := fresh_progress(data_dir, 14)) is not None and p.achievements == "县长信箱留言",
                    timeout=2000)


def test_history_restore_makes_a_new_version(qtbot, make_window, data_dir, monkeypatch):
    from gui import history_dialog
    from gui.history_dialog import HistoryDialog, field_versions

    w = make_window()
    w.jump_to_task(12)
    editor = w.detail.notes["problems"]
    type_text(editor, "第一稿")
    w.save_now()
    editor.selectAll()
    type_text(editor, "第二稿")
    w.save_now()
    versions = w.session.store.history(w.plan_id, "悦城镇", 12)
    assert [v.progress.problems for v in field_versions(versions, "problems")] == ["第二稿", "第一稿"]

    dialog = HistoryDialog(versions, "problems", "存在问题", 12, w)
    dialog.open()
    dialog.list.setCurrentRow(1)
    assert dialog.preview.toPlainText() == "第一稿"
    dialog.accept()
    assert dialog.chosen_text == "第一稿"

    class Picked(HistoryDialog):
        def exec(self) -> int:
            self.list.setCurrentRow(1)
            self.accept()
            return 1

    monkeypatch.setattr(history_dialog, "HistoryDialog", Picked)
    w.show_history("problems")
    assert editor.toPlainText() == "第一稿"
    editor.undo()
    assert editor.toPlainText() == "第二稿"
    editor.redo()
    w.save_now()
    history = open_store(data_dir).history(w.plan_id, "悦城镇", 12)
    assert [v.progress.problems for v in history[:3]] == ["第一稿", "第二稿", "第一稿"]


def test_override_marks_task_and_updates_counts(make_window, store):
    w = make_window()
    w.jump_to_task(65)
    assert w.current_task() == 65 and w.roles[65] is Role.NONE
    w.detail.override.setCurrentIndex(w.detail.override.findData(Role.RESPONSIBLE))
    w.detail.override.activated.emit(w.detail.override.currentIndex())
    assert store.overrides(w.plan_id, "悦城镇") == {65: Role.RESPONSIBLE}
    assert "已调整" in w.detail.role_label.text()
    w.filters.scope.setCurrentIndex(0)
    assert w.proxy.rowCount() == 67
    assert w.outline.item_for(None, None).text(1) == "0/67"


def test_due_date_far_from_plan_year_warns(make_window):
    from PySide6.QtCore import QDate

    w = make_window()
    w.detail.due.setDate(QDate(2091, 5, 1))
    assert w.detail.due_warning.isVisibleTo(w.detail)
    assert "2019" in w.detail.due_warning.text()
    w.detail.due.setDate(QDate(2019, 11, 30))
    assert not w.detail.due_warning.isVisibleTo(w.detail)


def test_keyboard_shortcuts(qtbot, make_window, monkeypatch):
    w = make_window()
    w.table.setFocus()
    qtbot.keyClick(w.table, Qt.Key.Key_Down)
    assert w.current_task() == 2
    w.menus.act_next.trigger()
    assert w.current_task() == 3
    shortcuts = {a.text(): [s.toString() for s in a.shortcuts()] for a in w.actions()}
    assert shortcuts["打印报告…"] == ["Ctrl+P"]
    assert shortcuts["立即保存"] == ["Ctrl+S"]
    assert shortcuts["查找"] == ["Ctrl+F"]
    assert "Ctrl+Return" in shortcuts["下一项任务"]
    w.menus.act_report.trigger()  # Ctrl+P: the report dialog on this office's saved progress
    dialog = w._report_dialog
    assert dialog.isVisible() and dialog.office.name == "悦城镇"
    qtbot.waitUntil(lambda: dialog.is_ready(), timeout=30_000)
    assert dialog.preview.page_count() >= 2
    dialog.close()


def test_window_save_keeps_a_field_another_process_changed(make_window, data_dir):
    """Issue 20, item 2: the window wrote all eight fields back from its editors, undoing a `progress set` made
    beside it. Now it writes only what the clerk changed, merged inside the save's transaction."""
    from tests.test_cli import run

    w = make_window()
    w.jump_to_task(14)
    type_text(w.detail.notes["achievements"], "窗口")
    assert w.save_now()
    done = run(data_dir, "progress", "set", "--office", "悦城镇", "--task", "14", "--field", "problems",
               "--value", "命令写的")
    assert done.returncode == 0, done.stderr
    type_text(w.detail.notes["achievements"], "继续")
    assert w.save_now()
    type_text(w.detail.notes["steps"], "再写")  # a later save of another field must not revert it either
    assert w.save_now()
    p = fresh_progress(data_dir, 14)
    assert (p.achievements, p.problems, p.steps) == ("窗口继续", "命令写的", "再写")
    assert w.progress[14].problems == "命令写的"  # the table shows the merged entry
