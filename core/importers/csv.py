"""Comma- or tab-separated tables exported from Excel or WPS."""

from __future__ import annotations

import csv
import io

from core.importers.columns import ColumnMapping
from core.importers.result import ImportResult
from core.importers.table import TableSeries, cells, flatten
from core.importers.text import import_text


def _dialect(text: str) -> str:
    sample = text[:5000]
    counts = {d: sample.count(d) for d in (",", "\t", ";", "，")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def import_csv(text: str, name: str = "", mapping: ColumnMapping | None = None) -> ImportResult:
    delimiter = _dialect(text)
    csv.field_size_limit(10 * 1024 * 1024)
    rows = list(csv.reader(io.StringIO(text.replace("\x00", "")), delimiter=delimiter))
    grid = cells(rows)
    tables = TableSeries(name, mapping)
    read = tables.read(grid)
    if read is not None:
        return ImportResult(read[0], list(read[0].warnings), "csv", read[1])
    tables.check_used()
    result = import_text("\n".join(flatten(grid)), name)
    result.source_kind = "csv"
    return result
