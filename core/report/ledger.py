"""附件：落实情况台账, a landscape table of every assigned task.

Each task is one :class:`~core.report.ledger_row.LedgerRow` spanning the full landscape text block
(225 mm). The column header is a row of its own: under the title on the first ledger page, and drawn
by the page template at the top of every later page (see :class:`~core.report.layout.ReportDocTemplate`).
A row taller than what is left of a page continues on the next one, its number cell saying 续.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from core.model import ROLE_LABELS, Progress, Task
from core.report.content import ReportData
from core.report.layout import LAND_BLOCK_W, TABLE_LEADING
from core.report.ledger_row import PAD_Y, LedgerRow
from core.report.linebreak import CJKParagraph
from core.report.text import paragraphs
from core.report.typeset import Typesetter

HEADERS = ("序号", "工作任务", "本单位角色", "责任股室", "完成时限", "落实情况", "状态", "存在问题", "下一步措施")
#: Column widths in points. Narrow columns fit their usual content on one or two lines at 五号
#: (序号 "7（续）" in small print, 牵头, 镇党政办, 2019年 / 12月31日 on two lines, 持续推进); the four text columns
#: share the rest of the 225 mm block, 落实情况 (with the 实施步骤) widest.
_NARROW = {0: 34.0, 2: 37.0, 3: 52.0, 4: 50.0, 6: 48.0}
_WIDE_SHARES = {1: 0.24, 5: 0.36, 7: 0.20, 8: 0.20}
_REST = LAND_BLOCK_W - sum(_NARROW.values())
COL_WIDTHS: tuple[float, ...] = tuple(_NARROW.get(i, _REST * _WIDE_SHARES.get(i, 0.0)) for i in range(len(HEADERS)))
#: A row is split only if at least three lines of it fit; otherwise it starts on the next page.
MIN_SPLIT = 3 * TABLE_LEADING + 2 * PAD_Y
#: ... and at least two lines of its tallest cell go on to the next page.
MIN_REST = 2 * TABLE_LEADING


def ledger_title(data: ReportData) -> str:
    return f"{data.office}落实《{data.plan.title}》情况台账"


def _achievements(p: Progress) -> list[str]:
    lines = paragraphs(p.achievements)
    steps = paragraphs(p.steps)
    if steps:
        lines = [*lines, "实施步骤：" + steps[0], *steps[1:]]
    return lines


def ledger_header(ts: Typesetter) -> LedgerRow:
    """The column header row (drawn again at the top of every ledger page)."""
    return LedgerRow([ts.para(h, ts.styles.cell_head) for h in HEADERS], COL_WIDTHS, middle=True)


def _task_row(ts: Typesetter, data: ReportData, task: Task) -> LedgerRow:
    st = ts.styles
    p = data.progress[task.number]

    def lines(texts: list[str]) -> CJKParagraph | None:
        return ts.lines_para(texts, st.cell) if texts else None

    def continued() -> CJKParagraph:
        return ts.para(f"{task.number}（续）", st.cell_note)

    cells = [
        ts.para(str(task.number), st.cell_center),
        lines(paragraphs(task.text)),
        ts.para(ROLE_LABELS[data.roles[task.number]], st.cell_center),
        lines(paragraphs(p.owner)),
        ts.lines_para([f"{p.due.year}年", f"{p.due.month}月{p.due.day}日"], st.cell_center) if p.due else None,
        lines(_achievements(p)),
        ts.para(p.status.label, st.cell_center),
        lines(paragraphs(p.problems)),
        lines(paragraphs(p.next_steps)),
    ]
    return LedgerRow(cells, COL_WIDTHS, continued, MIN_SPLIT, min_rest=MIN_REST)


def ledger_story(ts: Typesetter, data: ReportData) -> list[Flowable]:
    """Page break to landscape, 附件 label, title, header and one row per task."""
    st = ts.styles
    story: list[Flowable] = [
        NextPageTemplate("ledger_first"),
        PageBreak(),
        NextPageTemplate("ledger"),
        ts.para("附件", st.annex_label),
        ts.title(ledger_title(data), st.annex_title),
        ledger_header(ts),
    ]
    story += [_task_row(ts, data, task) for task in data.tasks]
    return story
