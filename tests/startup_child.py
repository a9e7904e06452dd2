"""Child for tests/test_startup.py: ``main.py`` starting the window offscreen, as a clerk's double-click does.

At the task table's first paint it prints one JSON line: the modules imported by then, the QtWidgets classes
PySide6 has loaded by then, the lazy regular expressions (``core.patterns``) compiled by then, the table's row
count, and the backups in the data folder at that moment. The window closes as soon as it is fully built.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    import main as entry
    from gui import main_window

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
                              "patterns_compiled": compiled}), flush=True)
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, window.close)
        finish(window)

    main_window.MainWindow.finish_building = first_paint
    return entry.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
