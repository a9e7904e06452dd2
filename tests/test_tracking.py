"""core.tracking: counts, overdue, report gaps and unit coverage on the real 2019 plan."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from core.assign import roles_for
from core.cn import percent_text
from core.model import Office, OfficeKind, Progress, Role, Status
from core.tracking import (
    MAX_FIELD_CHARS,
    Weakness,
    assigned_tasks,
    days_left,
    done_ratio,
    due_date_suspicious,
    is_overdue,
    oversized_fields,
    report_gaps,
    section_counts,
    status_counts,
    status_percent_conflict,
    unit_covers_office,
)

TOWN = Office("悦城镇", OfficeKind.TOWN)
STAMP = "2019-10-01T09:00:00"


def test_assigned_and_counts_for_a_town(plan):
    roles = roles_for(plan, TOWN)
    assert len(assigned_tasks(roles)) == 66
    progress = {
        1: Progress(1, Status.DONE, 100, updated_at=STAMP),
        2: Progress(2, Status.IN_PROGRESS, 40, updated_at=STAMP),
        3: Progress(3, Status.NOT_APPLICABLE, updated_at=STAMP),
        65: Progress(65, Status.DONE, updated_at=STAMP),  # not this town's task: not counted
    }
    counts = status_counts(roles, progress)
    assert counts[Status.DONE] == 1
    assert counts[Status.IN_PROGRESS] == 1
    assert counts[Status.NOT_APPLICABLE] == 1
    assert counts[Status.NOT_STARTED] == 63
    ratio = done_ratio(roles, progress)
    assert (ratio.done, ratio.total, ratio.percent) == (1, 65, 2)
    # Section 一 holds tasks 1–16 (all the town's).
    first = [t.number for t in plan.tasks if t.section == 0]
    assert section_counts(plan, roles, progress, first) == (1, len(first))


def test_overdue_rules():
    today = date(2019, 10, 1)
    assert is_overdue(Progress(1, Status.IN_PROGRESS, due=date(2019, 9, 30)), today)
    assert not is_overdue(Progress(1, Status.IN_PROGRESS, due=date(2019, 10, 1)), today)
    assert not is_overdue(Progress(1, Status.DONE, due=date(2019, 9, 1)), today)
    assert not is_overdue(Progress(1, Status.NOT_APPLICABLE, due=date(2019, 9, 1)), today)
    assert not is_overdue(Progress(1, Status.NOT_STARTED), today)
    assert not is_overdue(None, today)


def test_days_left_and_suspicious_due(plan):
    assert plan.deadline == date(2019, 12, 5)
    assert days_left(plan.deadline, date(2019, 12, 1)) == 4
    assert days_left(plan.deadline, date(2019, 12, 8)) == -3
    assert days_left(None, date(2019, 12, 8)) is None
    assert due_date_suspicious(date(2091, 1, 1), 2019)
    assert due_date_suspicious(date(2009, 1, 1), 2019)
    assert not due_date_suspicious(date(2020, 3, 1), 2019)
    assert not due_date_suspicious(None, 2019)


def test_report_gaps_worst_first(plan):
    roles = roles_for(plan, TOWN)
    progress = {
        7: Progress(7, Status.IN_PROGRESS, next_steps="", updated_at=STAMP),
        9: Progress(9, Status.DONE, 100, achievements="   ", updated_at=STAMP),
        10: Progress(10, Status.DONE, 100, achievements="建立台账", updated_at=STAMP),
        11: Progress(11, Status.IN_PROGRESS, next_steps="继续推进", updated_at=STAMP),
    }
    gaps = report_gaps(roles, progress)
    assert [(g.task, g.weakness) for g in gaps[:2]] == [
        (9, Weakness.DONE_WITHOUT_ACHIEVEMENTS), (7, Weakness.IN_PROGRESS_WITHOUT_NEXT_STEPS)]
    untouched = [g.task for g in gaps if g.weakness is Weakness.UNTOUCHED]
    assert len(untouched) == 66 - 4
    assert 10 not in untouched and 65 not in untouched
    assert Weakness.DONE_WITHOUT_ACHIEVEMENTS.label == "已完成但未填写成效做法"


def test_unit_covers_office_through_category_and_alias(plan):
    task12 = plan.task(12)
    assert [u for u in task12.units.all_names() if unit_covers_office(u, TOWN, task12)] == ["各镇政府(街道办)"]
    finance = Office("县财政局", OfficeKind.DEPARTMENT)
    task8 = plan.task(8)
    assert unit_covers_office("县财政局", finance, task8)
    assert not unit_covers_office("县教育局", finance, task8)
    assert not unit_covers_office("各镇政府(街道办)", finance, task8)


def test_oversized_fields():
    assert oversized_fields(Progress(1, achievements="x" * MAX_FIELD_CHARS)) == []
    assert oversized_fields(Progress(1, achievements="x" * (MAX_FIELD_CHARS + 1), owner="y" * 200_000)) == [
        "owner", "achievements"]


def test_role_none_tasks_are_not_gaps(plan):
    roles = roles_for(plan, TOWN)
    assert roles[65] is Role.NONE and roles[68] is Role.NONE
    assert {65, 68}.isdisjoint(g.task for g in report_gaps(roles, {}))


def test_gaps_are_judged_by_content_not_by_a_save(plan):
    roles = roles_for(plan, TOWN)
    progress = {
        12: Progress(12, steps="", achievements="  \n", updated_at=STAMP),  # typed, then deleted: saved empty
        13: Progress(13, percent=0, owner="办公室", updated_at=STAMP),  # only the owner set
        14: Progress(14, steps="已制定方案", updated_at=STAMP),  # a note: not a gap
    }
    untouched = {g.task for g in report_gaps(roles, progress) if g.weakness is Weakness.UNTOUCHED}
    assert {12, 13} <= untouched and 14 not in untouched
    assert len(untouched) == 66 - 1


def test_status_and_percent_contradictions_are_flagged_first(plan):
    assert status_percent_conflict(Status.DONE, 80) == "状态为已完成，但进度只有 80%"
    assert status_percent_conflict(Status.NOT_STARTED, 100) == "状态为未开始，但进度已有 100%"
    assert status_percent_conflict(Status.IN_PROGRESS, 100) == "状态为推进中，但进度已是 100%"
    assert status_percent_conflict(Status.DONE, 100) is None
    assert status_percent_conflict(Status.NOT_STARTED, 0) is None
    assert status_percent_conflict(Status.IN_PROGRESS, 0) is None
    assert status_percent_conflict(Status.NOT_APPLICABLE, 40) is None
    roles = roles_for(plan, TOWN)
    progress = {
        20: Progress(20, Status.DONE, 80, achievements="已公开", updated_at=STAMP),
        21: Progress(21, Status.NOT_STARTED, 100, steps="已部署", updated_at=STAMP),
        22: Progress(22, Status.DONE, 100, achievements="", updated_at=STAMP),
    }
    gaps = report_gaps(roles, progress)
    assert [(g.task, g.weakness) for g in gaps[:3]] == [
        (20, Weakness.STATUS_PERCENT_CONFLICT), (21, Weakness.STATUS_PERCENT_CONFLICT),
        (22, Weakness.DONE_WITHOUT_ACHIEVEMENTS)]
    assert Weakness.STATUS_PERCENT_CONFLICT.label == "状态与进度不一致"



def test_percent_text_rounds_halves_up():
    assert [percent_text(*pair) for pair in ((1, 8), (1, 16), (1, 3), (2, 3), (0, 7), (7, 7), (3, 0), (1, 2000))] == [
        "12.5%", "6.3%", "33.3%", "66.7%", "0.0%", "100.0%", "0.0%", "0.1%"]


@given(st.integers(1, 10**6).flatmap(lambda whole: st.tuples(st.integers(0, whole), st.just(whole))))
def test_percent_text_in_integers_reads_as_exact_decimals(pair):
    """Worked out in integers (no decimal module on the window's way to its first paint), the rate reads as exact
    decimal arithmetic rounding halves up does."""
    part, whole = pair
    tenths = (Decimal(part) * 1000 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert percent_text(part, whole) == f"{tenths / 10:.1f}%"
