"""The report as content, composed once and written as PDF, Word or Excel.

``compose_report`` (core/report/compose.py) turns the plan, roles, progress and report texts into a
:class:`ReportContent`; each writer (PDF, DOCX, XLSX) renders the same object, so the three can never say
different things. Nothing here knows about fonts, pages or file formats.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date


class BlockKind(enum.Enum):
    TITLE = "title"  # 2号小标宋, centred; ``lines`` gives the title's line breaks (梯形/菱形)
    RECIPIENT = "recipient"  # 主送机关, flush left, ends with a full-width colon
    H1 = "h1"  # 一、 in 黑体
    H2 = "h2"  # （一） in 楷体
    BODY = "body"  # a paragraph of 仿宋, indented two characters
    CLOSING = "closing"  # 特此报告。 and the like: body text kept with the signature
    #: The whole line "附件：<ledger_title>", one blank line below the body, two characters in; a second line
    #: aligns with the name's first character (GB/T 9704 7.3.4).
    ANNEX_NOTE = "annex_note"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    #: For TITLE: the text split into its printed lines; empty means the writer decides.
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signature:
    """署名 and 成文日期 (GB/T 9704 7.3.5)."""

    signer: str  # the issuing office's full name, e.g. 悦城镇人民政府
    date_text: str  # 2019年12月4日
    sealed: bool = False  # True: laid out for a seal (印章) over name and date
    contact: str = ""  # （联系人：…，联系电话：…）, printed under the date when set


@dataclass(frozen=True)
class LedgerRow:
    """One assigned task in the 台账 (附件), every cell as plain text."""

    number: int
    task: str  # the requirement, full text
    short_name: str  # e.g. 市长留言办理: how the body names the task
    role: str  # 牵头 / 负责 / 配合 / 相关
    owner: str  # 责任股室/责任人
    due: str  # 2019年12月31日, or empty
    status: str  # 已完成 …
    percent: int
    steps: str  # 实施步骤
    achievements: str  # 成效做法
    problems: str  # 存在问题
    next_steps: str  # 下一步措施
    updated_at: str  # last save, ISO; empty if never saved
    evidence: tuple[str, ...] = ()  # 佐证材料: "12-1 会议照片", …
    changed: bool = False  # changed since the last archived round
    filled: bool = True  # False: no saved entry (未填写); the PDF/Word annex leaves such rows out


@dataclass(frozen=True)
class ReportContent:
    """Everything one office's 落实情况报告 says, in reading order."""

    office: str
    plan_title: str
    report_date: date
    title: str
    blocks: tuple[Block, ...]
    signature: Signature
    ledger_title: str = ""  # empty: no 附件 in the PDF/Word report
    #: Every assigned task, also when the report has no 附件 (the Excel 台账 always has them).
    ledger_rows: tuple[LedgerRow, ...] = ()
    round_label: str = ""  # 2019年全年, 2019年上半年 …
    #: Things the clerk should hear before submitting (no notes at all, official fonts missing …).
    warnings: tuple[str, ...] = field(default=())
    #: False when the office wrote no note at all (no per-task note, no report-level text): such a report
    #: says only 总体情况, and is archived as submitted only when the clerk confirms.
    has_notes: bool = True

    @property
    def has_ledger(self) -> bool:
        return bool(self.ledger_title)
