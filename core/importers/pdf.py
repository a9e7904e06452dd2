"""A plan published as a PDF with text in it: the text, page by page, read with pypdf and then parsed like a
notice copied from a web page (its tables come out one cell per line or as rows, which the text reader knows).

A scan holds images only: it is refused with a message saying so, as is a PDF that is encrypted, damaged, or
whose text does not decode to Chinese (fonts without a ToUnicode map give letters of no language).
"""

from __future__ import annotations

import io
import logging
import re

from core.importers.result import PlanImportError

log = logging.getLogger(__name__)

PDF_SCANNED = ("这个 PDF 是扫描件（只有图片，没有文字），无法读出任务。请向发文单位要 Word、Excel 版本，"
               "或用 WPS 的“PDF 转 Word”功能转换后再导入")
PDF_UNREADABLE = ("这个 PDF 的文字无法读出（可能加了密码、已损坏，或字体没有附带文字编码）。"
                  "请打开 PDF，选中并复制其中的文字或表格，再点“从剪贴板粘贴”")
#: More pages than any work plan has: a larger file is refused before its text is read.
MAX_PAGES = 300
_HAN = re.compile(r"[\u4e00-\u9fff]")


def pdf_text(data: bytes) -> str:
    """The PDF's text, pages joined by blank lines; PlanImportError (with what to do) when there is none."""
    from pypdf import PdfReader  # loaded on use: only PDF plans need it
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise PlanImportError(PDF_UNREADABLE)
        if len(reader.pages) > MAX_PAGES:
            raise PlanImportError(f"这个 PDF 有 {len(reader.pages)} 页，超过 {MAX_PAGES} 页，不像分工方案")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PlanImportError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        log.warning("PDF 无法读取：%s", exc, exc_info=True)
        raise PlanImportError(PDF_UNREADABLE) from None
    text = "\n\n".join(p.strip() for p in pages)
    if not text.strip():
        raise PlanImportError(PDF_SCANNED)
    if len(_HAN.findall(text)) < 20:
        raise PlanImportError(PDF_UNREADABLE)
    return text
