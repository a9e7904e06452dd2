"""core/ and db/ never import Qt; gui/ is the only place that may."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT_MODULES = ("PySide6", "qtawesome", "shiboken6", "PyQt5", "PyQt6")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_and_db_import_no_qt():
    files = [*ROOT.glob("core/**/*.py"), *ROOT.glob("db/**/*.py")]
    assert len(files) >= 8
    offenders = {str(f.relative_to(ROOT)): m for f in files for m in imported_modules(f)
                 if m.split(".")[0] in QT_MODULES}
    assert offenders == {}


def test_core_does_not_import_gui_or_db():
    files = list(ROOT.glob("core/**/*.py"))
    offenders = {str(f.relative_to(ROOT)): m for f in files for m in imported_modules(f)
                 if m.split(".")[0] in ("gui", "db", "cli")}
    assert offenders == {}


def _offenders(folders: tuple[str, ...], banned: tuple[str, ...]) -> dict[str, str]:
    files = [f for folder in folders for f in ROOT.glob(f"{folder}/**/*.py")]
    assert files, folders
    return {str(f.relative_to(ROOT)): m for f in files for m in imported_modules(f) if m.split(".")[0] in banned}


def test_front_ends_reach_storage_only_through_the_actions():
    """cli/ and gui/ call the application layer; neither imports db/ or sqlite3, so they cannot disagree."""
    assert _offenders(("cli", "gui"), ("db", "sqlite3")) == {}
    assert imported_modules(ROOT / "main.py").isdisjoint({"db", "sqlite3"})


def test_actions_are_qt_free_and_below_the_front_ends():
    assert _offenders(("actions",), (*QT_MODULES, "gui", "cli")) == {}


def test_storage_knows_nothing_above_it():
    """db/ holds storage only: no parsing of notices, no roles, nothing from the layers above."""
    assert _offenders(("db",), ("actions", "cli", "gui", *QT_MODULES)) == {}
    assert _offenders(("db",), ()) == {}
    db_imports = {m for f in ROOT.glob("db/**/*.py") for m in imported_modules(f)}
    assert "core.notice_parser" not in db_imports and "core.assign" not in db_imports


def test_core_does_not_import_the_application_layer():
    assert _offenders(("core",), ("actions",)) == {}
