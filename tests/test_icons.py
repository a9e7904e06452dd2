"""Icons come only from the two Font Awesome 6 fonts the build ships (build.spec drops qtawesome's others),
without importing qtawesome (its import cost ~0.17 s of start-up)."""

from __future__ import annotations

import sys

from core.model import Status
from gui import icons


def _has_ink(icon) -> bool:
    image = icon.pixmap(16, 16).toImage()
    return any(image.pixelColor(x, y).alpha() for x in range(16) for y in range(16))


def test_every_icon_draws_from_the_shipped_fonts(qapp):
    for key in icons.ACTION_ICONS:
        assert _has_ink(icons.icon(key)), key
    for status in Status:
        assert _has_ink(icons.status_icon(status)), status
    names = [n for n, _c in icons.STATUS_ICONS.values()] + list(icons.ACTION_ICONS.values())
    assert {n.split(".", 1)[0] for n in names} <= set(icons.FONT_PREFIXES)
    assert set(icons._fonts) == set(icons.FONT_PREFIXES)
    assert "qtawesome" not in sys.modules and "qtpy" not in sys.modules


def test_disabled_icons_are_grey(qapp):
    from PySide6.QtGui import QIcon

    image = icons.status_icon(Status.DONE).pixmap(32, 32, QIcon.Mode.Disabled).toImage()
    inked = [image.pixelColor(x, y) for x in range(32) for y in range(32) if image.pixelColor(x, y).alpha() > 200]
    assert inked and all(abs(c.red() - c.green()) < 12 for c in inked)
