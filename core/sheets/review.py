"""Matching answer rows to tasks and listing, per task and field, what a 股室 changed.

A row is matched by its hidden ids (plan fingerprint, office, task), else — when a 股室 retyped the sheet — by
task number and requirement text, else by the text alone. Rows matched to nothing are listed, never taken.
A field counts as answered when the 股室's value differs from the value sent (an empty cell never clears a
field). It is a conflict when the app's value changed since the sheet went out, or when two answers differ.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
from collections.abc import Callable
from dataclasses import dataclass, field

from core.model import FIELD_LABELS, NOTE_FIELDS, Plan, Progress, Status
from core.sheets import cells
from core.sheets.reading import AnswerFile, SheetRow
from core.sheets.words import status_from_word, status_word

#: The fields a 股室 answers, in the order the review lists them.
ANSWER_FIELDS = ("status", "percent", *NOTE_FIELDS)
MATCH_RATIO = 0.85


class Choice(enum.Enum):
    TAKE = "take"  # 采用股室填报
    KEEP = "keep"  # 保留现有
    BOTH = "both"  # 两者都保留 (text fields: the answer appended after a marker)

    @property
    def label(self) -> str:
        return {Choice.TAKE: "采用股室填报", Choice.KEEP: "保留现有", Choice.BOTH: "两者都保留"}[self]


@dataclass
class Change:
    task: int
    field: str
    author: str  # 党政办（经办人 张三）
    place: str  # file, sheet and row
    current: object  # the app's value now (status: (Status, slow))
    incoming: object
    conflict: str = ""  # why this is a conflict; empty when it is not
    choice: Choice = Choice.TAKE

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.field]

    @property
    def is_text(self) -> bool:
        return self.field in NOTE_FIELDS

    def shown(self, value: object) -> str:
        if self.field == "status":
            status, slow = value  # type: ignore[misc]
            return status_word(status, slow)
        return str(value)


@dataclass
class Review:
    changes: list[Change] = field(default_factory=list)
    extra_rows: list[str] = field(default_factory=list)  # rows matched to no task (nothing taken from them)
    problems: list[str] = field(default_factory=list)
    added_columns: list[str] = field(default_factory=list)
    matched_by_id: int = 0
    matched_by_text: int = 0
    versions: dict[int, int] = field(default_factory=dict)  # entry versions when the review was made

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.conflict]


def _norm(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()


def _same_text(a: str, b: str) -> bool:
    a, b = cells.squeeze(a), cells.squeeze(b)
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= 8 and (a.startswith(b) or b.startswith(a))):
        return True
    return difflib.SequenceMatcher(None, a[:400], b[:400], autojunk=False).ratio() >= MATCH_RATIO


def _int(text: str) -> int | None:
    t = text.strip().rstrip(".、")
    return int(t) if t.isdigit() and len(t) < 9 else None


def parse_percent(text: str) -> int | None:
    t = text.strip().rstrip("%％").strip()
    try:
        value = float(t)
    except ValueError:
        return None
    return round(value) if 0 <= value <= 100 else None


@dataclass(frozen=True)
class Context:
    plan: Plan
    plan_fp: str
    office: str
    current: dict[int, Progress]
    versions: dict[int, int]
    flags: dict[int, frozenset[str]]
    sent: Callable[[int, int], Progress | None]  # (task, version) → the entry as sent


def _match(row: SheetRow, ctx: Context, numbers: set[int]) -> tuple[int | None, bool, str]:
    """(task, matched by hidden id, problem) for one row."""
    task_id = _int(row.get("task"))
    if task_id is not None and row.get("plan_fp"):
        if row.get("plan_fp") != ctx.plan_fp:
            return None, False, f"{row.place}：是另一个方案的表格，没有导入"
        if row.get("office") and row.get("office") != ctx.office:
            return None, False, f"{row.place}：是发给{row.get('office')}的表格，没有导入"
        if task_id in numbers:
            return task_id, True, ""
    number, text = _int(row.get("number")), row.get("text")
    if number in numbers and (not text or _same_text(text, ctx.plan.task(number).text)):
        return number, False, ""
    if text:
        hits = [t.number for t in ctx.plan.tasks if t.number in numbers and _same_text(text, t.text)]
        if len(hits) == 1:
            return hits[0], False, ""
    return None, False, ""


def _incoming(row: SheetRow, key: str, problems: list[str]) -> object | None:
    text = _norm(row.values.get(key, "")) if key in NOTE_FIELDS else row.get(key)
    if not text or key in row.formulas:
        if text:
            problems.append(f"{row.place}：{FIELD_LABELS[key]}是公式，没有导入")
        return None
    if key == "status":
        found = status_from_word(text)
        if found is None:
            problems.append(f"{row.place}：状态“{text[:20]}”无法识别，没有导入")
        return found
    if key == "percent":
        value = parse_percent(text)
        if value is None:
            problems.append(f"{row.place}：进度“{text[:20]}”应是 0 到 100 的数，没有导入")
        return value
    return text


def _value(p: Progress, key: str, slow: bool) -> object:
    if key == "status":
        return (p.status, slow)
    return getattr(p, key)


def _author(row: SheetRow) -> str:
    section = row.get("section") or row.sheet
    handler = row.get("handler")
    return f"{section}（经办人 {handler}）"[:200] if handler else section[:200]


def review_answers(files: list[AnswerFile], ctx: Context, task_numbers: set[int]) -> Review:
    """Every answered field of every matched row, in file and row order, with conflicts marked."""
    out = Review(versions=dict(ctx.versions))
    seen: dict[tuple[int, str], Change] = {}
    for f in files:
        out.problems += [f"{f.name}：{p}" for p in f.problems]
        out.added_columns += [f"{f.name}{c}" for c in f.added_columns]
        for row in f.rows:
            task, by_id, problem = _match(row, ctx, task_numbers)
            if problem:
                out.problems.append(problem)
                continue
            if task is None:
                shown = " | ".join(v.strip()[:30] for v in row.values.values() if v.strip())
                out.extra_rows.append(f"{row.place}：{shown[:120]}")
                continue
            if by_id:
                out.matched_by_id += 1
            else:
                out.matched_by_text += 1
            current = ctx.current.get(task, Progress(task))
            slow_now = "slow" in ctx.flags.get(task, frozenset())
            sent: Progress | None = None
            sent_slow = slow_now
            version = _int(row.get("version")) if by_id else None
            if version is not None:
                sent = ctx.sent(task, version) if version else Progress(task)
                if sent is None:
                    out.problems.append(f"{row.place}：找不到发出时的版本（第 {version} 版），按现有内容核对")
            for key in ANSWER_FIELDS:
                value = _incoming(row, key, out.problems)
                if value is None:
                    continue
                now = _value(current, key, slow_now)
                if key in NOTE_FIELDS and not cells.fits(str(now)):
                    if _norm(str(value)) not in (_norm(cells.cut(str(now))), _norm(str(now))):
                        out.problems.append(f"{row.place}：{FIELD_LABELS[key]}在软件中超过单元格上限，表格中的修改没有导入")
                    continue
                base = _value(sent, key, sent_slow) if sent is not None else None
                if key == "status" and sent is not None and not sent.touched:
                    base = None  # the sheet showed no status for a task never saved
                if _equal(value, base) or _equal(value, now):
                    continue
                conflict = "发出后在软件中改过" if base is not None and not _equal(now, base) else ""
                change = Change(task, key, _author(row), row.place, now, value, conflict)
                earlier = seen.get((task, key))
                if earlier is not None and earlier.author == change.author and _equal(earlier.incoming, value):
                    continue  # the same answer sent twice
                if earlier is not None and not _equal(earlier.incoming, value):
                    change.conflict = change.conflict or f"与{earlier.author}的填报不同"
                    earlier.conflict = earlier.conflict or f"与{change.author}的填报不同"
                seen.setdefault((task, key), change)
                out.changes.append(change)
    for c in out.changes:
        if c.conflict:
            c.choice = Choice.BOTH if c.is_text else Choice.KEEP
    return out


def _equal(a: object, b: object) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return _norm(a) == _norm(b)
    return a == b


MARKER = "【{author}填报】"


def _agree(entry: Progress, changes: list[Change]) -> Progress:
    """Status and percent made to agree as the progress file's rule says (已完成 is 100%, 未开始 is 0%): a status
    taken alone brings its percent, a percent taken alone moves 未开始 to 推进中. When both were taken and
    disagree, applying refuses and says so."""
    took = {c.field for c in changes if c.choice is Choice.TAKE}
    if "status" in took and "percent" not in took:
        if entry.status is Status.DONE:
            return dataclasses.replace(entry, percent=100)
        if entry.status is Status.NOT_STARTED:
            return dataclasses.replace(entry, percent=0)
    if "percent" in took and "status" not in took and entry.status is Status.NOT_STARTED and entry.percent > 0:
        return dataclasses.replace(entry, status=Status.IN_PROGRESS)  # a percent typed in: the work has begun
    return entry


@dataclass(frozen=True)
class Step:
    """One save: the entry after the changes of one author on one task, and the 进展缓慢 flag when it changes."""

    task: int
    author: str
    entry: Progress
    slow: bool | None


def plan_steps(review: Review, current: dict[int, Progress], flags: dict[int, frozenset[str]]) -> list[Step]:
    """The saves the clerk's choices make, one per (task, author), in review order."""
    entries = dict(current)
    slows = {t: "slow" in f for t, f in flags.items()}
    steps: list[Step] = []
    groups: dict[tuple[int, str], list[Change]] = {}
    for c in review.changes:
        if c.choice is not Choice.KEEP:
            groups.setdefault((c.task, c.author), []).append(c)
    for (task, author), changes in groups.items():
        entry = entries.get(task, Progress(task))
        slow: bool | None = None
        for c in changes:
            if c.field == "status":
                status, flag = c.incoming  # type: ignore[misc]
                if c.choice is Choice.TAKE:
                    entry = dataclasses.replace(entry, status=status)
                    if flag != slows.get(task, False):
                        slow = flag
                        slows[task] = flag
            elif c.field == "percent":
                if c.choice is Choice.TAKE:
                    entry = dataclasses.replace(entry, percent=int(c.incoming))  # type: ignore[call-overload]
            else:
                old = getattr(entry, c.field)
                new = str(c.incoming)
                if c.choice is Choice.BOTH and _norm(old):
                    new = f"{old.rstrip()}\n{MARKER.format(author=author)}{new}"
                entry = dataclasses.replace(entry, **{c.field: new})
        entry = _agree(entry, changes)
        entries[task] = entry
        steps.append(Step(task, author, entry, slow))
    return steps
