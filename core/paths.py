"""Where the clerk's data lives.

Order: ``--data-dir``, then ``TAIZHANG_DATA_DIR``, then a ``portable.txt`` beside the frozen
executable (data next to the app, for a USB stick), then the platform's user data folder.

Portable mode (``portable.txt`` in the folder holding ``taizhang``/``taizhang.exe``): the data folder is
``<app folder>/data`` and the window settings go there too (``settings.ini``), so the PC keeps no trace.
Without it nothing is ever written inside the app folder. Only a frozen build looks for the file: from
source, ``sys.executable`` is the Python interpreter, whose folder is not ours.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "Taizhang"
DB_FILE = "taizhang.sqlite3"
PORTABLE_MARKER = "portable.txt"
SETTINGS_FILE = "settings.ini"


def app_dir() -> Path | None:
    """The folder holding the frozen executable; None when running from source."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(sys.executable).resolve().parent


def portable_dir() -> Path | None:
    """``<app folder>/data`` when ``portable.txt`` sits beside the frozen executable, else None."""
    folder = app_dir()
    if folder is None or not (folder / PORTABLE_MARKER).is_file():
        return None
    return folder / "data"


def portable_settings_file() -> Path | None:
    """Where window settings go in portable mode (None: the platform's usual place)."""
    data = portable_dir()
    return data / SETTINGS_FILE if data is not None else None


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
