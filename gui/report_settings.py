"""The report's options and editable texts (the 报告内容 tab of the report dialog)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from core.model import Office, Plan, ReportTexts
from core.report import ReportOptions
from gui.report_history import chinese_date


class ReportSettings(QWidget):
    """Report date (with the plan's deadline beside it), ledger, font choice, and the report texts.

    Signals:
        optionsChanged(): the date, the ledger box or the font choice changed.
        textsChanged(): one of the texts was edited.
    """

    optionsChanged = Signal()
    textsChanged = Signal()

    def __init__(self, plan: Plan, office: Office, texts: ReportTexts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        self.deadline_label = QLabel(self.tr("截止日期：{0}").format(chinese_date(plan.deadline.isoformat()))
                                     if plan.deadline else self.tr("（方案没有写明截止日期）"))
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
            signal.connect(self.optionsChanged)

        self.opening_edit = QPlainTextEdit(texts.opening)
        self.opening_edit.setPlaceholderText(self.tr(
            "留空时自动生成开头段落：“根据《{0}》要求，……现将落实情况报告如下：”。需要改写时直接在此输入。"
        ).format(plan.title))
        self.closing_edit = QPlainTextEdit(texts.closing)
        self.closing_edit.setPlaceholderText(self.tr("留空时为“特此报告。”"))
        for edit in (self.opening_edit, self.closing_edit):
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(70)
            edit.textChanged.connect(self.textsChanged)
        self.contact_edit = QLineEdit(texts.contact_name)
        self.phone_edit = QLineEdit(texts.contact_phone)
        self.signer_edit = QLineEdit(texts.signer)
        self.signer_edit.setPlaceholderText(office.name)
        self.signer_edit.setToolTip(self.tr("留空时使用单位名称“{0}”").format(office.name))
        for line in (self.contact_edit, self.phone_edit, self.signer_edit):
            line.textChanged.connect(self.textsChanged)
        text_box = QGroupBox(self.tr("报告文字（自动保存）"))
        text_form = QFormLayout(text_box)
        text_form.addRow(self.tr("开头段落"), self.opening_edit)
        text_form.addRow(self.tr("结尾段落"), self.closing_edit)
        text_form.addRow(self.tr("联系人"), self.contact_edit)
        text_form.addRow(self.tr("联系电话"), self.phone_edit)
        text_form.addRow(self.tr("落款单位"), self.signer_edit)

        layout = QVBoxLayout(self)
        layout.addWidget(options)
        layout.addWidget(text_box, 1)

    def texts(self) -> ReportTexts:
        """The report texts as they are in the form now."""
        return ReportTexts(opening=self.opening_edit.toPlainText(), closing=self.closing_edit.toPlainText(),
                           contact_name=self.contact_edit.text(), contact_phone=self.phone_edit.text(),
                           signer=self.signer_edit.text())

    def options(self) -> ReportOptions:
        d = self.date_edit.date()
        return ReportOptions(office=self.office.name, report_date=date(d.year(), d.month(), d.day()),
                             include_ledger=self.ledger_box.isChecked(), font_choice=self.font_combo.currentData())
