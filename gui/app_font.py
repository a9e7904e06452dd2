"""Registering the bundled fonts at start so Chinese renders without any system CJK font."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

from core.resources import resource_path

FONT_SUFFIXES = (".ttf", ".ttc", ".otf")
# Preferred families for the screen, best first; any other family with Chinese glyphs will do.
PREFERRED = ("WenQuanYi Micro Hei", "文泉驿微米黑")
PROBE = "落实台账"


def bundled_font_files(folder: Path | None = None) -> list[Path]:
    folder = folder or resource_path("fonts")
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES and p.is_file())


def register_bundled_fonts(folder: Path | None = None) -> list[str]:
    """Add every bundled font to the application; returns the families that cover Chinese."""
    cjk: list[str] = []
    for path in bundled_font_files(folder):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(family):
                cjk.append(family)
    return cjk


def pick_ui_family(cjk_families: list[str]) -> str | None:
    for name in PREFERRED:
        if name in cjk_families:
            return name
    return cjk_families[0] if cjk_families else None


def apply_app_font(app, point_size: float | None = None) -> str | None:
    """Register the bundled fonts and make a CJK one the application font; returns its family."""
    family = pick_ui_family(register_bundled_fonts())
    if family is None:
        return None
    font = QFont(app.font())
    font.setFamilies([family, *font.families()])
    if point_size:
        font.setPointSizeF(point_size)
    app.setFont(font)
    return family
