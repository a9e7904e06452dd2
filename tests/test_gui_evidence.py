"""The window's 佐证材料 section (task 12 of the 2019 plan, 悦城镇): add by button, link dialog, dedupe,
remove and undo, drag and drop, open, refusals that name the file; and 生成报送材料… writing a zip."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from actions import evidence
from core.report import NO_NOTES_WARNING
from tests.evidence_fixtures import pdf, photo, scan

OFFICE = "悦城镇"


@pytest.fixture
def window(qtbot, session):
    from gui.main_window import MainWindow

    w = MainWindow(session, session.office(OFFICE), today=date(2019, 12, 4))
    w.show()
    qtbot.waitUntil(w.is_built, timeout=10_000)
    w.jump_to_task(12)
    yield w
    w.detail.evidence.runner.wait()
    w.detail.evidence.thumb_runner.wait()
    w.close()
    w.deleteLater()
    qtbot.wait(1)


@pytest.fixture
def warnings_shown(monkeypatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a, **k: shown.append((title, text)))
    return shown


def choose_files(monkeypatch, paths: list[Path]) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in paths], ""))


def stored_blobs(data_dir: Path) -> list[Path]:
    return [p for p in (data_dir / "evidence").glob("??/*") if p.is_file()]


def test_add_two_files_and_a_link_to_task_12(window, qtbot, monkeypatch, tmp_path, warnings_shown):
    panel = window.detail.evidence
    assert panel.task == 12 and panel.items() == [] and panel.empty_label.isVisible()
    meeting = photo(tmp_path / "src" / "会议照片.jpg", seed=3, size=(640, 480))
    notice = pdf(tmp_path / "src" / "关于开展政务公开的通知.pdf")
    choose_files(monkeypatch, [meeting, notice])
    panel.add_button.click()
    qtbot.waitUntil(lambda: len(panel.items()) == 2, timeout=10_000)
    stored = evidence.items(window.session, OFFICE, 12)
    assert [(i.label, i.kind, i.file_name) for i in stored] == [
        ("12-1 会议照片", "file", "会议照片.jpg"),
        ("12-2 关于开展政务公开的通知", "file", "关于开展政务公开的通知.pdf")]
    assert stored[0].sha256 == hashlib.sha256(meeting.read_bytes()).hexdigest()
    texts = [panel.list.item(r).text() for r in range(panel.list.count())]
    assert texts[0].startswith("12-1  会议照片\n图片 · ")
    assert texts[1].startswith("12-2  关于开展政务公开的通知\nPDF · ")
    assert not panel.empty_label.isVisible()
    qtbot.waitUntil(lambda: panel.thumbnail(stored[0]) is not None, timeout=10_000)
    thumb = panel.thumbnail(stored[0]).toImage()
    assert (thumb.width(), thumb.height()) == (48, 48)
    # 640×480 scaled to 48×36 and centred: 6 clear rows above and below, the photo between
    assert [thumb.pixelColor(24, y).alpha() for y in (0, 5, 6, 41, 42, 47)] == [0, 0, 255, 255, 0, 0]
    assert panel.thumbnail(stored[1]) is not None  # a PDF gets its first page (issue 22)

    dialog = panel.add_link_dialog()
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    shot = scan(tmp_path / "src" / "截图.png")
    dialog.url.setText("ftp://www.deqing.gov.cn/xzxx/")  # refused: the dialog stays and keeps the text
    dialog.title.setText("县长信箱栏目：办理回复")
    dialog.shot.setText(str(shot))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert dialog.isVisible() and dialog.title.text() == "县长信箱栏目：办理回复"
    assert len(evidence.items(window.session, OFFICE, 12)) == 2
    dialog.url.setText("http://www.deqing.gov.cn/xzxx/")
    dialog.seen.setDate(dialog.seen.date().addDays(-1))
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: len(panel.items()) == 3, timeout=10_000)
    assert closed == [1]  # accepted: closed (and deleted)
    link = evidence.items(window.session, OFFICE, 12)[2]
    assert (link.label, link.kind, link.url, link.file_name) == (
        "12-3 县长信箱栏目：办理回复", "link", "http://www.deqing.gov.cn/xzxx/", "截图.png")
    assert link.seen_date == (date.today() - timedelta(days=1)).isoformat()
    assert panel.list.item(2).text().startswith("12-3  县长信箱栏目：办理回复\n网页链接（含截图） · ")
    qtbot.waitUntil(lambda: panel.thumbnail(link) is not None, timeout=10_000)
    assert warnings_shown == []

    opened: list[QUrl] = []
    monkeypatch.setattr("gui.evidence_panel.open_url", lambda url: opened.append(url) or True)
    panel.list.setCurrentRow(2)
    panel.open_button.click()
    panel.list.setCurrentRow(0)
    panel.open_button.click()
    assert opened[0] == QUrl("http://www.deqing.gov.cn/xzxx/")
    view = Path(opened[1].toLocalFile())
    assert view.name == "12-1 会议照片.jpg" and view.read_bytes() == meeting.read_bytes()

    window.jump_to_task(13)  # another task: its own (empty) list
    assert panel.task == 13 and panel.items() == [] and panel.list.count() == 0


def test_the_same_file_twice_is_stored_once(window, qtbot, monkeypatch, tmp_path, data_dir):
    panel = window.detail.evidence
    meeting = photo(tmp_path / "IMG_20191120.jpg", seed=5)
    choose_files(monkeypatch, [meeting])
    panel.add_button.click()
    qtbot.waitUntil(lambda: len(panel.items()) == 1, timeout=10_000)
    panel.add_button.click()
    qtbot.waitUntil(lambda: len(panel.items()) == 2, timeout=10_000)
    stored = evidence.items(window.session, OFFICE, 12)
    assert [i.number for i in stored] == ["12-1", "12-2"]
    assert stored[0].sha256 == stored[1].sha256 == hashlib.sha256(meeting.read_bytes()).hexdigest()
    assert [p.name for p in stored_blobs(data_dir)] == [stored[0].sha256]


def test_remove_then_undo(window, qtbot, monkeypatch, tmp_path):
    panel = window.detail.evidence
    choose_files(monkeypatch, [photo(tmp_path / "a.jpg", seed=1), photo(tmp_path / "b.jpg", seed=2)])
    panel.add_button.click()
    qtbot.waitUntil(lambda: len(panel.items()) == 2, timeout=10_000)
    assert not panel.undo_button.isVisible()
    panel.list.setCurrentRow(0)
    panel.remove_button.click()
    assert [i.label for i in evidence.items(window.session, OFFICE, 12)] == ["12-2 b"]
    assert [i.label for i in panel.items()] == ["12-2 b"]
    assert panel.undo_button.isVisible()
    assert panel.undo_label.text() == f"已将 12-1 a 移到回收站（{evidence.BIN_DAYS} 天内可撤销）"
    panel.undo_button.click()
    assert [i.label for i in evidence.items(window.session, OFFICE, 12)] == ["12-1 a", "12-2 b"]
    assert [i.label for i in panel.items()] == ["12-1 a", "12-2 b"]
    assert not panel.undo_button.isVisible() and panel.status.text() == "已恢复：12-1 a"


def _drop(panel, urls: list[QUrl]) -> bool:
    """A drop on the panel, handed to its event() as Qt's drag manager does (QApplication.sendEvent refuses
    drop events outside a real drag; the list itself takes no drops, so they reach the panel)."""
    mime = QMimeData()
    mime.setUrls(urls)
    drop = QDropEvent(QPointF(panel.list.geometry().center()), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    panel.event(drop)
    return drop.isAccepted()


def test_drag_and_drop_of_files(window, qtbot, tmp_path):
    panel = window.detail.evidence
    files = [photo(tmp_path / "现场照片.jpg", seed=7), pdf(tmp_path / "签到表.pdf")]
    assert _drop(panel, [QUrl("http://www.deqing.gov.cn/")]) is False  # a web address: not a file
    assert _drop(panel, [QUrl.fromLocalFile(str(p)) for p in files]) is True
    qtbot.waitUntil(lambda: len(panel.items()) == 2, timeout=10_000)
    assert [i.label for i in evidence.items(window.session, OFFICE, 12)] == ["12-1 现场照片", "12-2 签到表"]


def test_a_refused_file_is_named_and_nothing_is_added(window, qtbot, monkeypatch, tmp_path, warnings_shown):
    panel = window.detail.evidence
    empty = tmp_path / "空白扫描.pdf"
    empty.write_bytes(b"")
    choose_files(monkeypatch, [photo(tmp_path / "好的.jpg"), empty])
    panel.add_button.click()
    qtbot.waitUntil(lambda: bool(warnings_shown), timeout=10_000)
    title, text = warnings_shown[0]
    assert title == "未能添加佐证材料" and "空白扫描.pdf" in text
    assert evidence.items(window.session, OFFICE, 12) == [] and panel.items() == []
    assert panel.add_button.isEnabled()


def _pdf_for_every_format(monkeypatch):
    """Until the Word/Excel writers are merged, build_from refuses docx/xlsx: stand in the PDF's bytes."""
    from actions import reports

    real = reports.build_from

    def build_from(inputs, request):
        try:
            return real(inputs, request)
        except reports.ActionError:
            if request.fmt == "pdf":
                raise
            return dataclasses.replace(real(inputs, dataclasses.replace(request, fmt="pdf")), request=request)

    monkeypatch.setattr(reports, "build_from", build_from)


def test_package_dialog_writes_a_zip_with_chinese_names(window, qtbot, monkeypatch, tmp_path, session):
    _pdf_for_every_format(monkeypatch)
    meeting = photo(tmp_path / "src" / "会议照片.jpg", seed=4)
    evidence.add_files(session, OFFICE, 12, [meeting], seen_date="2019-11-20")
    evidence.add_link(session, OFFICE, 14, "http://www.deqing.gov.cn/xzxx/", "县长信箱栏目：办理回复",
                      screenshot=scan(tmp_path / "src" / "截图.png"))
    questions: list[str] = []

    def question(_parent, _title, text, *a, **k):
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    opened: list[QUrl] = []
    monkeypatch.setattr("gui.evidence_panel.open_url", lambda url: opened.append(url) or True)
    dialog = window.open_package()
    qtbot.addWidget(dialog)
    usb = tmp_path / "U盘"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    dialog.folder_button.click()
    assert dialog.out.text() == str(usb)
    assert dialog.date.date().toString("yyyy-MM-dd") == "2019-12-04"  # the day before the plan's deadline
    dialog.fonts.setCurrentIndex(dialog.fonts.findData("bundled"))
    dialog.make_button.click()
    dialog.check_dialog.go_on.click()  # 报送前检查: 68 tasks 未填写, go on anyway
    qtbot.waitUntil(lambda: dialog.package is not None, timeout=60_000)
    assert len(questions) == 1 and questions[0].startswith(NO_NOTES_WARNING)  # asked, then allowed
    path = usb / "悦城镇_政务公开落实情况_2019-12-04.zip"
    assert dialog.package.info.path == path and path.is_file()
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        for info in z.infolist():
            assert bool(info.flag_bits & 0x800) == (not info.filename.isascii()), info.filename
        manifest = json.loads(z.read("manifest.json"))
        photo_name = next(n for n in names if n.startswith("佐证材料/任务12 "))
        assert photo_name.endswith("/12-1 会议照片.jpg") and z.read(photo_name) == meeting.read_bytes()
        assert any(n.startswith("佐证材料/任务14 ") and n.endswith("/14-1 县长信箱栏目：办理回复.url") for n in names)
    assert manifest["office"] == OFFICE
    assert manifest["check"]["left_open"]["unfilled"][:3] == [1, 2, 3]  # what was left open is recorded
    assert dialog.status.text().startswith(f"已生成：{path}\n大小 ")
    assert f"共 {len(dialog.package.info.files)} 个文件" in dialog.status.text()
    dialog.open_folder.click()
    assert [Path(u.toLocalFile()) for u in opened] == [usb]


def test_package_over_2_gb_asks_before_writing(window, qtbot, monkeypatch, tmp_path):
    from actions.package import PackageTooLarge
    from gui import package_dialog

    calls: list[tuple[bool, bool]] = []

    def make_package(*_a, allow_empty=False, allow_large=False, **_k):
        calls.append((allow_empty, allow_large))
        raise PackageTooLarge("报送材料约 2.3 GB，超过 2 GB。", 2_300_000_000)

    monkeypatch.setattr(package_dialog, "make_package", make_package)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.No)
    dialog = window.open_package()
    qtbot.addWidget(dialog)
    dialog.out.setText(str(tmp_path / "报送.zip"))
    dialog.make_button.click()
    dialog.check_dialog.go_on.click()  # 报送前检查: 68 tasks 未填写, go on anyway
    qtbot.waitUntil(lambda: bool(calls) and dialog.make_button.isEnabled(), timeout=10_000)
    assert calls == [(False, False)] and dialog.package is None and not (tmp_path / "报送.zip").exists()


def test_the_folder_warning_is_shown_after_the_add(window, qtbot, monkeypatch, tmp_path, warnings_shown):
    """Past the limit (2 GB; lowered here to the photo's size minus one byte) the add goes through and warns."""
    from db import evidence as stored

    meeting = photo(tmp_path / "会议照片.jpg", seed=9)
    monkeypatch.setattr(stored, "WARN_FOLDER_BYTES", meeting.stat().st_size - 1)
    panel = window.detail.evidence
    choose_files(monkeypatch, [meeting])
    panel.add_button.click()
    qtbot.waitUntil(lambda: bool(warnings_shown), timeout=10_000)
    assert [i.label for i in panel.items()] == ["12-1 会议照片"]
    assert warnings_shown[0][0] == "佐证材料" and warnings_shown[0][1].startswith("佐证材料已占用 ")


def test_package_over_2_gb_is_written_after_yes(window, qtbot, monkeypatch, tmp_path):
    from actions.package import PackageTooLarge
    from gui import package_dialog

    _pdf_for_every_format(monkeypatch)
    real = package_dialog.make_package
    calls: list[bool] = []

    def make_package(*a, allow_large=False, **k):
        calls.append(allow_large)
        if not allow_large:
            raise PackageTooLarge("报送材料约 2.3 GB，超过 2 GB。", 2_300_000_000)
        return real(*a, allow_large=True, **{**k, "allow_empty": True})

    monkeypatch.setattr(package_dialog, "make_package", make_package)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.Yes)
    dialog = window.open_package()
    qtbot.addWidget(dialog)
    target = tmp_path / "报送材料.zip"
    dialog.out.setText(str(target))
    dialog.fonts.setCurrentIndex(dialog.fonts.findData("bundled"))
    dialog.make_button.click()
    dialog.check_dialog.go_on.click()  # 报送前检查: 68 tasks 未填写, go on anyway
    qtbot.waitUntil(lambda: dialog.package is not None, timeout=60_000)
    assert calls == [False, True] and len(asked) == 1 and asked[0].startswith("报送材料约 2.3 GB")
    assert dialog.package.info.path == target and zipfile.is_zipfile(target)
