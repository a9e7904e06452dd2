"""What each column of a plan table holds: detected from the header and the cells, or given.

The import preview shows the :class:`ColumnMapping` found and lets the clerk change it; the
changed mapping goes back to ``import_plan(path, mapping=...)``. No column is dropped without a
word: a column whose header is not known is kept as "header：value" lines under the task, unless
the cells say it is the task text (the longest text) or the group heading (cells that repeat down
a group, or a cell merged down over several rows).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.importers.table import Cell

NUMBER = "number"
SECTION = "section"
SUBSECTION = "subsection"
TEXT = "text"
LEAD = "lead"
RESPONSIBLE = "responsible"
COOPERATING = "cooperating"
DEADLINE = "deadline"
NOTE = "note"
EXTRA = "extra"
IGNORE = "ignore"
UNIT_ROLES = (LEAD, RESPONSIBLE, COOPERATING)

# What the preview shows for each use of a column, in the order it offers them.
ROLE_LABELS = {
    TEXT: "任务内容", SECTION: "分组标题（一级）", SUBSECTION: "分组标题（二级）", NUMBER: "序号",
    RESPONSIBLE: "责任单位", LEAD: "牵头单位", COOPERATING: "配合单位", DEADLINE: "完成时限", NOTE: "备注",
    EXTRA: "附在任务内容后", IGNORE: "不导入",
}

REPEAT_SHARE = 0.3  # cells equal to the one above (or merged down) in at least this share of rows


@dataclass(frozen=True)
class ColumnMapping:
    """The use of each column of one table. ``table`` counts the tables (or sheets) of the file in
    reading order; ``header_row`` is the header's row within it."""

    table: int
    header_row: int
    headers: tuple[str, ...]
    roles: tuple[str, ...]

    def with_roles(self, changes: Mapping[int | str, str]) -> ColumnMapping:
        """A copy with some columns' uses changed; keys are column indexes or header texts."""
        roles = list(self.roles)
        for key, role in changes.items():
            if role not in ROLE_LABELS:
                raise ValueError(f"未知的列用途：{role!r}")
            index = key if isinstance(key, int) else self.headers.index(key)
            roles[index] = role
        return replace(self, roles=tuple(roles))

    def describe(self) -> list[str]:
        """One line per column, e.g. "第 2 列“具体内容”：任务内容"."""
        return [f"第 {i + 1} 列“{h or '（无标题）'}”：{ROLE_LABELS[r]}"
                for i, (h, r) in enumerate(zip(self.headers, self.roles, strict=True))]

    def problems(self) -> list[str]:
        """Why this mapping cannot be used to read a plan; empty when it can."""
        texts = self.roles.count(TEXT)
        out = [] if texts == 1 else [f"必须有且只有一列用作“{ROLE_LABELS[TEXT]}”（现在有 {texts} 列）"]
        for role in (NUMBER, SECTION, SUBSECTION, DEADLINE, NOTE):
            if self.roles.count(role) > 1:
                out.append(f"“{ROLE_LABELS[role]}”只能用于一列")
        return out


@dataclass(frozen=True)
class ColumnStats:
    mean_length: float  # of the cells that are their own (not merged from above or the left)
    repeat_share: float  # share of filled rows whose cell repeats the one above


def column_stats(rows: Sequence[Sequence[Cell]], col: int) -> ColumnStats:
    own_lengths: list[int] = []
    filled = repeats = 0
    previous = None
    for row in rows:
        cell = row[col] if col < len(row) else None
        text = cell.text.strip() if cell is not None else ""
        if not text:
            previous = None
            continue
        filled += 1
        if cell is not None and (cell.from_above or text == previous):
            repeats += 1
        elif cell is not None and not cell.from_left:
            own_lengths.append(len(text))
        previous = text
    mean = sum(own_lengths) / len(own_lengths) if own_lengths else 0.0
    return ColumnStats(mean, repeats / filled if filled else 0.0)


def choose_text_and_group(candidates: list[int], known_text: list[int], stats: dict[int, ColumnStats],
                          has_section: bool) -> tuple[int, int | None]:
    """Of the columns that might hold the task text, the text column and the group-heading column.

    The text is the longest non-repeating column; a repeating one becomes the group heading when
    there is no section column. Without repeats, a second known text header (工作任务 beside
    具体要求) is the group, as before.
    """
    steady = [c for c in candidates if stats[c].repeat_share < REPEAT_SHARE] or candidates
    text = max(steady, key=lambda c: (stats[c].mean_length, -candidates.index(c)))
    group = None
    if not has_section:
        repeating = [c for c in candidates if c != text and stats[c].repeat_share >= REPEAT_SHARE]
        others = [c for c in known_text if c != text]
        group = repeating[0] if repeating else (others[0] if others else None)
    return text, group
