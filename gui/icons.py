"""Icons drawn from Font Awesome 6 glyphs (no image files, no network), one place for every name used.

The two fonts (regular ``fa6``, solid ``fa6s``) and their charmaps come from the qtawesome package's
``fonts`` folder, but qtawesome itself is not imported: through qtpy it loads QtOpenGL and wraps all of
QtGui/QtWidgets, ~0.17 s of the window's start-up, and its ``qta.icon`` hashes and loads twelve fonts. The
engine below draws a glyph the way qtawesome does (glyph at 7/8 of the icon height, centred).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QIconEngine, QPainter, QPixmap

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

# prefix -> the file names' style part and the QFont style name
FONT_PREFIXES = {"fa6": "regular", "fa6s": "solid"}
DISABLED_COLOR = "#b0b4ba"

_cache: dict[str, QIcon] = {}
_fonts: dict[str, tuple[QFont, dict[str, str]]] = {}


def fonts_dir() -> Path:
    """qtawesome's font folder: in the frozen build under ``_internal/qtawesome/fonts`` (build.spec)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "qtawesome" / "fonts"
    spec = importlib.util.find_spec("qtawesome")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("qtawesome (the icon fonts) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


def _font(prefix: str) -> tuple[QFont, dict[str, str]]:
    if prefix not in _fonts:
        style = FONT_PREFIXES[prefix]
        folder = fonts_dir()
        names = os.listdir(folder)  # not Path.glob: its pattern compiling is ~1 ms of the first paint
        stem = f"fontawesome6-{style}-webfont-"
        ttf = folder / sorted(n for n in names if n.startswith(stem) and n.endswith(".ttf"))[-1]
        charmap = folder / sorted(n for n in names if n.startswith(stem + "charmap-") and n.endswith(".json"))[-1]
        font_id = QFontDatabase.addApplicationFont(str(ttf))
        families = QFontDatabase.applicationFontFamilies(font_id)
        if not families:
            raise RuntimeError(f"icon font not loaded: {ttf}")
        font = QFont(families[0])
        font.setStyleName(style.capitalize())
        codes = json.loads(charmap.read_text(encoding="utf-8"))
        _fonts[prefix] = (font, {name: chr(int(code, 16)) for name, code in codes.items()})
    return _fonts[prefix]


class GlyphIconEngine(QIconEngine):
    """One glyph in one colour (grey when disabled), drawn at any size."""

    def __init__(self, font: QFont, char: str, color: str) -> None:
        super().__init__()
        self.font, self.char, self.color = font, char, color

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        font = QFont(self.font)
        font.setPixelSize(max(1, round(0.875 * rect.height())))
        painter.save()
        painter.setFont(font)
        painter.setPen(QColor(DISABLED_COLOR if mode == QIcon.Mode.Disabled else self.color))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.char)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return GlyphIconEngine(self.font, self.char, self.color)


def glyph_icon(name: str, color: str) -> QIcon:
    """``"fa6s.print"`` in ``color``."""
    prefix, glyph = name.split(".", 1)
    font, charmap = _font(prefix)
    return QIcon(GlyphIconEngine(font, charmap[glyph], color))


def status_icon(status: Status) -> QIcon:
    name, color = STATUS_ICONS[status]
    key = f"status:{status.value}"
    if key not in _cache:
        _cache[key] = glyph_icon(name, color)
    return _cache[key]


UNFILLED_ICON = ("fa6.circle-question", "#a0a5ad")  # 未填写: no saved entry (not a status)


def unfilled_icon() -> QIcon:
    if "unfilled" not in _cache:
        _cache["unfilled"] = glyph_icon(*UNFILLED_ICON)
    return _cache["unfilled"]


def state_icon(progress) -> QIcon:
    """The status's icon, or 未填写's for no saved entry."""
    return unfilled_icon() if progress is None else status_icon(progress.status)


def icon(key: str) -> QIcon:
    if key not in _cache:
        _cache[key] = glyph_icon(ACTION_ICONS[key], "#3a3f47")
    return _cache[key]
