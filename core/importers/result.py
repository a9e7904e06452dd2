"""What every importer returns, and the one error it raises."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.model import Plan

if TYPE_CHECKING:
    from core.importers.columns import ColumnMapping


MAX_TASKS = 5000  # a county plan has tens of tasks; the same figure as the Excel row limit
MAX_LINES = 20_000  # lines of text read as a notice (the 2019 notice with its page chrome has ~400)


def too_many_tasks(count: int) -> PlanImportError:
    return PlanImportError(f"文件中读出 {count:,} 条任务，超过 {MAX_TASKS:,} 条的上限，不像是一份分工方案，未导入")


class PlanImportError(ValueError):
    """The file cannot be read as a plan; the message is plain Chinese for the clerk."""


@dataclass
class ImportResult:
    plan: Plan
    warnings: list[str] = field(default_factory=list)
    source_kind: str = ""  # text, html, docx, xlsx, csv
    columns: ColumnMapping | None = None  # the table's column uses (detected or given); None for text
