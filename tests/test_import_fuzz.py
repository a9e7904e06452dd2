"""Every importer returns an ImportResult or raises PlanImportError, whatever it is given."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.importers import ImportResult, PlanImportError, import_bytes, import_text
from tests import builders as b

PIECES = ["一、", "(一)", "（二）", "1.", "２．", "3", "4、", "牵头", "负责", "配合", "协办", "等", "、", "，", "；",
          "牵头单位：", "责任单位：", "（", "）", "(", ")", "县府办", "司法所", "党政综合办", "各村委会", "各镇政府",
          "做好", "工作。", "\n", " ", "工作任务", "具体要求", "牵头及责任单位", "序号", "任务", "责任部门",
          "一级要点", "二级要点", "工作要求", "责任单位", "2019年", "来源:", "点击数", "<", ">", "&", "\"", "\x00"]
fragments = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=30).map("".join)
grid = st.lists(st.lists(fragments, min_size=1, max_size=4), max_size=8)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ok(call) -> None:
    try:
        result = call()
    except PlanImportError as e:
        assert str(e)
        return
    assert isinstance(result, ImportResult)
    assert result.plan.tasks


@SETTINGS
@given(fragments)
def test_text(text: str):
    _ok(lambda: import_text(text, "t.txt"))


@SETTINGS
@given(st.binary(max_size=300), st.sampled_from(["a.txt", "a.html", "a.csv", "a.docx", "a.xlsx", "a", "a.bin"]))
def test_any_bytes(data: bytes, name: str):
    _ok(lambda: import_bytes(data, name))


@SETTINGS
@given(grid, st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_html(rows: list[list[str]], encoding: str):
    def td(t: str) -> str:
        return f"<td rowspan='{len(t) % 3}' colspan='{len(t) % 2 + 1}'>{t}</td>"
    html = "<html><body><table>" + "".join("<tr>" + "".join(td(c) for c in r) + "</tr>" for r in rows)
    html += "</table>" + "".join(f"<p>{c}</p>" for r in rows for c in r) + "</body></html>"
    _ok(lambda: import_bytes(html.encode(encoding, errors="replace"), "p.html"))


@SETTINGS
@given(grid)
def test_csv(rows: list[list[str]]):
    buf = io.StringIO()
    csv.writer(buf).writerows([[c.replace("\x00", "") for c in r] for r in rows])
    _ok(lambda: import_bytes(buf.getvalue().encode("utf-8"), "p.csv"))


def _docx_cell(text: str, i: int) -> str:
    text = "".join(ch for ch in text if ch >= " " or ch == "\n")
    return b.cell(text, span=1 + i % 2, vmerge=(None, "restart", "continue")[i % 3])


@SETTINGS
@given(grid, st.lists(fragments, max_size=5))
def test_docx(rows: list[list[str]], paras: list[str]):
    clean = ["".join(ch for ch in p if ch >= " ") for p in paras]
    body = "".join(b.para(p, num=(1, len(p) % 2) if len(p) % 3 else None) for p in clean)
    body += b.table([[_docx_cell(c, i + j) for j, c in enumerate(r)] for i, r in enumerate(rows)])
    _ok(lambda: import_bytes(b.docx(body, b.decimal_numbering()), "p.docx"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grid, st.booleans())
def test_xlsx(rows: list[list[str]], merge: bool):
    clean = [["".join(ch for ch in c if ch >= " " or ch == "\n") for c in r] for r in rows]
    merges = ("A1:B2",) if merge and len(clean) >= 2 else ()
    _ok(lambda: import_bytes(b.xlsx(clean, merges), "p.xlsx"))
