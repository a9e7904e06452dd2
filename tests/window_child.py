"""A window-like process for the multi-process tests: one long-lived session that saves as the window does.

Usage: window_child.py DATA_DIR. Opens the data folder as the window opens it (start backup included),
prints "ready", then reads one JSON command per line on stdin and answers one JSON line after it is done:

- {"save": TASK, "field": F, "value": V, "base": {...}?}: the window's field save (``save_entry`` with
  the entry the editor started from, so only the changed field is written); answers the saved value.
- {"backup": true}: the 30-minute backup (``periodic_backup``) in this process, beside the open session.
- {"quit": true}: close and exit.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from actions import backups, editing
from actions.session import Session
from core.model import Progress

OFFICE = "悦城镇"


def main() -> None:
    session = Session.open(Path(sys.argv[1]))
    plan_id = session.current_plan_id()
    print(json.dumps({"ready": True, "pid": __import__("os").getpid()}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd.get("quit"):
            break
        if cmd.get("backup"):
            info = backups.periodic_backup(session.db_path)
            print(json.dumps({"backup": str(info.path) if info else None}), flush=True)
            continue
        task, field, value = cmd["save"], cmd["field"], cmd["value"]
        # The editor's base is the entry as it was shown when the task was opened (maybe long ago).
        base = session.store.progress(plan_id, OFFICE).get(task, Progress(task)) if cmd.get("fresh", True) \
            else Progress(task)
        entry = dataclasses.replace(base, **{field: value})
        saved = editing.save_entry(session, plan_id, OFFICE, entry, base=base)
        print(json.dumps({"saved": task, "field": field, "value": getattr(saved, field) if saved else None}),
              flush=True)
    session.close()


if __name__ == "__main__":
    main()
