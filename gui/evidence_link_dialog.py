"""添加网页链接: the address, a title, the date the page was seen (calendar) and an optional screenshot file.

The dialog does not store anything itself: 确定 hands the fields to ``submitted(url, title, seen, shot,
finished)`` (the evidence panel runs the action); ``finished(None)`` closes it, ``finished(message)`` shows the
refusal and keeps everything typed.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class LinkDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("添加网页链接"))
        self.submitted = None  # set by the panel
        today = today or date.today()
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("http://www.deqing.gov.cn/…")
        form.addRow(self.tr("网址"), self.url)
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(self.tr("如：县长信箱栏目办理回复"))
        form.addRow(self.tr("标题"), self.title)
        self.seen = QDateEdit(self)
        self.seen.setCalendarPopup(True)
        self.seen.setDisplayFormat("yyyy-MM-dd")
        self.seen.setMaximumDate(QDate(today.year, today.month, today.day))
        self.seen.setDate(QDate(today.year, today.month, today.day))
        form.addRow(self.tr("查看日期"), self.seen)
        shot_row = QHBoxLayout()
        self.shot = QLineEdit(self)
        self.shot.setPlaceholderText(self.tr("可选：网页截图文件"))
        self.browse = QPushButton(self.tr("选择…"), self)
        shot_row.addWidget(self.shot, 1)
        shot_row.addWidget(self.browse)
        form.addRow(self.tr("截图"), shot_row)
        layout.addLayout(form)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#c0392b;")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.browse.clicked.connect(self.choose_screenshot)
        self.setMinimumWidth(460)

    def choose_screenshot(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择网页截图"), "",
                                              self.tr("图片 (*.png *.jpg *.jpeg *.bmp *.gif *.webp);;所有文件 (*)"))
        if name:
            self.shot.setText(name)

    def values(self) -> tuple[str, str, str, str | None]:
        shot = self.shot.text().strip()
        return self.url.text().strip(), self.title.text(), self.seen.date().toString("yyyy-MM-dd"), shot or None

    def submit(self) -> None:
        if not self.url.text().strip():
            self.show_error(self.tr("请填写网址"))
            return
        if not self.title.text().strip():
            self.show_error(self.tr("请填写标题"))
            return
        if self.submitted is None:
            self.accept()
            return
        self.buttons.setEnabled(False)
        self.error.hide()
        self.submitted(*self.values(), self.finished_with)

    def finished_with(self, message: str | None) -> None:
        self.buttons.setEnabled(True)
        if message is None:
            self.accept()
        else:
            self.show_error(message)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

