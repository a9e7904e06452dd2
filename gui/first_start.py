"""The first-start notice: a band above the table saying what the built-in plan is, with 导入新方案…."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class FirstStartNotice(QFrame):
    """Signals: importRequested() for 导入新方案…; dismissed() for 知道了."""

    importRequested = Signal()
    dismissed = Signal()

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstStart")
        self.setStyleSheet("#firstStart{background:#eef5ff;border:1px solid #b7cff0;border-radius:4px;}")
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.import_button = QPushButton(self.tr("导入新方案…"), self)
        self.close_button = QPushButton(self.tr("知道了"), self)
        self.import_button.clicked.connect(self.importRequested)
        self.close_button.clicked.connect(self._dismiss)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.label, 1)
        row.addWidget(self.import_button)
        row.addWidget(self.close_button)

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
