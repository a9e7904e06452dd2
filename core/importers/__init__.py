"""Reading a work plan from whatever file the county or town sent.

``import_plan(path)`` guesses the kind of file from its bytes (the extension is only a hint),
decodes text whatever its encoding and hands it to the reader for that kind.
"""

from __future__ import annotations

from pathlib import Path

from core.importers.columns import ColumnMapping
from core.importers.csv import import_csv
from core.importers.detect import decode_text, kind_of, looks_like_html, read_limited, zip_kind
from core.importers.docx import import_docx
from core.importers.html import import_html
from core.importers.result import MAX_TASKS, ImportResult, PlanImportError, too_many_tasks
from core.importers.text import import_text
from core.importers.xls import OLE_MAGIC, import_xls
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
    if kind == "doc":
        from core.importers.convert import to_docx

        return _capped(import_docx(to_docx(data, name or "plan.doc"), label, mapping))
    if kind in ("xls", "et"):
        return _capped(_old_excel(data, label, mapping, kind))
    if kind == "pdf":
        from core.importers.pdf import pdf_text

        result = import_text(pdf_text(data), label, mapping)
        result.warnings.append("方案从 PDF 的文字读出：表格的行列可能读错，请在核对表格中逐项核对")
        return _capped(result)
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


def _old_excel(data: bytes, label: str, mapping: ColumnMapping | None, kind: str) -> ImportResult:
    """.xls through xlrd; a WPS .et file is tried as .xls (WPS can save it so) and else gets the plain advice."""
    if kind == "et" and zip_kind(data) == "xlsx":
        return import_xlsx(data, label, mapping)
    try:
        return import_xls(data, label, mapping)
    except PlanImportError as exc:
        if not data.startswith(OLE_MAGIC) or str(exc) == "这不是能读取的 .xls 表格":
            what = "WPS 表格文件（.et）" if kind == "et" else "旧版 Excel 文件（.xls）"
            raise PlanImportError(f"这个{what}无法直接读取。请用 WPS 或 Excel 另存为 .xlsx 后再导入") from None
        raise


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
