"""Earlier versions of one text field of an entry, newest first, with 恢复 to bring one back.

After ``accepted``, ``chosen_text`` holds the text to restore into the editor. No extra signals.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from actions.editing import Version
from core.cn import short_time

_TEXT = Qt.ItemDataRole.UserRole + 1


def field_versions(versions: list[Version], field: str) -> list[Version]:
    """Versions (newest first) at which ``field`` took a new value; repeats of the same text dropped."""
    out: list[Version] = []
    for v in reversed(versions):  # oldest first, to find the changes
        if not out or getattr(out[-1].progress, field) != getattr(v.progress, field):
            out.append(v)
    return list(reversed(out))


class HistoryDialog(QDialog):
    def __init__(self, versions: list[Version], field: str, field_label: str, task: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chosen_text: str | None = None
        self.setWindowTitle(self.tr("第{0}项 · {1} · 历史版本").format(task, field_label))
        self.resize(720, 460)
        layout = QVBoxLayout(self)
        shown = field_versions(versions, field)
        layout.addWidget(QLabel(self.tr("共保存过 {0} 个版本，“{1}”有 {2} 次不同内容。选择一个版本后点“恢复”。")
                                .format(len(versions), field_label, len(shown)), self))
        split = QSplitter(self)
        self.list = QListWidget(split)
        self.preview = QPlainTextEdit(split)
        self.preview.setReadOnly(True)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        for own, v in zip(range(len(shown), 0, -1), shown, strict=True):  # the field's own versions: 第1版 is its first
            text = getattr(v.progress, field)
            summary = text.replace("\n", " ")[:24] or self.tr("（空）")
            item = QListWidgetItem(self.tr("{0}  第{1}版  {2}").format(short_time(v.saved_at), own, summary)
                                   + (self.tr("（{0}填报）").format(v.author) if v.author else ""))
            item.setToolTip(self.tr("整条记录的第{0}次保存").format(v.version))
            item.setData(_TEXT, text)
            self.list.addItem(item)
        self.buttons = QDialogButtonBox(self)
        self.restore = self.buttons.addButton(self.tr("恢复"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.currentItemChanged.connect(self._show)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        self.restore.setEnabled(False)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _show(self, item: QListWidgetItem | None, _prev=None) -> None:
        self.preview.setPlainText(item.data(_TEXT) if item else "")
        self.restore.setEnabled(item is not None)

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.chosen_text = item.data(_TEXT)
        super().accept()
