"""Where the clerk's data lives.

Order: ``--data-dir``, then ``TAIZHANG_DATA_DIR``, then a ``portable.txt`` beside the frozen
executable (data next to the app, for a USB stick), then the platform's user data folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "Taizhang"
DB_FILE = "taizhang.sqlite3"


def portable_dir() -> Path | None:
    if not getattr(sys, "frozen", False):
        return None
    app_dir = Path(sys.executable).resolve().parent
    return app_dir / "data" if (app_dir / "portable.txt").exists() else None


def user_data_dir() -> Path:
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP_DIR_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_DIR_NAME
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR_NAME.lower()


def resolve_data_dir(cli_value: str | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get("TAIZHANG_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return portable_dir() or user_data_dir()
