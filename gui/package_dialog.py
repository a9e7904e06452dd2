"""生成报送材料…: one zip for the U盘 (report PDF and Word, 台账 Excel, progress file, 佐证材料, 目录, manifest).

The work is ``actions.package.make_package`` on a :class:`~gui.runner.Runner`. Two answers may be needed and
are asked, then the package is built again: a report with no notes yet (allow_empty) and a package over 2 GB
(allow_large). The result names the zip, its size and file count, and opens its folder.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QUrl, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from actions import reports
from actions.package import PackageResult, PackageTooLarge, make_package, package_preview
from actions.session import Session, in_own_session
from actions.submission_check import SubmissionCheck, check_submission
from core.model import Office
from gui import evidence_panel
from gui.runner import Runner


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


class PackageDialog(QDialog):
    """Signals: taskRequested(int): the clerk chose a task in the check; the dialog closes, the window shows it."""

    taskRequested = Signal(int)

    def __init__(self, session: Session, office: Office, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("生成报送材料"))
        self.session = session
        self.office = office
        self.runner = Runner(self, serial=True)
        self.package: PackageResult | None = None
        self.today = today or date.today()
        self.check_dialog = None
        plan = session.plan(session.current_plan_id())
        day = reports.default_report_date(plan, today)

        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("把报告（PDF、Word）、台账（Excel）、进度文件和全部佐证材料打包成一个 zip 文件，"
                               "可拷到U盘或用邮件报送。"), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        out_row = QHBoxLayout()
        self.out = QLineEdit(self)
        self.out.setPlaceholderText(self.tr("选择U盘或文件夹，或 .zip 文件名"))
        self.folder_button = QPushButton(self.tr("选择文件夹…"), self)
        self.zip_button = QPushButton(self.tr("另存为…"), self)
        out_row.addWidget(self.out, 1)
        out_row.addWidget(self.folder_button)
        out_row.addWidget(self.zip_button)
        form.addRow(self.tr("保存到"), out_row)
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setDate(QDate(day.year, day.month, day.day))
        form.addRow(self.tr("报告日期"), self.date)
        self.fonts = QComboBox(self)
        self.fonts.addItem(self.tr("自动（电脑装有公文字体时使用）"), "auto")
        self.fonts.addItem(self.tr("只用软件自带字体"), "bundled")
        form.addRow(self.tr("字体"), self.fonts)
        layout.addLayout(form)
        self.contents = QLabel(self)  # round, contact and the files the zip will hold
        self.contents.setWordWrap(True)
        layout.addWidget(self.contents)
        self.show_contents()
        self.date.dateChanged.connect(lambda _d: self.show_contents())
        self.check_label = QLabel(self)
        self.check_label.setWordWrap(True)
        layout.addWidget(self.check_label)
        self.refresh_check()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.open_folder = QPushButton(self.tr("打开所在文件夹"), self)
        self.open_folder.hide()
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.open_folder)
        folder_row.addStretch(1)
        layout.addLayout(folder_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.make_button = self.buttons.addButton(self.tr("生成"), QDialogButtonBox.ButtonRole.ActionRole)
        self.make_button.setDefault(True)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        self.make_button.clicked.connect(lambda: self.make())
        self.folder_button.clicked.connect(self.choose_folder)
        self.zip_button.clicked.connect(self.choose_zip)
        self.open_folder.clicked.connect(self.show_folder)
        self.out.textChanged.connect(self._target_changed)
        self.setMinimumWidth(560)

    def report_date(self) -> date:
        d = self.date.date()
        return date(d.year(), d.month(), d.day())

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择保存到哪个文件夹（例如U盘）"))
        if folder:
            self.out.setText(folder)

    def choose_zip(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("报送材料另存为"), "", self.tr("zip 文件 (*.zip)"))
        if name:
            self.out.setText(name if name.lower().endswith(".zip") else name + ".zip")

    def show_contents(self) -> None:
        preview = package_preview(self.session, self.office.name, self.report_date())
        contact = preview.contact or self.tr("（未填写，可在“打印报告”的报告内容中填写）")
        self.contents.setText(self.tr("报送轮次：{0}　　联系人：{1}\n将包含：{2}；佐证材料 {3} 项").format(
            preview.round_label, contact, "、".join(preview.documents), preview.evidence_files))

    def _target_changed(self, text: str) -> None:
        if text.strip() and self.status.text() == self.tr("请先选择保存到哪里（U盘、文件夹或 .zip 文件名）。"):
            self.status.clear()  # no stale “请先选择…” once a place was chosen

    def refresh_check(self) -> SubmissionCheck:
        """The 报送前检查 summary under the form (the full list opens when 生成 is pressed)."""
        check = check_submission(self.session, self.office, today=self.today)
        colour = "#1e8a3c" if check.clean else "#b35900"
        self.check_label.setStyleSheet(f"color:{colour};")
        self.check_label.setText(self.tr("报送前检查：{0}").format(self.tr(check.summary())))
        return check

    def make(self, allow_empty: bool = False, allow_large: bool = False, checked: bool = False) -> None:
        """Build and write the package off the UI thread; asks and builds again when an answer is needed.

        First the 报送前检查 (unless ``checked``): with anything open its dialog lists it, and 仍然生成 goes on."""
        out = self.out.text().strip()
        if not out:
            self.status.setText(self.tr("请先选择保存到哪里（U盘、文件夹或 .zip 文件名）。"))
            return
        if not checked:
            check = self.refresh_check()
            if not check.clean:
                from gui.submission_check import SubmissionCheckDialog

                dialog = SubmissionCheckDialog(check, self.tr("生成"), self)
                dialog.accepted.connect(lambda: self.make(allow_empty, allow_large, checked=True))
                dialog.taskRequested.connect(self._open_task)
                self.check_dialog = dialog
                dialog.open()
                return
        day, fonts = self.report_date(), self.fonts.currentData()
        self.make_button.setEnabled(False)
        self.open_folder.hide()
        self.status.setText(self.tr("正在生成报送材料…"))

        data_dir, office, today = self.session.data_dir, self.office.name, self.today

        def job():  # on a connection of its own (in_own_session): never the window's
            try:
                return in_own_session(data_dir, lambda s: make_package(
                    s, office, Path(out), report_date=day, fonts=fonts, allow_empty=allow_empty,
                    allow_large=allow_large, today=today))
            except PackageTooLarge as exc:  # a question, not a failure
                return exc

        self.runner.run(job, lambda r: self._done(r, allow_empty), lambda m: self._failed(m, allow_large),
                        widget=self, label=self.tr("正在生成报送材料…"))

    def _done(self, result, allow_empty: bool) -> None:
        self.make_button.setEnabled(True)
        if isinstance(result, PackageTooLarge):
            self.status.clear()
            question = self.tr("超过 2 GB 的文件可能无法用邮件发送，有的U盘也存不下。仍要生成吗？")
            answer = QMessageBox.question(self, self.tr("报送材料很大"), result.message + "\n\n" + question)
            if answer == QMessageBox.StandardButton.Yes:
                self.make(allow_empty=allow_empty, allow_large=True, checked=True)
            return
        self.package = result
        info = result.info
        text = self.tr("已生成：{0}\n大小 {1}，共 {2} 个文件。").format(
            info.path, size_text(info.size), len(info.files))
        for w in result.warnings:
            if w != reports.NO_NOTES_WARNING:
                text += "\n" + self.tr(w)
        self.status.setText(text)
        self.open_folder.show()

    def _failed(self, message: str, allow_large: bool) -> None:
        self.make_button.setEnabled(True)
        self.status.clear()
        if message.startswith(reports.NO_NOTES_WARNING):
            answer = QMessageBox.question(self, self.tr("生成报送材料"), reports.NO_NOTES_WARNING + "\n\n"
                                          + self.tr("仍要生成报送材料吗？"))
            if answer == QMessageBox.StandardButton.Yes:
                self.make(allow_empty=True, allow_large=allow_large, checked=True)
            return
        self.status.setText(message)
        QMessageBox.warning(self, self.tr("未能生成报送材料"), message)

    def _open_task(self, number: int) -> None:
        self.reject()
        self.taskRequested.emit(number)

    def show_folder(self) -> None:
        if self.package is not None:
            evidence_panel.open_url(QUrl.fromLocalFile(str(self.package.info.path.parent)))
