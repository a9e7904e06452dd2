"""附件：the 落实情况台账, a table of every assigned task, laid out landscape and printed turned.

Each task is one :class:`~core.report.ledger_row.RuledRow` spanning the 225 mm text block. The column
header is a row of its own: under the title on the first ledger page, and drawn by the page template at
the top of every later page (see :class:`~core.report.layout.ReportDocTemplate`). A row taller than what
is left of a page continues on the next one, its number cell saying 续.

Column widths fit their content: the short columns (序号, 角色, 责任股室, 完成时限, 状态, 佐证材料) are as
wide as their longest line (within limits), and the four text columns share the rest.

A very long cell (more than about :data:`LONG_LINES` lines in its column, estimated from its width) is
not poured into its narrow column page after page: the cell says 见下行, and the text follows in a row
spanning the whole width right under the task's row (``落实情况（任务7）：…``).
"""

from __future__ import annotations

from math import ceil

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from core.report.document import LedgerRow, ReportContent
from core.report.layout import LAND_BLOCK_W, TABLE_LEADING, TABLE_SIZE
from core.report.ledger_row import PAD_X, PAD_Y, RuledRow
from core.report.linebreak import CJKParagraph
from core.report.text import paragraphs
from core.report.typeset import Typesetter

HEADERS = ("序号", "工作任务", "本单位角色", "责任股室", "完成时限", "落实情况", "状态", "存在问题", "下一步措施",
           "佐证材料")
TEXT_COLUMNS = {1: 0.22, 5: 0.36, 7: 0.21, 8: 0.21}
#: Narrow columns: (fewest, most) characters of 五号 on one line. 完成时限 prints 2019年 / 12月31日 on two
#: lines; 佐证材料 is two characters wide (佐证 / 材料) until there is evidence to list.
_NARROW_CHARS = {0: (2.5, 3), 2: (3, 3), 3: (4, 6), 4: (4, 5), 6: (4, 4), 9: (2, 8)}
#: A row is split only if at least three lines of it fit; otherwise it starts on the next page.
MIN_SPLIT = 3 * TABLE_LEADING + 2 * PAD_Y
#: ... and at least two lines of its tallest cell go on to the next page.
MIN_REST = 2 * TABLE_LEADING
#: A cell taller than this many lines moves to a full-width row below its task's row.
LONG_LINES = 18
EMPTY = "——"


def _cells(row: LedgerRow) -> list[list[str]]:
    """Each column's lines of text (one paragraph each)."""
    achievements = paragraphs(row.achievements)
    steps = paragraphs(row.steps)
    if steps:
        achievements += ["实施步骤：" + steps[0], *steps[1:]]
    due = [row.due[: row.due.index("年") + 1], row.due[row.due.index("年") + 1:]] if "年" in row.due else [row.due]
    return [[str(row.number)], paragraphs(row.task), [row.role], paragraphs(row.owner) or [EMPTY],
            [x for x in due if x] or [EMPTY], achievements, [row.status], paragraphs(row.problems),
            paragraphs(row.next_steps), list(row.evidence)]


def column_widths(rows: tuple[LedgerRow, ...]) -> tuple[float, ...]:
    """Widths in points that fit the content: narrow columns as wide as their longest line, within limits."""
    em = TABLE_SIZE
    widths: dict[int, float] = {}
    for col, (least, most) in _NARROW_CHARS.items():
        longest = max((len(x) - sum(c.isascii() for c in x) / 2 for r in rows for x in _cells(r)[col]), default=0)
        widths[col] = min(max(longest, least), most) * em + 2 * PAD_X + 1
    rest = LAND_BLOCK_W - sum(widths.values())
    return tuple(widths[i] if i in widths else rest * TEXT_COLUMNS[i] for i in range(len(HEADERS)))


def ledger_header(ts: Typesetter, widths: tuple[float, ...]) -> RuledRow:
    """The column header row (drawn again at the top of every ledger page)."""
    return RuledRow([ts.para(h, ts.styles.cell_head) for h in HEADERS], widths, middle=True)


def _rows(ts: Typesetter, row: LedgerRow, widths: tuple[float, ...]) -> list[Flowable]:
    st = ts.styles
    centred = {0, 2, 4, 6}
    cells: list[CJKParagraph | None] = []
    long: list[tuple[int, list[str]]] = []
    font = st.cell.fontName
    for col, lines in enumerate(_cells(row)):
        if not lines:
            cells.append(None)
            continue
        # Estimated from the text's width, so that no cell is wrapped before the frame places its row
        # (wrapping every cell up front kept all their lines in memory until the end of the build).
        inner = widths[col] - 2 * PAD_X
        estimate = sum(ceil(stringWidth(x, font, TABLE_SIZE) / inner) for x in lines)
        if estimate > LONG_LINES:
            long.append((col, lines))
            cells.append(ts.para("（见下行）", st.cell_center))
        else:
            cells.append(ts.lines_para(lines, st.cell_center if col in centred else st.cell))

    def continued() -> CJKParagraph:
        return ts.para(f"{row.number}（续）", st.cell_note)

    out: list[Flowable] = [RuledRow(cells, widths, continued, MIN_SPLIT, min_rest=MIN_REST)]
    for col, lines in long:
        label = f"{HEADERS[col]}（任务{row.number}）：{lines[0]}"
        span = ts.lines_para([label, *lines[1:]], st.cell)
        out.append(RuledRow([span], (sum(widths),), None, MIN_SPLIT, min_rest=MIN_REST))
    return out


def ledger_story(ts: Typesetter, content: ReportContent, widths: tuple[float, ...]) -> list[Flowable]:
    """Page break to the ledger pages, 附件 label, title, header and one row per task."""
    st = ts.styles
    story: list[Flowable] = [
        NextPageTemplate("ledger_first"),
        PageBreak(),
        NextPageTemplate("ledger"),
        ts.para("附件", st.annex_label),
        ts.para(content.ledger_title, st.annex_title, convert=False),
        ledger_header(ts, widths),
    ]
    for row in content.ledger_rows:
        story += _rows(ts, row, widths)
    return story
