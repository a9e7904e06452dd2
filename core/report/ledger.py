"""The 附件 台账's columns and rows, decided once for the PDF and the Word writer (no reportlab, no Qt).

:func:`ledger_columns` takes the report's ledger rows and gives a :class:`LedgerLayout`:

- **Rows.** Untouched rows (no saved entry, or 未开始 with nothing written and no evidence) are left out;
  one note line says how many and which (另有…项任务尚未填写落实情况，未列入本表：任务17—60。).
- **Columns.** 序号, 工作任务, 落实情况 (实施步骤 folded in), 进度 (status and percent) always; 存在问题,
  下一步措施 and 佐证材料 only when some printed row has one. 本单位角色, 责任股室 and 完成时限 share one
  stacked column (责任分工); a value the same in every row is said once in a note line instead
  (本表各项任务的完成时限均为2019年12月31日), and the column goes when nothing is left in it.
- **Widths.** Short columns are as wide as their longest line (within limits); the text columns share the
  rest so that the rows come out as short as they can: widths are moved a character at a time between
  text columns while the estimated total height of the table falls.
- **Long cells.** A cell that would still run more than :data:`LONG_LINES` lines in its column says
  （见下行）, and its text follows in a row spanning the whole table right under its task's row
  (落实情况（任务7）：…).

Heights are estimated in characters (a CJK character one em, a half-width one half), the same for both
writers; the PDF measures again when it sets the rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil, floor

from core.cn import number_runs
from core.report.document import LedgerRow
from core.report.text import paragraphs
from core.text_width import FANGSONG_NARROW, text_ems

#: The landscape text block, 225 mm, in points; 五号 type.
BLOCK_WIDTH = 225 * 72 / 25.4
CELL_SIZE = 10.5
#: Cell padding left and right (points) and the rule between cells.
CELL_PAD = 2.0
#: A cell taller than this many lines moves to a full-width row below its task's row.
LONG_LINES = 18
EMPTY = "——"

#: Columns always printed, and those printed only when some row has content in them.
KEYS = ("number", "task", "duty", "achievements", "progress", "problems", "next_steps", "evidence")
HEADERS = {"number": "序号", "task": "工作任务", "duty": "责任分工", "achievements": "落实情况", "progress": "进度",
           "problems": "存在问题", "next_steps": "下一步措施", "evidence": "佐证材料"}
#: Short columns: (fewest, most) characters on a line.
_NARROW = {"number": (2.0, 3.0), "duty": (4.0, 6.0), "progress": (3.0, 3.0)}
#: Text columns: fewest characters on a line, and the share to start the search from.
_FLEX_MIN = {"task": 7, "achievements": 8, "problems": 5, "next_steps": 5, "evidence": 5}
_CENTRED = {"number", "duty", "progress"}


@dataclass(frozen=True)
class LedgerColumn:
    key: str  # one of KEYS
    header: str
    width: float  # points
    centred: bool


@dataclass(frozen=True)
class LedgerLine:
    """One task's row: each column's paragraphs, and the long cells that follow it at full width."""

    row: LedgerRow
    cells: tuple[tuple[str, ...], ...]
    spans: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (label 落实情况（任务7）, paragraphs)


@dataclass(frozen=True)
class LedgerLayout:
    columns: tuple[LedgerColumn, ...]
    lines: tuple[LedgerLine, ...]
    notes: tuple[str, ...]  # printed under the annex title, before the table
    left_out: tuple[int, ...]  # task numbers of the untouched rows not printed

    @property
    def widths(self) -> tuple[float, ...]:
        return tuple(c.width for c in self.columns)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)


def text_width(text: str) -> float:
    """Width in ems as the ledger's 仿宋 sets it (core.text_width: digits a little over half an em)."""
    return text_ems(text, FANGSONG_NARROW)


def is_untouched(row: LedgerRow) -> bool:
    """No saved entry, or an entry still 未开始 at 0% with nothing written and no evidence."""
    if not row.filled:
        return True
    written = (row.owner, row.steps, row.achievements, row.problems, row.next_steps)
    return row.status == "未开始" and row.percent == 0 and not any(x.strip() for x in written) and not row.evidence


def _due_lines(due: str) -> list[str]:
    return [due[: due.index("年") + 1], due[due.index("年") + 1:]] if "年" in due else [due]


def _progress(row: LedgerRow) -> list[str]:
    if row.status in ("已完成", "不适用", "未填写") or (row.status == "未开始" and not row.percent):
        return [row.status]
    return [row.status, f"{row.percent}%"]


_DUTY = (("role", "本单位角色"), ("owner", "责任股室"), ("due", "完成时限"))


def _duty_value(row: LedgerRow, key: str) -> str:
    return " ".join(paragraphs(getattr(row, key))) or EMPTY


def _content(row: LedgerRow, common: dict[str, str], stacked: bool) -> dict[str, list[str]]:
    achievements = paragraphs(row.achievements)
    task = paragraphs(row.task)
    steps = paragraphs(row.steps)
    if steps:  # the planned steps go with the task they plan (落实情况 is what was done)
        task += ["实施步骤：" + steps[0], *steps[1:]]
    duty: list[str] = []
    odd = {key: _duty_value(row, key) for key, _ in _DUTY if common.get(key) != _duty_value(row, key)}
    if stacked:
        for key, value in odd.items():
            duty += _due_lines(value) if key == "due" and value != EMPTY else [value]
    elif odd:  # the exceptions to the note's common values, under the task
        task.append("（" + "；".join(f"{label}：{odd[key]}" for key, label in _DUTY if key in odd) + "）")
    return {"number": [str(row.number)], "task": task, "duty": duty,
            "achievements": achievements, "progress": _progress(row), "problems": paragraphs(row.problems),
            "next_steps": paragraphs(row.next_steps), "evidence": list(row.evidence)}


#: A role, 责任股室 or 完成时限 shared by at least this share of the rows is said once in a note, and the
#: rows that differ say theirs under the task; when one of them is more varied, they get a column.
COMMON_SHARE = 0.8


def _common(rows: Sequence[LedgerRow]) -> tuple[dict[str, str], bool]:
    """The value most rows share for each of role/owner/due, and whether they need a column of their own."""
    out: dict[str, str] = {}
    stacked = False
    for key, _ in _DUTY:
        values = Counter(_duty_value(r, key) for r in rows)
        value, count = values.most_common(1)[0]
        if count >= COMMON_SHARE * len(rows):
            out[key] = value
        else:
            stacked = True
    return out, stacked


def _notes(common: dict[str, str], rows: Sequence[LedgerRow]) -> list[str]:
    said = [f"{label}均为{common[key]}" for key, label in _DUTY if common.get(key, EMPTY) != EMPTY]
    if not said:
        return []
    odd = any(_duty_value(r, key) != value for r in rows for key, value in common.items())
    return [f"本表各项任务的{'，'.join(said)}" + ("（另有注明的除外）。" if odd else "。")]


#: Characters a line loses on average to breaking rules (no 、 at a line's start, numbers kept whole).
SLACK = 0.7


def _para_lines(width: float, chars: int) -> int:
    return max(1, ceil(width / (chars - SLACK))) if chars > 1 else max(1, ceil(width))


def _lines(paras: Sequence[str], chars: int) -> int:
    return sum(_para_lines(text_width(p), chars) for p in paras)


def _chars(width: float, size: float) -> int:
    """Whole characters on one line of a cell ``width`` points wide."""
    return max(1, floor((width - 2 * CELL_PAD - 0.5) / size))


class _Fitter:
    """Estimated lines of each text cell at a given width (cached), and the cost of a choice of widths:
    (pages, lines) when the page height is known (rows are not split across pages), else (0, lines)."""

    def __init__(self, contents: list[dict[str, list[str]]], flex: list[str], fixed_lines: list[int],
                 page_lines: float | None, pad_lines: float, first_lines: float | None = None) -> None:
        self.widths = {k: [[text_width(p) for p in c[k]] for c in contents] for k in flex}
        self.flex = flex
        self.fixed = fixed_lines
        self.page = page_lines
        self.pad = pad_lines
        self.first = first_lines if first_lines is not None else page_lines
        self._cache: dict[tuple[str, int], list[int]] = {}

    def column(self, key: str, chars: int) -> list[int]:
        got = self._cache.get((key, chars))
        if got is None:
            got = [sum(_para_lines(w, chars) for w in ws) if ws else 0 for ws in self.widths[key]]
            got = [1 if n > LONG_LINES else n for n in got]  # a long cell moves below its row
            self._cache[(key, chars)] = got
        return got

    def cost(self, chars: dict[str, int]) -> tuple[int, float]:
        cols = [self.column(k, chars[k]) for k in self.flex]
        heights = [max(least, *(c[i] for c in cols)) + self.pad for i, least in enumerate(self.fixed)]
        if self.page is None:
            return 0, sum(heights)
        pages, used, room = 1, 0.0, self.first or self.page
        for h in heights:
            if used + h > room and used:
                pages += 1
                used, room = 0.0, self.page
            used += h
            while used > room:  # taller than a page: split
                pages += 1
                used, room = used - room, self.page
        return pages, sum(heights)


def _fit(fitter: _Fitter, room: int) -> dict[str, int]:
    """Characters per line for each text column, summing to ``room``, that make the table shortest."""
    flex = fitter.flex
    need = {k: sum(sum(ws) for ws in fitter.widths[k]) or 1.0 for k in flex}
    total_need = sum(need.values())
    spare = room - sum(_FLEX_MIN[k] for k in flex)
    chars = {k: _FLEX_MIN[k] + floor(spare * need[k] / total_need) for k in flex}
    chars[flex[0]] += room - sum(chars.values())
    best = fitter.cost(chars)
    for _ in range(400):
        improved = False
        for a in flex:
            for b in flex:
                for step in (1, 2, 3):
                    if a == b or chars[a] - step < _FLEX_MIN[a]:
                        break
                    trial = dict(chars)
                    trial[a] -= step
                    trial[b] += step
                    cost = fitter.cost(trial)
                    if cost < best:
                        best, chars, improved = cost, trial, True
                        break
        if not improved:
            break
    return chars


def ledger_columns(rows: Sequence[LedgerRow], width: float = BLOCK_WIDTH, size: float = CELL_SIZE,
                   leading: float = 14.0, page_height: float | None = None, row_pad: float = 4.0,
                   first_page: float | None = None) -> LedgerLayout:
    """The annex's columns (widths in points summing to ``width``), its printed rows and its note lines.

    Cells are ``size`` points type on ``leading``; with ``page_height`` (the points a page gives the
    rows, under the header row; ``first_page`` for the first page, under the title and the notes) the widths
    are chosen for the fewest pages first, then the fewest lines. ``row_pad`` is a row's padding top and
    bottom together. Widths are whole characters plus padding, so both writers wrap at
    the same place."""
    printed = [r for r in rows if not is_untouched(r)]
    left_out = tuple(r.number for r in rows if is_untouched(r))
    common, stacked = _common(printed) if printed else ({}, False)
    contents = [_content(r, common, stacked) for r in printed]
    keys = [k for k in KEYS if k in ("number", "task", "achievements", "progress")
            or any(c[k] for c in contents)]
    widths: dict[str, float] = {}
    for key in (k for k in keys if k in _NARROW):
        least, most = _NARROW[key]
        longest = max((text_width(x) for c in contents for x in c[key]), default=0.0)
        widths[key] = min(max(longest, least), most) * size + 2 * CELL_PAD + 0.5
    flex = [k for k in keys if k not in _NARROW]
    room_pt = width - sum(widths.values())
    room = floor((room_pt - len(flex) * (2 * CELL_PAD + 0.5)) / size)
    fixed_lines = [max((_lines(c[k], _chars(widths[k], size)) for k in widths), default=1) for c in contents]
    notes = _notes(common, printed)
    if left_out:
        notes.append(f"另有{len(left_out)}项任务尚未填写落实情况，未列入本表：任务{number_runs(left_out)}。")
    first = None
    if page_height and first_page:
        first = (first_page - len(notes) * leading * 4 / 3) / leading  # a note line and its space after
    fitter = _Fitter(contents, flex, fixed_lines, page_height / leading if page_height else None,
                     row_pad / leading, first)
    chars = _fit(fitter, room) if contents else {k: _FLEX_MIN[k] for k in flex}
    for key in flex:
        widths[key] = chars[key] * size + 2 * CELL_PAD + 0.5
    widths[flex[-1]] += width - sum(widths.values())  # the rounding left over goes to the last column
    columns = tuple(LedgerColumn(k, HEADERS[k], widths[k], k in _CENTRED) for k in keys)
    lines = []
    for row, content in zip(printed, contents, strict=True):
        cells: list[tuple[str, ...]] = []
        spans: list[tuple[str, tuple[str, ...]]] = []
        for col in columns:
            paras = content[col.key]
            if col.key in chars and _lines(paras, chars[col.key]) > LONG_LINES:
                spans.append((f"{col.header}（任务{row.number}）", tuple(paras)))
                cells.append(("（见下行）",))
            else:
                cells.append(tuple(paras))
        lines.append(LedgerLine(row, tuple(cells), tuple(spans)))
    return LedgerLayout(columns, tuple(lines), tuple(notes), left_out)
