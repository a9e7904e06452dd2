"""Writing the finished report safely, and its fingerprint."""

from __future__ import annotations

import hashlib

from core.atomic import WriteError as ReportWriteError
from core.atomic import write_atomic as write_pdf_atomic

__all__ = ["ReportWriteError", "content_hash", "write_pdf_atomic"]


def content_hash(data: bytes) -> str:
    """SHA-256 of the report's bytes, as hex."""
    return hashlib.sha256(data).hexdigest()
