"""The collecting side's window (汇总): import the offices' packages, the tasks × offices matrix, the 汇总 report.

A separate window over the same session. Everything it shows comes from ``actions.county``; verifying
packages and typesetting the report run off the UI thread through a :class:`~gui.runner.Runner`.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from actions import county
from actions.errors import ActionError, StorageError
from actions.reports import default_report_date
from actions.session import Session
from core.county.matrix import KIND_LABELS
from core.model import FIELD_LABELS, NOTE_FIELDS, OfficeKind
from gui.county_model import CountyMatrixModel, KeyRole
from gui.runner import Runner


def _para(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.splitlines()) or "<span style='color:#888'>（未填写）</span>"


class CountyWindow(QMainWindow):
    """Signals: imported(object): an ImportSummary after each import."""

    imported = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.today = today
        self.runner = Runner(self, serial=True)
        self.last_summary: county.ImportSummary | None = None
        self.setWindowTitle(self.tr("汇总：各单位报送材料"))
        self.resize(1200, 720)

        self.btn_import = QPushButton(self.tr("导入报送材料…"))
        self.btn_import.clicked.connect(lambda: self.import_packages())
        self.btn_matrix = QPushButton(self.tr("导出汇总表…"))
        self.btn_matrix.clicked.connect(lambda: self.export_matrix())
        self.btn_report = QPushButton(self.tr("生成汇总报告…"))
        self.btn_report.clicked.connect(lambda: self.make_report())
        self.btn_remove = QPushButton(self.tr("移出报送材料…"))
        self.btn_remove.setToolTip(self.tr("把所选单位当前的报送材料移出汇总（如报告日期错误的一份）；"
                                           "该单位此前的一份重新生效"))
        self.btn_remove.setEnabled(False)
        self.btn_remove.clicked.connect(lambda: self.remove_package())
        self.selected_office: str | None = None
        self.scope = QComboBox()  # the whole plan, or the tasks one office leads (牵头单位 mode)
        self.section = QComboBox()
        self.kind = QComboBox()
        self.kind.addItem(self.tr("全部单位"), None)
        for kind in (OfficeKind.TOWN, OfficeKind.DEPARTMENT):
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.overdue = QCheckBox(self.tr("只看有逾期的任务"))
        self.reported_only = QCheckBox(self.tr("只看已报送单位"))
        self.reported_only.toggled.connect(self.apply_filters)
        for w in (self.scope, self.section, self.kind):
            w.currentIndexChanged.connect(self.apply_filters)
        self.overdue.toggled.connect(self.apply_filters)
        self.summary = QLabel()

        top = QHBoxLayout()
        for w in (self.btn_import, self.btn_matrix, self.btn_report, self.btn_remove):
            top.addWidget(w)
        top.addSpacing(16)
        for w in (self.scope, self.section, self.kind, self.reported_only, self.overdue):
            top.addWidget(w)
        top.addStretch(1)

        self.model = CountyMatrixModel(county.matrix(session, today), self)
        self.full = self.model.matrix
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setDefaultSectionSize(124)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.missing_title = QLabel()
        self.missing = QListWidget()
        right = QWidget()
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.detail, 3)
        side.addWidget(self.missing_title)
        side.addWidget(self.missing, 2)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        self.setCentralWidget(central)
        self._fill_sections()
        self._shown: tuple[int, str] | None = None  # the cell in the detail pane
        self.reported_only.blockSignals(True)  # open on the offices that reported, not 68 × 40 cells of 未报送
        self.reported_only.setChecked(bool(self.full.received))
        self.reported_only.blockSignals(False)
        self.apply_filters()
        self.clear_detail()

    # --- data ----------------------------------------------------------------------------------
    def _fill_sections(self) -> None:
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem(self.tr("全方案"), None)
        for office, count in county.lead_offices(self.session, self.full):
            self.scope.addItem(self.tr("{0}牵头的任务（{1} 项）").format(office.name, count), office)
        self.scope.blockSignals(False)
        self.section.blockSignals(True)
        self.section.clear()
        self.section.addItem(self.tr("全部部分"), None)
        for i, s in enumerate(self.full.plan.sections):
            self.section.addItem(f"{s.number}、{s.title[:14]}", i)
        self.section.blockSignals(False)

    def reload(self) -> None:
        self.full = county.matrix(self.session, self.today)
        self.apply_filters()

    def apply_filters(self) -> None:
        lead = self.scope.currentData()
        m = self.full.filtered(section=self.section.currentData(), kind=self.kind.currentData(),
                               overdue=self.overdue.isChecked(), reported_only=self.reported_only.isChecked(),
                               lead=lead)
        self.model.set_matrix(m)
        shown = m.standing()  # the shown cells, by the report's rule (未填写 apart, related-only out unless filled)
        everyone = self.full.filtered(section=self.section.currentData(), kind=self.kind.currentData(), lead=lead)
        m_missing = everyone.missing
        expected = sum(1 for c in everyone.columns if c.assigned)
        self.summary.setText(self.tr("{0} 项任务 × {1} 个单位（显示 {5} 个）；已报送 {2} 个，未报送 {3} 个；"
                                     "所示单元格完成率 {4}，未填写 {6} 项（★ 已填成效做法，证N 佐证材料项数，"
                                     "⚠ 状态与进度矛盾）").format(
            len(m.tasks), expected, len(everyone.received), len(m_missing), shown.rate_text, len(m.columns),
            shown.unfilled))
        if self._shown is not None and (self._shown[0] not in {t.number for t in m.tasks}
                                        or self._shown[1] not in {c.name for c in m.columns}):
            self.clear_detail()  # its cell was filtered out
        self.missing_title.setText(self.tr("未报送单位（{0} 个）").format(len(m_missing)))
        self.missing.clear()
        for c in m_missing:
            self.missing.addItem(self.tr("{0}　涉及 {1} 项任务").format(c.name, c.assigned))

    def clear_detail(self) -> None:
        self._shown = None
        self.detail.setHtml(self.tr("<p>点击表格中的单元格，查看该单位报送的落实情况和佐证材料清单。</p>"))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.show_cell(*current.data(KeyRole))

    def show_cell(self, task: int, office: str) -> None:
        """The detail pane: what ``office`` sent for ``task`` (notes and evidence listing)."""
        self._shown = (task, office)
        try:
            d = county.cell_detail(self.session, office, task)
        except (ActionError, StorageError) as exc:
            self.detail.setPlainText(exc.message)
            return
        text = html.escape(self.full.plan.task(task).text)
        parts = [f"<h3>{html.escape(office)} · 任务{task}</h3><p style='color:#555'>{text}</p>"]
        self.selected_office = office
        self.btn_remove.setEnabled(d.package is not None)
        if d.package is None:
            parts.append(self.tr("<p><b>尚未报送。</b></p>"))
        else:
            parts.append(self.tr("<p>报送材料：{0}（报告日期 {1}）</p>").format(html.escape(d.package.file_name),
                                                                      d.package.report_date))
            older = [p for p in county.package_history(self.session, office) if not p.current]
            if older:
                dates = "、".join(p.report_date for p in older)
                parts.append(self.tr("<p style='color:#555'>此前报送：{0}（已被新报送的材料替代）</p>").format(dates))
            if d.entry is None:
                parts.append(self.tr("<p>没有填写这项任务（按未开始计）。</p>"))
            else:
                e = d.entry
                due = e.due.isoformat() if e.due else "—"
                parts.append(f"<p>状态：<b>{e.status.label}</b>　进度 {e.percent}%　完成时限 {due}　"
                             f"责任股室/责任人：{html.escape(e.owner) or '—'}</p>")
                for name in NOTE_FIELDS:
                    parts.append(f"<p><b>{FIELD_LABELS[name]}</b><br>{_para(getattr(e, name))}</p>")
            items = "".join(f"<li>{html.escape(ev.number)} {html.escape(ev.title)}"
                            f"{'（网页链接）' if ev.kind == 'evidence_link' else ''}"
                            f" <span style='color:#888'>{html.escape(ev.path)}，{ev.size:,} 字节</span></li>"
                            for ev in d.evidence)
            parts.append(self.tr("<p><b>佐证材料（{0} 个文件）</b></p>").format(len(d.evidence))
                         + (f"<ul>{items}</ul>" if items else self.tr("<p>无</p>")))
        self.detail.setHtml("".join(parts))

    # --- import --------------------------------------------------------------------------------
    def import_packages(self, paths: list[str] | None = None) -> None:
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(self, self.tr("导入各单位报送材料"), "",
                                                    self.tr("报送材料 (*.zip)"))
        if not paths:
            return
        target = county.import_target(self.session)
        self.btn_import.setEnabled(False)
        self.runner.run(lambda: county.verify_packages(target, paths), self._verified, self._failed, widget=self,
                        label=self.tr("正在校验报送材料…"))

    def _failed(self, message: str) -> None:
        self.btn_import.setEnabled(True)
        QMessageBox.warning(self, self.tr("导入没有成功"), message)

    def _verified(self, batch: county.VerifiedBatch) -> None:
        self.btn_import.setEnabled(True)
        try:
            summary = county.store_packages(self.session, batch)
        except (ActionError, StorageError) as exc:
            QMessageBox.warning(self, self.tr("导入没有成功"), exc.message)
            return
        self.last_summary = summary
        self.reload()
        lines = [self.tr("导入 {0} 个，未变化 {1} 个，未导入 {2} 个。").format(
            len(summary.imported), len(summary.unchanged), len(summary.refused))]
        lines += [f"· {o.message}" for o in summary.refused]
        self.statusBar().showMessage(lines[0], 15000)
        if summary.refused:
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("有报送材料没有导入"), "\n".join(lines),
                              QMessageBox.StandardButton.Ok, self)
            box.open()
            self.refused_box = box
        self.imported.emit(summary)

    def remove_package(self, office: str | None = None, *, confirm: bool = True) -> county.Removed | None:
        """Set the selected office's current package aside (asks first); the summary reloads."""
        office = office or self.selected_office
        if not office:
            return None
        current = next((p for p in county.package_history(self.session, office) if p.current), None)
        if current is None:
            return None
        if confirm:
            answer = QMessageBox.question(
                self, self.tr("移出报送材料"),
                self.tr("把{0}报告日期为 {1} 的报送材料（“{2}”）移出汇总吗？\n\n移出前会自动备份；压缩包本身不会改动，"
                        "需要时可重新导入。该单位此前报送的一份（如有）将重新生效。").format(
                    office, current.report_date, current.file_name))
            if answer != QMessageBox.StandardButton.Yes:
                return None
        try:
            done = county.remove_package(self.session, office, current.report_date)
        except (ActionError, StorageError) as exc:
            QMessageBox.warning(self, self.tr("没有移出"), exc.message)
            return None
        self.reload()
        self.statusBar().showMessage(self.tr("已移出{0}报告日期为 {1} 的报送材料").format(
            office, done.package.report_date), 15000)
        index = self.table.currentIndex()
        if index.isValid():
            self.show_cell(*index.data(KeyRole))
        return done

    # --- outputs -------------------------------------------------------------------------------
    def export_matrix(self, path: str | None = None) -> Path | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("导出汇总表"), "汇总表.xlsx", "Excel (*.xlsx)")
        if not path:
            return None
        try:
            written = county.write_matrix(self.session, self.model.matrix, path)
        except (ActionError, StorageError) as exc:
            QMessageBox.warning(self, self.tr("没有导出"), exc.message)
            return None
        self.statusBar().showMessage(self.tr("已导出 {0}").format(written), 10000)
        return written

    def make_report(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("生成汇总报告"), "汇总报告.pdf", "PDF (*.pdf)")
        if not path:
            return
        lead = self.scope.currentData()
        try:
            collector = lead or county.collector_for(self.session, None, None)
            content = county.compose_report(self.session, collector=collector, lead=lead is not None,
                                            report_date=default_report_date(self.full.plan), today=self.today)
        except (ActionError, StorageError) as exc:
            QMessageBox.warning(self, self.tr("没有生成"), exc.message)
            return

        def saved(report: county.CountyReport) -> None:
            try:
                written = county.save_report(self.session, report, path)
            except (ActionError, StorageError) as exc:
                QMessageBox.warning(self, self.tr("没有保存"), exc.message)
                return
            self.statusBar().showMessage(self.tr("已生成 {0}（{1} 页）").format(written, report.pages), 10000)

        self.runner.run(lambda: county.render_report(content), saved, widget=self, label=self.tr("正在排版汇总报告…"))


def open_county_window(parent: QMainWindow, session: Session, *, ask_files: bool = False) -> CountyWindow:
    """The one 汇总 window of ``parent`` (made on first use), raised; asks for packages when ``ask_files``."""
    window = getattr(parent, "_county_window", None)
    if window is None:
        window = CountyWindow(session, parent)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        parent._county_window = window  # type: ignore[attr-defined]
    else:
        window.reload()
    window.show()
    window.raise_()
    if ask_files:
        window.import_packages()
    return window
