"""A scroll area's viewport made in Python, so that reaching it does not load all of QtWidgets (issue 22).

The first time PySide6 wraps a widget that C++ created, such as the viewport ``QAbstractScrollArea`` makes
itself, it finds the object's most derived class by loading every class of QtWidgets with all their enums:
~17 ms of the window's cold start, for ``table.viewport()``. A viewport made here has its Python wrapper from
the start, so nothing is searched. It is set up as Qt sets up its own (name, base colour, filled
background); tests/test_startup.py checks that it looks and behaves the same.
"""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QWidget


def own_viewport(area: QAbstractScrollArea) -> QWidget:
    """Give ``area`` a viewport of our own, like the one Qt made; returns it."""
    viewport = QWidget(area)
    viewport.setObjectName("qt_scrollarea_viewport")
    viewport.setBackgroundRole(QPalette.ColorRole.Base)
    viewport.setAutoFillBackground(True)
    area.setViewport(viewport)
    return viewport
