"""The county template's columns and what the app fills into each: the clerk confirms or changes it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from actions.templates import TemplateInfo, field_choices


class TemplateMappingDialog(QDialog):
    def __init__(self, info: TemplateInfo, parent=None) -> None:
        super().__init__(parent)
        self.info = info
        self.setWindowTitle(self.tr("用县里的表格填写 · 核对各列"))
        layout = QVBoxLayout(self)
        note = self.tr("按上次为这张表格确认的对应关系。") if info.remembered else self.tr("按表头文字自动对应。")
        label = QLabel(self.tr("{0}「{1}」：{2}选“（不填）”的列保持空白。确认后会记住，下次同样的表格不再询问。")
                       .format(info.path.name, info.sheet, note))
        label.setWordWrap(True)
        layout.addWidget(label)
        cols = info.header.columns
        self.table = QTableWidget(len(cols), 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("表格的列"), self.tr("填入的内容")])
        self.table.verticalHeader().setVisible(False)
        self.combos: list[QComboBox] = []
        for row, col in enumerate(cols):
            self.table.setItem(row, 0, QTableWidgetItem(col.heading))
            combo = QComboBox(self.table)
            for key, text in field_choices():
                combo.addItem(self.tr(text), key)
            combo.setCurrentIndex(max(combo.findData(info.mapping.get(col.index)), 0))
            self.table.setCellWidget(row, 1, combo)
            self.combos.append(combo)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("填写并保存…"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 480)

    def mapping(self) -> dict[int, str | None]:
        return {col.index: combo.currentData() for col, combo in zip(self.info.header.columns, self.combos,
                                                                     strict=True)}
