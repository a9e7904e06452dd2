"""Old Word and WPS documents (.doc, .wps) converted to .docx by LibreOffice where it is installed.

Offline and local: ``soffice --headless --convert-to docx`` in a temporary folder. Without LibreOffice the
clerk is told to save the file as .docx in WPS or Word (what every office PC has).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from core.importers.detect import SAVE_AS_DOCX
from core.importers.result import PlanImportError

TIMEOUT = 120  # seconds; a first LibreOffice start can be slow


def office_converter() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(data: bytes, name: str) -> bytes:
    """The document as .docx bytes; PlanImportError with the plain advice when it cannot be converted."""
    soffice = office_converter()
    kind = "WPS 文字文件（.wps）" if name.lower().endswith(".wps") else "旧版 Word 文件（.doc）"
    if soffice is None:
        raise PlanImportError(f"这是{kind}。{SAVE_AS_DOCX}")
    with tempfile.TemporaryDirectory(prefix="taizhang-convert-") as tmp:
        src = Path(tmp) / ("plan" + Path(name).suffix.lower())
        src.write_bytes(data)
        try:
            subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", "docx", "--outdir", tmp, str(src)],
                           capture_output=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.SubprocessError):
            raise PlanImportError(f"这是{kind}，用 LibreOffice 转换失败。{SAVE_AS_DOCX}") from None
        out = src.with_suffix(".docx")
        if not out.is_file():
            raise PlanImportError(f"这是{kind}，用 LibreOffice 转换失败。{SAVE_AS_DOCX}")
        return out.read_bytes()
