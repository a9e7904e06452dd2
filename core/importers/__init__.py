"""Reading a work plan from whatever file the county or town sent.

``import_plan(path)`` guesses the kind of file from its bytes (the extension is only a hint),
decodes text whatever its encoding and hands it to the reader for that kind.
"""

from __future__ import annotations

from pathlib import Path

from core.importers.columns import ColumnMapping
from core.importers.csv import import_csv
from core.importers.detect import decode_text, kind_of, looks_like_html, read_limited
from core.importers.docx import import_docx
from core.importers.html import import_html
from core.importers.result import MAX_TASKS, ImportResult, PlanImportError, too_many_tasks
from core.importers.text import import_text
from core.importers.xlsx import import_xlsx

__all__ = ["MAX_TASKS", "ColumnMapping", "ImportResult", "PlanImportError", "import_bytes", "import_plan",
           "import_text"]


def import_bytes(data: bytes, name: str, mapping: ColumnMapping | None = None) -> ImportResult:
    """Import a file's content; ``name`` is its file name (its extension is a hint).

    ``mapping`` gives the use of each table column (as :attr:`ImportResult.columns` shows it,
    changed by the clerk in the preview); without it the uses are detected.
    """
    if not data:
        raise PlanImportError("文件是空的")
    kind = kind_of(Path(name or "plan.txt"), data)
    label = Path(name).name if name else ""
    if kind == "docx":
        return _capped(import_docx(data, label, mapping))
    if kind == "xlsx":
        return _capped(import_xlsx(data, label, mapping))
    text, encoding = decode_text(data)
    if kind == "csv":
        result = import_csv(text, label, mapping)
    elif kind == "html" or looks_like_html(text):
        result = import_html(text, label, mapping)
    else:
        result = import_text(text, label, mapping)
    if encoding not in ("utf-8", "utf-8-sig"):
        result.warnings.append(f"文件编码为 {encoding.upper()}，已自动识别")
    return _capped(result)


def _capped(result: ImportResult) -> ImportResult:
    if len(result.plan.tasks) > MAX_TASKS:
        raise too_many_tasks(len(result.plan.tasks))
    return result


def import_plan(path: Path, mapping: ColumnMapping | None = None) -> ImportResult:
    """Import a plan file. Raises :class:`PlanImportError` with a Chinese message for bad input.

    ``mapping``: see :func:`import_bytes`.
    """
    path = Path(path)
    return import_bytes(read_limited(path), path.name, mapping)
