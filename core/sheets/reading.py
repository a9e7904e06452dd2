"""Reading answer sheets back, whatever a 股室 did to them.

Columns are found by their header words, so added, moved or hidden columns do no harm; rows are read one by
one, so sorted or filtered rows do none either; the 股室 comes from the hidden column, not the sheet's name.
Nothing is decided here: every row with content is handed on (``review`` matches it to a task), and problems
the reader meets are named.
"""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from core.sheets import cells
from core.sheets.layout import HEADER_WORDS

#: The first rows searched for the header.
HEADER_SCAN = 15
#: Rows read per sheet at most (a plan has a few hundred tasks; a sheet dragged to row 1,048,576 is not read).
MAX_ROWS = 5_000
SAVE_AS_XLSX = "请在 WPS 或 Excel 中用“另存为”保存成 .xlsx 格式（Excel 工作簿）后再导入"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class SheetFileError(ValueError):
    """The file cannot be read as an answer sheet: the message says why and what to do."""


@dataclass(frozen=True)
class SheetRow:
    file: str
    sheet: str
    row: int  # 1-based, as the spreadsheet shows it
    values: dict[str, str]  # column key → text as read (keys from layout.HEADER_WORDS)
    formulas: tuple[str, ...] = ()  # keys whose cell held a formula (never taken)

    def get(self, key: str) -> str:
        return self.values.get(key, "").strip()

    @property
    def place(self) -> str:
        return f"{self.file}「{self.sheet}」第 {self.row} 行"


@dataclass
class AnswerFile:
    name: str
    rows: list[SheetRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    added_columns: list[str] = field(default_factory=list)  # headers the app did not write (ignored)


def _header_key(text: str) -> str | None:
    word = cells.squeeze(text)
    if not word:
        return None
    for key, words in HEADER_WORDS.items():
        if word in words:
            return key
    for key, words in HEADER_WORDS.items():  # 本季度落实情况, 存在的问题: a word inside the header
        if any(len(w) >= 2 and w in word and not w.startswith("〔") for w in words):
            return key
    return None


def _find_header(grid: list[list[object]]) -> tuple[int, dict[int, str], list[str]] | None:
    """(row index, column → key, headers not understood) of the row that reads most like our header."""
    best = None
    for i, row in enumerate(grid[:HEADER_SCAN]):
        keys: dict[int, str] = {}
        unknown = []
        for j, v in enumerate(row):
            text = cells.read(v)
            key = _header_key(text) if isinstance(v, str) else None
            if key is not None and key not in keys.values():
                keys[j] = key
            elif text.strip():
                unknown.append(text.strip())
        found = set(keys.values())
        usable = ("number" in found or "task" in found or "text" in found) and len(found) >= 3
        if usable and (best is None or len(found) > len(set(best[1].values()))):
            best = (i, keys, unknown)
    return best


def check_kind(path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et", ".ett", ".ods"):
        raise SheetFileError(f"{path.name} 是 {suffix} 格式，本软件只读 .xlsx：{SAVE_AS_XLSX}。")
    try:
        with path.open("rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise SheetFileError(f"无法读取 {path.name}：{exc.strerror or exc}") from None
    if head == _OLE:
        raise SheetFileError(f"{path.name} 实际是旧版 .xls 或 WPS .et 格式：{SAVE_AS_XLSX}。")
    if not zipfile.is_zipfile(path):
        raise SheetFileError(f"{path.name} 不是 Excel 工作簿（.xlsx）：{SAVE_AS_XLSX}。")


def read_answers(path: Path) -> AnswerFile:
    """Every row with content under a recognised header, in every worksheet of ``path``."""
    from openpyxl import load_workbook

    path = Path(path)
    check_kind(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        logging.getLogger(__name__).warning("工作簿无法打开：%s", path, exc_info=True)
        raise SheetFileError(
            f"{path.name} 无法作为 Excel 工作簿打开（{type(exc).__name__}）：{SAVE_AS_XLSX}。") from None
    out = AnswerFile(path.name)
    try:
        for ws in wb.worksheets:
            grid: list[list[object]] = []
            formula_cells: set[tuple[int, int]] = set()
            for k, row in enumerate(ws.iter_rows()):
                if k >= MAX_ROWS:
                    out.problems.append(f"「{ws.title}」超过 {MAX_ROWS:,} 行，后面的行没有读取")
                    break
                grid.append([getattr(c, "value", None) for c in row])
                formula_cells |= {(k, j) for j, c in enumerate(row) if getattr(c, "data_type", "") == "f"}
            found = _find_header(grid)
            if found is None:
                if any(cells.read(v).strip() for row in grid for v in row):
                    out.problems.append(f"「{ws.title}」没有找到表头（序号、工作任务、状态……），整张表没有读取")
                continue
            head, keys, unknown = found
            out.added_columns += [f"「{ws.title}」{u}" for u in unknown if u not in out.added_columns]
            for i in range(head + 1, len(grid)):
                values: dict[str, str] = {}
                formulas = []
                for j, key in keys.items():
                    v = grid[i][j] if j < len(grid[i]) else None
                    text = cells.read(v)
                    if (i, j) in formula_cells:
                        formulas.append(key)  # a formula typed by the 股室: its text is not an answer
                    values[key] = text
                if any(t.strip() for t in values.values()):
                    out.rows.append(SheetRow(path.name, ws.title, i + 1, values, tuple(formulas)))
    finally:
        wb.close()
    return out
