"""Showing where a search matched in table cells (a delegate); the editors' highlighter is in
``gui.text_highlight`` (built with the detail pane, after the first paint)."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QRectF, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

MATCH_COLOR = "#ffe066"
MATCH_TEXT = "#1a1a1a"  # dark text on the yellow mark, also in a selected row (white on yellow was unreadable)


def highlighted_html(text: str, query: str, color: str = MATCH_COLOR, text_color: str = "") -> str:
    """``text`` as HTML-escaped rich text with every occurrence of ``query`` marked."""
    if not query:
        return html.escape(text)
    parts = text.split(query)
    fg = f"color:{text_color};" if text_color else ""
    mark = f'<span style="background-color:{color};{fg}">{html.escape(query)}</span>'
    return mark.join(html.escape(p) for p in parts)


class HighlightDelegate(QStyledItemDelegate):
    """Paints a cell's text with the current search query highlighted. No signals."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.query = ""

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        if not self.query or self.query not in text:
            super().paint(painter, option, index)
            return
        from PySide6.QtGui import QTextDocument  # only when a search is on: not at start-up

        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setDocumentMargin(0)
        color = opt.palette.color(group).name()
        fm = opt.fontMetrics
        lines = max(1, int(rect.height() // fm.lineSpacing())) if opt.features & opt.ViewItemFeature.WrapText else 1
        at = text.find(self.query)
        if fm.horizontalAdvance(text[: at + len(self.query)]) > rect.width() * lines:
            text = "…" + text[max(0, at - 4):]  # the match would be cut off: show the text from just before it
        if lines == 1:
            text = fm.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
            doc.setHtml(f'<span style="color:{color};white-space:pre;">'
                        f'{highlighted_html(text, self.query, text_color=MATCH_TEXT)}</span>')
        else:
            doc.setTextWidth(rect.width())
            doc.setHtml(f'<span style="color:{color};">{highlighted_html(text, self.query, text_color=MATCH_TEXT)}'
                        '</span>')
        painter.save()
        top = rect.top() + max(0.0, (rect.height() - doc.size().height()) / 2)
        painter.translate(rect.left(), top)
        painter.setClipRect(QRectF(0, 0, rect.width(), min(rect.height(), lines * fm.lineSpacing())))
        doc.drawContents(painter)
        painter.restore()
