"""文件 → 发给股室填写…, 导入股室填报…, 用县里的表格填写…: added to a given menu by one call.

The window supplies ``session``, ``office``, ``plan_id``, ``autosaver`` (flushed first) and ``load_office``
(to show what was imported); every rule lives in ``actions.sheets`` and ``actions.templates``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox

from actions.errors import ActionError, StorageError

XLSX_FILTER = "Excel 工作簿 (*.xlsx);;所有文件 (*)"


class SheetActions(QObject):
    def __init__(self, window, menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.act_send = QAction(self.tr("发给股室填写…"), window)
        self.act_send.triggered.connect(self.send)
        self.act_import = QAction(self.tr("导入股室填报…"), window)
        self.act_import.triggered.connect(self.import_answers)
        self.act_template = QAction(self.tr("用县里的表格填写…"), window)
        self.act_template.triggered.connect(self.fill_template)
        menu.addSeparator()
        for a in (self.act_send, self.act_import, self.act_template):
            menu.addAction(a)

    def _fail(self, exc: Exception) -> None:
        message = exc.message if isinstance(exc, StorageError) else str(exc)
        QMessageBox.warning(self.window, self.tr("未能完成"), message)

    def _ready(self) -> bool:
        return self.window.autosaver.flush()

    def send(self) -> None:
        from actions import sheets

        w = self.window
        if not self._ready():
            return
        try:
            found = sheets.sections(w.session, w.office.name)
        except (ActionError, StorageError) as exc:
            self._fail(exc)
            return
        everyone = self.tr("全部股室（每个股室一张工作表）")
        items = [everyone, *(self.tr("{0}（{1} 项）").format(name, n) for name, n in found)]
        item, ok = QInputDialog.getItem(w, self.tr("发给股室填写"), self.tr("生成哪个股室的表？"), items, 0, False)
        if not ok:
            return
        section = None if item == everyone else found[items.index(item) - 1][0]
        name = f"{w.office.name}_{section or '各股室'}_填报表.xlsx"
        path, _ = QFileDialog.getSaveFileName(w, self.tr("保存填报表"), str(Path.home() / name), self.tr(XLSX_FILTER))
        if not path:
            return
        try:
            result = sheets.make_sheet(w.session, w.office.name, path, section)
        except (ActionError, StorageError) as exc:
            self._fail(exc)
            return
        parts = "、".join(self.tr("{0} {1} 项").format(s, n) for s, n in result.sheets)
        w.statusBar().showMessage(self.tr("填报表已保存到 {0}：{1}").format(result.path, parts), 15000)

    def import_answers(self):
        from actions import sheets
        from gui.sheet_review_dialog import SheetReviewDialog

        w = self.window
        if not self._ready():
            return None
        files, _ = QFileDialog.getOpenFileNames(w, self.tr("选择股室填好的表"), str(Path.home()),
                                                self.tr(XLSX_FILTER))
        if not files:
            return None
        try:
            answer = sheets.review_files(w.session, w.office.name, files)
        except (ActionError, StorageError) as exc:
            self._fail(exc)
            return None
        dialog = SheetReviewDialog(answer.review, w)
        if not dialog.exec():
            return dialog
        try:
            saved = sheets.apply_answers(w.session, answer)
        except (ActionError, StorageError) as exc:
            self._fail(exc)
            return dialog
        w.load_office(w.office)
        w.statusBar().showMessage(self.tr("已导入 {0} 项任务的股室填报").format(saved), 15000)
        return dialog

    def fill_template(self) -> None:
        from actions import templates
        from gui.template_dialog import TemplateMappingDialog

        w = self.window
        if not self._ready():
            return
        src, _ = QFileDialog.getOpenFileName(w, self.tr("选择县里发来的表格"), str(Path.home()), self.tr(XLSX_FILTER))
        if not src:
            return
        try:
            info = templates.read_template(w.session, src)
        except (ActionError, StorageError) as exc:
            self._fail(exc)
            return
        dialog = TemplateMappingDialog(info, w)
        if not dialog.exec():
            return
        default = str(Path(src).with_name(Path(src).stem + f"_{w.office.name}.xlsx"))
        out, _ = QFileDialog.getSaveFileName(w, self.tr("填好后保存为"), default, self.tr(XLSX_FILTER))
        if not out:
            return
        try:
            result = templates.fill_template(w.session, w.office.name, src, out, mapping=dialog.mapping())
        except (ActionError, StorageError) as exc:
            self._fail(exc)
            return
        lines = [self.tr("已填写 {0} 项任务，保存为 {1}").format(result.filled, result.path)]
        if result.unknown:
            lines.append(self.tr("留空的列：{0}").format("、".join(result.unknown)))
        if result.unmatched:
            lines.append(self.tr("表中没有对应到任务的行：{0}").format("、".join(result.unmatched[:10])))
        QMessageBox.information(w, self.tr("用县里的表格填写"), "\n".join(lines))


def add_sheet_actions(window, menu: QMenu) -> SheetActions:
    """Add the three entries to ``menu`` (the window's 文件 menu); keep the returned object alive."""
    return SheetActions(window, menu)
