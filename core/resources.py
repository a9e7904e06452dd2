"""Finding files that ship with the app, the same way from source and from a PyInstaller build."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_root() -> Path:
    """The ``resources/`` folder: beside the code from source, under ``sys._MEIPASS`` when frozen."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a file under ``resources/``, e.g. ``resource_path("fonts", "gbsn00lp.ttf")``."""
    return resource_root().joinpath(*parts)


BUILTIN_PLAN = ("plans", "deqing-2019-notice.txt")
