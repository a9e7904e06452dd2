"""Reading a work plan from whatever file the county or town sent.

``import_plan(path)`` guesses the kind of file from its bytes (the extension is only a hint),
decodes text whatever its encoding and hands it to the reader for that kind.
"""

from __future__ import annotations

from pathlib import Path

from core.importers.csv import import_csv
from core.importers.detect import decode_text, kind_of, looks_like_html, read_limited
from core.importers.docx import import_docx
from core.importers.html import import_html
from core.importers.result import ImportResult, PlanImportError
from core.importers.text import import_text
from core.importers.xlsx import import_xlsx

__all__ = ["ImportResult", "PlanImportError", "import_bytes", "import_plan", "import_text"]


def import_bytes(data: bytes, name: str) -> ImportResult:
    """Import a file's content; ``name`` is its file name (its extension is a hint)."""
    if not data:
        raise PlanImportError("文件是空的")
    kind = kind_of(Path(name or "plan.txt"), data)
    label = Path(name).name if name else ""
    if kind == "docx":
        return import_docx(data, label)
    if kind == "xlsx":
        return import_xlsx(data, label)
    text, encoding = decode_text(data)
    if kind == "csv":
        result = import_csv(text, label)
    elif kind == "html" or looks_like_html(text):
        result = import_html(text, label)
    else:
        result = import_text(text, label)
    if encoding not in ("utf-8", "utf-8-sig"):
        result.warnings.append(f"文件编码为 {encoding.upper()}，已自动识别")
    return result


def import_plan(path: Path) -> ImportResult:
    """Import a plan file. Raises :class:`PlanImportError` with a Chinese message for bad input."""
    path = Path(path)
    return import_bytes(read_limited(path), path.name)
