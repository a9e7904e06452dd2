"""The window, round 2: empty filters, the last task, per-field history numbers, 帮助, the first-start notice,
status/percent contradictions in the row, and Chinese for Qt's own texts under the C locale."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from core.model import Progress, Status
from tests.gui_typing import type_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def open_window(qtbot, session):
    from gui.main_window import MainWindow

    windows = []

    def make(today: date = date(2019, 10, 1)):
        w = MainWindow(session, session.office("悦城镇"), today=today)
        windows.append(w)
        w.show()
        qtbot.waitUntil(w.is_built, timeout=10_000)
        return w

    yield make
    for w in windows:
        if w.isVisible():
            w.close()
        w.deleteLater()
    qtbot.wait(1)


def test_no_rows_says_so_and_empties_the_detail_pane(open_window):
    w = open_window()
    type_text(w.detail.notes["steps"], "已部署")
    w.filters.search.setText("这个词不在任何任务里")
    w._apply_query("这个词不在任何任务里")
    assert w.proxy.rowCount() == 0
    assert w.empty_label.isVisible() and "没有符合条件的任务" in w.empty_label.text()
    assert not w.detail.widget().isEnabled()
    assert w.detail.title.text() == "没有符合条件的任务"
    assert all(e.toPlainText() == "" for e in w.detail.notes.values())
    assert w.session.store.progress(w.plan_id, "悦城镇")[1].steps == "已部署"  # saved before emptying
    w.filters.search.clear()
    w._apply_query("")
    assert not w.empty_label.isVisible() and w.detail.widget().isEnabled()


def test_the_last_task_is_selected_after_a_restart(open_window):
    w = open_window()
    w.jump_to_task(23)
    w.close()
    again = open_window()
    assert again.current_task() == 23
    assert again.detail.title.text().startswith("第23项")


def test_a_contradiction_is_flagged_in_the_row_and_the_gap_list(open_window, session):
    from gui.task_table_model import COL_PERCENT

    session.store.save_progress(session.current_plan_id(), "悦城镇",
                                Progress(12, Status.DONE, 80, achievements="办理市长留言12件。"))
    w = open_window()
    row = w.model.row_of(12)
    tip = w.model.index(row, COL_PERCENT).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "状态为已完成，但进度只有 80%"
    first = w.dashboard.gaps.item(0)
    assert first.text().startswith("第12项 状态与进度不一致")
    w.jump_to_task(12)
    assert w.detail.percent_warning.isVisibleTo(w.detail)
    assert "已完成，但进度只有 80%" in w.detail.percent_warning.text()
    w.detail.percent.setValue(100)
    assert not w.detail.percent_warning.isVisibleTo(w.detail)


def test_history_numbers_each_fields_own_versions(open_window, qtbot):
    from gui.history_dialog import HistoryDialog

    w = open_window()
    w.jump_to_task(12)
    for text in ("一", "二", "三"):
        w.detail.notes["steps"].setPlainText(text)
        w.save_now()
    w.detail.notes["problems"].setPlainText("人手紧张")
    w.save_now()
    versions = w.session.store.history(w.plan_id, "悦城镇", 12)
    dialog = HistoryDialog(versions, "problems", "存在问题", 12, w)
    qtbot.addWidget(dialog)
    texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert [t.split()[2] for t in texts] == ["第2版", "第1版"]  # 人手紧张, then the empty start


def test_help_menu_about_and_data_folder(open_window, session, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from actions.session import SQLITE_VERSION

    w = open_window()
    titles = [a.text() for a in w.menuBar().actions()]
    assert titles[-1] == "帮助(&H)"
    dialog = w.help_menu.show_about()
    html = dialog.text.toPlainText()
    assert "0.2.0" in html and str(session.data_dir) in html and SQLITE_VERSION in html
    assert "GPL-3 with the GPL font exception" in html and "Fandol-COPYING.txt" in html and "taizhang.log" in html
    dialog.close()
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    w.help_menu.act_folder.trigger()
    assert opened == [str(session.data_dir)]


def test_first_start_says_what_the_plan_is_without_an_alarm(open_window, session):
    w = open_window(today=date(2026, 11, 27))
    notice = w.first_start
    assert notice.isVisible()
    assert "德庆县2019年政务公开工作要点分工方案" in notice.label.text() and "2019年" in notice.label.text()
    assert "数据 → 导入新方案" in notice.label.text()
    assert w.dashboard.deadline.text() == "报送时限 2019-12-05 已过（2019年的方案）"
    assert "c0392b" not in w.dashboard.deadline.styleSheet()  # not red
    notice.close_button.click()
    assert not notice.isVisible()
    w.close()
    again = open_window(today=date(2026, 11, 27))
    assert not hasattr(again, "first_start")


CHILD = r"""
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from PySide6.QtWidgets import QMessageBox
from gui.app import make_app
from actions.session import Session
from gui.main_window import MainWindow

app = make_app([])
session = Session.open(Path(sys.argv[2]))
w = MainWindow(session, session.office("悦城镇"))
w.show()
w.finish_building()
out = []
for edit in (w.detail.notes["steps"], w.filters.search, w.detail.owner):
    out += [a.text().split("\t")[0] for a in edit.createStandardContextMenu().actions() if a.text()]
B = QMessageBox.StandardButton
box = QMessageBox(QMessageBox.Icon.Warning, "t", "x", B.Yes | B.No | B.Ok | B.Cancel | B.Save | B.Discard)
out += [b.text() for b in box.buttons()]
out.append(w.menus.act_next.shortcut().toString(w.menus.act_next.shortcut().SequenceFormat.NativeText))
from PySide6.QtCore import QLocale
out.append(QLocale().name())
print("\n".join(out))
w.autosaver.flush()
session.close()
"""


def test_qt_texts_are_chinese_under_the_c_locale(tmp_path):
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "LANGUAGE": "", "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(tmp_path / "data")], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.strip().splitlines()
    *texts, shortcut, locale = lines
    for word in ("撤销(&U)", "重做(&R)", "剪切(&T)", "复制(&C)", "粘贴(&P)", "删除", "全选"):
        assert word in texts
    for word in ("是(&Y)", "否(&N)", "确定", "取消", "保存", "放弃"):
        assert word in texts
    assert not [t for t in texts if any("a" <= c.lower() <= "z" for c in t.replace("&", "").split("(")[0])]
    assert shortcut == "Ctrl+Enter"
    assert locale == "zh_CN"


def test_xcb_check_names_the_missing_packages():
    from gui.xcb_check import XCB_LIBRARIES, message, missing_packages, uses_xcb

    absent = {"libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0"}
    packages = missing_packages(lambda name: name not in absent)
    assert packages == ["libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"]
    assert "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in message(packages)
    assert missing_packages(lambda name: True) == []
    assert len(XCB_LIBRARIES) == 18
    assert uses_xcb({"DISPLAY": ":0"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not uses_xcb({"DISPLAY": ":0"}, "win32")
    assert not uses_xcb({}, "linux")
