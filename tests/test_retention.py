"""The pure retention policy: stable, bounded, and keeps what it promises."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from core.retention import DEFAULT_POLICY, backups_to_keep

P = DEFAULT_POLICY
MAX_KEPT = P.last + P.daily + P.weekly + P.monthly


def oracle(stamps: set[datetime], now: datetime) -> set[datetime]:
    """The policy restated from its definition, written independently of the implementation."""
    past = sorted((t for t in stamps if t <= now + P.future_slack), reverse=True)
    keep = {t for t in stamps if t > now + P.future_slack} | set(past[: P.last])
    for key, count in ((lambda t: t.date(), P.daily), (lambda t: t.isocalendar()[:2], P.weekly),
                       (lambda t: (t.year, t.month), P.monthly)):
        periods = sorted({key(t) for t in past}, reverse=True)[:count]
        keep |= {max(t for t in past if key(t) == p) for p in periods}
    return keep


def test_empty_and_single():
    now = datetime(2019, 12, 4, 15, 30)
    assert backups_to_keep([], now) == set()
    assert backups_to_keep([now], now) == {now}


def test_same_day_keeps_last_four():
    now = datetime(2019, 12, 4, 17, 0)
    stamps = [datetime(2019, 12, 4, 9, 0) + timedelta(minutes=30 * i) for i in range(16)]
    assert backups_to_keep(stamps, now) == set(stamps[-4:])


def test_future_stamps_never_push_out_recent_ones():
    now = datetime(2019, 12, 4, 17, 0)
    real = [now - timedelta(days=i) for i in range(30)]
    wrong_clock = [datetime(2030, 1, 1) + timedelta(days=i) for i in range(20)]
    kept = backups_to_keep(real + wrong_clock, now)
    assert set(wrong_clock) <= kept
    assert set(real[:12]) <= kept


def simulate(days: int, seed: int) -> tuple[set[datetime], set[datetime], datetime]:
    """Prune after every backup for ``days`` days; return (kept, all ever made, end time)."""
    rng = random.Random(seed)
    start = datetime(2019, 1, 1, 8, 0)
    kept: set[datetime] = set()
    made: set[datetime] = set()
    now = start
    for day in range(days):
        if rng.random() < 0.25:  # weekends, holidays, leave
            continue
        now = start + timedelta(days=day)
        for _ in range(rng.choice([1, 1, 2, 5, 17])):
            now += timedelta(minutes=rng.randint(1, 45))
            made.add(now)
            kept.add(now)
            kept = backups_to_keep(kept, now)
    return kept, made, now


def test_400_days_of_pruning_keeps_exactly_the_policy_set():
    kept, made, now = simulate(400, seed=1)
    assert kept == oracle(made, now) == backups_to_keep(made, now)
    assert (len(made), len(kept)) == (1701, 27)  # the figures the README quotes
    assert len(kept) <= MAX_KEPT
    days = sorted({t.date() for t in made}, reverse=True)
    for d in days[: P.daily]:  # the newest backup of each of the last 12 working days
        assert max(t for t in made if t.date() == d) in kept
    months = sorted({(t.year, t.month) for t in made}, reverse=True)
    assert len(months) >= P.monthly and len({(t.year, t.month) for t in kept}) >= P.monthly
    assert max(made) in kept


@settings(max_examples=300, deadline=None)
@given(st.lists(st.datetimes(min_value=datetime(2018, 1, 1), max_value=datetime(2021, 1, 1)), max_size=80),
       st.datetimes(min_value=datetime(2019, 1, 1), max_value=datetime(2020, 6, 1)))
def test_policy_matches_oracle(stamps, now):
    kept = backups_to_keep(stamps, now)
    assert kept == oracle(set(stamps), now)
    assert kept <= set(stamps)
    assert backups_to_keep(kept, now) == kept  # idempotent
