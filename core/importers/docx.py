"""Word documents (.docx) read with the standard library.

A plan in Word is either a table (merged cells: ``w:vMerge`` continues a cell down, ``w:gridSpan``
widens it across) or numbered paragraphs. Word's automatic numbering is not in the text, so it is
rebuilt from ``numbering.xml`` well enough for "1." and "一、" lists.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree as ET

from core.importers.columns import ColumnMapping
from core.importers.detect import check_zip_sizes
from core.importers.result import MAX_LINES, ImportResult, PlanImportError
from core.importers.table import Cell, TableSeries, cn_numeral, flatten
from core.importers.text import import_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_PARAGRAPHS = 100_000  # table cells included (5,000 rows of a few cells each)
MAX_XML = 20 * 1024 * 1024  # the body of a 68-task plan is ~0.3 MB; checked on the declared size
_CN_FORMATS = {"chineseCounting", "chineseCountingThousand", "japaneseCounting", "ideographTraditional",
               "chineseLegalSimplified"}


class _Numbering:
    """Automatic list numbers: counters per abstract list, formatted by each level's lvlText."""

    def __init__(self, xml: bytes | None) -> None:
        self.num_to_abstract: dict[str, str] = {}
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (abstract, ilvl) -> fmt, text, start
        self.counters: dict[str, list[int]] = {}
        if not xml:
            return
        root = ET.fromstring(xml)
        for an in root.iter(f"{W}abstractNum"):
            aid = an.get(f"{W}abstractNumId", "")
            for lvl in an.iter(f"{W}lvl"):
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                start = lvl.find(f"{W}start")
                try:
                    level = int(lvl.get(f"{W}ilvl", "0"))
                    first = int(start.get(f"{W}val", "1")) if start is not None else 1
                except ValueError:
                    continue
                self.levels[(aid, level)] = (
                    fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{W}val", "") if text is not None else "",
                    first,
                )
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                self.num_to_abstract[num.get(f"{W}numId", "")] = ref.get(f"{W}val", "")

    def _format(self, n: int, fmt: str) -> str:
        if fmt in _CN_FORMATS:
            return cn_numeral(n) if 0 < n < 100 else str(n)
        if fmt in ("lowerLetter", "upperLetter") and 0 < n <= 26:
            ch = chr(ord("a") + n - 1)
            return ch.upper() if fmt == "upperLetter" else ch
        return str(n)

    def prefix(self, num_id: str, level: int) -> str:
        aid = self.num_to_abstract.get(num_id)
        if aid is None or not 0 <= level < 9 or (aid, level) not in self.levels:
            return ""
        fmt, text, _start = self.levels[(aid, level)]
        if fmt in ("bullet", "none"):
            return ""
        counters = self.counters.setdefault(aid, [self.levels.get((aid, i), ("", "", 1))[2] - 1 for i in range(9)])
        counters[level] += 1
        for deeper in range(level + 1, 9):
            counters[deeper] = self.levels.get((aid, deeper), ("", "", 1))[2] - 1
        for k in range(9, 0, -1):
            if f"%{k}" in text:
                kfmt = self.levels.get((aid, k - 1), ("decimal", "", 1))[0]
                text = text.replace(f"%{k}", self._format(counters[k - 1], kfmt))
        return text


def _paragraph(p: ET.Element, numbering: _Numbering) -> str:
    parts: list[str] = []
    for el in p.iter():
        if el.tag == f"{W}t":
            parts.append(el.text or "")
        elif el.tag == f"{W}tab":
            parts.append("\t")
        elif el.tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
    text = "".join(parts).strip()
    num = p.find(f"{W}pPr/{W}numPr")
    if num is not None and text:
        nid = num.find(f"{W}numId")
        lvl = num.find(f"{W}ilvl")
        try:
            level = int(lvl.get(f"{W}val", "0")) if lvl is not None else 0
        except ValueError:
            level = 0
        if nid is not None:
            text = numbering.prefix(nid.get(f"{W}val", ""), level) + text
    return text


def _children(el: ET.Element) -> list[ET.Element]:
    """Direct block children, looking through content controls and custom XML wrappers."""
    out: list[ET.Element] = []
    for child in el:
        if child.tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent", f"{W}smartTag"):
            out += _children(child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" and
                             child.find(f"{W}sdtContent") is not None else child)
        else:
            out.append(child)
    return out


def _cell_text(tc: ET.Element, numbering: _Numbering) -> str:
    lines = []
    for child in _children(tc):
        if child.tag == f"{W}p":
            lines.append(_paragraph(child, numbering))
        elif child.tag == f"{W}tbl":
            lines += [" ".join(c.text for c in row if c.text) for row in _table(child, numbering)]
    return "\n".join(x for x in lines if x)


def _int_attr(el: ET.Element | None, default: int) -> int:
    if el is None:
        return default
    try:
        return max(1, min(int(el.get(f"{W}val", str(default))), 50))
    except ValueError:
        return default


def _table(tbl: ET.Element, numbering: _Numbering) -> list[list[Cell]]:
    grid: list[list[Cell]] = []
    for tr in _children(tbl):
        if tr.tag != f"{W}tr":
            continue
        before = tr.find(f"{W}trPr/{W}gridBefore")
        row: list[Cell] = [Cell("")] * (_int_attr(before, 0) if before is not None else 0)
        for tc in _children(tr):
            if tc.tag != f"{W}tc":
                continue
            span = _int_attr(tc.find(f"{W}tcPr/{W}gridSpan"), 1)
            vmerge = tc.find(f"{W}tcPr/{W}vMerge")
            col = len(row)
            if vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue":
                above = grid[-1][col] if grid and col < len(grid[-1]) else Cell("")
                first = Cell(above.text, from_above=True)
            else:
                first = Cell(_cell_text(tc, numbering))
            row.append(first)
            row += [Cell(first.text, from_above=first.from_above, from_left=True)] * (span - 1)
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    return [r + [Cell("")] * (width - len(r)) for r in grid]


def _read_parts(data: bytes) -> tuple[bytes, bytes | None]:
    check_zip_sizes(data, MAX_XML, "Word 文档的正文", "word/document.xml")
    check_zip_sizes(data, MAX_XML, "Word 文档的编号部分", "word/numbering.xml")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            document = z.read(z.getinfo("word/document.xml"))
            numbering = z.read("word/numbering.xml") if "word/numbering.xml" in z.namelist() else None
    except KeyError:
        raise PlanImportError("这不是 Word 文档（缺少正文部分）") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, RuntimeError,
            NotImplementedError):
        raise PlanImportError("Word 文档已损坏，无法读取") from None
    return document, numbering


def import_docx(data: bytes, name: str = "", mapping: ColumnMapping | None = None) -> ImportResult:
    document, numbering_xml = _read_parts(data)
    paragraphs = document.count(b"<w:p>") + document.count(b"<w:p ")  # counted before parsing the XML
    if paragraphs > MAX_PARAGRAPHS:
        raise PlanImportError(f"Word 文档有 {paragraphs:,} 个段落，超过 {MAX_PARAGRAPHS:,} 的上限，"
                              "不像是一份分工方案，未导入")
    try:
        root = ET.fromstring(document)
        numbering = _Numbering(numbering_xml)
    except ET.ParseError:
        raise PlanImportError("Word 文档内容已损坏（XML 格式错误），无法读取") from None
    body = root.find(f"{W}body")
    if body is None:
        raise PlanImportError("Word 文档没有正文")
    lines: list[str] = []
    tables = TableSeries(name, mapping)
    blocks = _children(body)
    if len(blocks) > MAX_LINES:  # before reading each one: a tiny zip can hold a huge body
        raise PlanImportError(f"Word 文档正文有 {len(blocks):,} 个段落，超过 {MAX_LINES:,} 的上限，"
                              "不像是一份分工方案，未导入")
    for block in blocks:
        if block.tag == f"{W}p":
            text = _paragraph(block, numbering)
            if text:
                lines += text.split("\n")
        elif block.tag == f"{W}tbl":
            grid = _table(block, numbering)
            read = tables.read(grid, lines)
            if read is not None:
                return ImportResult(read[0], list(read[0].warnings), "docx", read[1])
            lines += flatten(grid)
    tables.check_used()
    if not any(x.strip() for x in lines):
        raise PlanImportError("Word 文档是空的")
    result = import_text("\n".join(lines), name)
    result.source_kind = "docx"
    return result
