"""The 汇总 window's cell detail: the evidence items with their addresses; a file opened from the office's zip
as a read-only copy in the window's temporary folder; a link opened in the browser; no viewer: 打开所在文件夹;
a package without its kept copy and the zip moved: the clerk points to it, checked against the manifest imported."""

from __future__ import annotations

import shutil
import stat
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.county_fixtures import DECHENG, YUECHENG, make_package
from tests.test_county_evidence import LINK_SHOT, LONG_URL, drop_kept_copies, link_items

TODAY = date(2019, 12, 10)


@pytest.fixture
def packages(tmp_path) -> list[Path]:
    folder = tmp_path / "收到的报送材料"
    return [make_package(folder, YUECHENG, extra=link_items(tmp_path / "links")), make_package(folder, DECHENG)]


def anchors(browser) -> dict[str, tuple[str, str, int]]:
    """href -> (text shown, tooltip, position) of every link in the browser's document."""
    out = {}
    block = browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            f = it.fragment()
            if f.charFormat().isAnchor():
                out[f.charFormat().anchorHref()] = (f.text(), f.charFormat().toolTip(), f.position())
            it += 1
        block = block.next()
    return out


def click_anchor(qtbot, browser, href: str) -> None:
    """A real click on the link: scrolled into view, pressed and released over its text."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(browser.document())
    cursor.setPosition(anchors(browser)[href][2] + 1)
    browser.setTextCursor(cursor)
    browser.ensureCursorVisible()
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=browser.cursorRect(cursor).center())


def show(window, task: int, office: str) -> None:
    from gui.county_model import KeyRole

    model = window.model
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            if model.index(r, c).data(KeyRole) == (task, office):
                window.table.setCurrentIndex(model.index(r, c))
                return
    raise AssertionError(f"no cell {task} {office}")


def test_a_cell_lists_its_evidence_and_opens_a_read_only_copy(qtbot, session, packages, monkeypatch, tmp_path):
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from gui.county_window import CountyWindow

    opened: list = []
    answer = [True]
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or answer[0])
    window = CountyWindow(session, today=TODAY)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    with qtbot.waitSignal(window.imported, timeout=60_000):
        window.import_packages([str(p) for p in packages])
    show(window, 14, YUECHENG)
    text = window.detail.toPlainText()
    assert "佐证材料（3 项）" in text
    assert "14-1 县长信箱回复截图\n14-1 县长信箱回复截图.jpg · 5 KB" in text
    shown = anchors(window.detail)[LONG_URL][0]  # shortened in the middle to the pane's width
    head, tail = shown.split("…")
    assert head.startswith("https://www.") and LONG_URL.startswith(head) and LONG_URL.endswith(tail)
    assert len(tail) >= 8 and window.detail.fontMetrics().horizontalAdvance(shown) < window.detail.viewport().width()
    assert f"14-2 县长信箱栏目（网页链接）\n网址：{shown}\n14-2 县长信箱栏目.png · " in text
    assert " · 日期 2019-12-02" in text
    assert "14-3 信箱回复公开（网页链接）\n网址：http://www.deqing.gov.cn/xx/\n" \
           "14-3 信箱回复公开.url · 日期 2019-12-03" in text
    links = anchors(window.detail)
    assert links[LONG_URL][1] == LONG_URL  # the whole address: the tooltip (and the target)
    assert links["evidence:1"][0] == "14-2 县长信箱栏目"
    assert "evidence:2" not in links  # a link without screenshot: no file to open, its address is the link

    click_anchor(qtbot, window.detail, "evidence:1")
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=30_000)
    path = Path(opened[0].toLocalFile())
    assert path.name == "14-2 县长信箱栏目.png" and path.parent.parent == window.view.path
    assert window.view.path.parent == Path(tempfile.gettempdir())
    with zipfile.ZipFile(packages[0]) as zf:
        assert path.read_bytes() == zf.read(LINK_SHOT)
    assert stat.S_IMODE(path.stat().st_mode) & 0o222 == 0
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # that file alone
    assert "已打开 14-2 县长信箱栏目.png（只读副本" in window.statusBar().currentMessage()

    click_anchor(qtbot, window.detail, LONG_URL)
    assert opened[-1].toString() == LONG_URL
    click_anchor(qtbot, window.detail, "http://www.deqing.gov.cn/xx/")
    assert opened[-1].toString() == "http://www.deqing.gov.cn/xx/"

    answer[0] = False  # no viewer for PDF on this PC
    show(window, 12, YUECHENG)
    click_anchor(qtbot, window.detail, "evidence:0")
    qtbot.waitUntil(lambda: getattr(window, "viewer_box", None) is not None and window.viewer_box.isVisible(),
                    timeout=30_000)
    pdf = Path(opened[-1].toLocalFile())
    assert "系统没有能打开它的程序：12-1 留言办理台账（12-1 留言办理台账.pdf）" in window.viewer_box.text()
    assert str(pdf) in window.viewer_box.text()
    folder_button = next(b for b in window.viewer_box.buttons() if b.text() == "打开所在文件夹")
    folder_button.click()
    assert Path(opened[-1].toLocalFile()) == pdf.parent
    window.viewer_box.close()
    answer[0] = True

    # imported before copies were kept, and the zips moved away: the clerk is asked, another office's zip is
    # refused, the right one (renamed) works
    drop_kept_copies(session.data_dir)
    moved = tmp_path / "U盘" / "改名的.zip"
    moved.parent.mkdir()
    shutil.move(packages[0], moved)
    chosen = iter([str(packages[1]), str(moved)])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (next(chosen), ""))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    window._zips.clear()
    before = len(opened)
    click_anchor(qtbot, window.detail, "evidence:1")
    qtbot.waitUntil(lambda: len(opened) == before + 1, timeout=30_000)
    assert warned == ["“德城街道_2019-12-04.zip”不是悦城镇报告日期为 2019-12-04 的那一份报送材料"
                      "（与导入时的清单不同）。请另选。"]
    assert Path(opened[-1].toLocalFile()).name == "12-2 包案会议照片.jpg"
    assert window.package_folders()[0] == str(moved.parent)  # remembered for the next time

    temp = window.view.path
    window.close()
    assert temp is not None and not temp.exists()
