"""The plan outline on the left: sections and subsections with done/assigned counts for the office.

Signals:
    scope_changed(object): ``(section, subsection)`` indexes into the plan, either may be None;
        ``(None, None)`` is the whole plan.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

from core.model import Plan, Progress, Role
from core.tracking import section_counts

_SCOPE = Qt.ItemDataRole.UserRole + 1


class OutlineTree(QTreeWidget):
    scope_changed = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderLabels([self.tr("方案目录"), self.tr("完成/任务")])
        self.setUniformRowHeights(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.header().setStretchLastSection(False)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setIndentation(10)  # narrow at 1366×768: the titles get the room (elided, whole in the tooltip)
        self._plan: Plan | None = None
        self.currentItemChanged.connect(self._on_current)

    def load(self, plan: Plan) -> None:
        self.blockSignals(True)
        self.clear()
        self._plan = plan
        root = QTreeWidgetItem(self, [self.tr("全部任务"), ""])
        root.setData(0, _SCOPE, (None, None))
        for si, section in enumerate(plan.sections):
            s_item = QTreeWidgetItem(self, [f"{section.number}、{section.title}", ""])
            s_item.setData(0, _SCOPE, (si, None))
            s_item.setToolTip(0, s_item.text(0))
            for ui, sub in enumerate(plan.subsections):
                if sub.section == si:
                    u_item = QTreeWidgetItem(s_item, [f"（{sub.number}）{sub.title}", ""])
                    u_item.setData(0, _SCOPE, (si, ui))
                    u_item.setToolTip(0, u_item.text(0))
        self.expandAll()
        self.setCurrentItem(root)
        self.blockSignals(False)

    def update_counts(self, roles: dict[int, Role], progress: dict[int, Progress]) -> None:
        plan = self._plan
        if plan is None:
            return
        for item in self._items():
            section, sub = item.data(0, _SCOPE)
            numbers = [t.number for t in plan.tasks
                       if (section is None or t.section == section) and (sub is None or t.subsection == sub)]
            done, total = section_counts(plan, roles, progress, numbers)
            item.setText(1, f"{done}/{total}")
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def select_all_tasks(self) -> None:
        self.setCurrentItem(self.topLevelItem(0))

    def scope(self) -> tuple[int | None, int | None]:
        item = self.currentItem()
        return item.data(0, _SCOPE) if item else (None, None)

    def item_for(self, section: int | None, subsection: int | None) -> QTreeWidgetItem | None:
        for item in self._items():
            if item.data(0, _SCOPE) == (section, subsection):
                return item
        return None

    def _items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            out.append(top)
            out += [top.child(j) for j in range(top.childCount())]
        return out

    def _on_current(self, current: QTreeWidgetItem | None, _previous) -> None:
        if current is not None:
            self.scope_changed.emit(current.data(0, _SCOPE))
