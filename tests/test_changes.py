"""What changed since the last archived round, from progress history (data for the ledger marks)."""

from __future__ import annotations

from actions.changes import changed_since_last_archive
from core.model import Progress, Status

OFFICE = "悦城镇"


def test_changes_since_the_newest_archived_report(session, store, monkeypatch):
    plan_id = store.current_plan_id()
    office = store.office(OFFICE)
    stamps = iter(["2019-06-28T10:00:00", "2019-06-28T11:00:00", "2019-12-01T09:00:00", "2019-12-01T09:30:00",
                   "2019-12-01T10:00:00"])
    monkeypatch.setattr("db.progress.now_iso", lambda: next(stamps))
    assert changed_since_last_archive(session, office).report is None  # nothing archived: nothing marked

    store.save_progress(plan_id, OFFICE, Progress(12, Status.IN_PROGRESS, 50, steps="已部署"))
    store.save_progress(plan_id, OFFICE, Progress(13, Status.DONE, 100, achievements="公开目录"))
    monkeypatch.setattr("db.store.now_iso", lambda: "2019-06-30T17:00:00")
    store.archive_report(plan_id, OFFICE, "2019-06-30", "a" * 64, {}, b"%PDF-", "pdf", round_label="2019年上半年")

    store.save_progress(plan_id, OFFICE, Progress(12, Status.DONE, 100, steps="已部署", achievements="办理12件"))
    store.save_progress(plan_id, OFFICE, Progress(14, Status.IN_PROGRESS, 30, next_steps="继续"))
    store.save_progress(plan_id, OFFICE, Progress(13, Status.DONE, 100, owner="张三", achievements="公开目录"))

    changes = changed_since_last_archive(session, office)
    assert changes.report is not None and changes.report.round_label == "2019年上半年"
    assert changes.changed == {12: ("status", "achievements"), 14: ("status", "next_steps")}
    assert changes.tasks == [12, 14]  # 13: only the owner changed, which the report does not print
