"""Comma- or tab-separated tables exported from Excel or WPS."""

from __future__ import annotations

import csv
import io

from core.importers.result import ImportResult
from core.importers.table import cells, flatten, rows_to_plan
from core.importers.text import import_text


def _dialect(text: str) -> str:
    sample = text[:5000]
    counts = {d: sample.count(d) for d in (",", "\t", ";", "，")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def import_csv(text: str, name: str = "") -> ImportResult:
    delimiter = _dialect(text)
    csv.field_size_limit(10 * 1024 * 1024)
    rows = list(csv.reader(io.StringIO(text.replace("\x00", "")), delimiter=delimiter))
    grid = cells(rows)
    plan = rows_to_plan(grid, name)
    if plan is not None:
        return ImportResult(plan, list(plan.warnings), "csv")
    result = import_text("\n".join(flatten(grid)), name)
    result.source_kind = "csv"
    return result
