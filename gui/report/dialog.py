"""生成落实情况报告: options, report texts, a live preview of the real PDF, save, print, history.

The PDF is rebuilt off the UI thread after every change (debounced); what is saved or printed is
exactly the PDF shown. Report texts are saved as they are typed (debounced) and on close; a storage
failure keeps the text in the window and says so. Everything goes through ``actions.reports``.
"""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from actions import report_texts, reports
from actions.errors import ActionError, StorageError
from actions.reports import BuiltReport, ReportInputs, ReportRequest
from actions.session import Session
from core.model import Office, ReportTexts
from core.report import MISSING_MARKER
from gui.report.history import ReportHistory
from gui.report.preview import ReportPreview
from gui.report.print import PdfPages, print_with_progress
from gui.report.settings import ReportSettings
from gui.report.worker import ReportBuilder
from gui.saved_note import show_saved
from gui.submission_check import mark_report_submitted

REBUILD_DELAY_MS = 500
SAVE_TEXTS_DELAY_MS = 800
BUSY_INDICATOR_DELAY_MS = 300
LAST_DIR_SETTING = "report.last_dir"
#: For each format: the save dialog's title, the file kind, and the part of the suggested file name.
FORMATS_SHOWN = {"pdf": ("另存为PDF", "PDF 文件", "落实情况报告"), "docx": ("另存为Word", "Word 文档", "落实情况报告"),
                 "xlsx": ("导出台账(Excel)", "Excel 工作簿", "落实情况台账")}


class ReportDialog(QDialog):
    """The report dialog (Ctrl+P) for one plan and office.

    Signals:
        reportSaved(str): a report PDF was written to this path (current or archived report).
        reportPrinted(int): this many pages were sent to the printer.
        reportArchived(int): a newly saved or printed report was archived under this id.
        previewReady(int): the preview shows a freshly built report of this many pages.
    """

    reportSaved = Signal(str)
    reportPrinted = Signal(int)
    reportArchived = Signal(int)
    previewReady = Signal(int)

    def __init__(self, session: Session, plan_id: int, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.plan_id = plan_id
        self.office = office
        self.plan = session.plan(plan_id)
        self.viewing: int | None = None  # id of the archived report shown in the preview
        self._texts_error = ""
        self._printer: QPrinter | None = None
        self.setWindowTitle(self.tr("生成落实情况报告"))

        self.builder = ReportBuilder(self.report_input, REBUILD_DELAY_MS, BUSY_INDICATOR_DELAY_MS, self)
        self.builder.ready.connect(self._set_built)
        self.builder.failed.connect(lambda m: self.status_label.setText(self.tr("无法生成报告：{0}").format(m)))
        self.builder.busy.connect(lambda: self.status_label.setText(self.tr("正在生成…")))
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_TEXTS_DELAY_MS)
        self._save_timer.timeout.connect(self.save_texts)

        self.tabs = QTabWidget()
        self._saved_texts = reports.texts(session, plan_id, office)
        self.settings = ReportSettings(self.plan, office, self._saved_texts,
                                       drafts=lambda: report_texts.drafts(session, office, plan_id))
        self.settings.optionsChanged.connect(self._inputs_changed)
        self.settings.textsChanged.connect(self._texts_changed)
        self.texts_status = QLabel()
        self.texts_status.setWordWrap(True)
        self.tabs.addTab(self.settings, self.tr("报告内容"))
        self.history = ReportHistory()
        self.history.selected.connect(self._on_history_selected)
        self.history.printRequested.connect(lambda rid: self.print_report(rid))
        self.history.saveRequested.connect(lambda rid: self.save_pdf(rid))
        self.history.markRequested.connect(lambda rid, on: mark_report_submitted(  # after the 报送前检查
            self, session, office, plan_id, rid, on) and self._refresh_history())
        self.tabs.addTab(self.history, self.tr("已提交的报告"))
        self.tabs.currentChanged.connect(self._on_tab)

        split = QSplitter()
        split.addWidget(self.tabs)
        split.addWidget(self._build_preview())
        split.setStretchFactor(1, 1)
        split.setSizes([440, 800])

        self.save_button = QPushButton(self.tr("另存为PDF…"))
        self.word_button = QPushButton(self.tr("另存为Word…"))
        self.excel_button = QPushButton(self.tr("导出台账(Excel)…"))
        self.word_button.clicked.connect(lambda: self.save_as("docx"))
        self.excel_button.clicked.connect(lambda: self.save_as("xlsx"))
        self.print_button = QPushButton(self.tr("打印…"))
        close = QPushButton(self.tr("关闭"))
        # They act on what the preview shows: the current report, or the archived one being viewed.
        self.save_button.clicked.connect(lambda: self.save_pdf(self.viewing))
        self.print_button.clicked.connect(lambda: self.print_report(self.viewing))
        close.clicked.connect(self.reject)
        self.print_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.texts_status, 1)
        buttons.addWidget(self.word_button)
        buttons.addWidget(self.excel_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.reportSaved.connect(lambda path: show_saved(self.texts_status, path))  # 已保存到…（打开文件夹）
        self._size_for_screen()
        self._refresh_history()
        self.rebuild()

    # --- building the window ----------------------------------------------------------------------
    def _build_preview(self) -> QWidget:
        self.status_label = QLabel()
        self.pages_label = QLabel()
        self.viewing_label = QLabel()
        self.viewing_label.setStyleSheet("color:#8a5a00")
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        self.missing_label.setStyleSheet("color:#b00020")
        self.missing_label.hide()
        self.notes_label = QLabel()  # the report's own warnings: no notes yet, official fonts missing
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("color:#8a5a00")
        self.notes_label.hide()
        self.preview = ReportPreview()
        self.preview.pageCountChanged.connect(lambda n: self.pages_label.setText(self.tr("共 {0} 页").format(n)))
        head = QHBoxLayout()
        head.addWidget(self.status_label)
        head.addWidget(self.viewing_label, 1)
        head.addWidget(self.pages_label)
        head.addWidget(self.preview.zoom)
        w = QWidget()
        layout = QVBoxLayout(w)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.preview, 1)
        return w

    def _size_for_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        avail = screen.availableGeometry() if screen is not None else None
        width, height = 1280, 760
        if avail is not None:
            width, height = min(width, avail.width() - 40), min(height, avail.height() - 40)
        self.resize(width, height)

    # --- inputs -------------------------------------------------------------------------------------
    def texts(self) -> ReportTexts:
        """The report texts as they are in the window now."""
        return self.settings.texts()

    def request(self) -> ReportRequest:
        return self.settings.request()

    def report_input(self) -> tuple[ReportInputs, ReportRequest]:
        """A snapshot of the data with the texts as typed (maybe not saved yet), and the options."""
        snapshot = reports.snapshot(self.session, self.office, self.plan_id)
        return dataclasses.replace(snapshot, texts=self.texts()), self.request()

    @property
    def built(self) -> BuiltReport | None:
        """The latest report built (it may lag behind the inputs while a build is pending)."""
        return self.builder.latest

    def rebuild(self) -> None:
        """Build the report for the current inputs now, off the UI thread."""
        self.builder.start()

    def _inputs_changed(self) -> None:
        self.builder.schedule()
        if self.viewing is not None:
            self.tabs.setCurrentIndex(0)

    def _texts_changed(self) -> None:
        self._save_timer.start()
        self._inputs_changed()

    # --- saving the texts -----------------------------------------------------------------------------
    def save_texts(self) -> bool:
        """Write the texts to the store if they changed; False (text kept, message shown) on failure."""
        self._save_timer.stop()
        texts = self.texts()
        if texts == self._saved_texts:
            return True
        try:
            reports.save_texts(self.session, self.plan_id, self.office, texts)
        except (StorageError, ActionError) as exc:
            message = exc.message
            first = message != self._texts_error
            self._texts_error = message
            self.texts_status.setText(self.tr("报告文字没有保存：{0}").format(message))
            self.texts_status.setStyleSheet("color:#b00020")
            if first:
                QMessageBox.warning(self, self.tr("报告文字没有保存"),
                                    self.tr("{0}\n\n输入的文字仍在窗口中，稍后会再次尝试保存。").format(message))
            return False
        self._saved_texts = texts
        self._texts_error = ""
        self.texts_status.setText(self.tr("报告文字已保存"))
        self.texts_status.setStyleSheet("")
        return True

    # --- building the report ----------------------------------------------------------------------------
    def _set_built(self, result: BuiltReport) -> None:
        if result.missing:
            chars = "".join(sorted(result.missing))
            self.missing_label.setText(self.missing_text(result.missing))
            self.missing_label.setToolTip(" ".join(f"U+{ord(c):04X}" for c in chars))
        self.missing_label.setVisible(bool(result.missing))
        self.notes_label.setText("\n".join(result.warnings))
        self.notes_label.setVisible(bool(result.warnings))
        self.status_label.setText(self.tr("预览已更新"))
        if self.viewing is None and self.preview.show_pdf(result.data):
            self.previewReady.emit(self.preview.page_count())

    def is_ready(self) -> bool:
        """Whether the preview shows the report for the current inputs."""
        latest = self.builder.latest
        return not self.builder.stale and latest is not None and self.preview.data() == latest.data

    def missing_text(self, missing: frozenset[str] | set[str]) -> str:
        return self.tr("以下字符没有可用字体，将印为{0}：{1}").format(MISSING_MARKER, "、".join(sorted(missing)))

    def current_report(self) -> BuiltReport | None:
        """The report for the current inputs, built now (waiting, on this thread) if the preview lags."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return self.builder.current()
        except ActionError as exc:
            QMessageBox.warning(self, self.tr("无法生成报告"), str(exc))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()

    # --- history ------------------------------------------------------------------------------------------
    def _refresh_history(self) -> None:
        found = reports.archived(self.session, self.office, self.plan_id)
        self.history.set_reports(found)
        self.tabs.setTabText(1, self.tr("已提交的报告（{0}）").format(self.history.submission_count()))

    def show_archived(self, report_id: int) -> bool:
        """Show an archived report in the preview (switching to the history tab)."""
        self.tabs.setCurrentIndex(1)
        return self.history.select(report_id)

    def _on_history_selected(self, report_id: int) -> None:
        if report_id < 0:
            return
        try:
            data = reports.archived_data(self.session, report_id)
        except (ActionError, StorageError) as exc:
            QMessageBox.warning(self, self.tr("无法打开"), exc.message)
            return
        if self.preview.show_pdf(data):
            self.viewing = report_id
            item = self.history.list.currentItem()
            text = item.text().replace("\n", "　") if item else ""
            self.viewing_label.setText(self.tr("正在查看已提交的报告：{0}").format(text))

    def _on_tab(self, index: int) -> None:
        if index == 1:
            current = self.history.current_id()
            if current is not None:
                self._on_history_selected(current)
            return
        self.viewing = None
        self.viewing_label.clear()
        if self.built is not None and self.preview.data() != self.built.data and self.preview.show_pdf(self.built.data):
            self.previewReady.emit(self.preview.page_count())

    # --- saving and printing ---------------------------------------------------------------------------------
    def _confirm_empty(self, report: BuiltReport) -> bool:
        """A report with no notes at all is archived as submitted only when the clerk says so."""
        if not report.empty:
            return True
        answer = QMessageBox.question(
            self, self.tr("报告还没有内容"),
            self.tr("{0}\n\n仍要保存（或打印）并记入“已提交的报告”吗？").format(reports.NO_NOTES_WARNING),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _current_for_output(self) -> BuiltReport | None:
        """The current report after the missing-glyph and empty-report questions; None when cancelled."""
        self.save_texts()
        report = self.current_report()
        if report is None:
            return None
        if report.missing:
            answer = QMessageBox.warning(
                self, self.tr("有字符无法印出"),
                self.tr("{0}\n\n可以修改这些文字后再保存，或仍然继续。").format(self.missing_text(report.missing)),
                QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Ok:
                return None
        return report if self._confirm_empty(report) else None

    def _archived(self, report_id: int | None) -> None:
        self._refresh_history()
        if report_id is not None:
            self.reportArchived.emit(report_id)

    def _ask_path(self, report_date: date | None, fmt: str = "pdf") -> Path | None:
        title, kind, name_part = FORMATS_SHOWN[fmt]
        folder = self.session.setting(LAST_DIR_SETTING) or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        d = report_date or self.request().report_date
        suggested = f"{self.office.name}{name_part}{d:%Y%m%d}.{fmt}"
        name, _ = QFileDialog.getSaveFileName(self, self.tr(title), str(Path(folder) / suggested),
                                              self.tr("{0} (*.{1})").format(self.tr(kind), fmt))
        if not name:
            return None
        path = Path(name) if name.lower().endswith("." + fmt) else Path(f"{name}.{fmt}")
        with contextlib.suppress(StorageError):  # remembering the folder is only a convenience
            self.session.set_setting(LAST_DIR_SETTING, str(path.parent))
        return path

    def save_as(self, fmt: str) -> str | None:
        """另存为Word… / 导出台账(Excel)…: the same content as the PDF, written in ``fmt`` and archived."""
        base = self._current_for_output()
        if base is None:
            return None
        path = self._ask_path(base.request.report_date, fmt)
        if path is None:
            return None
        try:
            report = reports.build_from(reports.snapshot(self.session, self.office, self.plan_id),
                                        dataclasses.replace(base.request, fmt=fmt))
            saved = reports.save(self.session, report, path, allow_empty=True)
        except (ActionError, StorageError) as exc:
            QMessageBox.warning(self, self.tr("没有保存"), exc.message)
            return None
        if saved.newly_archived:
            self._archived(saved.archive_id)
        self.reportSaved.emit(str(saved.path))
        return str(saved.path)

    def save_pdf(self, archived: int | None = None) -> str | None:
        """另存为PDF…: the current report (then archived), or an archived one's exact bytes. Returns the path."""
        try:
            if archived is not None:
                found = [r for r in reports.archived(self.session, self.office, self.plan_id) if r.id == archived]
                path = self._ask_path(date.fromisoformat(found[0].report_date) if found else None)
                if path is None:
                    return None
                written, _data = reports.reprint(self.session, archived, path)
            else:
                report = self._current_for_output()
                if report is None:
                    return None
                path = self._ask_path(report.request.report_date)
                if path is None:
                    return None
                saved = reports.save(self.session, report, path, allow_empty=True)
                written = saved.path
                if saved.newly_archived:
                    self._archived(saved.archive_id)
        except (ActionError, StorageError) as exc:
            QMessageBox.warning(self, self.tr("报告没有保存"), exc.message)
            return None
        self.reportSaved.emit(str(written))
        return str(written)

    def printer(self) -> QPrinter:
        """The printer of this dialog (kept, so the clerk's choices last while it is open)."""
        if self._printer is None:
            self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            self._printer.setDocName(self.tr("{0}落实情况报告").format(self.office.name))
        return self._printer

    def print_report(self, archived: int | None = None) -> int:
        """打印…: the same PDF pages as saved; returns the number of pages printed (0 if none)."""
        report: BuiltReport | None = None
        try:
            if archived is not None:
                pdf = reports.archived_data(self.session, archived)
            else:
                report = self._current_for_output()
                if report is None:
                    return 0
                pdf = report.data
        except (ActionError, StorageError) as exc:
            QMessageBox.warning(self, self.tr("无法打开"), exc.message)
            return 0
        dialog = QPrintDialog(self.printer(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        pages = PdfPages(pdf)
        total = pages.page_count()
        try:
            printed = print_with_progress(pages, self.printer(), self)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("无法打印"), str(exc))
            return 0
        finally:
            pages.close()
        if report is not None and printed == total:
            try:
                report_id, new = reports.archive(self.session, report)
            except StorageError as exc:
                QMessageBox.warning(self, self.tr("没有记入已提交的报告"), exc.message)
            else:
                if new:
                    self._archived(report_id)
        self.reportPrinted.emit(printed)
        return printed

    # --- closing -----------------------------------------------------------------------------------------
    def done(self, result: int) -> None:
        if not self.save_texts():
            answer = QMessageBox.question(
                self, self.tr("报告文字没有保存"),
                self.tr("{0}\n\n关闭窗口后，刚才输入的报告文字将会丢失。仍要关闭吗？").format(self._texts_error),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._save_timer.stop()
        self.builder.shutdown()
        self.preview.release()
        super().done(result)
