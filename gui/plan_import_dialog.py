"""导入新方案: pick a file, check the parsed plan, correct it by hand, carry notes over, save.

Parsing runs off the UI thread. Nothing is written until 保存; 取消 writes nothing.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from actions import plans
from actions.errors import ActionError, StorageError
from actions.plans import CarryOver, PlanPreview
from actions.session import Session
from core.carryover import Match
from core.importers.columns import ROLE_LABELS
from core.model import Office, Plan
from core.plan_checks import check_plan
from core.plan_edit import edit_task
from gui.plan_review_grid import ReviewGrid
from gui.runner import Runner

FILE_FILTER = "方案文件 (*.txt *.html *.htm *.docx *.xlsx *.xls *.et *.doc *.wps *.csv);;所有文件 (*)"


def diff_html(segments: list[tuple[str, str]]) -> str:
    """Deleted text struck through in red, inserted text in green."""
    parts = []
    for op, text in segments:
        t = html.escape(text)
        if op == "delete":
            parts.append(f'<span style="color:#b00020;text-decoration:line-through">{t}</span>')
        elif op == "insert":
            parts.append(f'<span style="color:#1b7f3b;background:#e6f4ea">{t}</span>')
        else:
            parts.append(t)
    return "".join(parts)


class PlanImportDialog(QDialog):
    """The import preview.

    Signals:
        planSaved(int): the new plan's id, after it was written.
    """

    planSaved = Signal(int)

    def __init__(self, session: Session, office: Office | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = Runner(self)
        self.carried: CarryOver | None = None
        self.office = office
        self.plan: Plan | None = None
        self.matches: list[Match] = []
        self._current: int | None = None
        self._source_name = ""
        self.sha256 = ""
        self.corrections: list[dict] = []
        self.setWindowTitle(self.tr("导入新方案"))
        self.resize(1100, 720)

        self.path_label = QLabel(self.tr("请选择县里或镇里下发的方案文件（网页、Word、Excel 或文本）"))
        choose = QPushButton(self.tr("选择文件…"))
        choose.clicked.connect(self.choose_file)
        paste = QPushButton(self.tr("从剪贴板粘贴"))
        paste.setToolTip(self.tr("在 WPS、Excel 或网页中选中方案的表格，复制后点这里"))
        paste.clicked.connect(self.paste_clipboard)
        top = QHBoxLayout()
        top.addWidget(self.path_label, 1)
        top.addWidget(paste)
        top.addWidget(choose)

        self.summary = QLabel()
        self.tabs = QTabWidget()
        self.grid = ReviewGrid()
        self.grid.corrected.connect(self.apply_correction)
        self.columns_button = QPushButton(self.tr("列的用途…"))
        self.columns_button.setToolTip(self.tr("表格的某一列读错了（如把序号当成了任务内容），在这里改"))
        self.columns_button.clicked.connect(self.choose_columns)
        self.grid.add_button(self.columns_button)
        self.tabs.addTab(self.grid, self.tr("核对表格"))
        self.tabs.addTab(self._build_tasks_tab(), self.tr("任务与责任单位"))
        self.tabs.addTab(self._build_issues_tab(), self.tr("需要核对"))
        self.tabs.addTab(self._build_carry_tab(), self.tr("带入往年记录"))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存方案"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._set_loaded(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

    # --- building -----------------------------------------------------------------------------
    def _build_tasks_tab(self) -> QWidget:
        self.outline = QTreeWidget()
        self.outline.setHeaderLabels([self.tr("方案结构")])
        self.outline.currentItemChanged.connect(self._on_outline_item)
        self.number_edit = QSpinBox()
        self.number_edit.setRange(1, 9999)
        self.task_text = QPlainTextEdit()
        self.units_edit = QLineEdit()
        self.units_view = QLabel()
        self.units_view.setWordWrap(True)
        self.units_view.setTextFormat(Qt.TextFormat.RichText)
        apply = QPushButton(self.tr("应用修改"))
        apply.clicked.connect(self.apply_edit)
        form = QFormLayout()
        form.addRow(self.tr("序号"), self.number_edit)
        form.addRow(self.tr("工作任务"), self.task_text)
        form.addRow(self.tr("牵头及责任单位"), self.units_edit)
        form.addRow(self.tr("识别结果"), self.units_view)
        form.addRow("", apply)
        right = QWidget()
        right.setLayout(form)
        split = QSplitter()
        split.addWidget(self.outline)
        split.addWidget(right)
        split.setSizes([420, 640])
        return split

    def _build_issues_tab(self) -> QWidget:
        self.issues = QListWidget()
        self.issues.itemActivated.connect(self._jump_to_issue)
        self.issues.itemClicked.connect(self._jump_to_issue)
        return self.issues

    def _build_carry_tab(self) -> QWidget:
        self.carry_table = QTableWidget(0, 5)
        self.carry_table.setHorizontalHeaderLabels([self.tr("带入"), self.tr("新任务"), self.tr("往年任务"),
                                                    self.tr("相似度"), self.tr("往年记录（成效做法）")])
        self.carry_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.carry_table.horizontalHeader().setStretchLastSection(True)
        self.carry_table.currentCellChanged.connect(lambda row, *_: self._show_diff(row))
        self.diff_view = QTextBrowser()
        self.carry_note = QLabel()
        self.carry_note.setWordWrap(True)
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addWidget(self.carry_note)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.carry_table)
        split.addWidget(self.diff_view)
        lay.addWidget(split, 1)
        return w

    def _set_loaded(self, loaded: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(loaded)
        self.tabs.setEnabled(loaded)

    # --- loading --------------------------------------------------------------------------------
    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择方案文件"), "", self.tr(FILE_FILTER))
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        """Parse in the thread pool; the result arrives in :meth:`show_result`."""
        self.path_label.setText(self.tr("正在读取 {0} …").format(path.name))
        self._source_name = path.name
        self._set_loaded(False)
        self.runner.run(lambda: plans.read_plan(path), self.show_result, self._show_failure, widget=self,
                        label=self.tr("正在读取方案…"))

    def paste_clipboard(self) -> None:
        """A table copied from WPS, Excel or a browser: HTML when the clipboard has it, else its text."""
        mime = QApplication.clipboard().mimeData()
        if mime is not None and mime.hasHtml() and "<table" in mime.html().lower():
            data, name = mime.html().encode("utf-8"), "剪贴板.html"
        elif mime is not None and mime.hasText() and mime.text().strip():
            data, name = mime.text().encode("utf-8"), "剪贴板.txt"
        else:
            QMessageBox.information(self, self.tr("剪贴板是空的"),
                                    self.tr("请先在 WPS、Excel 或网页中选中方案的表格并复制，再点“从剪贴板粘贴”。"))
            return
        self.load_bytes(data, name)

    def load_bytes(self, data: bytes, name: str) -> None:
        """Parse pasted content like a file called ``name``, in the thread pool."""
        self.path_label.setText(self.tr("正在读取剪贴板中的内容…"))
        self._source_name = name
        self._set_loaded(False)
        self.runner.run(lambda: plans.read_plan_bytes(data, name), self.show_result, self._show_failure,
                        widget=self, label=self.tr("正在读取方案…"))

    def _show_failure(self, message: str) -> None:
        self.path_label.setText(self.tr("无法导入：{0}").format(message))
        QMessageBox.warning(self, self.tr("无法导入"), message)

    def show_result(self, result: PlanPreview, corrections: list[dict] | None = None) -> None:
        self.preview = result
        self.plan = result.plan
        self.sha256 = result.sha256
        self.corrections = list(corrections or [])
        self.warnings = list(result.warnings)
        self.columns_button.setEnabled(result.columns is not None)
        saved = plans.saved_corrections(self.session, result.sha256) if corrections is None else []
        mapping = next((m for m in map(plans.mapping_of, saved[:1]) if m is not None), None)
        if mapping is not None and mapping != result.columns:
            self._read_with(mapping, saved)  # the file again, with the column uses chosen last time
            return
        if saved:
            self.plan, kept = plans.reapply(result.plan, saved)
            self.corrections = saved[:1] if mapping is not None else []
            self.corrections += kept
        self.grid.set_note(self.tr("上次导入这个文件时做过 {0} 处修改，已重新应用。").format(len(self.corrections))
                           if self.corrections else "")
        self.path_label.setText(self.tr("《{0}》（{1}年）").format(result.plan.title, result.plan.year))
        self._refresh()
        self._fill_carry_over()
        self._set_loaded(True)

    def _refresh(self) -> None:
        plan = self.plan
        assert plan is not None
        self.outline.clear()
        section_items: list[QTreeWidgetItem] = []
        sub_items: list[QTreeWidgetItem] = []
        for s in plan.sections:
            item = QTreeWidgetItem([f"{s.number}、{s.title}"])
            self.outline.addTopLevelItem(item)
            section_items.append(item)
        for s in plan.subsections:
            item = QTreeWidgetItem([f"（{s.number}）{s.title}"])
            section_items[s.section].addChild(item)
            sub_items.append(item)
        for index, t in enumerate(plan.tasks):
            parent = sub_items[t.subsection] if t.subsection is not None else section_items[t.section]
            item = QTreeWidgetItem([f"{t.number}. {t.first_line[:40]}"])
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            if t.units.empty:
                item.setForeground(0, Qt.GlobalColor.red)
            parent.addChild(item)
        self.outline.expandAll()
        found = check_plan(plan)
        self.issues.clear()
        for w in self.warnings:
            self.issues.addItem(QListWidgetItem(self.tr("提示：{0}").format(w)))
        for issue in found:
            where = self.tr("任务{0}：").format(issue.task) if issue.task is not None else ""
            item = QListWidgetItem(where + issue.message)
            item.setData(Qt.ItemDataRole.UserRole, issue.task)
            self.issues.addItem(item)
        self.tabs.setTabText(self.tabs.indexOf(self.issues),
                             self.tr("需要核对（{0}）").format(len(found) + len(self.warnings)))
        self.grid.set_plan(plan)
        self.summary.setText(self.tr("{0} 个部分，{1} 个小节，{2} 项任务；{3} 处需要核对").format(
            len(plan.sections), len(plan.subsections), len(plan.tasks), len(found)))

    def _fill_carry_over(self) -> None:
        plan = self.plan
        assert plan is not None
        self.carry_table.setRowCount(0)
        self.matches = []
        if self.office is None:
            self.carry_note.setText(self.tr("尚未选择单位，无法带入往年记录。"))
            return
        self.carried = plans.carry_over(self.session, self.office, plan)
        old_progress = self.carried.old_progress
        self.matches = list(self.carried.matches)
        self.carry_note.setText(self.tr("与《{0}》相似、且{1}已有记录的任务：{2} 项。勾选的将作为新方案的起点。")
                                .format(self.carried.previous_title, self.office.name, len(self.matches)))
        self.carry_table.setRowCount(len(self.matches))
        for row, m in enumerate(self.matches):
            box = QCheckBox()
            box.setChecked(True)
            self.carry_table.setCellWidget(row, 0, box)
            self.carry_table.setItem(row, 1, QTableWidgetItem(str(m.new)))
            self.carry_table.setItem(row, 2, QTableWidgetItem(str(m.old)))
            self.carry_table.setItem(row, 3, QTableWidgetItem(f"{m.score:.0%}"))
            old = old_progress[m.old]
            summary = f"{old.status.label}：{old.achievements.splitlines()[0] if old.achievements else '—'}"
            self.carry_table.setItem(row, 4, QTableWidgetItem(summary))

    def _show_diff(self, row: int) -> None:
        if 0 <= row < len(self.matches):
            self.diff_view.setHtml(diff_html(self.matches[row].segments))

    # --- editing --------------------------------------------------------------------------------
    def _on_outline_item(self, item: QTreeWidgetItem | None, _prev: QTreeWidgetItem | None = None) -> None:
        index = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        if index is None or self.plan is None:
            return
        self._current = int(index)
        task = self.plan.tasks[self._current]
        self.number_edit.setValue(task.number)
        self.task_text.setPlainText(task.text)
        self.units_edit.setText(task.units.raw)
        self._show_units(task.units.lead, task.units.responsible, task.units.cooperating)

    def _show_units(self, lead: tuple[str, ...], responsible: tuple[str, ...], cooperating: tuple[str, ...]) -> None:
        rows = [(self.tr("牵头"), lead), (self.tr("负责"), responsible), (self.tr("配合"), cooperating)]
        text = "<br>".join(f"<b>{label}</b>：{html.escape('、'.join(names)) or '—'}" for label, names in rows)
        self.units_view.setText(text)

    def _jump_to_issue(self, item: QListWidgetItem) -> None:
        number = item.data(Qt.ItemDataRole.UserRole)
        if number is None or self.plan is None:
            return
        indexes = [i for i, t in enumerate(self.plan.tasks) if t.number == number]
        for found in self.outline.findItems("*", Qt.MatchFlag.MatchWildcard | Qt.MatchFlag.MatchRecursive):
            if indexes and found.data(0, Qt.ItemDataRole.UserRole) == indexes[-1]:
                self.tabs.setCurrentIndex(0)
                self.outline.setCurrentItem(found)
                return

    def choose_columns(self) -> None:
        """Change what a table column holds; the file is read again with the new uses."""
        preview = getattr(self, "preview", None)
        if preview is None or preview.columns is None:
            return
        mapping = preview.columns
        box = QDialog(self)
        box.setWindowTitle(self.tr("列的用途"))
        form = QFormLayout(box)
        combos = []
        for i, header in enumerate(mapping.headers):
            combo = QComboBox(box)
            for role, label in ROLE_LABELS.items():
                combo.addItem(self.tr(label), role)
            combo.setCurrentIndex(max(0, combo.findData(mapping.roles[i])))
            form.addRow(self.tr("第 {0} 列“{1}”").format(i + 1, header or self.tr("（无标题）")), combo)
            combos.append(combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, box)
        buttons.accepted.connect(box.accept)
        buttons.rejected.connect(box.reject)
        form.addRow(buttons)
        if box.exec() != QDialog.DialogCode.Accepted:
            return
        changed = mapping.with_roles({i: c.currentData() for i, c in enumerate(combos)})
        problems = changed.problems()
        if problems:
            QMessageBox.warning(self, self.tr("列的用途不能这样设置"), "；".join(problems))
            return
        self._read_with(changed, [])

    def _read_with(self, mapping: object, later: list[dict]) -> None:
        """Read the same bytes again with other column uses; cell corrections made before are dropped (the
        rows may differ), those saved after a column change are applied again."""
        preview = self.preview
        data, name = preview.data, preview.source_name
        first = plans.mapping_correction(mapping)  # type: ignore[arg-type]

        def done(result: PlanPreview) -> None:
            self.show_result(result, [first])
            if later:
                self.plan, kept = plans.reapply(result.plan, later)
                self.corrections += kept
                self.grid.set_note(self.tr("上次导入这个文件时做过 {0} 处修改，已重新应用。")
                                   .format(len(self.corrections)))
                self._refresh()

        self.runner.run(lambda: plans.read_plan_bytes(data, name, mapping), done,  # type: ignore[arg-type]
                        self._show_failure, widget=self, label=self.tr("正在按新的列用途读取…"))

    def apply_correction(self, correction: dict) -> None:
        """A correction from the grid: applied to the plan, kept for saving and for the next import."""
        if self.plan is None:
            return
        try:
            self.plan = plans.correct(self.plan, correction)
        except ActionError as exc:
            QMessageBox.warning(self, self.tr("无法修改"), exc.message)
            self.grid.set_plan(self.plan)
            return
        self.corrections.append(correction)
        self._refresh()

    def apply_edit(self) -> None:
        if self.plan is None or self._current is None:
            return
        try:
            self.plan = edit_task(self.plan, self._current, self.task_text.toPlainText(), self.units_edit.text(),
                                  self.number_edit.value())
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("无法修改"), str(exc))
            return
        for column in ("number", "text", "lead", "responsible", "cooperating"):
            self.corrections.append({"op": "cell", "task": self._current, "column": column,
                                     "value": plans.grid_cell(self.plan, self._current, column)})
        self._refresh()
        t = self.plan.tasks[self._current]
        self._show_units(t.units.lead, t.units.responsible, t.units.cooperating)

    # --- saving ---------------------------------------------------------------------------------
    def selected_carry_over(self) -> list[Match]:
        return [m for row, m in enumerate(self.matches)
                if isinstance(box := self.carry_table.cellWidget(row, 0), QCheckBox) and box.isChecked()]

    def save(self) -> None:
        if self.plan is None:
            return
        try:
            saved = plans.save_plan(self.session, self.plan, self._source_name, self.office, self.carried,
                                    self.selected_carry_over(), self.corrections, self.sha256)
        except (ActionError, StorageError) as exc:
            QMessageBox.warning(self, self.tr("无法保存"), exc.message)
            return
        self.planSaved.emit(saved.plan_id)
        self.accept()
