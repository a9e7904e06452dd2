"""Turning table rows (from .docx, .xlsx, .csv or an HTML table) into a Plan.

Readers hand over a grid of :class:`Cell` with merged cells already filled in, so one set of
rules serves every format: find the header row, map columns by their names, then read each
row as a heading, a task, or more units for the task above.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from core.due import due_in_text, parse_due
from core.importers import columns
from core.importers.result import MAX_TASKS, PlanImportError, too_many_tasks
from core.model import Plan, Role, Section, Subsection, Task, Units
from core.notice_parser import read_letter
from core.numbering import cn_numeral, restart_numbering
from core.units import normalise_text, parse_unit_cell

_SECTION_RE = re.compile(r"^(?:第)?(?P<num>[一二三四五六七八九十]+)\s*(?:[、.．]|部分)\s*(?P<title>.+)$", re.DOTALL)
_SUBSECTION_RE = re.compile(r"^[(（]\s*(?P<num>[一二三四五六七八九十]+)\s*[)）]\s*(?P<title>.+)$", re.DOTALL)
_NUMBERED_RE = re.compile(r"^(?P<num>[0-9０-９]{1,4})\s*[.．、)）]\s*(?P<text>\S.*)$", re.DOTALL)
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

_NUMBER_HEADERS = ("序号", "编号", "任务编号", "序")
_SECTION_HEADERS = ("一级要点", "一级任务", "一级指标", "工作要点", "工作类别", "类别", "重点工作", "工作重点", "项目",
                    "工作领域", "领域")
_SUBSECTION_HEADERS = ("二级要点", "二级任务", "二级指标")
_TEXT_HEADERS = ("具体要求", "工作要求", "具体任务", "任务内容", "工作内容", "工作措施", "具体措施", "三级要点",
                 "主要内容", "任务", "工作任务", "主要任务", "重点任务", "内容", "要求")
_DEADLINE_HEADERS = ("完成时限", "完成时间", "时限", "时间节点", "时间要求", "完成期限", "时限要求", "完成时间节点",
                     "办结时限", "进度安排", "时间安排", "推进时限", "截止时间")
_NOTE_HEADERS = ("备注",)
_HEADER_WORDS = frozenset((*_NUMBER_HEADERS, *_SECTION_HEADERS, *_SUBSECTION_HEADERS, *_TEXT_HEADERS,
                           *_DEADLINE_HEADERS, *_NOTE_HEADERS, "牵头单位", "责任单位", "配合单位", "牵头及责任单位",
                           "牵头部门", "责任部门", "配合部门"))


@dataclass(frozen=True)
class Cell:
    text: str
    from_above: bool = False  # a continuation of a cell merged down from the row above
    from_left: bool = False  # a continuation of a cell merged across from the left


@dataclass
class Columns:
    text: int
    number: int | None = None
    section: int | None = None
    subsection: int | None = None
    units: tuple[tuple[int, Role, str], ...] = ()  # (column, default role, header)
    deadline: int | None = None
    note: int | None = None
    extra: tuple[tuple[int, str], ...] = ()  # (column, header): kept as "header：value" lines


def cells(rows: Sequence[Sequence[str]]) -> list[list[Cell]]:
    """Plain strings as cells, for sources without merged cells (csv)."""
    return [[Cell(t) for t in row] for row in rows]


def fill_spans(rows: Sequence[Sequence[tuple[str, int, int]]]) -> list[list[Cell]]:
    """Lay out (text, rowspan, colspan) cells, as HTML has them, on a grid, filling spans."""
    grid: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(max(1, min(rowspan, 500))):
                for dc in range(max(1, min(colspan, 50))):
                    grid.setdefault((r + dr, c + dc), Cell(text, from_above=dr > 0, from_left=dc > 0))
            c += max(1, min(colspan, 50))
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), Cell("")) for c in range(width)] for r in range(height)]


def flatten(rows: Sequence[Sequence[Cell]]) -> list[str]:
    """Each row's own cells in order, one per line, as a browser copies a table."""
    lines = []
    for row in rows:
        for cell in row:
            if cell.text.strip() and not cell.from_above and not cell.from_left:
                lines.append(cell.text)
    return lines


def _header_name(text: str) -> str:
    s = re.sub(r"[(（][^)）]*[)）]", "", normalise_text(text)).replace("\n", "")
    return s.strip(":：*")


def _column_role(name: str) -> tuple[str, Role | None]:
    if name in _NUMBER_HEADERS:
        return "number", None
    if name in _SUBSECTION_HEADERS:
        return "subsection", None
    if name in _SECTION_HEADERS:
        return "section", None
    if name in _DEADLINE_HEADERS:
        return "deadline", None
    if name in _NOTE_HEADERS:
        return "note", None
    if name in _TEXT_HEADERS:
        return "text", None
    if len(name) <= 12 and any(w in name for w in ("单位", "部门", "主体", "责任人", "分工")):
        if "及" in name or "和" in name or name in ("分工", "责任分工"):
            return "units", Role.RESPONSIBLE  # 牵头及责任单位: role words inside
        if "牵头" in name or "主办" in name:
            return "units", Role.LEAD
        if any(w in name for w in ("配合", "协办", "协作", "参与")):
            return "units", Role.COOPERATING
        return "units", Role.RESPONSIBLE
    return "", None


_UNIT_ROLE = {columns.LEAD: Role.LEAD, columns.RESPONSIBLE: Role.RESPONSIBLE, columns.COOPERATING: Role.COOPERATING}
_ROLE_OF_UNIT = {v: k for k, v in _UNIT_ROLE.items()}


def _header_roles(row: Sequence[Cell]) -> list[str]:
    """Each header cell's use by its name; "" for a name (or blank) we do not know."""
    roles = []
    for cell in row:
        if cell.from_left:
            roles.append(columns.IGNORE)  # under a header merged across: decided by its cells later
            continue
        kind, role = _column_role(_header_name(cell.text))
        roles.append(_ROLE_OF_UNIT[role] if kind == "units" and role is not None else kind)
    return roles


def _has_own_data(rows: Sequence[Sequence[Cell]], col: int) -> bool:
    return any(col < len(row) and row[col].text.strip() and not row[col].from_left for row in rows)


def detect_columns(rows: Sequence[Sequence[Cell]], look: int = 15) -> tuple[int, list[str]] | None:
    """The header row and each column's use, or None if no row looks like a header."""
    for r, row in enumerate(rows[:look]):
        roles = _header_roles(row)
        known_text = [c for c, role in enumerate(roles) if role == columns.TEXT]
        named_unknown = [c for c, role in enumerate(roles) if role == "" and _header_name(row[c].text)]
        anchored = any(role in columns.UNIT_ROLES for role in roles) or columns.NUMBER in roles \
            or columns.SECTION in roles
        if not anchored or not (known_text or named_unknown):
            continue
        data = rows[r + 1:]
        if not known_text and columns.NUMBER not in roles and not any(role in columns.UNIT_ROLES for role in roles):
            continue
        candidates = known_text + [c for c in named_unknown if _has_own_data(data, c)]
        roles, candidates, known_text = _number_beside_text(data, roles, candidates, known_text)
        if not candidates:
            continue
        stats = {c: columns.column_stats(data, c) for c in candidates}
        text, group = columns.choose_text_and_group(candidates, known_text, stats, columns.SECTION in roles)
        middle = None
        if group is not None and columns.SUBSECTION not in roles:
            # 工作要求 / 工作任务 / 具体要求: three levels, the outer two are the two heading levels
            rest = [c for c in known_text if c not in (text, group)]
            if rest:
                group, middle = sorted((group, rest[0]))
        final = []
        for c, role in enumerate(roles):
            if c == text:
                final.append(columns.TEXT)
            elif c == group:
                final.append(columns.SECTION)
            elif c == middle:
                final.append(columns.SUBSECTION)
            elif role in ("", columns.TEXT, columns.IGNORE) or (role in final and role not in columns.UNIT_ROLES):
                final.append(columns.EXTRA if _has_own_data(data, c) else columns.IGNORE)
            else:
                final.append(role)
        return r, final
    return None


def _mostly_numbers(rows: Sequence[Sequence[Cell]], col: int) -> bool:
    own = [row[col].text for row in rows if col < len(row) and row[col].text.strip() and not row[col].from_above]
    return len(own) >= 2 and sum(_to_int(t) is not None for t in own) >= 0.8 * len(own)


def _number_beside_text(data: Sequence[Sequence[Cell]], roles: list[str], candidates: list[int],
                        known_text: list[int]) -> tuple[list[str], list[int], list[int]]:
    """具体要求 spanning two columns over 序号 | 要求: the numbers' column is the number, the next the text."""
    if columns.NUMBER in roles:
        return roles, candidates, known_text
    roles = list(roles)
    for c in list(candidates):
        if not _mostly_numbers(data, c):
            continue
        nxt = c + 1
        if nxt < len(roles) and roles[nxt] == columns.IGNORE and _has_own_data(data, nxt):
            roles[c], roles[nxt] = columns.NUMBER, columns.TEXT
            candidates = [nxt if x == c else x for x in candidates]
            known_text = [nxt if x == c else x for x in known_text]
        else:
            roles[c] = columns.NUMBER
            candidates = [x for x in candidates if x != c]
            known_text = [x for x in known_text if x != c]
        break
    return roles, candidates, known_text


def _columns_for(header: Sequence[Cell], roles: Sequence[str]) -> Columns:
    def first(role: str) -> int | None:
        return roles.index(role) if role in roles else None

    names = [_header_name(c.text) for c in header] + [""] * max(0, len(roles) - len(header))
    cols = Columns(text=roles.index(columns.TEXT))
    cols.units = tuple((c, _UNIT_ROLE[role], names[c]) for c, role in enumerate(roles) if role in columns.UNIT_ROLES)
    cols.number, cols.section = first(columns.NUMBER), first(columns.SECTION)
    cols.subsection, cols.deadline, cols.note = first(columns.SUBSECTION), first(columns.DEADLINE), first(columns.NOTE)
    cols.extra = tuple((c, names[c] or f"第{c + 1}列") for c, role in enumerate(roles) if role == columns.EXTRA)
    return cols


def find_header(rows: Sequence[Sequence[Cell]], look: int = 15) -> tuple[int, Columns] | None:
    """The header row and what each column holds, or None if no row looks like a header."""
    found = detect_columns(rows, look)
    if found is None:
        return None
    r, roles = found
    return r, _columns_for(rows[r], roles)


def _to_int(s: str) -> int | None:
    s = normalise_text(s).translate(_FULLWIDTH_DIGITS).rstrip(".、")
    if re.fullmatch(r"\d{1,4}(\.0)?", s):
        return int(float(s))
    return None


def _cell(row: Sequence[Cell], col: int | None) -> Cell:
    if col is None or col >= len(row):
        return Cell("")
    return row[col]


class _Builder:
    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.subsections: list[Subsection] = []
        self.tasks: list[Task] = []
        self.warnings: list[str] = []
        self.units: Units | None = None
        self.explicit: list[bool] = []  # the row printed its number (unnumbered rows take the next one)

    def section(self, text: str) -> None:
        m = _SECTION_RE.match(text)
        num, title = (m["num"], m["title"]) if m else (cn_numeral(len(self.sections) + 1), text)
        self.sections.append(Section(num, title.strip().rstrip("。")))

    def subsection(self, text: str) -> None:
        if not self.sections:
            self.sections.append(Section("一", "（未分部分）"))
        m = _SUBSECTION_RE.match(text)
        own = sum(1 for s in self.subsections if s.section == len(self.sections) - 1)
        num, title = (m["num"], m["title"]) if m else (cn_numeral(own + 1), text)
        self.subsections.append(Subsection(len(self.sections) - 1, num, title.strip().rstrip("。")))

    def heading(self, text: str) -> bool:
        if _SUBSECTION_RE.match(text):
            self.subsection(text)
            return True
        if _SECTION_RE.match(text):
            self.section(text)
            return True
        return False

    def task(self, number: int, text: str, units: Units | None, due_text: str = "", explicit: bool = True) -> None:
        if len(self.tasks) >= MAX_TASKS:
            raise too_many_tasks(len(self.tasks) + 1)
        if not self.sections:
            self.sections.append(Section("一", "（未分部分）"))
        sec = len(self.sections) - 1
        sub = len(self.subsections) - 1 if self.subsections and self.subsections[-1].section == sec else None
        inherited = units is None or units.empty
        if not inherited:
            self.units = units
        elif self.units is None:
            self.warnings.append(f"任务{number}没有责任单位")
        self.tasks.append(Task(number, sec, sub, text, self.units or Units(), inherited and self.units is not None,
                               due_text=due_text))
        self.explicit.append(explicit)

    def more_units(self, units: Units) -> None:
        last = self.tasks[-1]
        if last.units_inherited or last.units.empty:
            merged = units
        else:
            merged = parse_unit_cell(last.units.raw + "；" + units.raw)
            self.warnings.append(f"任务{last.number}有两行责任单位，已合并")
        self.units = merged
        self.tasks[-1] = replace(last, units=merged, units_inherited=False)


def _row_units(row: Sequence[Cell], cols: Columns) -> tuple[Units | None, bool]:
    """The row's units and whether they are all continuations of merged cells above."""
    parts = [(c, role, name, _cell(row, c)) for c, role, name in cols.units]
    own = [(c, role, name, cell) for c, role, name, cell in parts if cell.text.strip()]
    if not own:
        return None, False
    all_merged = all(cell.from_above for *_, cell in own)
    if len(own) == 1:
        _, role, _, cell = own[0]
        return parse_unit_cell(cell.text, role), all_merged
    lead: list[str] = []
    resp: list[str] = []
    coop: list[str] = []
    aliases: list[tuple[str, str]] = []
    others = False
    for _, role, _, cell in own:
        u = parse_unit_cell(cell.text, role)
        lead += [n for n in u.lead if n not in lead]
        resp += [n for n in u.responsible if n not in resp]
        coop += [n for n in u.cooperating if n not in coop]
        aliases += u.aliases
        others |= u.and_others
    raw = "；".join(f"{name}：{cell.text.strip()}" for _, _, name, cell in own)
    return Units(raw, tuple(lead), tuple(resp), tuple(coop), tuple(dict.fromkeys(aliases)), others), all_merged


def rows_to_plan(rows: Sequence[Sequence[Cell]], name: str = "", preamble: Sequence[str] = ()) -> Plan | None:
    """Read a plan table; None when no header row is found (the caller then reads it as text)."""
    read = read_table(rows, name, preamble)
    return read[0] if read is not None else None


def read_table(rows: Sequence[Sequence[Cell]], name: str = "", preamble: Sequence[str] = (),
               mapping: columns.ColumnMapping | None = None, table: int = 0,
               ) -> tuple[Plan, columns.ColumnMapping] | None:
    """Read a plan table with the given column uses, or with those detected; None when no header
    row is found (the caller then reads it as text) or the table holds no task."""
    if mapping is not None:
        problems = mapping.problems()
        if problems:
            raise PlanImportError("列的用途不能这样设置：" + "；".join(problems))
        if not 0 <= mapping.header_row < len(rows):
            raise PlanImportError(f"表格没有第 {mapping.header_row + 1} 行，无法按它作表头")
        width = max((len(row) for row in rows), default=0)
        h = mapping.header_row
        roles = (list(mapping.roles) + [columns.IGNORE] * width)[:max(width, len(mapping.roles))]
    else:
        found = detect_columns(rows)
        if found is None:
            return None
        h, roles = found
    cols = _columns_for(rows[h], roles)
    used = columns.ColumnMapping(table, h, tuple(normalise_text(c.text).replace("\n", "") for c in rows[h]),
                                 tuple(roles[: len(rows[h])]))
    plan = _read_rows(rows, h, cols, name, preamble, used)
    return (plan, used) if plan is not None else None


class TableSeries:
    """The tables (or sheets) of one file in reading order, each read with the mapping meant for it.

    With an explicit mapping only its table is read as a plan; without one, the first table that
    reads as a plan wins (the caller stops there).
    """

    def __init__(self, name: str, mapping: columns.ColumnMapping | None = None) -> None:
        self.name = name
        self.mapping = mapping
        self.count = 0

    def read(self, rows: Sequence[Sequence[Cell]],
             preamble: Sequence[str] = ()) -> tuple[Plan, columns.ColumnMapping] | None:
        index = self.count
        self.count += 1
        if self.mapping is not None and self.mapping.table != index:
            return None
        return read_table(rows, self.name, preamble, self.mapping, index)

    def check_used(self) -> None:
        """Call when no table was read as a plan: an explicit mapping for a missing table is an error."""
        if self.mapping is not None:
            raise PlanImportError(f"文件中第 {self.mapping.table + 1} 张表格无法按所设的列用途读出任务")


def _read_rows(rows: Sequence[Sequence[Cell]], h: int, cols: Columns, name: str, preamble: Sequence[str],
               used: columns.ColumnMapping) -> Plan | None:
    header_key = [normalise_text(c.text) for c in rows[h]]
    b = _Builder()
    sec_value = sub_value = None
    before = [c.text.strip() for row in rows[:h] for c in row if c.text.strip() and not c.from_left]
    for r, row in enumerate(rows[h + 1 :], start=h + 2):
        values = [c.text.strip() for c in row if c.text.strip()]
        if not values or [normalise_text(c.text) for c in row] == header_key:
            continue
        if len(values) >= 2 and all(_header_name(v) in _HEADER_WORDS for v in values):
            continue  # a second header row (序号 | 要求 under 具体要求)
        own = (_cell(row, cols.section).text.strip(), _cell(row, cols.subsection).text.strip())
        if len(set(values)) == 1 and values[0] not in own and b.heading(values[0]):
            continue  # a heading row spanning the table, not in a section column
        sec = _cell(row, cols.section)
        if sec.text.strip() and sec.text.strip() != sec_value:
            sec_value = sec.text.strip()
            sub_value = None
            if _SUBSECTION_RE.match(sec_value) and cols.subsection is None:
                b.subsection(sec_value)
            else:
                b.section(sec_value)
        sub = _cell(row, cols.subsection)
        if sub.text.strip() and sub.text.strip() != sub_value:
            sub_value = sub.text.strip()
            b.subsection(sub_value)
        text_cell = _cell(row, cols.text)
        text = text_cell.text.strip()
        units, units_merged = _row_units(row, cols)
        if text_cell.from_left:
            continue  # the text cell is part of a heading merged across
        if text_cell.from_above or not text:
            if units is not None and not units_merged and b.tasks:
                b.more_units(units)
            elif text and not b.tasks:
                b.warnings.append(f"第{r}行没有任务内容，已跳过")
            continue
        number = _to_int(_cell(row, cols.number).text)
        explicit = number is not None
        nm = _NUMBERED_RE.match(text)
        if nm and (number is None or int(nm["num"].translate(_FULLWIDTH_DIGITS)) == number):
            number = int(nm["num"].translate(_FULLWIDTH_DIGITS))
            text = nm["text"].strip()
            explicit = True
        elif number is None and units is None and b.heading(text):
            continue
        expected = b.tasks[-1].number + 1 if b.tasks else 1
        if number is None:
            number = expected
        elif b.tasks and number != expected and number != 1:
            b.warnings.append(f"任务编号不连续：{b.tasks[-1].number} 之后是 {number}")
        labelled = (("备注", cols.note), *((label, c) for c, label in cols.extra))
        extra = [f"{label}：{_cell(row, c).text.strip()}" for label, c in labelled
                 if c is not None and _cell(row, c).text.strip() and not _cell(row, c).from_left]
        due_words = " ".join(_cell(row, cols.deadline).text.split()) if cols.deadline is not None else ""
        b.task(number, "\n".join([text, *extra]), None if units_merged else units, due_words, explicit)
    if not b.tasks:
        return None
    for c, label in cols.extra:
        b.warnings.append(f"表格第 {c + 1} 列“{label}”不是已知的列名，其内容已以“{label}：…”附在任务内容后"
                          "（可在导入预览中更改这一列的用途）")
    return _plan(b, name, [*preamble, *before])


def _plan(b: _Builder, name: str, preamble: Sequence[str]) -> Plan:
    info = read_letter([x for x in (normalise_text(p) for p in preamble) if x])
    title = info.title or next((normalise_text(x) for x in preamble if "方案" in x and len(x) < 80), "")
    title = title or name or "未命名方案"
    years = re.findall(r"((?:19|20)\d{2})", title) or re.findall(r"((?:19|20)\d{2})", name)
    year = int(years[0]) if years else (info.year or date.today().year)
    tasks = _numbered_through(b)
    seen: set[int] = set()
    for t in tasks:
        if t.number in seen:
            b.warnings.append(f"任务编号{t.number}重复")
        seen.add(t.number)
    tasks = [_with_due(t, year) for t in tasks]
    return Plan(title=title.strip("《》"), year=year, notice_title=info.notice_title, issuer=info.issuer,
                issued=info.issued, deadline=info.deadline, recipient=info.recipient, report_items=info.report_items,
                sections=tuple(b.sections), subsections=tuple(b.subsections), tasks=tuple(tasks),
                warnings=tuple(b.warnings))


def _with_due(task: Task, year: int) -> Task:
    """The deadline cell as a date where one can be read; else a deadline the text itself states."""
    if task.due_text:
        due, words = parse_due(task.due_text, year)
    else:
        due, words = due_in_text(task.text, year)
    return replace(task, due=due, due_text=words)


def _numbered_through(b: _Builder) -> list[Task]:
    """Numbers that restart in each group, or unnumbered rows among numbered ones, numbered 1..N."""
    tasks = b.tasks
    groups = [(t.section, t.subsection) for t in tasks]
    renumbered = restart_numbering([t.number for t in tasks], groups)
    if renumbered is None and not all(b.explicit) and len({t.number for t in tasks}) < len(tasks):
        renumbered = list(range(1, len(tasks) + 1))
    if renumbered is None:
        return tasks
    b.warnings.append(f"任务编号在各部分重新从 1 开始（或有的行没有编号），已按出现顺序统一编为 1–{len(tasks)}")
    return [replace(t, number=n) for t, n in zip(tasks, renumbered, strict=True)]
