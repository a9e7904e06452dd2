"""The collecting side's window (汇总): import the offices' packages, the tasks × offices matrix, the 汇总 report.

A separate window over the same session. Everything it shows comes from ``actions.county``; verifying
packages and copying them into ``received/``, typesetting the report and taking a 佐证材料 file out of its
package run off the UI thread through a :class:`~gui.runner.Runner`. Opened evidence goes to a temporary
folder removed when the window closes.
"""

from __future__ import annotations

import contextlib
import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QModelIndex, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
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

from actions import county, county_evidence
from actions.errors import ActionError, StorageError
from actions.reports import default_report_date
from actions.session import Session
from core.county.matrix import KIND_LABELS
from core.model import FIELD_LABELS, NOTE_FIELDS, OfficeKind
from core.paths import SETTINGS_FILE
from gui.county_model import CountyMatrixModel, KeyRole
from gui.runner import Runner

FOLDERS_KEY = "county/package_folders"  # settings.ini: the folders packages were imported from, newest first
MAX_FOLDERS = 20
URL_INDENT = 64  # px the list's bullet and margins take from the detail pane's width


def open_url(url: QUrl) -> bool:
    """The system viewer or browser."""
    return QDesktopServices.openUrl(url)


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
        self.view = county_evidence.ViewFolder()  # evidence opened from packages, removed at close
        app = QCoreApplication.instance()
        if app is not None:  # quitting with this window open sends it no close event
            app.aboutToQuit.connect(self.view.close)
        self._zips: dict[int, Path] = {}  # package id -> its zip, found this session
        self._entries: list[county_evidence.EvidenceEntry] = []  # the shown cell's evidence
        self._package: county.ReceivedPackage | None = None  # the shown cell's package
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
        self.detail.anchorClicked.connect(self._anchor_clicked)
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
        self._entries, self._package = [], None
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
        self._package = d.package
        self._entries = county_evidence.entries(d.evidence)
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
            parts.append(self._evidence_html())
        self.detail.setHtml("".join(parts))

    def _evidence_html(self) -> str:
        """The cell's items: the title opens the file, a link's address opens the browser."""
        rows = []
        for i, e in enumerate(self._entries):
            label = html.escape(e.label)
            head = f"<a href='evidence:{i}'>{label}</a>" if e.file is not None else label
            if e.url:
                head += self.tr("（网页链接）")
            lines = [head]
            if e.url:
                url = html.escape(e.url, quote=True)
                lines.append(self.tr("网址：") + f"<a href='{url}' title='{url}'>{html.escape(self._short(e.url))}</a>")
            facts = [html.escape(e.file_name), e.size_text,
                     self.tr("日期 {0}").format(e.seen_date) if e.seen_date else ""]
            lines.append("<span style='color:#888'>" + " · ".join(f for f in facts if f) + "</span>")
            rows.append("<li>" + "<br>".join(lines) + "</li>")
        head = self.tr("<p><b>佐证材料（{0} 项）</b>").format(len(self._entries))
        if not rows:
            return head + "</p>" + self.tr("<p>无</p>")
        hint = self.tr("<span style='color:#555'>　点击标题打开（只读副本）</span>")
        return head + hint + "</p><ul>" + "".join(rows) + "</ul>"

    def _short(self, url: str) -> str:
        """The address on one line of the pane, shortened in the middle (the whole one: tooltip and target)."""
        metrics = self.detail.fontMetrics()
        room = self.detail.viewport().width() - metrics.horizontalAdvance(self.tr("网址：")) - URL_INDENT
        return metrics.elidedText(url, Qt.TextElideMode.ElideMiddle, max(160, room))

    # --- evidence --------------------------------------------------------------------------------
    def _anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == "evidence":
            with contextlib.suppress(ValueError):
                self.open_evidence(int(url.path()))
        elif url.scheme() in ("http", "https") and not open_url(url):  # an address from a package: no other scheme
            QMessageBox.warning(self, self.tr("无法打开网页"),
                                self.tr("系统没有能打开网页的浏览器。网址：{0}").format(url.toString()))

    def package_folders(self) -> list[str]:
        """The folders packages were imported or found in (remembered in settings.ini), newest first."""
        value = self._settings().value(FOLDERS_KEY, [])
        return [value] if isinstance(value, str) else [str(v) for v in value or []]

    def _remember_folder(self, folder: Path) -> None:
        folders = [str(folder), *(f for f in self.package_folders() if f != str(folder))][:MAX_FOLDERS]
        s = self._settings()
        s.setValue(FOLDERS_KEY, folders)
        s.sync()

    def _settings(self) -> QSettings:
        return QSettings(str(self.session.data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)

    def _zip_for(self, package: county.ReceivedPackage) -> Path | None:
        """The package's zip: its copy kept at import, where it was found before, in a remembered folder, or as
        the clerk points to it (a package imported before copies were kept)."""
        known = self._zips.get(package.id)
        found = county_evidence.find_package(package, [*([known] if known else []), *self.package_folders()],
                                             self.session.data_dir)
        if found is not None and found == county_evidence.kept_copy(package, self.session.data_dir):
            return found
        while found is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, self.tr("请找到{0}的报送材料“{1}”（佐证材料在其中）").format(package.office, package.file_name),
                self.package_folders()[0] if self.package_folders() else "", self.tr("报送材料 (*.zip)"))
            if not chosen:
                return None
            found = county_evidence.find_package(package, [chosen])
            if found is None:
                QMessageBox.warning(self, self.tr("不是这一份报送材料"), self.tr(
                    "“{0}”不是{1}报告日期为 {2} 的那一份报送材料（与导入时的清单不同）。请另选。").format(
                    Path(chosen).name, package.office, package.report_date))
        self._zips[package.id] = found
        self._remember_folder(found.parent)
        return found

    def open_evidence(self, index: int) -> None:
        """Take the item's file out of the office's package (read-only, a temporary folder) and open it."""
        package = self._package
        if package is None or not 0 <= index < len(self._entries):
            return
        entry = self._entries[index]
        if entry.file is None:
            self._anchor_clicked(QUrl(entry.url))
            return
        found = self._zip_for(package)
        if found is None:
            return
        try:
            folder = self.view.for_package(package.id)  # made here: the worker only writes into it
        except StorageError as exc:
            QMessageBox.warning(self, self.tr("无法打开佐证材料"), exc.message)
            return
        self.runner.run(lambda: county_evidence.open_entry(found, package, entry, folder),
                        lambda path: self._extracted(entry, path),
                        lambda message: QMessageBox.warning(self, self.tr("无法打开佐证材料"), message),
                        widget=self, label=self.tr("正在取出佐证材料…"))

    def _extracted(self, entry: county_evidence.EvidenceEntry, path: Path) -> None:
        self.last_opened = path
        if open_url(QUrl.fromLocalFile(str(path))):
            self.statusBar().showMessage(self.tr("已打开 {0}（只读副本，关闭汇总窗口时删除）").format(entry.file_name),
                                         10000)
            return
        text = self.tr("系统没有能打开它的程序：{0}（{1}）\n可在这里找到它的只读副本：{2}").format(
            entry.label, entry.file_name, path)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("无法打开佐证材料"), text, QMessageBox.StandardButton.Close,
                          self)
        folder = box.addButton(self.tr("打开所在文件夹"), QMessageBox.ButtonRole.ActionRole)
        folder.clicked.connect(lambda: open_url(QUrl.fromLocalFile(str(path.parent))))
        box.open()
        self.viewer_box = box

    def closeEvent(self, event: QCloseEvent) -> None:
        self.view.close()
        super().closeEvent(event)

    # --- import --------------------------------------------------------------------------------
    def import_packages(self, paths: list[str] | None = None) -> None:
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(self, self.tr("导入各单位报送材料"), "",
                                                    self.tr("报送材料 (*.zip)"))
        if not paths:
            return
        target = county.import_target(self.session)
        data_dir = self.session.data_dir
        for folder in dict.fromkeys(Path(p).parent for p in paths):
            self._remember_folder(folder)
        self.btn_import.setEnabled(False)
        # verifying and copying the zips (100 MB each, perhaps) on the worker; only the rows on this thread
        self.runner.run(lambda: county.prepare_packages(data_dir, target, paths), self._verified, self._failed,
                        widget=self, label=self.tr("正在校验并保存报送材料…"))

    def _failed(self, message: str) -> None:
        self.btn_import.setEnabled(True)
        QMessageBox.warning(self, self.tr("导入没有成功"), message)

    def _verified(self, batch: county.CopiedBatch) -> None:
        self.btn_import.setEnabled(True)
        try:
            summary = county.store_packages(self.session, batch)  # the rows only: short transactions
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
