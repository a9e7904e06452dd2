"""What a report is made with, besides the office's data: date, annex, fonts, how the office names itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from core.model import OfficeKind


@dataclass(frozen=True)
class ReportOptions:
    office: str
    report_date: date
    include_ledger: bool = True
    font_choice: str = "auto"  # "auto" | "bundled"
    font_dirs: tuple[Path, ...] | None = None  # replaces the system font folders for "auto"
    #: 镇/街道 or department; ``None`` guesses from the name (core.offices.guess_kind).
    office_kind: OfficeKind | None = None
    #: The PDF's creation date. ``None`` means the report date at 09:00 China time, so the same input
    #: always gives the same bytes (the archive compares hashes); pass ``datetime.now()`` for the clock.
    created: datetime | None = None
