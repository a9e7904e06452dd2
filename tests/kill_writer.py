"""Writer process for the kill -9 test: saves progress entries forever, acknowledging each commit.

Usage: kill_writer.py DATA_DIR ROUND SEED. One JSON line on stdout after every committed save.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.model import Progress, Status
from tests.stores import open_store

ALPHABET = "落实台账政务公开工作要点，。；abc 123\n\t😀‮"


def main() -> None:
    data_dir, round_no, seed = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    store = open_store(data_dir)
    plan_id = store.current_plan_id()
    seq = 0
    while True:
        size = rng.choice([10, 100, 1000, 8000])
        body = "".join(rng.choice(ALPHABET) for _ in range(size))
        entry = Progress(rng.randint(1, 68), rng.choice(list(Status)), rng.randint(0, 100),
                         owner=f"r{round_no}-{seq}", achievements=body, problems=f"第{round_no}轮")
        many = rng.random() < 0.2
        if many:  # sometimes a batch, all or nothing
            batch = [entry, Progress(69 - entry.task if entry.task != 34 else 1, owner=f"r{round_no}-{seq}b")]
            store.save_many(plan_id, "悦城镇", batch)
        else:
            batch = [entry]
            store.save_progress(plan_id, "悦城镇", entry)
        for e in batch:
            sys.stdout.write(json.dumps({"task": e.task, "status": e.status.value, "percent": e.percent,
                                         "owner": e.owner, "achievements": e.achievements,
                                         "problems": e.problems, "round": round_no, "seq": seq}) + "\n")
        sys.stdout.flush()
        seq += 1


if __name__ == "__main__":
    main()
