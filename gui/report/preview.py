"""The report preview: the real PDF in a QPdfView, with its page count.

The view never owns the document (see :class:`~gui.report.print.PdfPages`): the preview keeps the
current :class:`PdfPages` referenced and detaches it from the view before letting it go.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from gui.report.print import PdfPages

_placeholder: QPdfDocument | None = None


def _empty_document() -> QPdfDocument:
    """An empty document that lives as long as the process, to detach views from real ones.

    ``QPdfView.setDocument(None)`` logs a Qt warning (a connect to a null link model) in 6.12.
    """
    global _placeholder
    if _placeholder is None:
        _placeholder = QPdfDocument()
    return _placeholder


class ReportPreview(QWidget):
    """Shows one PDF at a time, pages stacked, a whole page (or the page width) in view.

    ``zoom`` is a combo box for the caller to place (e.g. beside the page count).

    Signals:
        pageCountChanged(int): pages of the PDF now shown (0 when none).
    """

    pageCountChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pages: PdfPages | None = None
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.zoom = QComboBox()
        self.zoom.addItem(self.tr("整页"), QPdfView.ZoomMode.FitInView)
        self.zoom.addItem(self.tr("适合宽度"), QPdfView.ZoomMode.FitToWidth)
        self.zoom.currentIndexChanged.connect(lambda _i: self.view.setZoomMode(self.zoom.currentData()))
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self.view.setPageSpacing(12)
        self.empty = QLabel(self.tr("正在准备预览…"), self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)

    def show_pdf(self, data: bytes) -> bool:
        """Show ``data``; False (and the previous PDF kept) if Qt cannot read it."""
        pages = PdfPages(data)
        if not pages.ok:
            pages.close()
            return False
        old = self.pages
        self.view.setDocument(pages.document)
        self.pages = pages
        if old is not None:
            old.close()
        self.empty.hide()
        self.pageCountChanged.emit(pages.page_count())
        return True

    def data(self) -> bytes | None:
        return self.pages.data if self.pages is not None else None

    def page_count(self) -> int:
        return self.pages.page_count() if self.pages is not None else 0

    def release(self) -> None:
        """Detach and close the document (call before the widget is destroyed)."""
        self.view.setDocument(_empty_document())
        if self.pages is not None:
            self.pages.close()
            self.pages = None
