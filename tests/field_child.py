"""One of several processes changing one field of the same task at once (the lost-update test).

Usage: field_child.py DATA_DIR TASK FIELD COUNT MODE [step]. MODE "cli" saves as ``progress set`` does
(``save_field``); MODE "window" saves as the window's autosaver does (``save_entry`` with the entry the
editor started from, loaded once at the start and never refreshed). Waits for a line on stdin so all
start together, then writes COUNT values ``FIELD-0`` … and prints one line per acknowledged save. With
``step`` it waits for a line on stdin before every save (the test interleaves the processes itself).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actions import editing
from actions.session import Session
from core.model import Progress

OFFICE = "悦城镇"


def main() -> None:
    data_dir, task, field, count, mode = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
    session = Session.open(data_dir, auto_backup=False)
    plan_id = session.current_plan_id()
    shown = session.store.progress(plan_id, OFFICE).get(task, Progress(task))  # the editor, as opened
    step = sys.argv[6:] == ["step"]
    sys.stdin.readline()
    for i in range(count):
        if step and i:
            sys.stdin.readline()
        value = f"{field}-{i}"
        if mode == "cli":
            editing.save_field(session, plan_id, OFFICE, task, field, value)
        else:
            edited = dataclasses.replace(shown, **{field: value})
            editing.save_entry(session, plan_id, OFFICE, edited, base=shown)
            shown = edited  # what the editor shows becomes the base, as DetailPane.saved does
        print(value, flush=True)
    session.close()


if __name__ == "__main__":
    main()
