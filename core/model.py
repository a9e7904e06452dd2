"""Plain data types for a work plan (分工方案) and an office's place in it.

Everything here is immutable and free of storage or UI concerns; the parser builds these,
``db/`` stores them and ``gui/`` shows them.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from datetime import date


class Role(enum.IntEnum):
    """An office's role for a task; a larger value is a stronger role."""

    NONE = 0
    RELATED = 1
    COOPERATING = 2
    RESPONSIBLE = 3
    LEAD = 4

    @property
    def key(self) -> str:
        return self.name.lower()

    @classmethod
    def from_key(cls, key: str) -> Role:
        try:
            return cls[key.upper()]
        except KeyError:
            raise ValueError(f"unknown role: {key!r}") from None


ROLE_LABELS = {
    Role.LEAD: "牵头",
    Role.RESPONSIBLE: "负责",
    Role.COOPERATING: "配合",
    Role.RELATED: "相关",
    Role.NONE: "无",
}


class Status(enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ONGOING = "ongoing"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.NOT_STARTED: "未开始",
    Status.IN_PROGRESS: "推进中",
    Status.DONE: "已完成",
    Status.ONGOING: "持续推进",
    Status.NOT_APPLICABLE: "不适用",
}


class OfficeKind(enum.Enum):
    TOWN = "town"  # 镇 and 街道: township-level offices
    DEPARTMENT = "department"  # county departments (县…局/办/委)


@dataclass(frozen=True)
class Office:
    """An office that keeps a ledger: a town (镇, 街道) or a county department."""

    name: str
    kind: OfficeKind
    builtin: bool = True
    aliases: tuple[str, ...] = ()  # other names the clerk's office goes by (悦城镇人民政府, 悦城)


@dataclass(frozen=True)
class Units:
    """A parsed unit cell (牵头及责任单位).

    ``raw`` is the cell exactly as printed; the lists hold normalised names, including
    category phrases such as 各镇政府(街道办) that stand for many offices.
    """

    raw: str = ""
    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()  # (canonical, alias), e.g. (县财政局, 县金融局)
    and_others: bool = False  # a list ended in 等有关部门: other departments are related

    @property
    def empty(self) -> bool:
        return not (self.lead or self.responsible or self.cooperating)

    def all_names(self) -> tuple[str, ...]:
        return self.lead + self.responsible + self.cooperating


@dataclass(frozen=True)
class Section:
    """A part of the plan (一、…): its number and title."""

    number: str  # 一
    title: str


@dataclass(frozen=True)
class Subsection:
    """A part of a section ((一)…)."""

    section: int  # index into Plan.sections
    number: str  # 一
    title: str


@dataclass(frozen=True)
class Task:
    """One numbered task of the plan: its words, its unit cell and its deadline."""

    number: int
    section: int  # index into Plan.sections
    subsection: int | None  # index into Plan.subsections
    text: str
    units: Units
    units_inherited: bool = False  # units came from a merged cell above
    due: date | None = None  # the plan's deadline for the task, when one can be read (6月底前 → 06-30)
    due_text: str = ""  # the deadline as the plan words it (6月底前, 长期坚持); empty when the plan gives none

    @property
    def first_line(self) -> str:
        return self.text.split("\n", 1)[0]


@dataclass(frozen=True)
class Plan:
    """A work plan as issued: the letter's details, its sections and subsections, and its tasks."""

    title: str  # 德庆县2019年政务公开工作要点分工方案
    year: int
    notice_title: str = ""  # 关于印发…的通知
    issuer: str = ""
    issued: date | None = None
    deadline: date | None = None
    recipient: str = ""  # 县府办(政务信息股)
    report_items: tuple[str, ...] = ()  # 成效做法、存在问题、下一步措施
    sections: tuple[Section, ...] = ()
    subsections: tuple[Subsection, ...] = ()
    tasks: tuple[Task, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def task(self, number: int) -> Task:
        for t in self.tasks:
            if t.number == number:
                return t
        raise KeyError(number)

    def section_label(self, task: Task) -> str:
        s = self.sections[task.section]
        return f"{s.number}、{s.title}"

    def subsection_label(self, task: Task) -> str:
        if task.subsection is None:
            return ""
        s = self.subsections[task.subsection]
        return f"({s.number}){s.title}"


@dataclass(frozen=True)
class Progress:
    """What an office recorded for one task. Text fields are kept exactly as typed."""

    task: int
    status: Status = Status.NOT_STARTED
    percent: int = 0
    owner: str = ""  # 责任股室/责任人
    due: date | None = None
    steps: str = ""  # 实施步骤
    achievements: str = ""  # 成效做法
    problems: str = ""  # 存在问题
    next_steps: str = ""  # 下一步措施
    updated_at: str = ""  # ISO timestamp of the last save, empty if never saved

    @property
    def touched(self) -> bool:
        return bool(self.updated_at)


#: The longest text one progress field may hold (the editor and every import refuse more).
MAX_FIELD_CHARS = 100_000


@dataclass(frozen=True)
class FieldSpec:
    """One field of a progress entry: its name in code and files, its label on screen, its length limit."""

    name: str
    label: str
    limit: int | None = None  # characters, for text fields


#: The progress fields, declared once: the window, the CLI, the importers and the report read them from here.
PROGRESS_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("status", "状态"),
    FieldSpec("percent", "进度"),
    FieldSpec("owner", "责任股室/责任人", MAX_FIELD_CHARS),
    FieldSpec("due", "完成时限"),
    FieldSpec("steps", "实施步骤", MAX_FIELD_CHARS),
    FieldSpec("achievements", "成效做法", MAX_FIELD_CHARS),
    FieldSpec("problems", "存在问题", MAX_FIELD_CHARS),
    FieldSpec("next_steps", "下一步措施", MAX_FIELD_CHARS),
)
FIELD_LABELS: dict[str, str] = {f.name: f.label for f in PROGRESS_FIELDS}
TEXT_FIELDS: tuple[str, ...] = tuple(f.name for f in PROGRESS_FIELDS if f.limit is not None)
#: The four notes the clerk writes per task, in the order the detail pane shows them.
NOTE_FIELDS: tuple[str, ...] = ("steps", "achievements", "problems", "next_steps")


@dataclass(frozen=True)
class ReportTexts:
    """Report-level texts, stored per (plan, office) and edited in the report dialog."""

    opening: str = ""
    closing: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    signer: str = ""  # the issuing office's full name as printed; empty means the default (悦城镇人民政府)
    # Report-level texts, written once per report; each leads its part before the per-task notes.
    achievements_intro: str = ""  # 二、主要成效做法: the overview
    problems_intro: str = ""  # 三、存在问题
    next_steps_intro: str = ""  # 四、下一步措施
    round_label: str = ""  # 报送轮次, e.g. 2019年全年; empty means the default for the report date
    sealed: bool = False  # 署名 laid out for a seal (GB/T 9704 7.3.5.1) instead of unsealed (7.3.5.2)
    #: 二、主要成效做法 per plan section (index = the section's index in Plan.sections): where one is written,
    #: the section prints it and its tasks appear in the annex only (unless ``detailed``).
    section_summaries: tuple[str, ...] = ()
    detailed: bool = False  # 详细: the per-task items print also under a written summary (简要 when False)

    def summary(self, section: int) -> str:
        """The clerk's summary of one section ("" when none)."""
        return self.section_summaries[section] if 0 <= section < len(self.section_summaries) else ""

    def with_summary(self, section: int, text: str) -> ReportTexts:
        """A copy with one section's summary replaced (the tuple grows as needed)."""
        items = list(self.section_summaries) + [""] * max(0, section + 1 - len(self.section_summaries))
        items[section] = text
        while items and not items[-1].strip():
            items.pop()
        return dataclasses.replace(self, section_summaries=tuple(items))
