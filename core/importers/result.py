"""What every importer returns, and the one error it raises."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.model import Plan


class PlanImportError(ValueError):
    """The file cannot be read as a plan; the message is plain Chinese for the clerk."""


@dataclass
class ImportResult:
    plan: Plan
    warnings: list[str] = field(default_factory=list)
    source_kind: str = ""  # text, html, docx, xlsx, csv
