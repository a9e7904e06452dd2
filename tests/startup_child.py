"""Child for tests/test_startup.py: ``main.py`` starting the window offscreen, as a clerk's double-click does.

At the task table's first paint it prints one JSON line: the modules imported by then, the QtWidgets classes
PySide6 has loaded by then, the lazy regular expressions (``core.patterns``) compiled by then, the table's row
count, the backups in the data folder at that moment, and where the open-time check ran. The window closes as
soon as it is fully built. The modules load in the order of a real start (patched as they are imported).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


#: Where the open-time check ran, and whether QtWidgets had been imported when it began.
checks: list[dict] = []


def patch_window(main_window) -> None:
    finish = main_window.MainWindow.finish_building

    def first_paint(window) -> None:
        if not window.is_built():  # called right after the table's first paint
            backups = sorted(p.name for p in (window.session.data_dir / "backups").glob("*.sqlite3"))
            from PySide6 import QtWidgets

            from core.patterns import LazyPattern

            compiled = sorted(f"{module.__name__}.{name}" for module in list(sys.modules.values())
                              if (module.__name__ or "").startswith("core.")
                              for name, value in vars(module).items()
                              if isinstance(value, LazyPattern) and "match" in vars(value))
            print(json.dumps({"modules": sorted(sys.modules), "rows": window.model.rowCount(),
                              "backups": backups, "qt_widgets": sorted(vars(QtWidgets)),
                              "patterns_compiled": compiled, "checks": checks}), flush=True)
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, window.close)
        finish(window)

    main_window.MainWindow.finish_building = first_paint


def patch_session(session) -> None:
    import threading

    prepare = session.Session.prepare.__func__

    def recorded(cls, data_dir, **kwargs):
        checks.append({"thread": threading.current_thread().name, "qt_widgets": "PySide6.QtWidgets" in sys.modules})
        return prepare(cls, data_dir, **kwargs)

    session.Session.prepare = classmethod(recorded)


class PatchOnImport:
    """Patches a module as the start imports it: the modules load in the order of a real start."""

    def find_spec(self, name, path=None, target=None):
        patch = {"gui.main_window": patch_window, "actions.session": patch_session}.get(name)
        if patch is None:
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(name, path)
        run = spec.loader.exec_module

        def exec_module(module) -> None:
            run(module)
            patch(module)

        spec.loader.exec_module = exec_module
        return spec


def main() -> int:
    sys.meta_path.insert(0, PatchOnImport())
    import main as entry

    return entry.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
