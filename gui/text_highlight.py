"""Marking a search query in a text editor's document (the detail pane's notes)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat

from gui.highlight import MATCH_COLOR


class SearchHighlighter(QSyntaxHighlighter):
    """Marks occurrences of the query in a QPlainTextEdit's document without touching its undo stack."""

    def __init__(self, document) -> None:
        super().__init__(document)
        self.query = ""
        self._format = QTextCharFormat()
        self._format.setBackground(QColor(MATCH_COLOR))

    def set_query(self, query: str) -> None:
        if query != self.query:
            self.query = query
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        if not self.query:
            return
        start = text.find(self.query)
        while start >= 0:
            self.setFormat(start, len(self.query), self._format)
            start = text.find(self.query, start + len(self.query))
