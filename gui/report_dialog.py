"""生成落实情况报告: options, report texts, a live preview of the real PDF, save, print, history.

The PDF is rebuilt off the UI thread after every change (debounced); what is saved or printed is
exactly the PDF shown. Report texts are saved to the store as they are typed (debounced) and on
close; a storage failure keeps the text in the window and says so.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.model import Office, ReportTexts
from core.report import MISSING_MARKER, FontError, ReportOptions, ReportWriteError, content_hash, write_pdf_atomic
from db.errors import StorageError
from db.progress import UnstorableTextError
from db.store import Store
from gui.report_history import ReportHistory, chinese_date
from gui.report_preview import ReportPreview
from gui.report_print import PdfPages, print_pages
from gui.report_worker import BuiltReport, ReportInput, ReportJob, build

REBUILD_DELAY_MS = 500
SAVE_TEXTS_DELAY_MS = 800
BUSY_INDICATOR_DELAY_MS = 300
LAST_DIR_SETTING = "report.last_dir"


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

    def __init__(self, store: Store, plan_id: int, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.plan_id = plan_id
        self.office = office
        self.plan = store.plan(plan_id)
        self.roles = store.roles(self.plan, plan_id, office)
        self.built: BuiltReport | None = None  # the latest report matching the inputs, once built
        self.viewing: int | None = None  # id of the archived report shown in the preview
        self._generation = 0
        self._dirty = True
        self._texts_error = ""
        self._printer: QPrinter | None = None
        self._jobs: dict[int, ReportJob] = {}
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one build at a time; queued superseded builds are skipped
        self.setWindowTitle(self.tr("生成落实情况报告"))

        self._rebuild_timer = self._timer(REBUILD_DELAY_MS, self.rebuild)
        self._save_timer = self._timer(SAVE_TEXTS_DELAY_MS, self.save_texts)
        self._busy_timer = self._timer(BUSY_INDICATOR_DELAY_MS, self._show_busy)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_settings(), self.tr("报告内容"))
        self.history = ReportHistory()
        self.history.selected.connect(self._on_history_selected)
        self.history.printRequested.connect(lambda rid: self.print_report(rid))
        self.history.saveRequested.connect(lambda rid: self.save_pdf(rid))
        self.tabs.addTab(self.history, self.tr("已提交的报告"))
        self.tabs.currentChanged.connect(self._on_tab)

        split = QSplitter()
        split.addWidget(self.tabs)
        split.addWidget(self._build_preview())
        split.setStretchFactor(1, 1)
        split.setSizes([440, 800])

        self.save_button = QPushButton(self.tr("另存为PDF…"))
        self.print_button = QPushButton(self.tr("打印…"))
        close = QPushButton(self.tr("关闭"))
        self.save_button.clicked.connect(lambda: self.save_pdf())
        self.print_button.clicked.connect(lambda: self.print_report())
        close.clicked.connect(self.reject)
        self.print_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.texts_status, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self._size_for_screen()
        self._refresh_history()
        self.rebuild()

    # --- building the window ----------------------------------------------------------------------
    def _timer(self, ms: int, slot) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    def _build_settings(self) -> QWidget:
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        deadline = self.plan.deadline
        self.deadline_label = QLabel(self.tr("截止日期：{0}").format(chinese_date(deadline.isoformat())) if deadline
                                     else self.tr("（方案没有写明截止日期）"))
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_edit)
        date_row.addWidget(self.deadline_label, 1)
        self.ledger_box = QCheckBox(self.tr("附上落实情况台账（附件：落实情况台账）"))
        self.ledger_box.setChecked(True)
        self.font_combo = QComboBox()
        self.font_combo.addItem(self.tr("自动（优先使用本机公文字体）"), "auto")
        self.font_combo.addItem(self.tr("仅用内置字体"), "bundled")
        options = QGroupBox(self.tr("选项"))
        form = QFormLayout(options)
        form.addRow(self.tr("报告日期"), date_row)
        form.addRow("", self.ledger_box)
        form.addRow(self.tr("字体"), self.font_combo)
        for signal in (self.date_edit.dateChanged, self.ledger_box.toggled, self.font_combo.currentIndexChanged):
            signal.connect(self._inputs_changed)

        texts = self.store.report_texts(self.plan_id, self.office.name)
        self._saved_texts = texts
        self.opening_edit = QPlainTextEdit(texts.opening)
        self.opening_edit.setPlaceholderText(self.tr(
            "留空时自动生成开头段落：“根据《{0}》要求，……现将落实情况报告如下：”。需要改写时直接在此输入。"
        ).format(self.plan.title))
        self.closing_edit = QPlainTextEdit(texts.closing)
        self.closing_edit.setPlaceholderText(self.tr("留空时为“特此报告。”"))
        for edit in (self.opening_edit, self.closing_edit):
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(70)
        self.contact_edit = QLineEdit(texts.contact_name)
        self.phone_edit = QLineEdit(texts.contact_phone)
        self.signer_edit = QLineEdit(texts.signer)
        self.signer_edit.setPlaceholderText(self.office.name)
        self.signer_edit.setToolTip(self.tr("留空时使用单位名称“{0}”").format(self.office.name))
        text_box = QGroupBox(self.tr("报告文字（自动保存）"))
        text_form = QFormLayout(text_box)
        text_form.addRow(self.tr("开头段落"), self.opening_edit)
        text_form.addRow(self.tr("结尾段落"), self.closing_edit)
        text_form.addRow(self.tr("联系人"), self.contact_edit)
        text_form.addRow(self.tr("联系电话"), self.phone_edit)
        text_form.addRow(self.tr("落款单位"), self.signer_edit)
        for edit in (self.opening_edit, self.closing_edit):
            edit.textChanged.connect(self._texts_changed)
        for line in (self.contact_edit, self.phone_edit, self.signer_edit):
            line.textChanged.connect(self._texts_changed)
        self.texts_status = QLabel()
        self.texts_status.setWordWrap(True)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(options)
        layout.addWidget(text_box, 1)
        return page

    def _build_preview(self) -> QWidget:
        self.status_label = QLabel()
        self.pages_label = QLabel()
        self.viewing_label = QLabel()
        self.viewing_label.setStyleSheet("color:#8a5a00")
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        self.missing_label.setStyleSheet("color:#b00020")
        self.missing_label.hide()
        self.preview = ReportPreview()
        self.preview.pageCountChanged.connect(lambda n: self.pages_label.setText(self.tr("共 {0} 页").format(n)))
        head = QHBoxLayout()
        head.addWidget(self.status_label)
        head.addWidget(self.viewing_label, 1)
        head.addWidget(self.pages_label)
        w = QWidget()
        layout = QVBoxLayout(w)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.missing_label)
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
        return ReportTexts(opening=self.opening_edit.toPlainText(), closing=self.closing_edit.toPlainText(),
                           contact_name=self.contact_edit.text(), contact_phone=self.phone_edit.text(),
                           signer=self.signer_edit.text())

    def options(self) -> ReportOptions:
        d = self.date_edit.date()
        return ReportOptions(office=self.office.name, report_date=date(d.year(), d.month(), d.day()),
                             include_ledger=self.ledger_box.isChecked(), font_choice=self.font_combo.currentData())

    def report_input(self) -> ReportInput:
        return ReportInput(self.plan, dict(self.roles), self.store.progress(self.plan_id, self.office.name),
                           self.texts(), self.options())

    def _inputs_changed(self) -> None:
        self._dirty = True
        self._rebuild_timer.start()
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
            self.store.save_report_texts(self.plan_id, self.office.name, texts)
        except (StorageError, UnstorableTextError) as exc:
            message = getattr(exc, "message", str(exc))
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
    def _is_current(self, generation: int) -> bool:
        return generation == self._generation

    def rebuild(self) -> None:
        """Start building the report for the current inputs in the thread pool."""
        self._rebuild_timer.stop()
        self._generation += 1
        self._pool.clear()  # queued builds are superseded
        job = ReportJob(self._generation, self.report_input(), self._is_current)
        job.signals.done.connect(self._on_built)
        job.signals.failed.connect(self._on_failed)
        self._jobs = {g: j for g, j in self._jobs.items() if g == self._generation - 1}
        self._jobs[self._generation] = job  # keep the signals object alive until the job reports
        self._busy_timer.start()
        self._pool.start(job)

    def _on_built(self, generation: int, result: BuiltReport) -> None:
        if generation != self._generation:
            return
        self._jobs.pop(generation, None)
        self._set_built(result)

    def _on_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._jobs.pop(generation, None)
        self._busy_timer.stop()
        self.status_label.setText(self.tr("无法生成报告：{0}").format(message))

    def _set_built(self, result: BuiltReport) -> None:
        self._busy_timer.stop()
        self.built = result
        self._dirty = False
        if result.missing:
            chars = "".join(sorted(result.missing))
            self.missing_label.setText(self.missing_text(result.missing))
            self.missing_label.setToolTip(" ".join(f"U+{ord(c):04X}" for c in chars))
        self.missing_label.setVisible(bool(result.missing))
        self.status_label.setText(self.tr("预览已更新"))
        if self.viewing is None and self.preview.show_pdf(result.pdf):
            self.previewReady.emit(self.preview.page_count())

    def _show_busy(self) -> None:
        self.status_label.setText(self.tr("正在生成…"))

    def is_ready(self) -> bool:
        """Whether the preview shows the report for the current inputs."""
        return not self._dirty and self.built is not None and self.preview.data() == self.built.pdf

    def missing_text(self, missing: frozenset[str] | set[str]) -> str:
        return self.tr("以下字符没有可用字体，将印为{0}：{1}").format(MISSING_MARKER, "、".join(sorted(missing)))

    def current_report(self) -> BuiltReport | None:
        """The report for the current inputs, built now (waiting, on this thread) if the preview lags."""
        if not self._dirty and self.built is not None:
            return self.built
        self._rebuild_timer.stop()
        self._generation += 1  # results of builds still running are ignored
        self._pool.clear()
        self._pool.waitForDone()  # the engine runs one build at a time
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = build(self.report_input())
        except FontError as exc:
            QMessageBox.warning(self, self.tr("无法生成报告"), str(exc))
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._set_built(result)
        return result

    # --- history ------------------------------------------------------------------------------------------
    def _refresh_history(self) -> None:
        reports = self.store.archived_reports(self.plan_id, self.office.name)
        self.history.set_reports(reports)
        self.tabs.setTabText(1, self.tr("已提交的报告（{0}）").format(len(reports)))

    def show_archived(self, report_id: int) -> bool:
        """Show an archived report in the preview (switching to the history tab)."""
        self.tabs.setCurrentIndex(1)
        return self.history.select(report_id)

    def _on_history_selected(self, report_id: int) -> None:
        if report_id < 0:
            return
        try:
            data = self.store.archived_pdf(report_id)
        except (KeyError, StorageError) as exc:
            QMessageBox.warning(self, self.tr("无法打开"), getattr(exc, "message", str(exc)))
            return
        if self.preview.show_pdf(data):
            self.viewing = report_id
            item = self.history.list.currentItem()
            self.viewing_label.setText(self.tr("正在查看已提交的报告：{0}").format(item.text() if item else ""))

    def _on_tab(self, index: int) -> None:
        if index == 1:
            current = self.history.current_id()
            if current is not None:
                self._on_history_selected(current)
            return
        self.viewing = None
        self.viewing_label.clear()
        if self.built is not None and self.preview.data() != self.built.pdf and self.preview.show_pdf(self.built.pdf):
            self.previewReady.emit(self.preview.page_count())

    # --- saving and printing ---------------------------------------------------------------------------------
    def _report_bytes(self, archived: int | None) -> tuple[bytes, ReportOptions | None] | None:
        """The bytes to save or print, after the missing-glyph warning; None when cancelled."""
        if archived is not None:
            try:
                return self.store.archived_pdf(archived), None
            except (KeyError, StorageError) as exc:
                QMessageBox.warning(self, self.tr("无法打开"), getattr(exc, "message", str(exc)))
                return None
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
        return report.pdf, report.options

    def _archive(self, pdf: bytes, options: ReportOptions, action: str) -> None:
        digest = content_hash(pdf)
        try:
            if any(r.sha256 == digest for r in self.store.archived_reports(self.plan_id, self.office.name)):
                return  # these exact bytes are already in the history
            report_id = self.store.archive_report(
                self.plan_id, self.office.name, options.report_date.isoformat(), digest,
                {"report_date": options.report_date.isoformat(), "include_ledger": options.include_ledger,
                 "include_chart": options.include_chart, "font_choice": options.font_choice, "action": action},
                pdf)
        except StorageError as exc:
            QMessageBox.warning(self, self.tr("没有记入已提交的报告"), exc.message)
            return
        self._refresh_history()
        self.reportArchived.emit(report_id)

    def default_file_name(self, report_date: date | None = None) -> str:
        d = report_date or self.options().report_date
        return f"{self.office.name}落实情况报告{d:%Y%m%d}.pdf"

    def save_pdf(self, archived: int | None = None) -> str | None:
        """另存为PDF…: the current report, or an archived one's exact bytes. Returns the path written."""
        got = self._report_bytes(archived)
        if got is None:
            return None
        pdf, options = got
        report_date = options.report_date if options else None
        if archived is not None:
            found = [r for r in self.store.archived_reports(self.plan_id, self.office.name) if r.id == archived]
            report_date = date.fromisoformat(found[0].report_date) if found else None
        folder = self.store.setting(LAST_DIR_SETTING) or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        name, _ = QFileDialog.getSaveFileName(self, self.tr("另存为PDF"),
                                              str(Path(folder) / self.default_file_name(report_date)),
                                              self.tr("PDF 文件 (*.pdf)"))
        if not name:
            return None
        path = Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")
        try:
            write_pdf_atomic(path, pdf)
        except ReportWriteError as exc:
            QMessageBox.warning(self, self.tr("报告没有保存"), str(exc))
            return None
        with contextlib.suppress(StorageError):  # remembering the folder is only a convenience
            self.store.set_setting(LAST_DIR_SETTING, str(path.parent))
        if options is not None:
            self._archive(pdf, options, "save")
        self.reportSaved.emit(str(path))
        return str(path)

    def printer(self) -> QPrinter:
        """The printer of this dialog (kept, so the clerk's choices last while it is open)."""
        if self._printer is None:
            self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            self._printer.setDocName(self.tr("{0}落实情况报告").format(self.office.name))
        return self._printer

    def print_report(self, archived: int | None = None) -> int:
        """打印…: the same PDF pages as saved; returns the number of pages printed (0 if none)."""
        got = self._report_bytes(archived)
        if got is None:
            return 0
        pdf, options = got
        dialog = QPrintDialog(self.printer(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        pages = PdfPages(pdf)
        total = pages.page_count()
        progress = QProgressDialog(self.tr("正在打印…"), self.tr("取消"), 0, total, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)

        def step(done: int, total: int) -> bool:
            progress.setValue(done)
            return not progress.wasCanceled()

        try:
            printed = print_pages(pages, self.printer(), step)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("无法打印"), str(exc))
            return 0
        finally:
            progress.close()
            pages.close()
        if options is not None and printed == total:
            self._archive(pdf, options, "print")
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
        for timer in (self._rebuild_timer, self._save_timer, self._busy_timer):
            timer.stop()
        self._generation += 1
        self._pool.clear()
        self._pool.waitForDone()
        self.preview.release()
        super().done(result)
