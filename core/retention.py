"""Which automatic backups to keep: a pure policy over backup times (no files, no clock).

Like restic's ``--keep-last/--keep-daily/--keep-weekly/--keep-monthly``: for each of the most
recent N days (ISO weeks, months) that *have* a backup, the newest backup of that period is kept.
Counting periods that have backups, not calendar periods, means a clerk who was away for a month
still finds 12 daily backups when she comes back. The policy is stable: pruning after every
backup leaves exactly the set that one pruning at the end would leave.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetentionPolicy:
    last: int = 4  # the newest few, whatever their day: the 30-minute backups of today
    daily: int = 12
    weekly: int = 10
    monthly: int = 9
    future_slack: timedelta = timedelta(days=1)


DEFAULT_POLICY = RetentionPolicy()


def _day(t: datetime) -> Hashable:
    return t.date()


def _week(t: datetime) -> Hashable:
    iso = t.isocalendar()
    return (iso.year, iso.week)


def _month(t: datetime) -> Hashable:
    return (t.year, t.month)


def _newest_per_period(ordered: list[datetime], period: Callable[[datetime], Hashable], count: int) -> set[datetime]:
    """``ordered`` is newest first; keep the first (newest) of each of the first ``count`` periods."""
    kept: set[datetime] = set()
    seen: set[Hashable] = set()
    for t in ordered:
        key = period(t)
        if key in seen:
            continue
        if len(seen) >= count:
            break
        seen.add(key)
        kept.add(t)
    return kept


def backups_to_keep(stamps: Iterable[datetime], now: datetime,
                    policy: RetentionPolicy = DEFAULT_POLICY) -> set[datetime]:
    """The subset of ``stamps`` to keep at ``now``; everything else may be deleted.

    Stamps more than ``future_slack`` after ``now`` were made while the PC clock was wrong: they
    are all kept and take no slot, so they can never push out the backups made since.
    """
    all_stamps = set(stamps)
    future = {t for t in all_stamps if t > now + policy.future_slack}
    ordered = sorted(all_stamps - future, reverse=True)
    keep = set(ordered[: policy.last]) | future
    keep |= _newest_per_period(ordered, _day, policy.daily)
    keep |= _newest_per_period(ordered, _week, policy.weekly)
    keep |= _newest_per_period(ordered, _month, policy.monthly)
    return keep
