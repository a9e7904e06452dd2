"""In-memory text search over a plan's tasks and one office's notes.

Chinese queries are often one or two characters (舆情, 留言), which a trigram index cannot
answer, and a LIKE scan of the database takes ~200 ms at 100,000 tasks. Plain substring tests
over strings already in memory take ~15 ms at that scale, so the window searches here and
updates the index as it saves.
"""

from __future__ import annotations

from core.model import TEXT_FIELDS, Plan, Progress, Task

_SEP = "\x1f"  # cannot be typed, so a query never matches across two fields


def _task_text(task: Task) -> str:
    return task.text + _SEP + task.units.raw


def _notes_text(p: Progress | None) -> str:
    return "" if p is None else _SEP.join(getattr(p, f) for f in TEXT_FIELDS)


class TextIndex:
    """Task number → searchable text (requirement, unit cell, the office's notes)."""

    def __init__(self, plan: Plan, progress: dict[int, Progress]) -> None:
        self._task = {t.number: _task_text(t) for t in plan.tasks}
        self._notes = {n: _notes_text(progress.get(n)) for n in self._task}

    def update(self, entry: Progress) -> None:
        if entry.task in self._task:
            self._notes[entry.task] = _notes_text(entry)

    def search(self, query: str) -> set[int]:
        """Numbers of the tasks containing ``query``; an empty query matches every task."""
        query = query.strip()
        if not query:
            return set(self._task)
        notes = self._notes
        return {n for n, text in self._task.items() if query in text or query in notes[n]}
