"""The 数据 menu: switching plans reloads the window; importing opens the preview."""

from __future__ import annotations

from core.model import Progress, Status
from core.notice_parser import parse_notice


def test_switch_plan_reloads(qtbot, session, store, notice_text):
    from gui.main_window import MainWindow

    plan_2020 = parse_notice(notice_text.replace("2019", "2020").replace("\n68.建立政府", "\n68.建立县政府"))
    from actions import plans

    new_id = plans.save_plan(session, plan_2020, "2020.txt").plan_id
    store.save_progress(new_id, "悦城镇", Progress(12, Status.DONE, 100, achievements="2020年办理市长留言"))
    window = MainWindow(session, session.office("悦城镇"))
    qtbot.addWidget(window)
    assert "2019" in window.windowTitle()
    window.data_menu.choose(new_id)
    assert window.plan_id == new_id and "2020" in window.windowTitle()
    assert store.current_plan_id() == new_id
    assert window.search_index.search("2020年办理") == {12}
    window.jump_to_task(12)
    assert window.detail.current_task() == 12
    window.data_menu._fill_plans()
    labels = [a.text() for a in window.data_menu.plans_menu.actions()]
    assert len(labels) == 2 and labels[1].startswith("2020年") and window.data_menu.plans_menu.actions()[1].isChecked()


def test_import_action_opens_preview(qtbot, session):
    from gui.main_window import MainWindow

    window = MainWindow(session, session.office("悦城镇"))
    qtbot.addWidget(window)
    dialog = window.data_menu.import_plan()
    assert dialog is not None and dialog.isVisible() and dialog.office.name == "悦城镇"
    dialog.reject()
