"""The report's options and editable texts (the 报告内容 tab of the report dialog)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QTextCursor
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
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from actions.reports import ReportRequest, default_report_date
from core.cn import chinese_date, cn_number
from core.model import Office, Plan, ReportTexts
from core.rounds import default_round, effective_round, round_choices


class ReportSettings(QWidget):
    """Report date (with the plan's deadline beside it), round, ledger, seal, font choice, and the report texts.

    Signals:
        optionsChanged(): the date, the ledger box or the font choice changed.
        textsChanged(): one of the texts was edited.
    """

    optionsChanged = Signal()
    textsChanged = Signal()

    def __init__(self, plan: Plan, office: Office, texts: ReportTexts, parent: QWidget | None = None,
                 drafts: Callable[[], dict[int, str]] | None = None) -> None:
        super().__init__(parent)
        self._drafts = drafts
        self.office = office
        self.plan_year = plan.year
        start = default_report_date(plan)
        self.date_edit = QDateEdit(QDate(start.year, start.month, start.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        self.deadline_label = QLabel(self.tr("截止日期：{0}").format(chinese_date(plan.deadline))
                                     if plan.deadline else self.tr("（方案没有写明截止日期）"))
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_edit)
        date_row.addWidget(self.deadline_label, 1)
        self.ledger_box = QCheckBox(self.tr("附上落实情况台账（附件：落实情况台账）"))
        self.ledger_box.setChecked(True)
        self.sealed_box = QCheckBox(self.tr("加盖印章（署名和日期按盖章公文排版）"))
        self.sealed_box.setChecked(texts.sealed)
        # 报送轮次: typed, or picked from the usual rounds; left empty it follows the report date.
        self.round_combo = QComboBox()
        self.round_combo.setEditable(True)
        self.round_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.round_edit = self.round_combo.lineEdit()
        self._fill_rounds(texts.round_label)
        self.round_edit.textChanged.connect(self.textsChanged)
        self.date_edit.dateChanged.connect(lambda _d: self._fill_rounds(self.round_edit.text()))
        self.sealed_box.toggled.connect(self.textsChanged)
        self.font_combo = QComboBox()
        self.font_combo.addItem(self.tr("自动（优先使用本机公文字体）"), "auto")
        self.font_combo.addItem(self.tr("仅用内置字体"), "bundled")
        self.paper_combo = QComboBox()  # the Excel 台账 only (另存为Excel…): both print at 9 pt or more
        self.paper_combo.addItem(self.tr("A4横向（列少、自动换行）"), "a4")
        self.paper_combo.addItem(self.tr("A3横向（全部列）"), "a3")
        options = QGroupBox(self.tr("选项"))
        form = QFormLayout(options)
        form.addRow(self.tr("报告日期"), date_row)
        form.addRow(self.tr("报送轮次"), self.round_combo)
        form.addRow("", self.ledger_box)
        form.addRow("", self.sealed_box)
        form.addRow(self.tr("字体"), self.font_combo)
        form.addRow(self.tr("Excel台账纸张"), self.paper_combo)
        for signal in (self.date_edit.dateChanged, self.ledger_box.toggled, self.font_combo.currentIndexChanged):
            signal.connect(self.optionsChanged)

        self.opening_edit = QPlainTextEdit(texts.opening)
        self.opening_edit.setPlaceholderText(self.tr(
            "留空时自动生成开头段落：“根据《{0}》要求，……现将落实情况报告如下：”。需要改写时直接在此输入。"
        ).format(plan.title))
        self.closing_edit = QPlainTextEdit(texts.closing)
        self.closing_edit.setPlaceholderText(self.tr("留空时为“特此报告。”"))
        self.achievements_edit = QPlainTextEdit(texts.achievements_intro)
        self.achievements_edit.setPlaceholderText(self.tr("成效做法的总体概述，写在“二、主要成效做法”开头，各任务的成效做法列在其后。"))
        self.problems_edit = QPlainTextEdit(texts.problems_intro)
        self.problems_edit.setPlaceholderText(self.tr("本单位存在的主要问题，写一次即可，写在“三、存在问题”开头。"))
        self.next_steps_edit = QPlainTextEdit(texts.next_steps_intro)
        self.next_steps_edit.setPlaceholderText(self.tr("下一步的总体打算，写在“四、下一步措施”开头。"))
        for edit in (self.opening_edit, self.achievements_edit, self.problems_edit, self.next_steps_edit,
                     self.closing_edit):
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(70)
            edit.textChanged.connect(self.textsChanged)
        self.contact_edit = QLineEdit(texts.contact_name)
        self.phone_edit = QLineEdit(texts.contact_phone)
        self.signer_edit = QLineEdit(texts.signer)
        self.signer_edit.setPlaceholderText(self.tr("留空时使用单位全称"))
        self.signer_edit.setToolTip(self.tr("印在报告末尾的发文机关署名，例如“悦城镇人民政府”"))
        for line in (self.contact_edit, self.phone_edit, self.signer_edit):
            line.textChanged.connect(self.textsChanged)
        text_box = QGroupBox(self.tr("报告文字（自动保存）"))
        text_form = QFormLayout(text_box)
        text_form.addRow(self.tr("开头段落"), self.opening_edit)
        text_form.addRow(self.tr("成效做法概述"), self.achievements_edit)
        # 简要: a section with a summary prints it, its tasks only in the annex; 详细: the tasks' items too.
        self.detail_combo = QComboBox()
        self.detail_combo.addItem(self.tr("简要（写了概述的部分只印概述，各任务见附件台账）"), False)
        self.detail_combo.addItem(self.tr("详细（概述之后再逐项列出各任务）"), True)
        self.detail_combo.setCurrentIndex(1 if texts.detailed else 0)
        self.detail_combo.currentIndexChanged.connect(self.textsChanged)
        text_form.addRow(self.tr("篇幅"), self.detail_combo)
        self.section_edits: list[QPlainTextEdit] = []
        self.draft_buttons: list[QPushButton] = []
        for i, section in enumerate(plan.sections):
            edit = QPlainTextEdit(texts.summary(i))
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(70)
            edit.setPlaceholderText(self.tr("本部分的综合概述。留空时逐项列出本部分各任务的成效做法。"))
            edit.textChanged.connect(self.textsChanged)
            button = QPushButton(self.tr("用草稿填入"))
            button.setToolTip(self.tr("按本部分各任务填写的成效做法拼成“一是……；二是……”的草稿，填入后请修改（可撤销）"))
            button.setEnabled(drafts is not None)
            button.clicked.connect(lambda _checked=False, k=i: self.fill_draft(k))
            label = QLabel(f"{cn_number(i + 1)}、{section.title}")
            label.setWordWrap(True)
            head = QWidget()
            column = QVBoxLayout(head)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(label)
            column.addWidget(button)
            column.addStretch(1)
            head.setMaximumWidth(160)
            text_form.addRow(head, edit)
            self.section_edits.append(edit)
            self.draft_buttons.append(button)
        text_form.addRow(self.tr("存在问题"), self.problems_edit)
        text_form.addRow(self.tr("下一步措施"), self.next_steps_edit)
        text_form.addRow(self.tr("结尾段落"), self.closing_edit)
        text_form.addRow(self.tr("联系人"), self.contact_edit)
        text_form.addRow(self.tr("联系电话"), self.phone_edit)
        text_form.addRow(self.tr("落款单位"), self.signer_edit)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(text_box)
        layout = QVBoxLayout(self)
        layout.addWidget(options)
        layout.addWidget(scroll, 1)

    def fill_draft(self, section: int) -> bool:
        """Put the section's draft into its box, as an edit the clerk can undo; False when there is none."""
        text = (self._drafts() if self._drafts is not None else {}).get(section, "")
        if not text:
            self.draft_buttons[section].setToolTip(self.tr("本部分各任务还没有填写成效做法，无法生成草稿"))
            return False
        edit = self.section_edits[section]
        cursor = edit.textCursor()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        return True

    def report_date(self) -> date:
        d = self.date_edit.date()
        return date(d.year(), d.month(), d.day())

    def _fill_rounds(self, keep: str) -> None:
        """The usual rounds for the report date; the typed text stays (empty shows the default greyed)."""
        day = self.report_date()
        self.round_edit.blockSignals(True)
        self.round_combo.clear()
        self.round_combo.addItems(round_choices(day, self.plan_year))
        self.round_combo.setCurrentIndex(-1)
        self.round_edit.setText(keep)
        self.round_edit.blockSignals(False)
        default = default_round(day, self.plan_year)
        self.round_edit.setPlaceholderText(self.tr("留空时按报告日期为：{0}").format(default))

    def round_label(self) -> str:
        """The round the report will carry (as typed, else the default for the date)."""
        return effective_round(self.round_edit.text(), self.report_date(), self.plan_year)

    def texts(self) -> ReportTexts:
        """The report texts as they are in the form now (section summaries and 简要/详细 included)."""
        value = ReportTexts(opening=self.opening_edit.toPlainText(), closing=self.closing_edit.toPlainText(),
                            contact_name=self.contact_edit.text(), contact_phone=self.phone_edit.text(),
                            signer=self.signer_edit.text(), achievements_intro=self.achievements_edit.toPlainText(),
                            problems_intro=self.problems_edit.toPlainText(),
                            next_steps_intro=self.next_steps_edit.toPlainText(), round_label=self.round_edit.text(),
                            sealed=self.sealed_box.isChecked(), detailed=bool(self.detail_combo.currentData()))
        for i, edit in enumerate(self.section_edits):
            value = value.with_summary(i, edit.toPlainText())
        return value

    def request(self, fmt: str = "pdf") -> ReportRequest:
        """What the form asks for: the report of this office, on this date, in ``fmt``."""
        d = self.date_edit.date()
        return ReportRequest(self.office, date(d.year(), d.month(), d.day()),
                             include_ledger=self.ledger_box.isChecked(), fonts=self.font_combo.currentData(), fmt=fmt,
                             xlsx_paper=self.paper_combo.currentData())
