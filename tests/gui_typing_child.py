"""Child process for the kill test: the main window offscreen on a data folder, typing into 成效做法.

Usage: python tests/gui_typing_child.py DATA_DIR. Prints ``ready`` once typing starts, then types
TEXT in bursts (BURST characters, then a pause longer than the autosave delay) until killed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEXT = "".join(f"第{i}条：落实政务公开要求，办结网民给市长留言事项。" for i in range(1, 300))
BURST = 25
KEY_MS = 15
PAUSE_MS = 1200
TASK = 12


def main(data_dir: str) -> int:
    from PySide6.QtCore import QTimer

    from actions.session import Session
    from gui.app import make_app
    from gui.main_window import MainWindow
    from tests.gui_typing import type_text

    app = make_app([sys.argv[0]])
    session = Session.open(Path(data_dir))
    session.set_setting("office", "悦城镇")
    window = MainWindow(session, session.office("悦城镇"))
    window.show()
    window.jump_to_task(TASK)
    editor = window.detail.notes["achievements"]
    editor.setFocus()
    state = {"pos": 0}
    timer = QTimer()

    def tick() -> None:
        pos = state["pos"]
        if pos >= len(TEXT):
            return
        type_text(editor, TEXT[pos])
        state["pos"] = pos + 1
        timer.start(PAUSE_MS if state["pos"] % BURST == 0 else KEY_MS)

    timer.setSingleShot(True)
    timer.timeout.connect(tick)
    timer.start(KEY_MS)
    print("ready", flush=True)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
