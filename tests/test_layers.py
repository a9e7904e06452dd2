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
