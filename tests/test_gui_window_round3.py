"""The window, round 3: the wheel never changes a field it merely passes over, the keyboard reaches
everything, restored geometry fits the screen, 未填写 apart from 未开始, and the check before submitting."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.gui_typing import type_text


@pytest.fixture
def open_window(qtbot, session):
    from gui.main_window import MainWindow

    windows = []

    def make(today: date = date(2019, 10, 1), size=(1366, 768)):
        w = MainWindow(session, session.office("悦城镇"), today=today)
        windows.append(w)
        if size is not None:
            w.resize(*size)
        w.show()
        qtbot.waitUntil(w.is_built, timeout=10_000)
        return w

    yield make
    for w in windows:
        if w.isVisible():
            w.close()
        w.deleteLater()
    qtbot.wait(1)


def wheel(widget, notches: int = -1) -> None:
    """One wheel turn over the middle of ``widget`` (negative: towards the clerk, i.e. scrolling down)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_a_field_scrolls_and_changes_nothing(open_window, qtbot):
    w = open_window()
    w.jump_to_task(12)
    pane = w.detail
    pane.resize(pane.width(), 300)  # the pane must scroll, as at 1366×768
    w.table.setFocus()
    fields = {"status": pane.status, "override": pane.override, "slider": pane.percent_slider,
              "percent": pane.percent, "due": pane.due}
    before = {"status": pane.status.currentIndex(), "override": pane.override.currentIndex(),
              "slider": pane.percent_slider.value(), "percent": pane.percent.value(), "due": pane.due.date()}
    bar = pane.verticalScrollBar()
    assert bar.maximum() > 0
    for name, widget in fields.items():
        for notches in (-1, 1, -3):
            wheel(widget, notches)
        assert not widget.hasFocus(), name
    after = {"status": pane.status.currentIndex(), "override": pane.override.currentIndex(),
             "slider": pane.percent_slider.value(), "percent": pane.percent.value(), "due": pane.due.date()}
    assert after == before
    bar.setValue(0)
    wheel(pane.status, -1)
    assert bar.value() > 0  # the pane scrolled instead
    assert w.save_now()
    assert 12 not in w.session.store.progress(w.plan_id, "悦城镇")  # nothing was saved
    assert pane.status.focusPolicy() == Qt.FocusPolicy.StrongFocus  # a notch does not focus the box either


def focused(qtbot, widget) -> None:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=3000)


def test_the_keyboard_reaches_the_table_the_pane_and_back(open_window, qtbot):
    w = open_window()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    w.jump_to_task(12)
    w.filters.search.setFocus()
    focused(qtbot, w.filters.search)
    for _ in range(10):  # Tab from the search box into the table, through the filters
        if QApplication.focusWidget() is w.table:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is w.table
    start = w.current_task()
    qtbot.keyClick(w.table, Qt.Key.Key_Tab)  # one press: the next task
    assert w.current_task() == w.proxy.task_number(w.proxy.proxy_row_of(start) + 1)
    assert QApplication.focusWidget() is w.table
    qtbot.keyClick(w.table, Qt.Key.Key_Backtab)
    assert w.current_task() == start
    qtbot.keyClick(w.table, Qt.Key.Key_Return)  # out of the table, into the pane
    focused(qtbot, w.detail.status)
    qtbot.keyClick(w.detail.status, Qt.Key.Key_Escape)  # back
    focused(qtbot, w.table)
    qtbot.keyClick(w.table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    focused(qtbot, w.detail.status)
    qtbot.keyClick(w.detail.status, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # jump to 实施步骤
    steps = w.detail.notes["steps"]
    focused(qtbot, steps)
    type_text(steps, "已部署")
    qtbot.keyClick(steps, Qt.Key.Key_F1)  # help
    dialog = w.help_menu.help_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=3000)
    assert "牵头" in dialog.text.toPlainText() and "Ctrl+E" in dialog.text.toPlainText()
    dialog.reject()
    focused(qtbot, steps)  # the focus came back where it was
    qtbot.keyClick(steps, Qt.Key.Key_Escape)
    focused(qtbot, w.table)
    assert w.save_now()
    assert w.session.store.progress(w.plan_id, "悦城镇")[start].steps == "已部署"


def test_tab_on_the_last_task_leaves_for_the_pane(open_window, qtbot):
    w = open_window()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    w.select_row(w.proxy.rowCount() - 1)
    w.table.setFocus()
    focused(qtbot, w.table)
    qtbot.keyClick(w.table, Qt.Key.Key_Tab)
    focused(qtbot, w.detail.status)


def test_restored_geometry_fits_the_screen(open_window, session):
    from PySide6.QtCore import QRect

    from gui.main_window import qsettings
    from gui.window_state import fitted

    screen = QRect(0, 0, 1920, 1080)
    assert fitted(QRect(40, 30, 791, 355), screen) == QRect(40, 30, 1000, 600)  # the reported case
    assert fitted(QRect(1500, 900, 1366, 768), screen) == QRect(554, 312, 1366, 768)  # moved back on screen
    assert fitted(QRect(-50, -20, 2500, 1400), screen) == screen
    assert fitted(QRect(100, 100, 1200, 700), screen) == QRect(100, 100, 1200, 700)  # a good one is kept

    w = open_window()
    available = w.screen().availableGeometry()
    w.resize(200, 120)  # saved tiny and far off, as the clerk found it
    w.move(available.right() + 500, available.bottom() + 500)
    w.save_state()
    w.close()
    assert qsettings(session).value("main/geometry") is not None
    again = open_window(size=None)
    frame = again.frameGeometry()
    assert frame.left() >= available.left() and frame.top() >= available.top()  # on the screen again
    # as large as the screen allows (the offscreen test screen is 800×800; the window's minimum may exceed it)
    assert frame.width() >= min(available.width(), 1000) and frame.height() >= min(available.height(), 600)
    assert frame.bottom() <= available.bottom() or frame.height() > available.height()


def test_the_splitter_keeps_its_shares_after_a_resize(open_window, qtbot):
    w = open_window(size=(1000, 700))
    w.splitter.setSizes([150, 300, 530])  # shares unlike the stretch factors (1:4:3)
    before = [s / sum(w.splitter.sizes()) for s in w.splitter.sizes()]
    w.splitter.resize(1600, w.splitter.height())
    qtbot.waitUntil(lambda: sum(w.splitter.sizes()) > 1400, timeout=3000)
    after = [s / sum(w.splitter.sizes()) for s in w.splitter.sizes()]
    assert all(abs(a - b) < 0.01 for a, b in zip(after, before, strict=True)), (before, after)


def _weak_entries(session) -> None:
    from core.model import Progress, Status

    plan_id = session.current_plan_id()
    store = session.store
    store.save_progress(plan_id, "悦城镇", Progress(12, Status.DONE, 40, achievements="办理留言12件。"))
    store.save_progress(plan_id, "悦城镇", Progress(13, Status.DONE, 100))
    store.save_progress(plan_id, "悦城镇", Progress(14, Status.IN_PROGRESS, 50, due=date(2019, 6, 30),
                                                   next_steps="继续"))


def test_the_check_lists_contradictions_unfilled_overdue_and_done_without_achievements(session):
    from actions.office_view import open_office
    from actions.submission_check import check_submission

    _weak_entries(session)
    office = session.office("悦城镇")
    check = check_submission(session, office, today=date(2019, 10, 1))
    view = open_office(session, office)
    assigned = [t.number for t in view.assigned()]
    assert [i.task for i in check.of_kind("conflict")] == [12]
    assert check.of_kind("conflict")[0].why == "状态为已完成，但进度只有 40%"
    assert [i.task for i in check.of_kind("done_no_achievements")] == [13]
    assert [i.task for i in check.of_kind("overdue")] == [14]
    unfilled = [i.task for i in check.of_kind("unfilled")]
    assert 12 not in unfilled and len(unfilled) == len([n for n in assigned if n not in (12, 13, 14)])
    assert check.summary().startswith("状态与进度矛盾 1 项，已完成但未写成效做法 1 项，已逾期 1 项，未填写 ")
    assert check.as_manifest()["left_open"]["conflict"] == [12]


def test_the_check_dialog_opens_a_task_or_goes_on(open_window, qtbot, session, tmp_path):
    _weak_entries(session)
    w = open_window()
    dialog = w.open_package()
    assert dialog.check_label.text().startswith("报送前检查：状态与进度矛盾 1 项，已完成但未写成效做法 1 项")
    dialog.out.setText(str(tmp_path / "报送.zip"))
    dialog.make_button.click()
    check = dialog.check_dialog
    assert check.isVisible() and check.tasks()[:4] == [12, 13, 14, 1]  # worst first, 未填写 last
    check.resize(1000, 600)
    check.grab().save("/tmp/window/check_dialog_offscreen.png")
    row = next(i for i in range(check.list.count()) if check.list.item(i).data(Qt.ItemDataRole.UserRole + 1) == 13)
    check.list.itemActivated.emit(check.list.item(row))
    assert not check.isVisible() and not dialog.isVisible()  # both closed: the clerk goes to the task
    assert w.current_task() == 13
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.detail.status, timeout=3000)
    assert not (tmp_path / "报送.zip").exists()


def test_the_county_matrix_shows_a_contradiction_in_red():
    from core.county.matrix import Cell
    from core.model import Role, Status
    from gui.county_model import cell_conflict, cell_text, cell_tooltip

    cell = Cell(Role.LEAD, Status.DONE, 40, has_achievements=True)
    assert cell_conflict(cell) == "状态为已完成，但进度只有 40%"
    assert cell_text(cell) == "⚠ 已完成 40% ★"
    assert "请与该单位核对" in cell_tooltip(cell, "悦城镇", 12)
    assert cell_conflict(Cell(Role.LEAD, Status.DONE, 100)) is None


def test_unfilled_is_shown_apart_from_not_started(open_window, session):
    from core.model import Progress, Status
    from gui.task_table_model import COL_ROLE, COL_STATUS

    entry = Progress(12, Status.NOT_STARTED, 0, steps="待部署")
    session.store.save_progress(session.current_plan_id(), "悦城镇", entry)
    w = open_window()
    status_of_row = {n: w.model.index(w.model.row_of(n), COL_STATUS).data() for n in (12, 13)}
    assert status_of_row == {12: "未开始", 13: "未填写"}
    buttons = w.dashboard.status_buttons
    assert buttons[Status.NOT_STARTED].text() == "未开始 1" and buttons["unfilled"].text() == "未填写 65"
    buttons["unfilled"].click()
    assert w.filters.status.currentText() == "未填写"
    shown = [w.proxy.task_number(r) for r in range(w.proxy.rowCount())]
    assert len(shown) == 65 and 12 not in shown
    w.filters.status.setCurrentIndex(w.filters.status.findData(Status.NOT_STARTED))
    assert [w.proxy.task_number(r) for r in range(w.proxy.rowCount())] == [12]
    tip = w.model.index(w.model.row_of(12), COL_ROLE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(w.model.index(w.model.row_of(12), COL_ROLE).data() + "：")


def test_a_task_change_opens_the_pane_at_its_heading(open_window):
    w = open_window()
    w.jump_to_task(12)
    pane = w.detail
    pane.resize(pane.width(), 300)
    bar = pane.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    w.jump_to_task(13)
    assert bar.value() == 0
    assert pane.title.text().startswith("第13项") and pane.title.toolTip() == pane.title.text()
    assert pane.header.isVisible() and pane.header.geometry().bottom() < pane.viewport().geometry().top()
    assert pane.state.text() == "未填写"
    pane.percent.setValue(30)  # an edit: the heading shows the state as typed
    assert pane.state.text() == "未开始 30%"
    bar.setValue(bar.maximum())
    assert pane.header.isVisible()  # the heading stays in view while the pane scrolls


def test_the_pane_says_which_words_of_the_plan_made_the_task_ours(open_window):
    w = open_window()
    w.jump_to_task(13)  # 悦城镇 is named only through the category phrase of task 13's unit cell
    assert w.detail.role_label.text() == "本单位角色：负责（方案写的是“各镇政府(街道办)”）"


def test_the_county_window_opens_on_the_offices_that_reported(qtbot, session, tmp_path):
    from actions import county
    from gui.county_model import KeyRole
    from gui.county_window import CountyWindow
    from tests.county_fixtures import DECHENG, YUECHENG, three_packages

    paths = three_packages(tmp_path / "packages")
    county.import_packages(session, [str(p) for p in paths])
    window = CountyWindow(session, today=date(2019, 12, 10))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.reported_only.isChecked()
    names = [window.model.headerData(c, Qt.Orientation.Horizontal) for c in range(window.model.columnCount())]
    assert len(names) == 3 and DECHENG in names and YUECHENG in names
    window.grab().save("/tmp/window/county_window_offscreen.png")
    from gui.county_model import _CONFLICT
    conflict = next(window.model.index(r, c) for r in range(window.model.rowCount()) for c in range(3)
                    if str(window.model.index(r, c).data()).startswith("⚠ 已完成 80%"))
    assert conflict.data(Qt.ItemDataRole.BackgroundRole).color().name() == _CONFLICT  # red, as in the window
    col = names.index(YUECHENG)
    row = next(r for r in range(window.model.rowCount())
               if window.model.index(r, col).data(KeyRole)[0] == 12)
    window.table.setCurrentIndex(window.model.index(row, col))
    assert "悦城镇 · 任务12" in window.detail.toPlainText()
    window.kind.setCurrentIndex(window.kind.findText("县直部门"))  # 悦城镇 filtered out
    assert "点击表格中的单元格" in window.detail.toPlainText()


def test_a_pdf_gets_a_first_page_thumbnail(qapp, tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from gui.evidence_panel import THUMB, read_thumbnails

    pdf = tmp_path / "通知.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4)
    c.setFillColorRGB(0, 0, 0)
    c.rect(0, A4[1] / 2, A4[0], A4[1] / 2, fill=1)  # the upper half black
    c.showPage()
    c.save()
    (tmp_path / "blob").write_bytes(pdf.read_bytes())  # stored content has no suffix: known by its bytes
    images = read_thumbnails({"a": tmp_path / "blob"})
    image = images["a"]
    assert image.width() == THUMB and image.height() == THUMB
    top = image.pixelColor(THUMB // 2, THUMB // 4)
    bottom = image.pixelColor(THUMB // 2, THUMB * 3 // 4)
    assert top.lightness() < 60 and bottom.lightness() > 200  # black above, white (not transparent) below
    assert bottom.alpha() == 255


def test_the_undo_line_stays_in_sight_after_a_removal(open_window, session, tmp_path, qtbot):
    from PySide6.QtCore import QPoint

    from actions import evidence

    files = []
    for name in ("会议记录.txt", "通知.txt", "台账.txt"):
        path = tmp_path / name
        path.write_text(name, encoding="utf-8")
        files.append(path)
    evidence.add_files(session, "悦城镇", 12, files)
    w = open_window()
    w.jump_to_task(12)
    pane = w.detail
    pane.resize(pane.width(), 300)
    panel = pane.evidence
    qtbot.waitUntil(panel.isVisible, timeout=3000)  # shown by its layout on the next turn of the event loop
    assert len(panel.items()) == 3
    pane.verticalScrollBar().setValue(0)
    panel.list.setCurrentRow(0)
    panel.remove_selected()
    button = panel.undo_button
    assert button.isVisibleTo(pane)
    top_left = button.mapTo(pane.viewport(), QPoint(0, 0))
    assert pane.viewport().rect().contains(top_left) and top_left.y() + button.height() <= pane.viewport().height()


def test_slow_is_ticked_in_the_pane_kept_and_refused_on_an_unfilled_task(open_window, session, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from actions import editing
    from core.model import Progress, Status

    w = open_window()
    plan_id = w.plan_id
    session.store.save_progress(plan_id, "悦城镇", Progress(13, Status.IN_PROGRESS, 40, steps="已交办"))
    w.load_office(w.office)
    w.jump_to_task(13)
    w.detail.slow.click()
    assert editing.slow_tasks(session, plan_id, "悦城镇") == {13}
    w.jump_to_task(12)
    assert not w.detail.slow.isChecked()
    w.jump_to_task(13)
    assert w.detail.slow.isChecked()
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    w.jump_to_task(14)  # no saved entry: the action refuses, the box stays clear
    w.detail.slow.click()
    assert not w.detail.slow.isChecked() and editing.slow_tasks(session, plan_id, "悦城镇") == {13}
    assert warnings == ["任务 14 尚未填写，请先填写状态，再标为进展缓慢"]
