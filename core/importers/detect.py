"""Guessing what a file is and decoding text whatever its encoding.

Files come from Windows PCs (GBK/GB18030, UTF-16 from Notepad "Unicode"), web downloads
(UTF-8 with or without BOM) and renamed Office documents, so the extension is only a hint.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

from core.importers.result import PlanImportError

MAX_BYTES = 50 * 1024 * 1024

_TEXT_EXT = {".txt", ".text", ""}
_HTML_EXT = {".html", ".htm", ".shtml", ".xhtml"}
_CSV_EXT = {".csv", ".tsv"}
SAVE_AS_DOCX = "请用 WPS 或 Word 另存为 .docx 后再导入"
_XLS_EXT = {".xls", ".et"}


def read_limited(path: Path) -> bytes:
    """The file's bytes, refusing missing, empty and oversized files before reading them."""
    try:
        size = path.stat().st_size
    except OSError as e:
        raise PlanImportError(f"无法打开文件：{path.name}（{e.strerror or e}）") from None
    if not path.is_file():
        raise PlanImportError(f"不是文件：{path.name}")
    if size > MAX_BYTES:
        raise PlanImportError(f"文件太大（{size / 1024 / 1024:.0f} MB），超过 50 MB，不像是一份分工方案")
    if size == 0:
        raise PlanImportError("文件是空的")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PlanImportError(f"无法读取文件：{path.name}（{e.strerror or e}）") from None
    if len(data) > MAX_BYTES:
        raise PlanImportError("文件太大，超过 50 MB，不像是一份分工方案")
    return data


def check_zip_sizes(data: bytes, limit: int, what: str, part: str | None = None) -> None:
    """Refuse an Office file whose parts would inflate past ``limit`` bytes, by the sizes its zip
    declares (zipfile never inflates a member past its declared size), before anything is inflated.
    ``part`` checks one member (e.g. ``word/document.xml``) instead of all together."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return  # the reader reports a damaged file in its own words
    sizes = [i.file_size for i in infos if part is None or i.filename == part]
    total = sum(sizes)
    if total > limit:
        raise PlanImportError(
            f"{what}太大：解压后有 {total / 1024 / 1024:,.0f} MB，超过 {limit // 1024 // 1024} MB 的上限"
            f"（文件本身 {len(data) / 1024:,.0f} KB），不像是一份分工方案，未导入")


def _plausible(ch: str) -> bool:
    o = ord(ch)
    return ch in "\t\n\r" or 0x20 <= o < 0x7F or 0x3000 <= o <= 0x9FFF or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o < 0x2070


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a BOM: NUL bytes in ASCII characters give it away; keep the byte order
    whose text is almost all Chinese, ASCII and punctuation."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data[:8000]:
        return None
    best: tuple[float, str] | None = None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        sample = text[:4000]
        score = sum(map(_plausible, sample)) / max(1, len(sample))
        if score > 0.9 and (best is None or score > best[0]):
            best = (score, text)
    return best[1] if best else None


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    return bad > max(2, len(sample) // 100)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode text; returns (text, encoding name). Raises for binary data."""
    if not data.strip():
        raise PlanImportError("文件是空的")
    text: str | None = None
    encoding = ""
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    else:
        u16 = _utf16_without_bom(data)
        if u16 is not None:
            text, encoding = u16, "utf-16"
    if text is None:
        if b"\x00" in data[:8000]:
            raise PlanImportError("这是二进制文件，不是文字、网页、Word 或 Excel 文件，无法导入")
        for enc in ("utf-8", "gb18030"):
            try:
                text, encoding = data.decode(enc), enc
                break
            except UnicodeDecodeError:
                continue
    if text is None or _looks_binary(text):
        raise PlanImportError("这是二进制文件或编码无法识别，不是文字、网页、Word 或 Excel 文件，无法导入")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise PlanImportError("文件是空的")
    return text, encoding


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or ("<body" in head and "</" in head) or (
        head.startswith("<") and ("<table" in head or "<p" in head or "<div" in head))


def zip_kind(data: bytes) -> str:
    """'docx', 'xlsx', 'zip' (some other zip) or '' (not a zip)."""
    if not data.startswith(b"PK"):
        return ""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return "badzip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def kind_of(path: Path, data: bytes) -> str:
    """One of 'text', 'html', 'docx', 'xlsx', 'csv'; raises for what cannot be imported."""
    ext = path.suffix.lower()
    if ext == ".pdf" or data.startswith(b"%PDF"):
        return "pdf"  # its text is read by core.importers.pdf; a scan is refused there
    if ext in (".doc", ".wps"):
        return "doc"
    if ext in _XLS_EXT or data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls" if ext != ".et" else "et"
    zk = zip_kind(data)
    if ext in (".docx", ".docm"):
        if zk == "docx":
            return "docx"
        if zk == "xlsx":
            raise PlanImportError("文件扩展名是 .docx，但内容其实是 Excel 表格，请把扩展名改为 .xlsx 再导入")
        raise PlanImportError("文件扩展名是 .docx，但它不是有效的 Word 文档（可能已损坏或是别的压缩包）")
    if ext in (".xlsx", ".xlsm"):
        if zk == "xlsx":
            return "xlsx"
        if zk == "docx":
            raise PlanImportError("文件扩展名是 .xlsx，但内容其实是 Word 文档，请把扩展名改为 .docx 再导入")
        raise PlanImportError("文件扩展名是 .xlsx，但它不是有效的 Excel 表格（可能已损坏或是别的压缩包）")
    if zk in ("docx", "xlsx"):
        return zk
    if zk in ("zip", "badzip"):
        raise PlanImportError("这是压缩包，不是分工方案文件；请解压后导入其中的 Word、Excel 或网页文件")
    if ext in _CSV_EXT:
        return "csv"
    if ext in _HTML_EXT:
        return "html"
    if ext in _TEXT_EXT:
        return "text"
    if data.startswith((b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"MZ", b"\x7fELF")):
        raise PlanImportError(f"不支持的文件类型（{ext}）：只能导入文字（.txt）、网页（.html）、Word（.docx）、"
                              "Excel（.xlsx）或 .csv 文件")
    if ext in (".xml", ".md", ".log"):
        return "text"
    raise PlanImportError(f"不支持的文件类型（{ext}）：只能导入文字（.txt）、网页（.html）、Word（.docx）、"
                          "Excel（.xlsx）或 .csv 文件")
