"""附件：落实情况台账, a landscape table of every assigned task.

reportlab can't split one table row across pages, so a row taller than a page is cut into
several rows here (each cell's paragraph split by lines, the number column saying 续), and no
text is lost however long a note is.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Table, TableStyle
from reportlab.platypus.paragraph import Paragraph

from core.model import ROLE_LABELS, Progress, Task
from core.report.content import ReportData
from core.report.layout import LAND_BLOCK_H, LAND_BLOCK_W, TABLE_LEADING
from core.report.text import chinese_date, paragraphs
from core.report.typeset import Typesetter

HEADERS = ("序号", "工作任务", "本单位角色", "责任股室", "完成时限", "落实情况", "状态", "存在问题", "下一步措施")
# Column widths as shares of the landscape text block (225 mm).
_SHARES = (0.045, 0.17, 0.06, 0.07, 0.075, 0.25, 0.08, 0.125, 0.125)
COL_WIDTHS = tuple(LAND_BLOCK_W * s for s in _SHARES)
PAD = 3.0
#: Tallest piece of one row; leaves room for the repeated header on every page.
MAX_ROW_HEIGHT = LAND_BLOCK_H - 3 * TABLE_LEADING - 4 * PAD


def ledger_title(data: ReportData) -> str:
    return f"{data.office}落实《{data.plan.title}》情况台账"


def _achievements(p: Progress) -> list[str]:
    lines = paragraphs(p.achievements)
    steps = paragraphs(p.steps)
    if steps:
        lines = [*lines, "实施步骤：" + steps[0], *steps[1:]]
    return lines


def _split_cell(para: Paragraph, width: float) -> list[Paragraph]:
    """Pieces of ``para`` each at most :data:`MAX_ROW_HEIGHT` tall."""
    pieces: list[Paragraph] = []
    inner = width - 2 * PAD
    while True:
        _, h = para.wrap(inner, MAX_ROW_HEIGHT)
        if h <= MAX_ROW_HEIGHT:
            pieces.append(para)
            return pieces
        parts = para.split(inner, MAX_ROW_HEIGHT)
        if len(parts) < 2:  # cannot split further; give it whole rather than lose text
            pieces.append(para)
            return pieces
        pieces.append(parts[0])
        para = parts[1]


def _task_rows(ts: Typesetter, data: ReportData, task: Task) -> list[list[Flowable | str]]:
    st = ts.styles
    p = data.progress[task.number]
    cells: list[Paragraph] = [
        ts.para(str(task.number), st.cell_center),
        ts.lines_para(paragraphs(task.text), st.cell),
        ts.para(ROLE_LABELS[data.roles[task.number]], st.cell_center),
        ts.lines_para(paragraphs(p.owner), st.cell),
        ts.para(chinese_date(p.due) if p.due else "", st.cell_center),
        ts.lines_para(_achievements(p), st.cell),
        ts.para(p.status.label, st.cell_center),
        ts.lines_para(paragraphs(p.problems), st.cell),
        ts.lines_para(paragraphs(p.next_steps), st.cell),
    ]
    split = [_split_cell(c, w) for c, w in zip(cells, COL_WIDTHS, strict=False)]
    n = max(len(s) for s in split)
    if n == 1:
        return [list(cells)]
    rows: list[list[Flowable | str]] = []
    for k in range(n):
        row: list[Flowable | str] = [s[k] if k < len(s) else "" for s in split]
        if k > 0:
            row[0] = ts.para(f"{task.number}（续）", st.cell_center)
        rows.append(row)
    return rows


def ledger_story(ts: Typesetter, data: ReportData) -> list[Flowable]:
    """Page break to landscape, 附件 label, title and the table."""
    st = ts.styles
    rows: list[list[Flowable | str]] = [[ts.para(h, st.cell_head) for h in HEADERS]]
    for task in data.tasks:
        task_rows = _task_rows(ts, data, task)
        rows += task_rows
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONTNAME", (0, 0), (-1, -1), ts.fonts.primary("body")),  # for empty string cells
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("VALIGN", (1, 1), (1, -1), "TOP"),
        ("VALIGN", (3, 1), (3, -1), "TOP"),
        ("VALIGN", (5, 1), (5, -1), "TOP"),
        ("VALIGN", (7, 1), (8, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), PAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD),
    ]
    table = Table(rows, colWidths=list(COL_WIDTHS), repeatRows=1, splitByRow=1, style=TableStyle(style))
    return [
        NextPageTemplate("ledger"),
        PageBreak(),
        ts.para("附件", st.annex_label),
        ts.title(ledger_title(data), st.annex_title),
        table,
    ]
