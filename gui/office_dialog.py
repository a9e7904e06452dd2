"""Choosing which office the clerk acts as: a list of the built-in offices, or a name typed in.

A typed name that is not in the list needs its kind (镇/街道 or 县直部门); on accept it is added
through ``Session.add_office``. After ``accepted``, ``chosen`` holds the Office. No extra signals.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from actions.errors import ActionError, StorageError
from actions.session import Session
from core.model import Office, OfficeKind
from core.offices import guess_kind

_NAME = Qt.ItemDataRole.UserRole + 1


class OfficeDialog(QDialog):
    def __init__(self, session: Session, current: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.chosen: Office | None = None
        self.setWindowTitle(self.tr("选择本单位"))
        self.resize(420, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("请选择您所在的单位。落实台账会列出分工方案中分给本单位的任务。"), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("输入单位名称查找，或输入列表中没有的单位名称"))
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)

        self.list = QListWidget(self)
        layout.addWidget(self.list, 1)
        towns = [o for o in session.offices() if o.kind is OfficeKind.TOWN]
        depts = [o for o in session.offices() if o.kind is OfficeKind.DEPARTMENT]
        for heading, offices in ((self.tr("镇、街道"), towns), (self.tr("县直部门"), depts)):
            head = QListWidgetItem(heading)
            head.setFlags(Qt.ItemFlag.NoItemFlags)
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            self.list.addItem(head)
            for office in offices:
                item = QListWidgetItem("　" + office.name)
                item.setData(_NAME, office.name)
                self.list.addItem(item)
                if office.name == current:
                    self.list.setCurrentItem(item)

        self.kind_box = QWidget(self)
        kind_row = QHBoxLayout(self.kind_box)
        kind_row.setContentsMargins(0, 0, 0, 0)
        self.kind_label = QLabel(self.kind_box)
        kind_row.addWidget(self.kind_label)
        self.town = QRadioButton(self.tr("镇（街道）"), self.kind_box)
        self.dept = QRadioButton(self.tr("县直部门"), self.kind_box)
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.town)
        self.kind_group.addButton(self.dept)
        kind_row.addWidget(self.town)
        kind_row.addWidget(self.dept)
        kind_row.addStretch(1)
        layout.addWidget(self.kind_box)
        self.kind_box.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.filter.textChanged.connect(self._on_filter)
        self.list.currentItemChanged.connect(lambda *_: self._update_ok())
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        self._update_ok()

    def typed_name(self) -> str:
        return " ".join(self.filter.text().split())

    def select(self, name: str) -> bool:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(_NAME) == name:
                self.list.setCurrentItem(item)
                return True
        return False

    def _on_filter(self, _text: str) -> None:
        name = self.typed_name()
        exact = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            office = item.data(_NAME)
            if office is None:
                continue
            item.setHidden(bool(name) and name not in office)
            if office == name:
                exact = item
        if exact is not None:
            self.list.setCurrentItem(exact)
        elif name:
            self.list.setCurrentItem(None)
        new = bool(name) and exact is None and not self._visible_match()
        self.kind_box.setVisible(new)
        if new:
            self.kind_label.setText(self.tr("“{0}”不在列表中，它是：").format(name))
            (self.town if guess_kind(name) is OfficeKind.TOWN else self.dept).setChecked(True)
        self._update_ok()

    def _visible_match(self) -> bool:
        item = self.list.currentItem()
        return item is not None and not item.isHidden() and item.data(_NAME) is not None

    def _update_ok(self) -> None:
        ok = self._visible_match() or (self.kind_box.isVisibleTo(self) and bool(self.typed_name()))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def accept(self) -> None:
        item = self.list.currentItem()
        if self._visible_match() and item is not None:
            self.chosen = self.session.office(item.data(_NAME))
        elif self.typed_name():
            kind = OfficeKind.TOWN if self.town.isChecked() else OfficeKind.DEPARTMENT
            try:
                self.chosen = self.session.add_office(self.typed_name(), kind)
            except ActionError as exc:
                QMessageBox.warning(self, self.tr("无法添加单位"), str(exc))
                return
            except StorageError as exc:
                QMessageBox.warning(self, self.tr("无法保存"), exc.message)
                return
        if self.chosen is None:
            return
        super().accept()
