"""The importer's score on real published plans from other provinces and levels (tests/plan_corpus.py).

SCORE is the recorded result; when the importer gets better, run ``python -m tests.plan_corpus``, check the
table and record the new figures here (and in README.md).
"""

from __future__ import annotations

import json
import re

from tests import plan_corpus
from tests.plan_corpus import CORPUS

# metric → (hits, total). Recorded before the importer work of issue 19.
SCORE = {
    "counts": (18, 21),
    "found": (64, 78),
    "units": (49, 66),
    "due": (2, 2),
    "sections": (61, 68),
    "roles": (16, 21),
}


def test_corpus_score_is_the_recorded_one():
    assert plan_corpus.score() == SCORE


def test_every_fixture_has_its_source_and_a_truth_entry():
    truth = plan_corpus.load_truth()
    files = {p.name for p in CORPUS.glob("*.txt")}
    assert files == {p["file"] for p in truth}
    assert len(files) >= 20
    for name in files:
        first, second = (CORPUS / name).read_text(encoding="utf-8").splitlines()[:2]
        assert re.fullmatch(r"来源：https?://\S+", first), name
        assert second.startswith("（") and second.endswith("）"), name


def test_truth_covers_provinces_levels_and_samples():
    truth = plan_corpus.load_truth()
    assert len({p["province"] for p in truth}) >= 8
    assert {"county", "district", "prefecture", "department"} <= {p["level"] for p in truth}
    for plan in truth:
        assert len(plan["tasks"]) <= plan["task_count"], plan["file"]
        assert plan["probe"]["kind"] in ("town", "department"), plan["file"]
        for task in plan["tasks"]:
            assert (task["due"] is None) == (not task["due_text"]), plan["file"]


def test_truth_file_is_plain_json():
    doc = json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))
    assert set(doc) == {"about", "plans"}


def test_role_probe_counts_category_phrases():
    """The probe asks core.assign: an office named nowhere is reached only through a phrase it understands."""
    plan = plan_corpus.import_fixture("shanghai_baoshan_2008_gzmb.txt")
    assert plan is not None and len(plan.tasks) == 1
    assert plan_corpus.office_task_count(plan, "发改委", "department") == 1
    assert plan_corpus.office_task_count(plan, "罗店镇", "town") == 0


def test_truth_quotes_the_fixtures():
    """Snippets, sections and due words are the plan's own; a unit is printed, or printed after a shared 省/各."""
    for plan in plan_corpus.load_truth():
        text = plan_corpus.norm((CORPUS / plan["file"]).read_text(encoding="utf-8"))
        for task in plan["tasks"]:
            for quoted in (task["text"], task["section"], task["due_text"]):
                assert plan_corpus.norm(quoted) in text, (plan["file"], quoted)
            for unit in task["lead"] + task["responsible"] + task["cooperating"]:
                name = plan_corpus.norm(unit)
                assert name in text or name[1:] in text, (plan["file"], unit)
