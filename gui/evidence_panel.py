"""佐证材料 of the task shown in the detail pane: list, thumbnails, add (button or drop), link, open, remove, undo.

Everything goes through ``actions.evidence``; copying and thumbnails run on a :class:`~gui.runner.Runner`
(a file may be 200 MB). Numbers (12-1, 12-2 …) and the bin are the store's rules (docs/evidence.md).

Signals:
    changed(): items were added, removed or brought back (e.g. to refresh a ledger preview).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent, QIcon, QImage, QImageReader, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from actions import evidence
from actions.errors import ActionError, StorageError
from actions.evidence import BIN_DAYS, EvidenceItem
from actions.evidence_thumbs import stored_file
from actions.session import Session, in_own_session
from gui.runner import Runner

THUMB = 48
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff"}
_KINDS = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".wps": "Word", ".xls": "Excel", ".xlsx": "Excel",
          ".et": "Excel", ".ppt": "演示文稿", ".pptx": "演示文稿", ".zip": "压缩包", ".rar": "压缩包"}


def open_url(url: QUrl) -> bool:
    """The system viewer or browser (tests replace this)."""
    return QDesktopServices.openUrl(url)


def kind_label(item: EvidenceItem) -> str:
    if item.kind == "link":
        return "网页链接（含截图）" if item.sha256 else "网页链接"
    suffix = item.suffix.lower()
    return "图片" if suffix in IMAGE_SUFFIXES else _KINDS.get(suffix, "文件")


def has_image(item: EvidenceItem) -> bool:
    """A photo, a PDF (its first page), or a link's screenshot: worth a thumbnail."""
    return item.sha256 is not None and (item.kind == "link" or item.suffix.lower() in IMAGE_SUFFIXES
                                        or item.suffix.lower() == ".pdf")


def _pdf_first_page(path: Path) -> QImage:
    """The first page of a PDF at thumbnail size, on white (QtPdf renders transparent); null when unreadable."""
    from PySide6.QtPdf import QPdfDocument  # only when a PDF is listed

    doc = QPdfDocument()
    try:
        if doc.load(str(path)) != QPdfDocument.Error.None_ or doc.pageCount() < 1:
            return QImage()
        page = doc.pagePointSize(0)
        if page.width() <= 0 or page.height() <= 0:
            return QImage()
        size = page.toSize().scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio)
        rendered = doc.render(0, size)
    finally:
        doc.close()
    if rendered.isNull():
        return rendered
    white = QImage(rendered.size(), QImage.Format.Format_ARGB32_Premultiplied)
    white.fill(Qt.GlobalColor.white)
    painter = QPainter(white)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return white


def read_thumbnails(paths: dict[str, Path]) -> dict[str, QImage]:
    """sha256 -> a THUMB×THUMB QImage with the picture centred (so the titles line up); any thread (QImage, not
    QPixmap). Unreadable images are left out."""
    found = {}
    for sha, path in paths.items():
        try:
            with open(path, "rb") as fh:
                is_pdf = fh.read(5) == b"%PDF-"
        except OSError:
            continue
        if is_pdf:
            image = _pdf_first_page(path)
            if image.isNull():
                continue
            found[sha] = _centred(image)
            continue
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)  # phone photos carry their rotation in EXIF
        size = reader.size()
        if size.isValid() and (size.width() > THUMB or size.height() > THUMB):
            reader.setScaledSize(size.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
        if image.isNull():
            continue
        if image.width() > THUMB or image.height() > THUMB:  # the reader could not scale while reading
            image = image.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation)
        found[sha] = _centred(image)
    return found


def _centred(image: QImage) -> QImage:
    square = QImage(THUMB, THUMB, QImage.Format.Format_ARGB32_Premultiplied)
    square.fill(Qt.GlobalColor.transparent)
    painter = QPainter(square)
    painter.drawImage((THUMB - image.width()) // 2, (THUMB - image.height()) // 2, image)
    painter.end()
    return square


class EvidencePanel(QGroupBox):
    changed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("佐证材料"))
        self.session = session
        self.office: str | None = None
        self.task: int | None = None
        self.plan_id: int | None = None
        self.runner = Runner(self, serial=True)  # one copy at a time, in order
        self.thumb_runner = Runner(self)
        self._items: list[EvidenceItem] = []
        self._thumbs: dict[str, QPixmap] = {}
        self._removed: EvidenceItem | None = None
        self.setAcceptDrops(True)

        layout = QVBoxLayout(self)
        self.hint = QLabel(self.tr("会议照片、通知扫描件、网页截图等。可把文件拖到这里。"), self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#6b7280;")
        layout.addWidget(self.hint)
        self.list = QListWidget(self)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setMinimumHeight(2 * (THUMB + 8))  # compact at 1366×768; hidden while the task has none
        self.list.setWordWrap(True)
        layout.addWidget(self.list)
        self.empty_label = QLabel(self.tr("这项任务还没有佐证材料。"), self)
        self.empty_label.setStyleSheet("color:#6b7280;")
        layout.addWidget(self.empty_label)

        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("添加文件…"), self)
        self.link_button = QPushButton(self.tr("添加网页链接…"), self)
        self.open_button = QPushButton(self.tr("打开"), self)
        self.remove_button = QPushButton(self.tr("移除"), self)
        for b in (self.add_button, self.link_button, self.open_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        undo_row = QHBoxLayout()
        self.undo_label = QLabel(self)
        self.undo_label.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("撤销"), self)
        undo_row.addWidget(self.undo_label, 1)
        undo_row.addWidget(self.undo_button)
        layout.addLayout(undo_row)
        self.status = QLabel(self)  # 正在复制… / the last add
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self._hide_undo()

        self.add_button.clicked.connect(self.choose_files)
        self.link_button.clicked.connect(self.add_link_dialog)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.undo_button.clicked.connect(self.undo)
        self.list.itemDoubleClicked.connect(lambda _i: self.open_selected())
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.runner.busyChanged.connect(lambda _b: self._update_buttons())
        self.show_nothing()

    # --- which task ----------------------------------------------------------------------------------
    def show_task(self, office: str, task: int, plan_id: int | None = None) -> None:
        """List ``office``'s items for ``task`` of ``plan_id`` (default: the session's current plan)."""
        if (office, task, plan_id) != (self.office, self.task, self.plan_id):
            self._hide_undo()
            self.status.clear()
        self.office, self.task, self.plan_id = office, task, plan_id
        self.reload()

    def show_nothing(self) -> None:
        self.office = self.task = self.plan_id = None
        self._items = []
        self.list.clear()
        self.list.hide()
        self.empty_label.hide()
        self._hide_undo()
        self.status.clear()
        self._update_buttons()

    def items(self) -> list[EvidenceItem]:
        return list(self._items)

    def selected(self) -> EvidenceItem | None:
        row = self.list.currentRow()
        return self._items[row] if 0 <= row < len(self._items) else None

    def reload(self) -> None:
        """List the task's items again; thumbnails not yet made are read off the UI thread."""
        if self.office is None or self.task is None:
            return
        current = self.selected()
        self._items = evidence.items(self.session, self.office, self.task, plan_id=self.plan_id)
        self.list.clear()
        style = self.style()
        for item in self._items:
            date_text = item.seen_date or item.added_at[:10]
            text = f"{item.number}  {item.title}\n{self.tr(kind_label(item))} · {date_text}"
            row = QListWidgetItem(text)
            tip = item.url if item.kind == "link" else item.file_name
            row.setToolTip(tip + (f"\n{item.note}" if item.note else ""))
            pixmap = self._thumbs.get(item.sha256 or "")
            if pixmap is not None:
                row.setIcon(QIcon(pixmap))
            else:
                which = QStyle.StandardPixmap.SP_DriveNetIcon if item.kind == "link" \
                    else QStyle.StandardPixmap.SP_FileIcon
                row.setIcon(style.standardIcon(which))
            self.list.addItem(row)
        if current is not None:
            ids = [i.id for i in self._items]
            if current.id in ids:
                self.list.setCurrentRow(ids.index(current.id))
        self.empty_label.setVisible(not self._items)
        self.list.setVisible(bool(self._items))  # an empty list took a third of the pane
        self._update_buttons()
        self._load_thumbnails()

    def _load_thumbnails(self) -> None:
        wanted = {}
        for item in self._items:
            if has_image(item) and item.sha256 not in self._thumbs:
                path = stored_file(self.session, item)
                if path is not None:
                    wanted[item.sha256] = path
        if not wanted:
            return

        def done(images: dict[str, QImage]) -> None:
            for sha in wanted:  # unreadable ones get no second try
                self._thumbs[sha] = QPixmap.fromImage(images[sha]) if sha in images else QPixmap()
            for row, item in enumerate(self._items):
                pixmap = self._thumbs.get(item.sha256 or "")
                if pixmap is not None and not pixmap.isNull() and self.list.item(row) is not None:
                    self.list.item(row).setIcon(QIcon(pixmap))

        self.thumb_runner.run(lambda: read_thumbnails(wanted), done, lambda _m: None)

    def thumbnail(self, item: EvidenceItem) -> QPixmap | None:
        pixmap = self._thumbs.get(item.sha256 or "")
        return pixmap if pixmap is not None and not pixmap.isNull() else None

    # --- adding --------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        if self.task is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("添加佐证材料（可多选）"), "",
                                                self.tr("所有文件 (*)"))
        if paths:
            self.add_paths([Path(p) for p in paths])

    def add_paths(self, paths: list[Path]) -> None:
        """Copy the files into the data folder off the UI thread; all or nothing."""
        if self.task is None or self.office is None or not paths:
            return
        office, task, plan_id = self.office, self.task, self.plan_id
        self.status.setText(self.tr("正在添加 {0} 个文件…").format(len(paths)))

        def done(result: evidence.AddResult) -> None:
            self._added(result, (office, task, plan_id))

        data_dir = self.session.data_dir  # the job opens its own connection: never the window's

        def job() -> evidence.AddResult:
            return in_own_session(data_dir, lambda s: evidence.add_files(s, office, task, paths, plan_id=plan_id))

        self.runner.run(job, done,
                        lambda message: self._failed(self.tr("未能添加佐证材料"), message),
                        widget=self.window(), label=self.tr("正在复制佐证材料…"))

    def _added(self, result: evidence.AddResult, where: tuple) -> None:
        """After an add: say what was added, show it if its task is still the one shown, pass on the warning."""
        self.status.setText(self.tr("已添加：{0}").format("、".join(i.label for i in result.items)))
        if where == (self.office, self.task, self.plan_id):
            self.reload()
            self.list.setCurrentRow(len(self._items) - 1)
        self.changed.emit()
        if result.warning:
            QMessageBox.warning(self, self.tr("佐证材料"), self.tr(result.warning))

    def add_link_dialog(self):
        """The 添加网页链接 dialog; it stays open (nothing typed is lost) until the link is stored."""
        from gui.evidence_link_dialog import LinkDialog

        if self.task is None or self.office is None:
            return None
        office, task, plan_id = self.office, self.task, self.plan_id
        dialog = LinkDialog(self.window())

        def submit(url: str, title: str, seen: str, shot: str | None, finished: Callable[[str | None], None]):
            def done(result: evidence.AddResult) -> None:
                finished(None)
                self._added(result, (office, task, plan_id))

            data_dir = self.session.data_dir

            def job() -> evidence.AddResult:
                return in_own_session(data_dir, lambda s: evidence.add_link(
                    s, office, task, url, title, seen_date=seen, screenshot=shot, plan_id=plan_id))

            self.runner.run(job, done, finished,
                            widget=dialog, label=self.tr("正在保存网页链接…"))

        dialog.submitted = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self._link_dialog = dialog
        return dialog

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.task is not None and self._local_files(event) and not self.runner.busy:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if self.task is not None and self._local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._local_files(event)
        if self.task is None or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_paths(paths)

    @staticmethod
    def _local_files(event) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        urls = mime.urls()
        if not all(u.isLocalFile() for u in urls):
            return []  # a web page dragged from a browser: use 添加网页链接
        return [Path(u.toLocalFile()) for u in urls]

    # --- open, remove, undo ------------------------------------------------------------------------------
    def open_selected(self) -> None:
        item = self.selected()
        if item is None:
            return
        if item.kind == "link":
            ok = open_url(QUrl(item.url))
            what = item.url
        else:
            try:
                path = evidence.view_copy(self.session, item.id)
            except (ActionError, StorageError) as exc:
                self._failed(self.tr("无法打开佐证材料"), exc.message)
                return
            ok = open_url(QUrl.fromLocalFile(str(path)))
            # the names the clerk knows, not the hidden viewing copy's path alone
            what = self.tr("{0}（{1}）\n可在这里找到它的副本：{2}").format(item.label, item.file_name, path)
        if not ok:
            self._failed(self.tr("无法打开佐证材料"), self.tr("系统没有能打开它的程序：{0}").format(what))

    def remove_selected(self) -> None:
        item = self.selected()
        if item is None:
            return
        try:
            removed = evidence.remove(self.session, item.id)
        except (ActionError, StorageError) as exc:
            self._failed(self.tr("未能移除"), exc.message)
            return
        self._removed = removed
        self.undo_label.setText(self.tr("已将 {0} 移到回收站（{1} 天内可撤销）").format(removed.label, BIN_DAYS))
        self.undo_label.show()
        self.undo_button.show()
        self.reload()
        self._keep_in_view(self.undo_button)  # the list shrank: the 撤销 line must not slip out of sight
        self.changed.emit()

    def undo(self) -> None:
        item = self._removed
        if item is None:
            return
        try:
            evidence.undo_remove(self.session, item.id)
        except (ActionError, StorageError) as exc:
            self._failed(self.tr("未能撤销"), exc.message)
            return
        self._hide_undo()
        self.status.setText(self.tr("已恢复：{0}").format(item.label))
        self.reload()
        self.changed.emit()

    # --- internals ---------------------------------------------------------------------------------------
    def _keep_in_view(self, widget: QWidget) -> None:
        """Scroll the pane around the panel (the task's detail pane) so ``widget`` is on screen."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.widget().layout().activate()  # place the rows first, then scroll to the one wanted
            parent.ensureWidgetVisible(widget, 0, 12)

    def _hide_undo(self) -> None:
        self._removed = None
        self.undo_label.hide()
        self.undo_button.hide()

    def _failed(self, title: str, message: str) -> None:
        self.status.clear()
        QMessageBox.warning(self.window(), title, message)

    def _update_buttons(self) -> None:
        has_task = self.task is not None
        idle = not self.runner.busy
        self.add_button.setEnabled(has_task and idle)
        self.link_button.setEnabled(has_task and idle)
        chosen = self.selected() is not None
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen and idle)
