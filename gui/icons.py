"""Icons from qtawesome's bundled icon fonts (no files, no network), one place for every name used.

Only the two Font Awesome 6 fonts the names below use are loaded (``qta.icon`` would hash and load all
twelve of qtawesome's fonts on first use: ~60 ms at start), and build.spec ships only those two.
"""

from __future__ import annotations

import qtawesome as qta
from PySide6.QtGui import QIcon

from core.model import Status

STATUS_ICONS = {
    Status.NOT_STARTED: ("fa6.circle", "#8a8f98"),
    Status.IN_PROGRESS: ("fa6s.circle-half-stroke", "#1f6fd1"),
    Status.DONE: ("fa6s.circle-check", "#1e8a3c"),
    Status.ONGOING: ("fa6s.arrows-rotate", "#0f8a8a"),
    Status.NOT_APPLICABLE: ("fa6s.ban", "#9a9a9a"),
}

ACTION_ICONS = {
    "search": "fa6s.magnifying-glass",
    "save": "fa6s.floppy-disk",
    "print": "fa6s.print",
    "office": "fa6s.building",
    "history": "fa6s.clock-rotate-left",
    "warning": "fa6s.triangle-exclamation",
    "next": "fa6s.arrow-right",
    "gaps": "fa6s.list-check",
    "calendar": "fa6s.calendar-days",
    "restore": "fa6s.rotate-left",
    "quit": "fa6s.door-open",
    "overdue": "fa6s.hourglass-half",
}

FONT_PREFIXES = ("fa6", "fa6s")

_cache: dict[str, QIcon] = {}
_fonts: list[qta.IconicFont] = []


def _iconic() -> qta.IconicFont:
    if not _fonts:
        _fonts.append(qta.IconicFont(*(f for f in qta._BUNDLED_FONTS if f[0] in FONT_PREFIXES)))
    return _fonts[0]


def status_icon(status: Status) -> QIcon:
    name, color = STATUS_ICONS[status]
    key = f"status:{status.value}"
    if key not in _cache:
        _cache[key] = _iconic().icon(name, color=color)
    return _cache[key]


def icon(key: str) -> QIcon:
    if key not in _cache:
        _cache[key] = _iconic().icon(ACTION_ICONS[key], color="#3a3f47")
    return _cache[key]
