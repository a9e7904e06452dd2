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

from core.model import Plan, Section, Subsection, Task, Units
from core.units import (
    looks_like_bare_units,
    looks_like_unit_line,
    normalise_text,
    parse_unit_cell,
    split_trailing_units,
)

CN_NUMERALS = "一二三四五六七八九十"
_SECTION_RE = re.compile(rf"^(?P<num>[{CN_NUMERALS}]+)\s*[、.．]\s*(?P<title>.+)$")
_SUBSECTION_RE = re.compile(rf"^[(（]\s*(?P<num>[{CN_NUMERALS}]+)\s*[)）]\s*(?P<title>.+)$")
# 1. / 1． / 1、 / １． / 4各镇… (no dot). Digits may be full-width.
_TASK_RE = re.compile(r"^(?P<num>[0-9０-９]{1,4})\s*(?P<dot>[.．、)）]?)\s*(?P<text>\S.*)$")
_NO_DOT_FORBIDDEN_NEXT = tuple("年月日号%％个项条万元人次岁")
_CHROME = (
    re.compile(r"^登\s*录\s*注\s*册$"),
    re.compile(r"^来源[:：].*"),
    re.compile(r".*点击数.*"),
    re.compile(r".*(微信)?扫一扫.*"),
    re.compile(r"^[•·#\s]+$"),
    re.compile(r"^(打印本页|关闭窗口|分享到.*|【\s*打印\s*】.*|上一篇.*|下一篇.*)$"),
)
_HEADER_CELLS = {"工作任务", "具体要求", "牵头及责任单位", "责任单位", "牵头单位", "序号", "任务", "责任部门",
                 "工作要求", "一级要点", "二级要点", "完成时限", "备注"}
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


def _to_int(digits: str) -> int:
    return int(digits.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def _is_chrome(line: str) -> bool:
    return any(p.match(line) for p in _CHROME)


def clean_lines(text: str) -> list[str]:
    lines = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.replace("\u00a0", " ").replace("\u3000", " ").strip()
        if line and not _is_chrome(line):
            lines.append(line)
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


def parse_notice(text: str) -> Plan:
    """Parse a notice's text. Raises :class:`PlanParseError` if no numbered task is found."""
    if not isinstance(text, str):
        raise PlanParseError("输入不是文本")
    lines = clean_lines(text)
    warnings: list[str] = []

    # Where the plan's table begins: the first section heading that is followed by a task.
    start = None
    for i, line in enumerate(lines):
        if _SECTION_RE.match(line) and any(_TASK_RE.match(x) for x in lines[i + 1 : i + 4]):
            start = i
            break
        if _SECTION_RE.match(line) and start is None:
            start = i
    if start is None:
        start = next((i for i, x in enumerate(lines) if _task_match(x, 1)), None)
    if start is None:
        raise PlanParseError("没有找到编号的工作任务（如“1.…”），无法识别为分工方案")
    letter_lines = lines[:start]

    info = read_letter(letter_lines)

    sections: list[Section] = []
    subsections: list[Subsection] = []
    drafts: list[_Draft] = []
    for line in lines[start:]:
        if line in _HEADER_CELLS:
            continue
        expected = drafts[-1].number + 1 if drafts else 1
        tm = _task_match(line, expected)
        if tm:
            num = _to_int(tm.group("num"))
            if drafts and num != expected:
                warnings.append(f"任务编号不连续：{drafts[-1].number} 之后是 {num}")
            if not sections:
                sections.append(Section("一", "（未分部分）"))
            sub = len(subsections) - 1 if subsections and subsections[-1].section == len(sections) - 1 else None
            text, cell = split_trailing_units(tm.group("text").strip())
            drafts.append(_Draft(num, len(sections) - 1, sub, [text]))
            if cell is not None:
                drafts[-1].units = parse_unit_cell(cell)
            continue
        sm = _SECTION_RE.match(line)
        if sm:
            sections.append(Section(sm["num"], sm["title"].strip().rstrip("。")))
            continue
        ssm = _SUBSECTION_RE.match(line)
        if ssm:
            if not sections:
                sections.append(Section("一", "（未分部分）"))
            subsections.append(Subsection(len(sections) - 1, ssm["num"], ssm["title"].strip().rstrip("。")))
            continue
        if drafts and (looks_like_unit_line(line) or looks_like_bare_units(line)):
            units = parse_unit_cell(line)
            if not units.empty:
                if drafts[-1].units is not None:
                    warnings.append(f"任务{drafts[-1].number}有两行责任单位，后一行已合并")
                    prev = drafts[-1].units
                    units = parse_unit_cell(prev.raw + ";" + line)
                drafts[-1].units = units
                continue
        if drafts:
            text, cell = split_trailing_units(line)  # continuation of the task's requirement
            drafts[-1].lines.append(text)
            if cell is not None:
                prev_units = drafts[-1].units
                drafts[-1].units = parse_unit_cell(cell if prev_units is None else prev_units.raw + ";" + cell)
        else:
            warnings.append(f"忽略了方案开头的一行：{line[:30]}")

    if not drafts:
        raise PlanParseError("没有找到编号的工作任务（如“1.…”），无法识别为分工方案")

    tasks: list[Task] = []
    current: Units | None = None
    seen: set[int] = set()
    for d in drafts:
        inherited = d.units is None
        if d.units is not None:
            current = d.units
        if d.number in seen:
            warnings.append(f"任务编号{d.number}重复")
        seen.add(d.number)
        if current is None:
            warnings.append(f"任务{d.number}没有责任单位")
        tasks.append(Task(d.number, d.section, d.subsection, "\n".join(d.lines), current or Units(), inherited))

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
