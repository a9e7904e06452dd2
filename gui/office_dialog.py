"""Choosing which office the clerk acts as: a list of the built-in offices, or a name typed in.

Typing filters the list; when one office is left it is selected, so Enter takes it (悦城 + Enter is 悦城镇).
A typed name that matches no office needs its kind (镇/街道 or 县直部门) and a second, explicit yes before
it is added through ``Session.add_office``. Under the list: how many tasks the selected office gets in the
current plan. After ``accepted``, ``chosen`` holds the Office. No extra signals.
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
from actions.office_view import plan_offices, task_counts
from actions.session import Session
from core.model import ROLE_LABELS, Office, OfficeKind
from core.offices import guess_kind

_NAME = Qt.ItemDataRole.UserRole + 1
KIND_WORDS = {OfficeKind.TOWN: "镇（乡、街道）", OfficeKind.DEPARTMENT: "部门"}


class OfficeDialog(QDialog):
    def __init__(self, session: Session, current: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.chosen: Office | None = None
        self._counts: dict[tuple[str, OfficeKind], dict] = {}
        self.setWindowTitle(self.tr("选择本单位"))
        self.resize(440, 580)
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
        offered = plan_offices(session)
        towns = [o for o in offered if o.kind is OfficeKind.TOWN]
        depts = [o for o in offered if o.kind is OfficeKind.DEPARTMENT]
        for heading, offices in ((self.tr("镇、乡、街道"), towns), (self.tr("部门"), depts)):
            if not offices:
                continue
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

        self.not_listed = QListWidgetItem(self.tr("我单位不在列表中"))  # type the name, then choose its kind
        font = self.not_listed.font()
        font.setItalic(True)
        self.not_listed.setFont(font)
        self.list.addItem(self.not_listed)

        self.hint = QLabel(self)  # 有 N 个单位含…, or the selected office's task count
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)

        self.kind_box = QWidget(self)
        kind_row = QHBoxLayout(self.kind_box)
        kind_row.setContentsMargins(0, 0, 0, 0)
        self.kind_label = QLabel(self.kind_box)
        self.kind_label.setWordWrap(True)
        kind_row.addWidget(self.kind_label, 1)
        self.town = QRadioButton(self.tr(KIND_WORDS[OfficeKind.TOWN]), self.kind_box)
        self.dept = QRadioButton(self.tr(KIND_WORDS[OfficeKind.DEPARTMENT]), self.kind_box)
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.town)
        self.kind_group.addButton(self.dept)
        kind_row.addWidget(self.town)
        kind_row.addWidget(self.dept)
        layout.addWidget(self.kind_box)
        self.kind_box.hide()

        self.aliases = QLineEdit(self)
        self.aliases.setPlaceholderText(self.tr("本单位的其他名称，用顿号分隔（如 悦城镇人民政府、悦城）"))
        layout.addWidget(self.aliases)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.filter.textChanged.connect(self._on_filter)
        self.list.currentItemChanged.connect(lambda *_: self._on_current())
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        self.kind_group.buttonToggled.connect(lambda *_: self._show_new_count())
        self._on_current()

    def typed_name(self) -> str:
        return " ".join(self.filter.text().split())

    def select(self, name: str) -> bool:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(_NAME) == name:
                self.list.setCurrentItem(item)
                return True
        return False

    def _visible_offices(self) -> list[QListWidgetItem]:
        return [item for item in (self.list.item(i) for i in range(self.list.count()))
                if item.data(_NAME) is not None and not item.isHidden()]

    def _on_filter(self, _text: str) -> None:
        name = self.typed_name()
        for i in range(self.list.count()):
            item = self.list.item(i)
            office = item.data(_NAME)
            if item is self.not_listed:
                continue
            if office is not None:
                item.setHidden(bool(name) and name not in office)
        heading = None
        shown_under: dict[int, bool] = {}
        for i in range(self.list.count()):  # a heading (镇、街道 / 县直部门) shows only with an office under it
            item = self.list.item(i)
            if item is self.not_listed:
                continue
            if item.data(_NAME) is None:
                heading = i
                shown_under[i] = False
            elif heading is not None and not item.isHidden():
                shown_under[heading] = True
        for i, shown in shown_under.items():
            self.list.item(i).setHidden(not shown)
        self.not_listed.setHidden(False)
        visible = self._visible_offices()
        exact = [item for item in visible if item.data(_NAME) == name]
        if exact:
            self.list.setCurrentItem(exact[0])
        elif len(visible) == 1:  # the one office left: Enter takes it
            self.list.setCurrentItem(visible[0])
        elif name:
            self.list.setCurrentItem(None)
        new = bool(name) and (not visible or self.list.currentItem() is self.not_listed)
        if new:
            (self.town if guess_kind(name) is OfficeKind.TOWN else self.dept).setChecked(True)
        self.kind_box.setVisible(new)
        self._on_current()

    def _visible_match(self) -> bool:
        item = self.list.currentItem()
        return item is not None and not item.isHidden() and item.data(_NAME) is not None

    def _new_kind(self) -> OfficeKind:
        return OfficeKind.TOWN if self.town.isChecked() else OfficeKind.DEPARTMENT

    def count_text(self, office: Office) -> str:
        """“当前方案中分给悦城镇 66 项任务（负责 60 项、相关 6 项）”, from the action layer."""
        key = (office.name, office.kind)
        if key not in self._counts:
            try:
                self._counts[key] = task_counts(self.session, office)
            except StorageError as exc:  # a storage error, not "no tasks"; not remembered: the next look retries
                return self.tr("读取数据时出错，无法统计“{0}”的任务：{1}").format(office.name, exc.message)
        counts = self._counts[key]
        total = sum(counts.values())
        if not total:
            return self.tr("当前方案中没有点名“{0}”的任务。").format(office.name)
        parts = "、".join(self.tr("{0} {1} 项").format(self.tr(ROLE_LABELS[r]), n) for r, n in counts.items())
        return self.tr("当前方案中分给{0} {1} 项任务（{2}）。").format(office.name, total, parts)

    def _on_current(self) -> None:
        item = self.list.currentItem()
        if item is not None and item.data(_NAME) is not None:
            self.aliases.setText("、".join(self.session.office_aliases(item.data(_NAME))))
        if item is self.not_listed:
            self.kind_box.setVisible(True)
            if not self.typed_name():
                self.kind_label.setText(self.tr("请在上面输入本单位的全称，再选择它是："))
                self.hint.setText("")
                self.filter.setFocus()
                self._update_ok()
                return
        if self._visible_match() and item is not None:
            self.kind_box.hide()  # a listed office is picked: no "不在列表中" line
            office = self.session.office(item.data(_NAME))
            self.hint.setText(self.count_text(office) if office is not None else "")
        elif self.kind_box.isVisibleTo(self):
            self._show_new_count()
        else:
            visible = len(self._visible_offices())
            self.hint.setText(self.tr("有 {0} 个单位名称含“{1}”，请在列表中选择。").format(visible, self.typed_name())
                              if self.typed_name() and visible > 1 else "")
        self._update_ok()

    def _show_new_count(self) -> None:
        if not self.kind_box.isVisibleTo(self):
            return
        name = self.typed_name()
        self.kind_label.setText(self.tr("“{0}”不在列表中。如确是新单位，请选择它是：").format(name))
        self.hint.setText(self.count_text(Office(name, self._new_kind(), builtin=False)))

    def _update_ok(self) -> None:
        new = self.kind_box.isVisibleTo(self) and bool(self.typed_name())
        self.ok_button.setEnabled(self._visible_match() or new)
        self.ok_button.setText(self.tr("添加新单位…") if new and not self._visible_match() else self.tr("确定"))

    def confirm_new(self, name: str, kind: OfficeKind) -> bool:
        """The second, explicit yes before a typed name becomes a new office (default: 否)."""
        text = self.tr("“{0}”不在单位列表中。要把它作为新的{1}添加吗？\n\n{2}\n\n"
                       "如果您的单位在列表中（例如“悦城镇”），请选“否”，再从列表中选择。").format(
            name, self.tr(KIND_WORDS[kind]), self.count_text(Office(name, kind, builtin=False)))
        answer = QMessageBox.question(self, self.tr("添加新单位"), text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def accept(self) -> None:
        item = self.list.currentItem()
        if self._visible_match() and item is not None:
            self.chosen = self.session.office(item.data(_NAME))
        elif self.kind_box.isVisibleTo(self) and self.typed_name():
            name, kind = self.typed_name(), self._new_kind()
            if not self.confirm_new(name, kind):
                return
            try:
                self.chosen = self.session.add_office(name, kind)
            except ActionError as exc:
                QMessageBox.warning(self, self.tr("无法添加单位"), str(exc))
                return
            except StorageError as exc:
                QMessageBox.warning(self, self.tr("无法保存"), exc.message)
                return
        if self.chosen is None:
            return
        typed = [a.strip() for a in self.aliases.text().replace("，", "、").replace(",", "、").split("、")]
        try:
            self.session.set_office_aliases(self.chosen.name, [a for a in typed if a])
        except ActionError as exc:
            QMessageBox.warning(self, self.tr("其他名称有误"), exc.message)
            return
        except StorageError as exc:
            QMessageBox.warning(self, self.tr("无法保存"), exc.message)
            return
        super().accept()
