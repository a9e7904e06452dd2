"""Autosave for the entry being edited: to SQLite within a second of the last keystroke.

Each save is one small transaction through ``actions.editing.save_entry`` (a few milliseconds), done on
the UI thread so nothing typed can be lost between threads. A save happens:

- AUTOSAVE_DELAY_MS after the last edit (single-shot timer restarted on every edit);
- MAX_UNSAVED_MS after the first unsaved edit, even if the clerk never pauses;
- immediately on ``flush()``: field change (focus out), task switch, Ctrl+S, window close.

Nothing is saved when the action refuses the entry (a text field over ``MAX_FIELD_CHARS``, the same
limit every import enforces): the text stays in the editor, the entry stays "unsaved", and ``failed``
explains why.
A ``StorageError`` (disk full, read-only, locked) also keeps the entry unsaved; the next edit or
flush tries again.

Signals:
    saved(object): the saved ``Progress`` (with its new ``updated_at``).
    failed(str): a plain message for the clerk (storage error or refused field).
    dirty_changed(bool): whether there are edits not yet in the database.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from actions import editing
from actions.errors import ActionError, StorageError
from actions.session import Session
from core.model import Progress

AUTOSAVE_DELAY_MS = 1000
MAX_UNSAVED_MS = 3000  # while typing without a pause, still save at least this often



class Autosaver(QObject):
    saved = Signal(object)
    failed = Signal(str)
    dirty_changed = Signal(bool)

    def __init__(self, session: Session, plan_id: int, office: str, collect: Callable[[], Progress | None],
                 parent: QObject | None = None, base: Callable[[], Progress | None] | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.plan_id = plan_id
        self.office = office
        self.collect = collect
        self.base = base  # the entry the editor started from: only the fields changed since are written
        self.dirty = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_DELAY_MS)
        self.timer.timeout.connect(self.flush)
        self.max_timer = QTimer(self)
        self.max_timer.setSingleShot(True)
        self.max_timer.setInterval(MAX_UNSAVED_MS)
        self.max_timer.timeout.connect(self.flush)

    def edited(self) -> None:
        """Call on every edit: marks the entry unsaved and restarts the timer."""
        self._set_dirty(True)
        self.timer.start()
        if not self.max_timer.isActive():
            self.max_timer.start()

    def flush(self) -> bool:
        """Save now if anything changed; True when the database holds what the editor shows."""
        self.timer.stop()
        self.max_timer.stop()
        if not self.dirty:
            return True
        entry = self.collect()
        if entry is None:
            self._set_dirty(False)
            return True
        try:
            base = self.base() if self.base is not None else None
            result = editing.save_entry(self.session, self.plan_id, self.office, entry, base=base)
        except (ActionError, StorageError) as exc:
            self.failed.emit(exc.message + self.tr("已输入的内容仍在窗口中。"))
            return False
        self._set_dirty(False)
        if result is not None:
            self.saved.emit(result)
        return True

    def discard(self) -> None:
        """Forget pending edits (used only after they were flushed or deliberately dropped)."""
        self.timer.stop()
        self.max_timer.stop()
        self._set_dirty(False)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self.dirty:
            self.dirty = dirty
            self.dirty_changed.emit(dirty)
