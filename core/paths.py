"""Where the clerk's data lives.

Order: ``--data-dir``, then ``TAIZHANG_DATA_DIR``, then a ``portable.txt`` beside the frozen
executable (data next to the app, for a USB stick), then the platform's user data folder.

Portable mode (``portable.txt`` in the folder holding ``taizhang``/``taizhang.exe``): the data folder is
``<app folder>/data``, so the PC keeps no trace. Without it nothing is ever written inside the app folder.
Only a frozen build looks for the file: from source, ``sys.executable`` is the Python interpreter, whose
folder is not ours. Window settings always live in the data folder (``settings.ini``), whichever it is.
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


def user_data_dir() -> Path:
    """The platform's per-user data folder: %LOCALAPPDATA%\\Taizhang, ~/.local/share/taizhang, …

    Linux keeps the lower-case name earlier versions used, so existing data is found where it was.
    """
    import platformdirs

    name = APP_DIR_NAME.lower() if sys.platform.startswith("linux") else APP_DIR_NAME
    return Path(platformdirs.user_data_dir(name, appauthor=False, roaming=False))


def user_cache_dir() -> Path:
    """Where rebuildable files go (decompressed fonts): ``<app folder>/data/cache`` in portable mode, else the
    platform's per-user cache folder (%LOCALAPPDATA%\\Taizhang\\Cache, ~/.cache/taizhang, …)."""
    portable = portable_dir()
    if portable is not None:
        return portable / "cache"
    import platformdirs

    name = APP_DIR_NAME.lower() if sys.platform.startswith("linux") else APP_DIR_NAME
    return Path(platformdirs.user_cache_dir(name, appauthor=False))


def resolve_data_dir(cli_value: str | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get("TAIZHANG_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return portable_dir() or user_data_dir()
