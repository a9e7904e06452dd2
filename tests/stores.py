"""Opening a data folder in tests the way the app does: through ``actions.Session`` (which seeds the 2019 plan)."""

from __future__ import annotations

from pathlib import Path

from actions.session import Session
from db.store import Store


def open_store(data_dir: Path, *, auto_backup: bool = True) -> Store:
    """The seeded store of a data folder; close it with ``store.close()``."""
    return Session.open(Path(data_dir), auto_backup=auto_backup).store
