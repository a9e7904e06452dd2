"""A saved web page (.html/.htm): its plan table if it has one, otherwise its text."""

from __future__ import annotations

from html.parser import HTMLParser

from core.importers.columns import ColumnMapping
from core.importers.result import ImportResult
from core.importers.table import TableSeries, fill_spans, flatten
from core.importers.text import import_text

_SKIP = {"script", "style", "nav", "noscript", "template", "head", "select", "button", "iframe", "svg", "object",
         "header", "footer"}
_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
          "blockquote", "dt", "dd", "pre", "hr", "center", "form"}


def _span(value: str | None) -> int:
    try:
        return max(1, min(int((value or "1").strip()), 500))
    except ValueError:
        return 1


class _PageReader(HTMLParser):
    """Collects text lines and tables in document order; ``items`` holds str lines and table rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[str | list[list[tuple[str, int, int]]]] = []
        self._skip: list[str] = []
        self._line: list[str] = []
        self._tables: list[list[list[tuple[str, int, int]]]] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._saved: list[tuple[list[str] | None, tuple[int, int]]] = []  # outer cell state per open table

    def _flush(self) -> None:
        text = "".join(self._line).strip()
        self._line = []
        if not text:
            return
        if self._cell is not None:
            self._cell.append(text)
        else:
            self.items.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.append(tag)
            return
        if tag in _SKIP:
            self._skip.append(tag)
            return
        if tag in _BLOCK:
            self._flush()
        elif tag == "table":
            self._flush()
            self._saved.append((self._cell, self._span))
            self._cell = None
            self._tables.append([])
        elif tag == "tr" and self._tables:
            self._end_cell()
            self._tables[-1].append([])
        elif tag in ("td", "th") and self._tables:
            self._end_cell()
            if not self._tables[-1]:
                self._tables[-1].append([])
            a = dict(attrs)
            self._cell = []
            self._span = (_span(a.get("rowspan")), _span(a.get("colspan")))

    def _end_cell(self) -> None:
        if self._cell is None:
            return
        self._flush()
        if self._tables and self._tables[-1]:
            self._tables[-1][-1].append(("\n".join(self._cell), *self._span))
        self._cell = None

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.pop()
            return
        if tag in _BLOCK:
            self._flush()
        elif tag in ("td", "th"):
            self._end_cell()
        elif tag == "table" and self._tables:
            self._end_cell()
            table = self._tables.pop()
            self._cell, self._span = self._saved.pop() if self._saved else (None, (1, 1))
            if self._cell is not None:  # a table nested in a cell: keep its text in the outer cell
                self._cell.append("\n".join(" ".join(c[0] for c in row if c[0]) for row in table))
            else:
                self.items.append(table)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._line.append(data.replace("\u00a0", " ").replace("\r", "").replace("\n", ""))

    def close(self) -> None:
        super().close()
        self._end_cell()
        while self._tables:
            self.items.append(self._tables.pop(0))
            self._cell = None
        self._flush()


def page_items(html: str) -> list[str | list[list[tuple[str, int, int]]]]:
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    return reader.items


def import_html(html: str, name: str = "", mapping: ColumnMapping | None = None) -> ImportResult:
    items = page_items(html)
    lines: list[str] = []
    tables = TableSeries(name, mapping)
    for item in items:
        if isinstance(item, str):
            lines.append(item)
            continue
        grid = fill_spans(item)
        read = tables.read(grid, lines)
        if read is not None:
            return ImportResult(read[0], list(read[0].warnings), "html", read[1])
        lines += flatten(grid)
    tables.check_used()
    result = import_text("\n".join(lines), name)
    result.source_kind = "html"
    return result
