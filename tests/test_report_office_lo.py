"""The Word and Excel files as LibreOffice reads them (skipped where LibreOffice isn't installed).

LibreOffice converts headless with its own profile in a temporary folder, so a running instance never
takes the job over.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from core.report.docx_writer import render_docx
from core.report.text import is_cjk
from core.report.xlsx_writer import render_xlsx
from tests import lo
from tests.office_content import office_content, with_rows

SOFFICE = lo.SOFFICE
HANGING = "，。、；：！？”）》"
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def convert(tmp_path: Path, name: str, data: bytes, target: str) -> Path:
    src = tmp_path / name
    src.write_bytes(data)
    return lo.convert(src, tmp_path, target)


def test_libreoffice_lays_the_docx_out_in_full_lines_of_28_and_a_landscape_ledger(tmp_path: Path) -> None:
    pdf = PdfReader(convert(tmp_path, "report.docx", render_docx(office_content()), "pdf"))
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages]
    assert sizes[0] == (595, 842)
    ledger = [i for i, s in enumerate(sizes) if s == (842, 595)]
    assert ledger and ledger == list(range(ledger[0], len(sizes)))  # the ledger pages close the document
    body = "\n".join(pdf.pages[i].extract_text() for i in range(ledger[0]))
    lines = [line.replace(" ", "") for line in body.splitlines()]
    # LibreOffice lets a closing mark hang past the margin (it ignores w:overflowPunct; Word honours it).
    cjk_lines = [line[:-1] if line[-1] in HANGING else line
                 for line in lines if line and all(is_cjk(c) for c in line)]
    assert max(len(line) for line in cjk_lines) == 28
    assert sum(len(line) == 28 for line in cjk_lines) >= 150  # 199 when last checked
    first_ledger_page = pdf.pages[ledger[0]].extract_text()
    assert "附件" in first_ledger_page and "认真办理市府办" in "".join(
        pdf.pages[i].extract_text() for i in ledger).replace("\n", "")
    # Every ledger page starts with the repeated header row.
    for i in ledger[1:]:
        assert "工作任务" in pdf.pages[i].extract_text().replace(" ", "")


def test_libreoffice_reads_formula_like_notes_as_text(tmp_path: Path) -> None:
    hyperlink, cmd = '=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0"
    content = with_rows(office_content(), t12={"problems": hyperlink, "next_steps": cmd, "owner": "@SUM(1)",
                                                "steps": "+1+2", "achievements": "行一\r\n行二\x07"})
    out = convert(tmp_path, "ledger.xlsx", render_xlsx(content, "a3"), "csv:Text - txt - csv (StarCalc):44,34,76")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert [int(r[0]) for r in rows if r and r[0].isdigit()] == [n for n in range(1, 69) if n not in (65, 68)]
    row = next(r for r in rows if r and r[0] == "12")
    assert row[3] == "@SUM(1)" and row[7] == "+1+2"
    assert row[9] == hyperlink and row[10] == cmd
    # LibreOffice decodes the escapes (_x000D_, _x0007_) but keeps a cell's line break as LF alone.
    assert row[8] == "行一\n行二\x07"
