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
            names.add(node.module)  # "from core import assign" may import the module core.assign: count it
            names |= {f"{node.module}.{a.name}" for a in node.names}
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


def banned_imports(path: Path, banned: tuple[str, ...]) -> set[str]:
    """The modules ``path`` imports that are, or lie under, a banned name (``db`` bans ``db.store`` too;
    ``core.assign`` bans ``core.assign`` and its submodules, not ``core.assignments``)."""
    assert banned, "a rule that bans nothing checks nothing"
    return {m for m in imported_modules(path) if any(m == b or m.startswith(b + ".") for b in banned)}


def _offenders(folders: tuple[str, ...], banned: tuple[str, ...]) -> dict[str, str]:
    files = [f for folder in folders for f in ROOT.glob(f"{folder}/**/*.py")]
    assert files, folders
    return {str(f.relative_to(ROOT)): m for f in files for m in banned_imports(f, banned)}


def test_the_rules_catch_what_they_ban(tmp_path):
    """The checker itself: dotted and plain imports of a banned module are caught, look-alikes are not."""
    sample = tmp_path / "main.py"
    sample.write_text("import db.store\nfrom db.backup import take_backup\nimport sqlite3 as s\n"
                      "from core import assign\nimport dbus\nfrom core.assignments import x\n", encoding="utf-8")
    assert banned_imports(sample, ("db", "sqlite3")) == {"db.store", "db.backup", "db.backup.take_backup", "sqlite3"}
    assert banned_imports(sample, ("core.assign",)) == {"core.assign"}
    assert banned_imports(sample, ("core.assignment",)) == set()


def test_front_ends_reach_storage_only_through_the_actions():
    """cli/ and gui/ call the application layer; neither imports db/ or sqlite3, so they cannot disagree."""
    assert _offenders(("cli", "gui"), ("db", "sqlite3")) == {}
    assert banned_imports(ROOT / "main.py", ("db", "sqlite3")) == set()


def test_actions_are_qt_free_and_below_the_front_ends():
    assert _offenders(("actions",), (*QT_MODULES, "gui", "cli")) == {}


def test_storage_knows_nothing_above_it():
    """db/ holds storage only: no parsing of notices, no roles, nothing from the layers above."""
    assert _offenders(("db",), ("actions", "cli", "gui", "main", *QT_MODULES)) == {}
    assert _offenders(("db",), ("core.notice_parser", "core.assign", "core.importers")) == {}


def test_core_does_not_import_the_application_layer():
    assert _offenders(("core",), ("actions",)) == {}
