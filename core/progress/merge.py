"""What importing a progress file would do, worked out before anything is written.

:func:`plan_progress_import` compares each entry of a parsed file with what is stored and returns
an :class:`ImportPlan`: per task the fields that change (old → new), the entries older than what
is stored (conflicts: not applied unless forced), and the reasons to refuse the whole file. The
caller shows the plan (``--dry-run``) or, when :attr:`ImportPlan.ok`, saves
:meth:`ImportPlan.entries_to_save` in one transaction.

Rules:
- an entry changes only the fields it names; the rest of the stored entry stays as it is;
- an entry whose ``updated_at`` is older than the stored entry's is a conflict (a later edit
  would be undone); it is applied only with ``force``. An entry without ``updated_at`` counts as
  older than any stamped one (it cannot prove it is newer), so over a saved entry it is a conflict;
- a stamp more than a day ahead of this computer's clock (2999-01-01, or a clock set wrong where the
  file was made) refuses the file: it would win every later comparison for good;
- status and percent must agree on every entry that would change (未开始 0%, 已完成 100%; see
  :func:`core.progress.file.status_percent_problem`). An entry that changes nothing is never refused,
  so a file exported by this program always imports again;
- 进展缓慢 (``slow``) is a flag kept beside the entry: a change to it alone is a change of the task (shown as
  a field), saved as a flag (:meth:`ImportPlan.flags_to_set`); it never stays on a task 已完成 or 不适用;
- a task the office has no role in is refused, and so is a file for another office than the
  current one unless the office is named explicitly (``--office``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from core.model import FIELD_LABELS, STATUS_LABELS, Progress, Role, Status
from core.progress.file import PATCH_FIELDS, EntryPatch, ProgressFile, status_percent_problem


@dataclass(frozen=True)
class FieldChange:
    field: str  # the file's key, e.g. "achievements"
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field) or {"slow": "进展缓慢"}.get(self.field, self.field)


@dataclass(frozen=True)
class TaskChange:
    task: int
    changes: tuple[FieldChange, ...]
    entry: Progress  # the stored entry with the file's fields applied: what would be saved
    file_updated_at: str | None = None
    stored_updated_at: str | None = None
    slow: bool | None = None  # the 进展缓慢 flag after import; None: left as it is

    @property
    def entry_changed(self) -> bool:
        """Whether a field of the entry changes (not only the flag)."""
        return any(f.field != "slow" for f in self.changes)


@dataclass(frozen=True)
class ImportPlan:
    office: str
    changes: tuple[TaskChange, ...] = ()  # applied on import (forced conflicts included)
    conflicts: tuple[TaskChange, ...] = ()  # older than what is stored; in ``changes`` only when forced
    unchanged: tuple[int, ...] = ()
    refusals: tuple[str, ...] = ()  # any refusal refuses the whole file
    forced: bool = False

    @property
    def ok(self) -> bool:
        """True when the file may be imported (nothing refused)."""
        return not self.refusals

    def entries_to_save(self) -> list[Progress]:
        """The entries to write, all in one transaction; empty when refused."""
        return [c.entry for c in self.changes if c.entry_changed] if self.ok else []

    def flags_to_set(self) -> dict[int, bool]:
        """Task → 进展缓慢 on/off for the changes that set or clear it; empty when refused."""
        return {c.task: c.slow for c in self.changes if c.slow is not None} if self.ok else {}

    def describe(self) -> list[str]:
        """Plain Chinese lines for ``--dry-run``: refusals, then each change field by field."""
        lines = [f"不能导入：{r}" for r in self.refusals]
        for c in self.changes:
            lines.append(f"任务 {c.task}：" + ("（文件较旧，按 --force 强制覆盖）" if c in self.conflicts else ""))
            lines += [f"  {f.label}：{_show(f.old)} → {_show(f.new)}" for f in c.changes]
        for c in self.conflicts:
            if c not in self.changes:
                when = f"（{c.file_updated_at}）早于" if c.file_updated_at else "没有修改时间，视为早于"
                lines.append(f"任务 {c.task}：未导入，文件中的记录{when}已保存的修改"
                             f"（{c.stored_updated_at}），加 --force 才会覆盖")
        lines.append(f"{len(self.changes)} 个任务将改变，{len(self.unchanged)} 个不变，{len(self.conflicts)} 个冲突")
        return lines


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Status):
        return STATUS_LABELS[value]
    if isinstance(value, date):
        return value.isoformat()
    if value is None or value == "":
        return "（空）"
    if isinstance(value, int):
        return f"{value}%"
    text = str(value).replace("\n", "⏎")
    return text if len(text) <= 40 else text[:39] + "…"


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp).replace(tzinfo=None)


#: How far ahead of this computer's clock a stamp may be (time zones, a slightly fast clock).
FUTURE_SLACK = timedelta(days=1)


def _older(file_stamp: str | None, stored_stamp: str | None) -> bool:
    """Whether the file's entry is older than the stored one; an unstamped entry is older than any
    stamped one (the stored entry was saved by this program at a known time)."""
    if not stored_stamp:
        return False
    if not file_stamp:
        return True
    try:
        return _moment(file_stamp) < _moment(stored_stamp)
    except ValueError:  # a stored stamp we did not write: no basis for a conflict
        return False


_NEVER_SLOW = (Status.DONE, Status.NOT_APPLICABLE)


def _merge(stored: Progress, patch: EntryPatch,
           was_slow: bool) -> tuple[Progress, tuple[FieldChange, ...], bool | None]:
    values = {key: patch.fields[key] for key in PATCH_FIELDS if key in patch.fields}
    merged = replace(stored, **values)
    changes = [FieldChange(key, getattr(stored, key), getattr(merged, key))
               for key in PATCH_FIELDS if getattr(stored, key) != getattr(merged, key)]
    slow = patch.slow
    if merged.status in _NEVER_SLOW and (slow or was_slow):
        slow = False
    if slow is not None and slow != was_slow:
        changes.append(FieldChange("slow", was_slow, slow))
    else:
        slow = None
    return merged, tuple(changes), slow


def _in_future(stamp: str | None, now: datetime) -> bool:
    if not stamp:
        return False
    try:
        return _moment(stamp) > now + FUTURE_SLACK
    except ValueError:
        return False


def plan_progress_import(parsed: ProgressFile, stored: Mapping[int, Progress], roles: Mapping[int, Role], *,
                         current_office: str | None = None, explicit_office: str | None = None,
                         force: bool = False, now: datetime | None = None,
                         stored_slow: Collection[int] = ()) -> ImportPlan:
    """Work out what importing ``parsed`` would change for its office; writes nothing.

    ``stored`` and ``roles`` are the file's office's progress and roles in the current plan (read
    them for ``parsed.office``). ``current_office`` is the office the clerk works as;
    ``explicit_office`` the one named on the command line (``--office``), if any. ``now`` is this
    computer's time (stamps more than :data:`FUTURE_SLACK` ahead of it are refused). ``stored_slow``: the tasks
    now flagged 进展缓慢.
    """
    now = now or datetime.now()
    office = parsed.office
    refusals: list[str] = []
    if explicit_office is not None and explicit_office != office:
        refusals.append(f"这是“{office}”的进度文件，与指定的单位“{explicit_office}”不符")
    elif explicit_office is None and current_office is not None and current_office != office:
        refusals.append(f"这是“{office}”的进度文件，当前单位是“{current_office}”；"
                        f"确需导入到“{office}”，请用 --office {office} 指明")
    changes: list[TaskChange] = []
    conflicts: list[TaskChange] = []
    unchanged: list[int] = []
    for patch in parsed.patches:
        if _in_future(patch.updated_at, now):
            refusals.append(f"任务 {patch.task}：文件中的修改时间 {patch.updated_at} 晚于本机当前时间"
                            f"（{now:%Y-%m-%d %H:%M}）一天以上，可能是导出文件的电脑时钟不准；"
                            "请核对两台电脑的日期后重新导出")
            continue
        if roles.get(patch.task, Role.NONE) == Role.NONE:
            refusals.append(f"任务 {patch.task}：“{office}”在该任务中没有分工，不能导入它的进度")
            continue
        before = stored.get(patch.task, Progress(patch.task))
        merged, fields, slow = _merge(before, patch, patch.task in stored_slow)
        if not fields:
            unchanged.append(patch.task)
            continue
        problem = status_percent_problem(merged.status, merged.percent)
        if problem:
            refusals.append(f"任务 {patch.task}：导入后{problem}；请在文件中同时写明 status 和 percent")
            continue
        change = TaskChange(patch.task, fields, merged, patch.updated_at, before.updated_at or None, slow)
        if _older(patch.updated_at, before.updated_at):
            conflicts.append(change)
            if not force:
                continue
        changes.append(change)
    return ImportPlan(office, tuple(changes), tuple(conflicts), tuple(unchanged), tuple(refusals), force)
