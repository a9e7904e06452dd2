"""The 汇总 window: import through the runner, the matrix model, filters, a cell's notes and evidence."""

from __future__ import annotations

from datetime import date

import pytest

from actions import county
from tests.county_fixtures import DECHENG, EDUCATION, YUECHENG, YUECHENG_12, make_package, three_packages

TODAY = date(2019, 12, 10)


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    return three_packages(tmp_path_factory.mktemp("packages"))


def test_import_then_matrix_filters_and_cell_detail(qtbot, session, packages, tmp_path):
    from gui.county_model import KeyRole
    from gui.county_window import CountyWindow

    window = CountyWindow(session, today=TODAY)
    qtbot.addWidget(window)
    assert window.model.rowCount() == 68 and window.model.columnCount() == 40
    assert window.missing.count() == 40
    bad = tmp_path / "坏包.zip"
    bad.write_bytes(b"not a zip")
    with qtbot.waitSignal(window.imported, timeout=60_000) as blocker:
        window.import_packages([*map(str, packages), str(bad)])
    summary = blocker.args[0]
    assert [o.result for o in summary.outcomes] == ["imported", "imported", "imported", "refused"]
    assert window.refused_box.isVisible() and "坏包.zip" in window.refused_box.text()
    window.refused_box.close()
    assert window.missing.count() == 37 and window.missing.item(0).text() == "新圩镇　涉及 66 项任务"

    model = window.model
    col = next(c for c in range(model.columnCount()) if model.headerData(c, _horizontal()) == YUECHENG)
    row = next(r for r in range(model.rowCount()) if model.headerData(r, _vertical()).startswith("12 "))
    index = model.index(row, col)
    assert index.data() == "已完成 100% ★ 证2"
    assert index.data(KeyRole) == (12, YUECHENG)
    window.table.setCurrentIndex(index)
    text = window.detail.toPlainText()
    assert "全年办理市府办转来的网民留言12件" in text and YUECHENG_12.next_steps in text
    assert "12-1 留言办理台账" in text and "12-2 包案会议照片" in text

    window.kind.setCurrentIndex(window.kind.findText("县直部门"))
    assert model.columnCount() == 27 and EDUCATION in [model.headerData(c, _horizontal()) for c in range(27)]
    window.overdue.setChecked(True)  # 县教育局's open tasks, due 2019-10-31
    assert 0 < model.rowCount() < 68
    window.kind.setCurrentIndex(window.kind.findText("镇（街道）"))
    assert model.rowCount() == 0
    window.overdue.setChecked(False)
    window.reported_only.setChecked(True)
    assert [model.headerData(c, _horizontal()) for c in range(model.columnCount())] == [DECHENG, YUECHENG]
    assert window.missing.count() == 11  # the towns that have not reported, still listed
    window.reported_only.setChecked(False)
    window.scope.setCurrentIndex(window.scope.findText("县教育局牵头的任务（4 项）"))
    assert [model.headerData(r, _vertical()).split()[0] for r in range(model.rowCount())] == ["8", "34", "35", "65"]
    report = tmp_path / "牵头任务汇总.pdf"
    window.make_report(str(report))  # typeset on the runner, saved on the UI thread
    qtbot.waitUntil(lambda: report.exists(), timeout=120_000)
    assert report.read_bytes().startswith(b"%PDF-") and "已生成" in window.statusBar().currentMessage()
    window.scope.setCurrentIndex(0)
    window.section.setCurrentIndex(1)
    assert model.rowCount() == 16 and DECHENG in [model.headerData(c, _horizontal()) for c in range(13)]

    out = window.export_matrix(str(tmp_path / "汇总表.xlsx"))
    assert out is not None and out.stat().st_size > 0
    assert county.matrix(session).cell(12, YUECHENG).evidence == 2

    later = make_package(tmp_path / "later", YUECHENG, report_date=date(2019, 12, 6))
    with qtbot.waitSignal(window.imported, timeout=60_000):
        window.import_packages([str(later)])
    window.show_cell(12, YUECHENG)
    assert "悦城镇_2019-12-06.zip（报告日期 2019-12-06）" in window.detail.toPlainText()
    assert "此前报送：2019-12-04（已被新报送的材料替代）" in window.detail.toPlainText()


def test_data_menu_opens_the_county_window(qtbot, session):
    from gui.main_window import MainWindow

    window = MainWindow(session, session.office("悦城镇"))
    qtbot.addWidget(window)
    assert window.data_menu.act_county.text() == "导入各单位报送材料…"
    county_window = window.data_menu.open_county(ask_files=False)
    assert county_window.isVisible() and county_window.model.columnCount() == 40
    assert window.data_menu.open_county(ask_files=False) is county_window


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def _vertical():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Vertical


def test_remove_button_sets_the_selected_office_s_package_aside(qtbot, session, packages, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from gui.county_window import CountyWindow

    later = make_package(tmp_path / "later", YUECHENG, report_date=date(2019, 12, 6))
    county.import_packages(session, [packages[0], later], today=TODAY)
    window = CountyWindow(session, today=TODAY)
    qtbot.addWidget(window)
    assert not window.btn_remove.isEnabled()  # nothing selected yet
    window.show_cell(12, DECHENG)
    assert not window.btn_remove.isEnabled()  # 德城街道 has not reported
    window.show_cell(12, YUECHENG)
    assert window.btn_remove.isEnabled() and "报告日期 2019-12-06" in window.detail.toPlainText()
    asked: list[str] = []

    def answer(parent, title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    qtbot.mouseClick(window.btn_remove, _left())
    assert "把悦城镇报告日期为 2019-12-06 的报送材料（“悦城镇_2019-12-06.zip”）移出汇总吗" in asked[0]
    assert window.statusBar().currentMessage() == "已移出悦城镇报告日期为 2019-12-06 的报送材料"
    window.show_cell(12, YUECHENG)
    assert "报告日期 2019-12-04" in window.detail.toPlainText()
    assert [p.report_date for p in county.package_history(session, YUECHENG)] == ["2019-12-04"]
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    qtbot.mouseClick(window.btn_remove, _left())  # asked, declined: nothing changes
    assert [p.report_date for p in county.package_history(session, YUECHENG)] == ["2019-12-04"]


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
