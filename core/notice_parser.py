"""Reading a county notice (通知) that carries a work plan into a :class:`~core.model.Plan`.

The input is text as copied from a government web page: page chrome, the notice's letter,
then the plan as a flattened table. Table rows come out as lines: a section heading (一、),
a subsection heading ((一)), a numbered task, and after a task (or after the first task of a
merged group) the unit cell. A unit cell applies to the task above it and to every following
task that has none of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.due import due_in_text, is_deadline_cell, parse_due
from core.model import Plan, Section, Subsection, Task, Units
from core.numbering import cn_numeral, restart_numbering
from core.units import (
    looks_like_bare_units,
    looks_like_unit_line,
    normalise_text,
    parse_unit_cell,
    pop_due_label,
    split_trailing_units,
)

CN_NUMERALS = "一二三四五六七八九十"
_SECTION_RE = re.compile(rf"^(?P<num>[{CN_NUMERALS}]+)\s*[、.．]\s*(?P<title>.+)$")
_SUBSECTION_RE = re.compile(rf"^[(（]\s*(?P<num>[{CN_NUMERALS}]+)\s*[)）]\s*(?P<title>.+)$")
# 1. / 1． / 1、 / １． / 4各镇… (no dot). Digits may be full-width.
_TASK_RE = re.compile(r"^(?P<num>[0-9０-９]{1,4})\s*(?P<dot>[.．、)）]?)\s*(?P<text>\S.*)$")
_NO_DOT_FORBIDDEN_NEXT = tuple("年月日号%％个项条万元人次岁")
_ATTACHMENT_RE = re.compile(r"^附件\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?$")
_CHROME = (
    re.compile(r"^登\s*录\s*注\s*册$"),
    re.compile(r"^来源[:：].*"),
    re.compile(r".*点击数.*"),
    re.compile(r".*(微信)?扫一扫.*"),
    re.compile(r"^[•·#\s]+$"),
    re.compile(r"^[|｜\s]+$"),
    _ATTACHMENT_RE,  # the cell borders of a table copied as text, one cell per line
    re.compile(r"^(打印本页|关闭窗口|分享到.*|【\s*打印\s*】.*|上一篇.*|下一篇.*)$"),
)
_HEADER_CELLS = {"工作任务", "具体要求", "牵头及责任单位", "责任单位", "牵头单位", "序号", "任务", "责任部门",
                 "工作要求", "一级要点", "二级要点", "完成时限", "备注", "时限要求", "完成时间", "配合单位", "牵头部门",
                 "工作内容", "主要任务", "重点任务", "具体措施", "工作措施", "任务内容", "责任领导", "分管领导"}
_DATE_RE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_DEADLINE_RE = re.compile(r"请?于\s*(?:(?P<y>\d{4})\s*年)?\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:前|之前)")
_RECIPIENT_RE = re.compile(r"报(?:送)?(?P<to>[^,，。;；]*?[(（][^)）]+[)）]|[^,，。;；(（]+?)(?:[。,，;；]|$)")
_REPORT_ITEMS_RE = re.compile(r"落实情况[(（](?P<items>[^)）]+)[)）]")
_PLAN_TITLE_RE = re.compile(r"^(?P<title>\S*?(?P<year>\d{4})年\S*?(?:方案|要点|计划|清单|台账))$")
_NOTICE_TITLE_RE = re.compile(r"^关于印发(?P<plan>.+?)的通知$")
_ISSUER_RE = re.compile(r"^\S+(?:办公室|人民政府|委员会|办事处|局|办)$")


class PlanParseError(ValueError):
    """The text could not be read as a plan; the message says why, in Chinese."""


@dataclass
class _Draft:
    number: int
    section: int
    subsection: int | None
    lines: list[str]
    units: Units | None = None
    due_text: str = ""
    closed: bool = False  # its units came on a line of their own: a plain line after it may open a task
    labelled: bool = False  # its units are written for it alone (责任单位：…, or in brackets after its text)


def _to_int(digits: str) -> int:
    return int(digits.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def _is_chrome(line: str) -> bool:
    return any(p.match(line) for p in _CHROME)


# Where a whole notice pasted as one long line breaks into its items: before 一、 / 1. / （一） that follow
# a space or the end of a sentence.
_INLINE_ITEM_RE = re.compile(
    r"(?<=[\s。；;:：)）])(?=(?:[一二三四五六七八九十]+、|[0-9０-９]{1,3}[.．、](?![0-9０-９])|[(（][一二三四五六七八九十]+[)）]"
    r"|[(（][0-9]{1,2}[)）])\S)")
_PAREN_ITEM_RE = re.compile(r"^[(（](?P<num>[0-9]{1,2})[)）]\s*(?P<text>\S.*)$")


def _promote_paren_items(lines: list[str]) -> list[str]:
    """1.深化商事制度改革。 (1)…(牵头)… (2)…: the (1) items carry the units, so they are the tasks and the
    1. lines are their group headings. Rewritten as （一） headings and 1. tasks for the parser below."""
    items = [x for x in lines if _PAREN_ITEM_RE.match(x)]
    with_units = sum(1 for x in items if split_trailing_units(x)[1] is not None)
    if with_units < 2 or with_units * 2 < len(items):
        return lines
    out = []
    for x in lines:
        tm = _TASK_RE.match(x)
        pm = _PAREN_ITEM_RE.match(x)
        if tm and tm["dot"] and len(x) <= 40 and split_trailing_units(x)[1] is None:
            out.append(f"（{cn_numeral(_to_int(tm['num']))}）{tm['text']}")
        elif pm:
            out.append(f"{pm['num']}.{pm['text']}")
        else:
            out.append(x)
    return out
_LONG_LINE = 200


def _split_long(line: str) -> list[str]:
    if len(line) <= _LONG_LINE or len(_INLINE_ITEM_RE.findall(line)) < 2:
        return [line]
    return [part.strip() for part in _INLINE_ITEM_RE.split(line) if part.strip()]


def clean_lines(text: str) -> list[str]:
    lines = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.replace("\u00a0", " ").replace("\u3000", " ").strip()
        if line and not _is_chrome(line):
            lines.extend(_split_long(line))
    return lines


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _report_items(letter: str) -> tuple[str, ...]:
    m = _REPORT_ITEMS_RE.search(letter)
    if not m:
        return ()
    items = re.split(r"[、,，]|及|和", m.group("items"))
    return tuple(i.strip().removesuffix("等").strip() for i in items if i.strip().removesuffix("等").strip())


def _task_match(line: str, expected: int) -> re.Match[str] | None:
    m = _TASK_RE.match(line)
    if not m:
        return None
    num = _to_int(m.group("num"))
    if m.group("dot"):
        return m if 0 < num < 10000 else None
    # Without a dot the number must be the next one and not the start of "2019年" or "3个".
    if num != expected or m.group("text").startswith(_NO_DOT_FORBIDDEN_NEXT):
        return None
    return m


@dataclass
class LetterInfo:
    """What the notice's letter says about the plan; empty fields when it says nothing."""

    title: str = ""
    year: int = 0
    notice_title: str = ""
    issuer: str = ""
    issued: date | None = None
    deadline: date | None = None
    recipient: str = ""
    report_items: tuple[str, ...] = ()


def read_letter(letter_lines: list[str]) -> LetterInfo:
    """Titles, issuer, dates, recipient and report items from the lines before the plan's table."""
    letter = "\n".join(letter_lines)
    notice_title = next((x for x in letter_lines if _NOTICE_TITLE_RE.match(normalise_text(x))), "")
    notice_title = normalise_text(notice_title)
    plan_title = ""
    for x in reversed(letter_lines):
        cand = normalise_text(x)
        if _PLAN_TITLE_RE.match(cand) and not cand.startswith("关于"):
            plan_title = cand
            break
    if not plan_title and notice_title:
        plan_title = _NOTICE_TITLE_RE.match(notice_title).group("plan")  # type: ignore[union-attr]
    plan_title = plan_title.strip("《》")
    years = re.findall(r"(\d{4})年", plan_title or letter)
    issued = None
    issuer = ""
    for i, x in enumerate(letter_lines):
        dm = _DATE_RE.fullmatch(x.replace(" ", ""))
        if dm:
            issued = _safe_date(int(dm["y"]), int(dm["m"]), int(dm["d"]))
            if i > 0 and _ISSUER_RE.match(letter_lines[i - 1]):
                issuer = letter_lines[i - 1]
    year = int(years[0]) if years else (issued.year if issued else date.today().year)
    deadline = None
    dl = _DEADLINE_RE.search(letter)
    if dl:
        deadline = _safe_date(int(dl["y"] or year), int(dl["m"]), int(dl["d"]))
    recipient = ""
    if dl:
        rm = _RECIPIENT_RE.search(letter, dl.end())
        if rm:
            recipient = normalise_text(rm.group("to"))
    report_items = _report_items(normalise_text(letter))

    return LetterInfo(plan_title, year, notice_title, issuer, issued, deadline, recipient, report_items)


def _is_unit_line(line: str) -> bool:
    return looks_like_unit_line(line) or looks_like_bare_units(line)


def _subsections_are_tasks(lines: list[str]) -> bool:
    """（一）（二）… is the only task level: no "1." task, and some （一） line carries its units."""
    if any(_TASK_RE.match(x) and _TASK_RE.match(x)["dot"] for x in lines):
        return False
    subs = [i for i, x in enumerate(lines) if _SUBSECTION_RE.match(x)]
    if not subs:
        return False
    with_units = sum(1 for i in subs if split_trailing_units(lines[i])[1] is not None
                     or (i + 1 < len(lines) and _is_unit_line(lines[i + 1])))
    return with_units >= 1


def _labelled_units_follow(lines: list[str], i: int) -> bool:
    """A 责任单位：… line follows within two lines, before any numbered or heading line."""
    for x in lines[i + 1 : i + 3]:
        if _LABEL_LINE_RE.match(normalise_text(x)):
            return True
        if _TASK_RE.match(x) or _SECTION_RE.match(x) or _SUBSECTION_RE.match(x):
            return False
    return False


def _bare_number(lines: list[str], i: int, expected: int) -> bool:
    """A number alone on its line (a table copied one cell per line), followed by the task's text.

    Not when the task itself follows with its own number (序号 | 项目 | 1.任务…): that number is the row's."""
    x = lines[i]
    if not (_DIGITS_RE.fullmatch(x) and _to_int(x) == expected and i + 1 < len(lines)):
        return False
    nxt = lines[i + 1]
    if len(nxt) < 4 or nxt.isdigit() or nxt in _HEADER_CELLS:
        return False
    return not any((m := _TASK_RE.match(y)) and m["dot"] and _to_int(m["num"]) == expected
                   for y in lines[i + 1 : i + 3])


def _first_task(line: str) -> bool:
    m = _TASK_RE.match(line)
    return bool(m and m["dot"] and _to_int(m["num"]) == 1)


_TABLE_TITLE_RE = re.compile(r"^\S.{3,60}(?:分解表|任务表|责任表|分工表|清单|台账|一览表|分解方案|责任分工)$")


_DIGITS_RE = re.compile(r"[0-9０-９]{1,4}")
_LABEL_LINE_ANY_RE = re.compile(r"^[(\[【]?[\u4e00-\u9fff]{2,8}(?:单位|部门|科室|股室|领导|分工)\s*[:：]")
_LABEL_LINE_RE = re.compile(r"^[(\[【]?(?:牵头单位|责任单位|牵头部门|责任部门|配合单位|牵头及责任单位)\s*[:：]")


def _find_start(lines: list[str], subs_as_tasks: bool) -> int | None:
    """Where the plan's table begins: the first section heading that is followed by a task."""
    def is_task(j: int) -> bool:
        x = lines[j]
        return bool(_TASK_RE.match(x) or (subs_as_tasks and _SUBSECTION_RE.match(x))
                    or _bare_number(lines, j, 1) or _labelled_units_follow(lines, j))

    start = None
    for i, line in enumerate(lines):
        if _SECTION_RE.match(line) and any(is_task(j) for j in range(i + 1, min(len(lines), i + 6))):
            return i
        if _SECTION_RE.match(line) and start is None:
            start = i
    if start is None:
        start = next((i for i, x in enumerate(lines) if (_first_task(x) or _bare_number(lines, i, 1))), None)
        if start is not None:  # a table's own title just above its header opens the plan
            j = start - 1
            while j >= 0 and start - j <= 8 and (lines[j] in _HEADER_CELLS or len(lines[j]) <= 12):
                j -= 1
            if j >= 0 and _TABLE_TITLE_RE.match(lines[j]):
                start = j
    if start is None and subs_as_tasks:
        start = next((i for i, x in enumerate(lines) if _SUBSECTION_RE.match(x)), None)
    if start is None:
        start = next((i for i, x in enumerate(lines) if _labelled_units_follow(lines, i) and len(x) >= 6), None)
    return start


NO_TASKS = ("没有找到编号的工作任务：找过“1.…”或“（一）…”编号的条目、表头含“序号”“工作任务”“责任单位”的表格、"
            "后面跟着“责任单位：…”的条目，都没有，无法识别为分工方案")


def parse_notice(text: str) -> Plan:
    """Parse a notice's text. Raises :class:`PlanParseError` if no task is found."""
    if not isinstance(text, str):
        raise PlanParseError("输入不是文本")
    lines = _promote_paren_items(clean_lines(text))
    warnings: list[str] = []

    subs_as_tasks = _subsections_are_tasks(lines)
    start = _find_start(lines, subs_as_tasks)
    if start is None:
        raise PlanParseError(NO_TASKS)
    letter_lines = lines[:start]

    info = read_letter(letter_lines)

    sections: list[Section] = []
    subsections: list[Subsection] = []
    drafts: list[_Draft] = []
    body = lines[start:]
    table_header = False  # after a table's title, until its first row: its header cells

    def new_task(num: int, first: str) -> None:
        nonlocal table_header
        table_header = False
        if not sections:
            sections.append(Section("一", "（未分部分）"))
        sub = len(subsections) - 1 if subsections and subsections[-1].section == len(sections) - 1 else None
        first, due_words = pop_due_label(first)
        text, cell = split_trailing_units(first)
        if cell is not None:
            cell, more_due = pop_due_label(cell)
            due_words = due_words or more_due
        drafts.append(_Draft(num, len(sections) - 1, sub, [text], due_text=due_words or ""))
        if cell is not None:
            drafts[-1].units = parse_unit_cell(cell)
            drafts[-1].labelled = True

    pending_number: int | None = None
    for i, line in enumerate(body):
        if line in _HEADER_CELLS:
            continue
        expected = drafts[-1].number + 1 if drafts else 1
        if pending_number is not None:
            new_task(pending_number, line)
            pending_number = None
            continue
        if not subs_as_tasks and _bare_number(body, i, expected):
            pending_number, table_header = expected, False
            continue
        if not subs_as_tasks and table_header and _bare_number(body, i, 1):
            pending_number, table_header = 1, False  # a new table starts again at 1
            continue
        if table_header and len(line) <= 12 and not _is_unit_line(line):
            continue  # the header cells of the table whose title opened this section
        tm = None if subs_as_tasks else _task_match(line, expected)
        if tm:
            num = _to_int(tm.group("num"))
            if drafts and num != expected and num != 1:
                warnings.append(f"任务编号不连续：{drafts[-1].number} 之后是 {num}")
            new_task(num, tm.group("text").strip())
            continue
        sm = _SECTION_RE.match(line)
        if sm:
            sections.append(Section(sm["num"], sm["title"].strip().rstrip("。")))
            continue
        if _TABLE_TITLE_RE.match(line) and not _labelled_units_follow(body, i):
            sections.append(Section(cn_numeral(len(sections) + 1), line.strip()))  # 附件2 …任务分解表
            table_header = True
            continue
        ssm = _SUBSECTION_RE.match(line)
        if ssm and subs_as_tasks:
            new_task(expected, ssm["title"].strip())
            continue
        if ssm:
            if not sections:
                sections.append(Section("一", "（未分部分）"))
            subsections.append(Subsection(len(sections) - 1, ssm["num"], ssm["title"].strip().rstrip("。")))
            continue
        if drafts and is_deadline_cell(line):
            drafts[-1].due_text = pop_due_label(line)[1] or line.strip(" 。.;；")
            continue
        if drafts and _is_unit_line(line):
            cell, due_words = pop_due_label(line)
            units = parse_unit_cell(cell)
            if units.empty and _LABEL_LINE_ANY_RE.match(normalise_text(cell)):
                continue  # 牵头负责领导：金力 — a person, not a unit
            if not units.empty:
                drafts[-1].labelled |= bool(_LABEL_LINE_ANY_RE.match(normalise_text(cell)))
                if drafts[-1].units is not None:
                    warnings.append(f"任务{drafts[-1].number}有两行责任单位，后一行已合并")
                    prev = drafts[-1].units
                    units = parse_unit_cell(prev.raw + ";" + cell)
                drafts[-1].units = units
                drafts[-1].closed = True
                if due_words:
                    drafts[-1].due_text = due_words
                continue
        opens_task = (not drafts or drafts[-1].closed or drafts[-1].section != len(sections) - 1
                      or (subsections and drafts[-1].subsection != len(subsections) - 1))
        if opens_task and _labelled_units_follow(body, i) and len(line) >= 6:
            new_task(expected, line)  # a target followed by its own 责任单位：… line
            continue
        if drafts:
            text, cell = split_trailing_units(line)  # continuation of the task's requirement
            text, due_words = pop_due_label(text)
            if text:
                drafts[-1].lines.append(text)
            if due_words:
                drafts[-1].due_text = due_words
            if cell is not None:
                prev_units = drafts[-1].units
                drafts[-1].units = parse_unit_cell(cell if prev_units is None else prev_units.raw + ";" + cell)
        else:
            warnings.append(f"忽略了方案开头的一行：{line[:30]}")

    if not drafts:
        raise PlanParseError(NO_TASKS)

    renumbered = restart_numbering([d.number for d in drafts], [(d.section, d.subsection) for d in drafts])
    if renumbered is not None:
        for n, d in zip(renumbered, drafts, strict=True):
            d.number = n
        warnings.append(f"任务编号在各部分重新从 1 开始，已按出现顺序统一编为 1–{len(drafts)}")
    seen: set[int] = set()
    for d in drafts:
        if d.number in seen:
            warnings.append(f"任务编号{d.number}重复")
        seen.add(d.number)

    # Units written for each task (labelled or bracketed) do not carry down to a task with none, as a
    # merged table cell does: that task's units were left out (or cut off).
    own = [d for d in drafts if d.units is not None]
    labelled = sum(d.labelled for d in own)
    carry = labelled < 2 or labelled * 2 < len(own)
    if not carry and own:
        # A closing part with no unit at all (二、几点要求) is the notice's requirements, not tasks.
        last_with_units = max(d.section for d in own)
        tail = [d for d in drafts if d.section > last_with_units]
        if tail and all(d.units is None for d in tail):
            titles = "、".join(dict.fromkeys(sections[d.section].title for d in tail))
            warnings.append(f"“{titles}”部分的 {len(tail)} 条没有责任单位，看作通知的要求，未列为任务")
            drafts = [d for d in drafts if d.section <= last_with_units]
    tasks: list[Task] = []
    current: Units | None = None
    for d in drafts:
        inherited = d.units is None and carry
        if d.units is not None or not carry:
            current = d.units
        if current is None:
            warnings.append(f"任务{d.number}没有责任单位")
        body_text = "\n".join(d.lines)
        if d.due_text:
            due, words = parse_due(d.due_text, info.year)
        else:
            due, words = due_in_text(body_text, info.year)
        tasks.append(Task(d.number, d.section, d.subsection, body_text, current or Units(), inherited, due, words))

    return Plan(
        title=info.title or "未命名方案",
        year=info.year,
        notice_title=info.notice_title,
        issuer=info.issuer,
        issued=info.issued,
        deadline=info.deadline,
        recipient=info.recipient,
        report_items=info.report_items,
        sections=tuple(sections),
        subsections=tuple(subsections),
        tasks=tuple(tasks),
        warnings=tuple(warnings),
    )
