"""The in-memory search agrees with the database search on the real plan."""

from __future__ import annotations

from core.model import Progress, Status
from core.search import TextIndex


def test_two_character_queries(plan):
    index = TextIndex(plan, {})
    assert index.search("舆情") == {6, 7, 8, 9, 10, 11, 12}
    assert index.search("留言") == {12, 14, 47, 57}
    assert index.search("市长留言") == {12}
    assert index.search("县教育局") == {8, 34, 35}  # unit cells are searched too
    assert len(index.search("  ")) == 68


def test_notes_follow_updates(plan):
    index = TextIndex(plan, {3: Progress(3, achievements="组织了一次专题培训")})
    assert index.search("专题培训") == {3}
    index.update(Progress(3, Status.DONE, 100, achievements="已完成"))
    assert index.search("专题培训") == set()
    index.update(Progress(20, next_steps="继续开展专题培训"))
    assert index.search("专题培训") == {20}


def test_over_stored_notes(store):
    """Built from what the store holds, as the window builds it: saved notes are found."""
    pid = store.current_plan_id()
    store.save_progress(pid, "悦城镇", Progress(5, problems="网民留言回复不及时"))
    store.save_progress(pid, "悦城镇", Progress(3, achievements="组织了一次专题培训"))
    index = TextIndex(store.plan(pid), store.progress(pid, "悦城镇"))
    assert index.search("留言") == {5, 12, 14, 47, 57}
    assert index.search("培训") == {3, 61}
    assert index.search("%") == {59}  # no wildcards: the literal 4% of task 59
