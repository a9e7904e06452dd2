"""Score the plan importer on the corpus of real published plans (tests/fixtures/plans/real/).

Each fixture goes through ``actions.plans.read_plan`` — the function ``plan import --dry-run`` uses — and
is compared with ``truth.json``, written by reading the plans by hand:

- counts:   plans whose task count is exactly the truth's (a refused file counts as 0 tasks);
- found:    sampled tasks the import produced at all (matched by a text snippet);
- units:    sampled tasks whose lead set and responsible set both equal the truth's, after normalisation;
- due:      sampled tasks with a deadline whose due words and ISO date both match;
- sections: sampled tasks filed under the right section title;
- roles:    plans where the probe office (reached only through a category phrase) gets the right number
            of tasks, in any role.

Each score is (hits, total). ``python -m tests.plan_corpus`` prints the table.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from actions.errors import ActionError
from actions.plans import read_plan
from core.assign import role_for
from core.model import Office, OfficeKind, Plan, Role, Task

CORPUS = Path(__file__).parent / "fixtures" / "plans" / "real"
TRUTH = CORPUS / "truth.json"
METRICS = ("counts", "found", "units", "due", "sections", "roles")

_STRIP = re.compile(r"[\s★]+")
_EDGE = "。.;;,,:: "
_LEAD_NUMBER = re.compile(r"^[(（]?[一二三四五六七八九十\d]+[)）、.．]?")


def norm(text: str) -> str:
    """The form two spellings of a name or title are compared in: NFKC, no spaces or ★, no edge punctuation."""
    return _STRIP.sub("", unicodedata.normalize("NFKC", text)).strip(_EDGE)


def norm_title(text: str) -> str:
    """A section title without its printed number (一、 / (一))."""
    return _LEAD_NUMBER.sub("", norm(text)).strip(_EDGE)


def load_truth() -> list[dict]:
    return json.loads(TRUTH.read_text(encoding="utf-8"))["plans"]


def import_fixture(name: str) -> Plan | None:
    """The plan the app reads from a fixture, or None when it refuses the file."""
    try:
        return read_plan(CORPUS / name).plan
    except ActionError:
        return None


def office_task_count(plan: Plan, office_name: str, kind: str) -> int:
    """How many tasks of the plan the office gets in any role.

    Kept in one place: when the importer reports ``office_role`` per task, only this changes.
    """
    office = Office(office_name, OfficeKind(kind), builtin=False)
    return sum(1 for task in plan.tasks if role_for(task, office) is not Role.NONE)


def printed_number(text: str) -> int | None:
    digits = "一二三四五六七八九"
    core = text.strip("()（）、. ")
    if core.isdigit():
        return int(core)
    if core in digits:
        return digits.index(core) + 1
    return None


def find_task(plan: Plan, truth_task: dict, taken: set[int]) -> Task | None:
    """The imported task the truth's sampled task is, by its text snippet (number breaks ties).

    ``taken`` holds the positions already matched to other sampled tasks: one imported task that swallowed
    several real ones is found once, not for each of them.
    """
    snippet = norm(truth_task["text"])
    hits = [t for i, t in enumerate(plan.tasks) if i not in taken and snippet in norm(t.text)]
    wanted = printed_number(truth_task["number"])
    for task in hits:
        if task.number == wanted:
            return task
    return hits[0] if hits else None


def _names(names) -> set[str]:
    return {norm(n) for n in names if norm(n)}


def _section_title(plan: Plan, task: Task) -> str:
    if 0 <= task.section < len(plan.sections):
        return plan.sections[task.section].title
    return ""


@dataclass
class PlanScore:
    file: str
    tasks: int  # imported, 0 when refused
    expected: int
    refused: bool
    hits: dict[str, tuple[int, int]] = field(default_factory=dict)


def score_plan(truth: dict) -> PlanScore:
    plan = import_fixture(truth["file"])
    got = len(plan.tasks) if plan else 0
    result = PlanScore(truth["file"], got, truth["task_count"], plan is None)
    tally = {m: [0, 0] for m in METRICS}

    def mark(metric: str, ok: bool) -> None:
        tally[metric][0] += int(ok)
        tally[metric][1] += 1

    mark("counts", got == truth["task_count"])
    taken: set[int] = set()
    for want in truth["tasks"]:
        task = find_task(plan, want, taken) if plan else None
        if task is not None and plan is not None:
            taken.add(plan.tasks.index(task))
        mark("found", task is not None)
        skip = set(want.get("skip", ()))
        if "units" not in skip:
            mark("units", task is not None
                 and _names(task.units.lead) == _names(want["lead"])
                 and _names(task.units.responsible) == _names(want["responsible"]))
        if want["due_text"]:
            mark("due", task is not None and norm(task.due_text) == norm(want["due_text"])
                 and (task.due.isoformat() if task.due else None) == want["due"])
        if want["section"]:
            mark("sections", task is not None and plan is not None
                 and norm_title(_section_title(plan, task)) == norm_title(want["section"]))
    probe = truth["probe"]
    got_roles = office_task_count(plan, probe["office"], probe["kind"]) if plan else 0
    mark("roles", got_roles == probe["tasks"])
    result.hits = {m: (a, b) for m, (a, b) in tally.items()}
    return result


def score_all() -> list[PlanScore]:
    return [score_plan(t) for t in load_truth()]


def totals(scores: list[PlanScore]) -> dict[str, tuple[int, int]]:
    out = {}
    for metric in METRICS:
        out[metric] = (sum(s.hits[metric][0] for s in scores), sum(s.hits[metric][1] for s in scores))
    return out


def score() -> dict[str, tuple[int, int]]:
    """The corpus score: metric → (hits, total)."""
    return totals(score_all())


def _cell(pair: tuple[int, int]) -> str:
    return f"{pair[0]}/{pair[1]}" if pair[1] else "-"


def table(scores: list[PlanScore]) -> str:
    head = ["file", "tasks", *METRICS[1:]]
    rows = [head]
    for s in scores:
        tasks = f"{'refused' if s.refused else s.tasks}/{s.expected}"
        rows.append([s.file, tasks] + [_cell(s.hits[m]) for m in METRICS[1:]])
    total = totals(scores)
    rows.append(["TOTAL", f"counts {_cell(total['counts'])}"] + [_cell(total[m]) for m in METRICS[1:]])
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows)


def main() -> int:
    print(table(score_all()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
