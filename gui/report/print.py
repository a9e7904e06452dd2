"""Loading report PDF bytes into Qt, rendering pages on white, and printing exactly those pages.

Qt's PDF renderer returns transparent pages; every page here is drawn onto white first, so a
printer (or a PDF printer) never receives see-through pages.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QProgressDialog, QWidget

#: Pages are rendered at the printer's resolution, but at most this many dots per inch
#: (an A4 page at 300 dpi is already 35 MB of pixels; 1200 dpi would be 560 MB).
MAX_PRINT_DPI = 300


class PdfPages:
    """A QPdfDocument over in-memory bytes; keeps the buffer alive as long as the document.

    The document has no parent on purpose: a QPdfView must never own its document (it crashes on
    destruction in PySide6 6.12), so whoever shows it holds this object instead.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.buffer = QBuffer()
        self.buffer.setData(QByteArray(data))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument()
        self.document.load(self.buffer)  # synchronous for a QIODevice that is already complete

    @property
    def ok(self) -> bool:
        return self.document.status() == QPdfDocument.Status.Ready and self.document.pageCount() > 0

    def page_count(self) -> int:
        return self.document.pageCount()

    def is_landscape(self, index: int) -> bool:
        size = self.document.pagePointSize(index)
        return size.width() > size.height()

    def render_white(self, index: int, dpi: float) -> QImage:
        """Page ``index`` at ``dpi``, opaque, on a white background."""
        points = self.document.pagePointSize(index)
        size = QSize(max(1, round(points.width() * dpi / 72)), max(1, round(points.height() * dpi / 72)))
        page = self.document.render(index, size)
        image = QImage(size, QImage.Format.Format_RGB32)
        image.fill(QColor(Qt.GlobalColor.white))
        painter = QPainter(image)
        painter.drawImage(0, 0, page)
        painter.end()
        return image

    def close(self) -> None:
        self.document.close()
        self.buffer.close()


def _fit(target: QRectF, size: QSizeF) -> QRectF:
    """The largest rectangle of ``size``'s aspect ratio centred in ``target``."""
    scale = min(target.width() / size.width(), target.height() / size.height())
    w, h = size.width() * scale, size.height() * scale
    return QRectF(target.x() + (target.width() - w) / 2, target.y() + (target.height() - h) / 2, w, h)


def print_pages(pages: PdfPages, printer: QPrinter, progress: Callable[[int, int], bool] | None = None) -> int:
    """Print every page of ``pages`` on ``printer``; returns the number of pages printed.

    Each page gets the orientation of its PDF page (the ledger is landscape). A printer that
    ignores a change of orientation within a job gets the page turned by 90° instead, so nothing
    is squeezed. ``progress(done, total)`` may return False to stop early.
    """
    total = pages.page_count()
    if total == 0:
        return 0
    printer.setFullPage(True)  # the PDF pages carry their own official margins
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    printer.setPageOrientation(_orientation(pages, 0))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(QCoreApplication.translate("ReportPrint", "无法开始打印（打印机没有响应或输出文件无法写入）。"))
    printed = 0
    try:
        for index in range(total):
            if index > 0:
                printer.setPageOrientation(_orientation(pages, index))
                printer.newPage()
            _draw_page(painter, printer, pages, index, dpi)
            printed += 1
            if progress is not None and not progress(printed, total):
                break
    finally:
        painter.end()
    return printed


def _orientation(pages: PdfPages, index: int) -> QPageLayout.Orientation:
    return QPageLayout.Orientation.Landscape if pages.is_landscape(index) else QPageLayout.Orientation.Portrait


def _draw_page(painter: QPainter, printer: QPrinter, pages: PdfPages, index: int, dpi: float) -> None:
    image = pages.render_white(index, dpi)
    paper = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
    paper.moveTo(0, 0)
    page_landscape = image.width() > image.height()
    paper_landscape = paper.width() > paper.height()
    painter.save()
    if page_landscape != paper_landscape:
        # The printer kept the previous orientation: turn the page instead of shrinking it.
        painter.translate(paper.width(), 0)
        painter.rotate(90)
        paper = QRectF(0, 0, paper.height(), paper.width())
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(_fit(paper, QSizeF(image.size())), image)
    painter.restore()


def print_with_progress(pages: PdfPages, printer: QPrinter, parent: QWidget) -> int:
    """:func:`print_pages` with a cancellable progress dialog (shown when printing takes over 0.5 s)."""
    tr = QCoreApplication.translate
    progress = QProgressDialog(tr("ReportPrint", "正在打印…"), tr("ReportPrint", "取消"), 0, pages.page_count(), parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(500)

    def step(done: int, _total: int) -> bool:
        progress.setValue(done)
        return not progress.wasCanceled()

    try:
        return print_pages(pages, printer, step)
    finally:
        progress.close()
        progress.deleteLater()
