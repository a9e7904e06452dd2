"""The report dialog on the real 2019 plan for 悦城镇: preview, texts, save, print, glyphs, history."""

from __future__ import annotations

import errno
import hashlib
import io
import os

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox

from actions.session import Session
from core.model import Progress, Status
from db.errors import KIND_FULL, StorageError
from gui.report.dialog import ReportDialog

OFFICE = "悦城镇"
ACHIEVEMENT = "在镇政府网站开设政务公开专栏，全年发布信息42条。"
RARE = "\U00020000"  # 𠀀, CJK Extension B: in none of the bundled fonts
WAIT_MS = 30000


@pytest.fixture
def plan_id(store) -> int:
    pid = store.current_plan_id()
    store.save_progress(pid, OFFICE, Progress(12, Status.DONE, 100, achievements=ACHIEVEMENT))
    return pid


def open_dialog(qtbot, store, plan_id) -> ReportDialog:
    dlg = ReportDialog(Session(store.path.parent, store), plan_id, store.office(OFFICE))
    qtbot.addWidget(dlg)
    dlg.open()
    wait_ready(qtbot, dlg)
    return dlg


def wait_ready(qtbot, dlg: ReportDialog) -> None:
    qtbot.waitUntil(lambda: bool(dlg.is_ready() and dlg.preview.page_count() >= 2), timeout=WAIT_MS)


@pytest.fixture
def dialog(qtbot, store, plan_id):
    dlg = open_dialog(qtbot, store, plan_id)
    yield dlg
    dlg.close()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "").replace(" ", "")


class Recorder:
    """Stands in for QMessageBox.warning / question: records the texts, answers ``answer``."""

    def __init__(self, answer=QMessageBox.StandardButton.Ok) -> None:
        self.texts: list[str] = []
        self.answer = answer

    def __call__(self, parent, title, text, *args, **kwargs):
        self.texts.append(f"{title}\n{text}")
        return self.answer


def fake_save_name(monkeypatch, path):
    asked: list[str] = []

    def get_save(parent, caption, directory, *args, **kwargs):
        asked.append(directory)
        return str(path), "PDF 文件 (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save)
    return asked


def test_opening_builds_the_preview(dialog: ReportDialog):
    pages = dialog.preview.page_count()
    assert pages >= 2
    assert dialog.status_label.text() == "预览已更新"
    assert dialog.pages_label.text() == f"共 {pages} 页"
    assert dialog.windowTitle() == "生成落实情况报告"
    assert dialog.settings.deadline_label.text() == "截止日期：2019年12月5日"
    text = pdf_text(dialog.preview.data())
    assert OFFICE in text and ACHIEVEMENT.rstrip("。") in text
    assert dialog.missing_label.isHidden()


def test_changes_rebuild_off_thread_and_only_the_latest_result_counts(qtbot, dialog: ReportDialog, monkeypatch):
    import gui.report.worker as worker

    real = worker.build_from
    release = __import__("threading").Event()

    def slow(*args):
        release.wait(WAIT_MS / 1000)  # held until both rebuilds were asked for, so the first is stale
        return real(*args)

    monkeypatch.setattr(worker, "build_from", slow)
    dialog.settings.opening_edit.setPlainText("第一稿开头。")
    dialog.rebuild()
    dialog.settings.opening_edit.setPlainText("第二稿开头，以此为准。")
    dialog.rebuild()
    qtbot.waitUntil(lambda: dialog.status_label.text() == "正在生成…", timeout=WAIT_MS)
    release.set()
    wait_ready(qtbot, dialog)
    text = pdf_text(dialog.preview.data())
    assert "第二稿开头，以此为准。" in text
    assert "第一稿开头" not in text


def test_edited_opening_is_saved_on_close(qtbot, store, plan_id):
    dlg = open_dialog(qtbot, store, plan_id)
    dlg.settings.opening_edit.setPlainText("根据县里要求，我镇认真组织落实。")
    dlg.settings.contact_edit.setText("王堃")
    dlg.close()  # before the 800 ms save timer fires
    texts = store.report_texts(plan_id, OFFICE)
    assert texts.opening == "根据县里要求，我镇认真组织落实。"
    assert texts.contact_name == "王堃"


def test_texts_are_saved_while_typing(qtbot, store, plan_id, dialog: ReportDialog):
    dialog.settings.closing_edit.setPlainText("特此报告，请审阅。")
    qtbot.waitUntil(lambda: store.report_texts(plan_id, OFFICE).closing == "特此报告，请审阅。", timeout=WAIT_MS)
    assert dialog.texts_status.text() == "报告文字已保存"


def test_storage_error_keeps_the_text_and_the_window(qtbot, store, plan_id, dialog: ReportDialog, monkeypatch):
    def full(*args):
        raise StorageError("磁盘已满，无法保存。请清理磁盘空间后重试，已输入的内容仍在窗口中。", KIND_FULL)

    monkeypatch.setattr(store, "save_report_texts", full)
    warned = Recorder()
    asked = Recorder(QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "warning", warned)
    monkeypatch.setattr(QMessageBox, "question", asked)
    dialog.settings.opening_edit.setPlainText("这段文字不能丢。")
    assert dialog.save_texts() is False
    assert "磁盘已满" in warned.texts[0]
    assert "磁盘已满" in dialog.texts_status.text()
    dialog.close()
    assert asked.texts and "仍要关闭" in asked.texts[0]
    assert dialog.isVisible()  # 否: the window stays open with the text
    assert dialog.settings.opening_edit.toPlainText() == "这段文字不能丢。"
    monkeypatch.undo()
    dialog.close()
    assert store.report_texts(plan_id, OFFICE).opening == "这段文字不能丢。"


def test_save_as_pdf_writes_and_archives(qtbot, store, plan_id, dialog: ReportDialog, tmp_path, monkeypatch):
    opening = "我镇高度重视政务公开工作，现将落实情况报告如下："
    dialog.settings.opening_edit.setPlainText(opening)
    out = tmp_path / "报告.pdf"
    asked = fake_save_name(monkeypatch, out)
    with qtbot.waitSignal(dialog.reportSaved, timeout=WAIT_MS) as saved:
        assert dialog.save_pdf() == str(out)
    assert saved.args == [str(out)]
    assert asked[0].endswith(f"{OFFICE}落实情况报告20191204.pdf")  # the 2019 deadline has passed: its eve
    data = out.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    text = pdf_text(data)
    assert OFFICE in text and opening in text
    archived = store.archived_reports(plan_id, OFFICE)
    assert len(archived) == 1
    assert archived[0].sha256 == hashlib.sha256(data).hexdigest()
    assert archived[0].options["include_ledger"] is True
    assert store.archived_data(archived[0].id) == data


def test_failed_write_keeps_the_old_file(qtbot, store, plan_id, dialog: ReportDialog, tmp_path, monkeypatch):
    out = tmp_path / "报告.pdf"
    out.write_bytes(b"%PDF-1.4 earlier report")
    fake_save_name(monkeypatch, out)
    warned = Recorder()
    monkeypatch.setattr(QMessageBox, "warning", warned)

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    assert dialog.save_pdf() is None
    assert out.read_bytes() == b"%PDF-1.4 earlier report"
    assert len(warned.texts) == 1 and "磁盘空间已满" in warned.texts[0]
    assert "Errno" not in warned.texts[0]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["报告.pdf"]
    assert store.archived_reports(plan_id, OFFICE) == []


def test_print_sends_the_same_pages_on_white(qtbot, store, plan_id, dialog: ReportDialog, tmp_path, monkeypatch):
    out = tmp_path / "printed.pdf"

    def accept(self):
        printer = self.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return 1

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    expected = dialog.preview.page_count()
    assert dialog.print_report() == expected
    reader = PdfReader(str(out))
    assert len(reader.pages) == expected
    shown = dialog.preview.pages
    for index, page in enumerate(reader.pages):
        landscape = float(page.mediabox.width) > float(page.mediabox.height)
        assert landscape == shown.is_landscape(index), index
    assert not shown.is_landscape(0) and not shown.is_landscape(expected - 1)  # the ledger's table is turned

    doc = QPdfDocument()
    assert doc.load(str(out)) == QPdfDocument.Error.None_
    image = doc.render(0, QSize(298, 421))
    corner = image.pixelColor(5, 5)
    assert (corner.alpha(), corner.red(), corner.green(), corner.blue()) == (255, 255, 255, 255)
    dark = sum(1 for y in range(0, 421, 3) for x in range(0, 298, 3) if image.pixelColor(x, y).lightness() < 128)
    assert dark > 20  # the page has text, not just white
    doc.close()
    archived = store.archived_reports(plan_id, OFFICE)
    assert [a.options["format"] for a in archived] == ["pdf"]
    assert archived[0].sha256 == hashlib.sha256(dialog.built.data).hexdigest()


def test_missing_glyphs_are_named_before_saving(qtbot, store, plan_id, tmp_path, monkeypatch):
    store.save_progress(plan_id, OFFICE, Progress(12, Status.DONE, 100, achievements=f"走访{RARE}屋村。"))
    dlg = open_dialog(qtbot, store, plan_id)
    assert RARE in dlg.built.missing
    assert dlg.missing_label.isVisible()
    assert dlg.missing_label.text() == f"以下字符没有可用字体，将印为〓：{RARE}"

    warned = Recorder(QMessageBox.StandardButton.Cancel)
    monkeypatch.setattr(QMessageBox, "warning", warned)
    asked = fake_save_name(monkeypatch, tmp_path / "out.pdf")
    assert dlg.save_pdf() is None  # cancelled at the warning
    assert asked == []
    assert len(warned.texts) == 1 and f"以下字符没有可用字体，将印为〓：{RARE}" in warned.texts[0]

    warned.answer = QMessageBox.StandardButton.Ok
    assert dlg.save_pdf() == str(tmp_path / "out.pdf")
    assert "〓" in pdf_text((tmp_path / "out.pdf").read_bytes())
    dlg.close()


def test_archived_report_reopens_and_saves_its_exact_bytes(qtbot, store, plan_id, dialog: ReportDialog, tmp_path,
                                                           monkeypatch):
    fake_save_name(monkeypatch, tmp_path / "first.pdf")
    dialog.save_pdf()
    report = store.archived_reports(plan_id, OFFICE)[0]
    archived = store.archived_data(report.id)

    dialog.settings.opening_edit.setPlainText("改过的开头，与已提交的不同。")
    wait_ready(qtbot, dialog)
    assert dialog.preview.data() != archived

    assert dialog.show_archived(report.id)
    assert dialog.preview.data() == archived
    assert dialog.preview.page_count() >= 2
    assert dialog.viewing_label.text().startswith("正在查看已提交的报告")
    assert "改过的开头" not in pdf_text(dialog.preview.data())

    fake_save_name(monkeypatch, tmp_path / "again.pdf")
    dialog.history.save_button.click()  # 另存为… of the history
    assert (tmp_path / "again.pdf").read_bytes() == archived
    fake_save_name(monkeypatch, tmp_path / "main.pdf")
    dialog.save_button.click()  # the main 另存为PDF… acts on the report shown
    assert (tmp_path / "main.pdf").read_bytes() == archived

    printed = tmp_path / "reprint.pdf"

    def accept(self):
        self.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.printer().setOutputFileName(str(printed))
        return 1

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    dialog.history.print_button.click()  # 重新打印…
    assert len(PdfReader(str(printed)).pages) == len(PdfReader(io.BytesIO(archived)).pages)
    assert len(store.archived_reports(plan_id, OFFICE)) == 1  # not archived a second time

    dialog.tabs.setCurrentIndex(0)
    assert dialog.preview.data() == dialog.built.data
    assert "改过的开头" in pdf_text(dialog.preview.data())


def test_the_excel_ledger_paper_is_chosen_in_the_dialog(dialog: ReportDialog):
    assert dialog.settings.request("xlsx").xlsx_paper == "a4"  # the default: fewer columns, wrapped, A4
    dialog.settings.paper_combo.setCurrentIndex(dialog.settings.paper_combo.findData("a3"))
    request = dialog.settings.request("xlsx")
    assert (request.fmt, request.xlsx_paper) == ("xlsx", "a3")
