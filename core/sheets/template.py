"""The county's own template (a 落实情况表 or 台账 with its own columns), filled from the app.

The header is found by its words, over one or two rows (a group heading merged over its sub-headings); each
column is mapped to an app field by the words of its lowest heading. The template is changed only in the
cells filled: its formatting, merged title rows and print setup stay. Rows the county already listed are
matched to tasks by text, else by number; an empty template gets one row per task.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from core import xlsx_safe
from core.model import Plan, Progress, Task
from core.sheets import cells
from core.sheets.words import county_word

#: App fields a template column can take: key → (label, words in a heading, longest first when matched).
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "number": ("序号", ("序号", "编号")),
    "text": ("工作任务", ("工作任务", "年度目标", "目标任务", "重点任务", "主要任务", "工作内容", "任务内容",
                        "工作要求", "工作事项", "任务")),
    "lead": ("牵头单位", ("牵头单位", "牵头部门")),
    "responsible": ("责任单位", ("责任单位", "责任部门", "主责单位")),
    "cooperating": ("配合单位", ("配合单位", "配合部门", "协办单位")),
    "due": ("完成时限", ("完成时限", "完成时间", "时间节点", "时限")),
    "achievements": ("完成情况/落实情况", ("具体完成情况", "完成情况", "落实情况", "进展情况", "推进情况",
                                   "工作进展", "成效做法")),
    "steps": ("实施步骤", ("实施步骤", "工作措施", "主要措施")),
    "problems": ("存在问题", ("存在问题", "困难问题", "问题")),
    "next_steps": ("下一步措施", ("下一步措施", "下一步工作", "下一步")),
    "status": ("完成状况", ("完成状况", "完成状态", "进展状态", "状态")),
    "percent": ("进度", ("完成进度", "完成比例", "进度")),
    "owner": ("责任人", ("责任人", "责任股室", "经办人")),
}
#: Fields from the plan, filled only where the template's cell is empty (the county's own words stay).
PLAN_FIELDS = ("number", "text", "lead", "responsible", "cooperating", "due")
HEADER_SCAN = 12


@dataclass(frozen=True)
class Column:
    index: int  # 1-based column number
    heading: str  # the column's headings joined (a group heading, then its own)
    own: str  # its lowest heading, which the mapping reads


@dataclass
class Header:
    first_row: int
    last_row: int
    columns: list[Column]

    @property
    def fingerprint(self) -> str:
        text = "\n".join(f"{c.index}:{c.heading}" for c in self.columns)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def field_for(heading: str) -> str | None:
    """The app field a heading means, by the longest word of any field found in it; None when none is."""
    word = cells.squeeze(heading)
    best: tuple[int, str] | None = None
    for key, (_label, words) in FIELDS.items():
        for w in words:
            if w in word and (best is None or len(w) > best[0]):
                best = (len(w), key)
    return best[1] if best else None


def _merged_value(ws, row: int, col: int) -> object:
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return ws.cell(row=rng.min_row, column=rng.min_col).value
    return ws.cell(row=row, column=col).value


def find_header(ws) -> Header | None:
    """The header block: the row whose cells map to most fields, and the rows its merged headings cover."""
    best: tuple[int, int] | None = None
    for r in range(1, min(ws.max_row, HEADER_SCAN) + 1):
        keys = {field_for(cells.read(ws.cell(row=r, column=c).value)) for c in range(1, ws.max_column + 1)}
        score = len(keys - {None})
        if score >= 2 and (best is None or score > best[1]):
            best = (r, score)
    if best is None:
        return None
    first = best[0]
    last = first
    for rng in ws.merged_cells.ranges:
        if rng.min_row == first and rng.max_row > last and rng.max_row - first < 4:
            last = rng.max_row
    nxt = last + 1  # a sub-heading row under group headings merged across columns
    if last == first and nxt <= ws.max_row and any(
            rng.min_row == first and rng.max_row == first and rng.max_col > rng.min_col
            for rng in ws.merged_cells.ranges):
        last = nxt
    columns = []
    for c in range(1, ws.max_column + 1):
        texts: list[str] = []
        for r in range(first, last + 1):
            t = cells.read(_merged_value(ws, r, c)).strip()
            if t and t not in texts:
                texts.append(t)
        if texts:
            columns.append(Column(c, "/".join(texts), texts[-1]))
    return Header(first, last, columns)


def default_mapping(header: Header) -> dict[int, str | None]:
    """Column → field by the headings' words; None for a column the app has nothing for."""
    out: dict[int, str | None] = {}
    taken: set[str] = set()
    for col in header.columns:
        key = field_for(col.own) or field_for(col.heading)
        if key in taken:
            key = None  # a second 问题 column: the clerk decides
        if key is not None:
            taken.add(key)
        out[col.index] = key
    return out


@dataclass(frozen=True)
class FillRow:
    task: Task
    progress: Progress
    slow: bool = False


def _values(r: FillRow) -> dict[str, str | int]:
    t, p, u = r.task, r.progress, r.task.units
    return {
        "number": t.number,
        "text": t.text,
        "lead": "、".join(u.lead),
        "responsible": "、".join(u.responsible) or ("" if u.lead else u.raw),
        "cooperating": "、".join(u.cooperating),
        "due": t.due_text or (t.due.isoformat() if t.due else "") or (p.due.isoformat() if p.due else ""),
        "achievements": p.achievements,
        "steps": p.steps,
        "problems": p.problems,
        "next_steps": p.next_steps,
        "status": county_word(p.status, r.slow) if p.touched else "",
        "percent": f"{p.percent}%" if p.touched else "",
        "owner": p.owner,
    }


@dataclass
class Filled:
    filled: int = 0
    unmatched: list[str] = field(default_factory=list)  # template rows matched to no task (left as they were)
    cut: list[str] = field(default_factory=list)  # cells cut at Excel's limit


def _match(text: str, number: str, rows: list[FillRow], used: set[int]) -> FillRow | None:
    from core.sheets.review import _same_text

    if text:
        hits = [r for r in rows if r.task.number not in used and _same_text(text, r.task.text)]
        return hits[0] if len(hits) == 1 else None
    if number.isdigit():
        hits = [r for r in rows if r.task.number == int(number) and r.task.number not in used]
        return hits[0] if hits else None
    return None


def _is_anchor_or_free(ws, row: int, col: int) -> bool:
    from openpyxl.cell.cell import MergedCell

    return not isinstance(ws.cell(row=row, column=col), MergedCell)


def _write_row(ws, row: int, mapping: dict[int, str | None], values: dict[str, str | int], out: Filled,
               keep_plan_cells: bool) -> None:
    for col, key in mapping.items():
        if key is None or not _is_anchor_or_free(ws, row, col):
            continue
        value = values[key]
        if value in ("", None):
            continue
        cell = ws.cell(row=row, column=col)
        if keep_plan_cells and key in PLAN_FIELDS and cells.read(cell.value).strip():
            continue
        if isinstance(value, str) and not cells.fits(value):
            out.cut.append(f"第 {row} 行 {key}")
        xlsx_safe.put(ws, row, col, value)


def _fit_height(ws, row: int, mapping: dict[int, str | None]) -> None:
    """Give a filled row the height its wrapped text needs, unless the template fixed one (LibreOffice and
    WPS keep the default height of a row written without one)."""
    from openpyxl.utils import get_column_letter

    from core.sheets.outgoing import text_lines

    if ws.row_dimensions[row].height is not None and ws.row_dimensions[row].customHeight:
        return
    lines = 1
    for col in range(1, ws.max_column + 1):
        value = ws.cell(row=row, column=col).value
        if isinstance(value, str) and value:
            width = ws.column_dimensions[get_column_letter(col)].width or 8.43
            lines = max(lines, text_lines(value, width))
    if lines > 1:
        ws.row_dimensions[row].height = min(409.0, lines * 14.5 + 4)


def _copy_style(ws, src_row: int, dst_row: int, max_col: int) -> None:
    from copy import copy

    for c in range(1, max_col + 1):
        src, dst = ws.cell(row=src_row, column=c), ws.cell(row=dst_row, column=c)
        if src.has_style:
            dst._style = copy(src._style)
    if ws.row_dimensions[src_row].height is not None:
        ws.row_dimensions[dst_row].height = ws.row_dimensions[src_row].height


def fill(ws, header: Header, mapping: dict[int, str | None], rows: list[FillRow]) -> Filled:
    """Fill the worksheet in place: listed rows matched to tasks, else one new row per task."""
    out = Filled()
    start = header.last_row + 1
    num_col = next((c for c, k in mapping.items() if k == "number"), None)
    text_col = next((c for c, k in mapping.items() if k == "text"), None)
    listed = []
    for r in range(start, ws.max_row + 1):
        number = cells.read(ws.cell(row=r, column=num_col).value).strip() if num_col else ""
        text = cells.read(ws.cell(row=r, column=text_col).value).strip() if text_col else ""
        if text or number.isdigit():
            listed.append((r, number, text))
    if listed:
        used: set[int] = set()
        for r, number, text in listed:
            found = _match(text, number, rows, used)
            if found is None:
                out.unmatched.append(f"第 {r} 行 {number} {text[:20]}".strip())
                continue
            used.add(found.task.number)
            _write_row(ws, r, mapping, _values(found), out, keep_plan_cells=True)
            _fit_height(ws, r, mapping)
            out.filled += 1
        return out
    footer = next((r for r in range(start, ws.max_row + 1)
                   if any(cells.read(ws.cell(row=r, column=c).value).strip() for c in range(1, ws.max_column + 1))),
                  None)
    blank = (footer - start) if footer is not None else max(ws.max_row - start + 1, 0)
    if footer is not None and len(rows) > blank:
        extra = len(rows) - blank
        moved = [rng for rng in ws.merged_cells.ranges if rng.min_row >= footer]
        for rng in moved:
            ws.merged_cells.remove(rng)
        ws.insert_rows(footer, extra)
        for rng in moved:
            rng.shift(row_shift=extra)
            ws.merged_cells.add(rng)
    style_row = start if blank > 0 else header.last_row
    max_col = max(mapping) if mapping else ws.max_column
    for i, r in enumerate(rows):
        row = start + i
        if row != style_row:
            _copy_style(ws, style_row, row, max(max_col, ws.max_column))
        _write_row(ws, row, mapping, _values(r), out, keep_plan_cells=False)
        _fit_height(ws, row, mapping)
        out.filled += 1
    if ws.print_area and rows:
        from openpyxl.utils import get_column_letter

        ws.print_area = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    return out


def plan_rows(plan: Plan, numbers: list[int], progress: dict[int, Progress],
              flags: dict[int, frozenset[str]]) -> list[FillRow]:
    return [FillRow(plan.task(n), progress.get(n, Progress(n)), "slow" in flags.get(n, frozenset()))
            for n in numbers]
