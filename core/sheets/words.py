"""The words tables use: status words in and out (the county 台账's 完成 / 序时推进 / 进展缓慢), and headers."""

from __future__ import annotations

from core.model import Status

#: The flag a status word can carry beside the status (stored apart: it is not a status).
SLOW = "slow"
SLOW_LABEL = "进展缓慢"

#: Status words a 股室 or a county table may use → (status, slow flag).
_STATUS_WORDS: dict[str, tuple[Status, bool]] = {
    **{s.label: (s, False) for s in Status},
    "完成": (Status.DONE, False),
    "已办结": (Status.DONE, False),
    "办结": (Status.DONE, False),
    "序时推进": (Status.IN_PROGRESS, False),
    "正在推进": (Status.IN_PROGRESS, False),
    "进行中": (Status.IN_PROGRESS, False),
    "推进": (Status.IN_PROGRESS, False),
    "进展缓慢": (Status.IN_PROGRESS, True),
    "滞后": (Status.IN_PROGRESS, True),
    "未启动": (Status.NOT_STARTED, False),
    "长期坚持": (Status.ONGOING, False),
    "持续": (Status.ONGOING, False),
    "常态化推进": (Status.ONGOING, False),
}

#: What the drop-down in the sheet offers (the app's statuses, then the county's flag word).
DROPDOWN = (*(s.label for s in Status), SLOW_LABEL)


def status_from_word(word: str) -> tuple[Status, bool] | None:
    """The status (and whether it is 进展缓慢) a typed word means; None when the word is not known."""
    key = "".join(word.split()).rstrip("。.")
    return _STATUS_WORDS.get(key)


def status_word(status: Status, slow: bool) -> str:
    """What the sheet's 状态 cell shows for an entry."""
    return SLOW_LABEL if slow and status is Status.IN_PROGRESS else status.label


def is_slow(status: Status, slow: bool) -> bool:
    """Whether a flagged entry counts as 进展缓慢: never when 已完成 or 不适用 (a flag left over from before)."""
    return slow and status not in (Status.DONE, Status.NOT_APPLICABLE)


def flagged_label(status: Status, slow: bool) -> str:
    """The status as the report, the 台账 and the county matrix show it: 推进中（进展缓慢） when flagged (never on
    已完成 or 不适用, which are not slow)."""
    return f"{status.label}（{SLOW_LABEL}）" if is_slow(status, slow) else status.label


def county_word(status: Status, slow: bool) -> str:
    """The county 台账's 完成状况 for an entry: 完成 / 序时推进 / 进展缓慢 (others by the app's label)."""
    if slow and status is not Status.DONE:
        return SLOW_LABEL
    return {Status.DONE: "完成", Status.IN_PROGRESS: "序时推进", Status.ONGOING: "序时推进"}.get(status, status.label)
